"""The curated topic scheme (``dlgraph/data/topics.ttl``) as plain data: its concepts
(:class:`Topic`), their broader and narrower ones, and finding a topic by slug or label."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from rdflib import Graph, Literal, URIRef

from dlgraph.topic_text import tokens
from dlgraph.vocab import SKOS, TOPIC_SCHEME


def scheme_graph() -> Graph:
    """The topic scheme shipped with the package, as a fresh graph."""
    import pyoxigraph as ox

    from dlgraph.oxstore import from_ox

    g = Graph()
    data = resources.files("dlgraph").joinpath("data/topics.ttl").read_bytes()
    # Oxigraph's parser: rdflib's takes a fifth of a second over these 3,000 triples, which
    # every `dlgraph compare` and `path` waited for.
    parsed = ox.parse(data, format=ox.RdfFormat.TURTLE)
    for t in parsed:
        g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
    for prefix, ns in parsed.prefixes.items():
        g.bind(prefix, ns)
    return g


@dataclass(frozen=True)
class Topic:
    """One concept of the scheme, as plain data."""

    iri: URIRef
    slug: str
    label: str
    alt_labels: tuple[tuple[str, str], ...]  # (label, language)
    broader: tuple[URIRef, ...]
    narrower: tuple[URIRef, ...]


def topics_of(g: Graph) -> dict[URIRef, Topic]:
    """Every concept of the curated scheme found in ``g``, in a stable order (by slug)."""
    out = {}
    for t in sorted(g.subjects(SKOS.inScheme, TOPIC_SCHEME)):
        pref = _english(g.objects(t, SKOS.prefLabel)) or str(t).rsplit("/", 1)[-1]
        alts = tuple(sorted((str(lit), lit.language or "") for lit in g.objects(t, SKOS.altLabel)))
        out[t] = Topic(
            t,
            str(t).rsplit("/", 1)[-1],
            pref,
            alts,
            tuple(sorted(g.objects(t, SKOS.broader))),
            tuple(sorted(g.objects(t, SKOS.narrower))),
        )
    return out


def _english(literals: Iterable[Literal]) -> str | None:
    lits = list(literals)
    for lit in lits:
        if lit.language == "en":
            return str(lit)
    return str(lits[0]) if lits else None


def ancestors(topics: dict[URIRef, Topic], topic: URIRef) -> list[URIRef]:
    """``topic`` and everything broader, nearest first."""
    seen, queue = [], [topic]
    while queue:
        t = queue.pop(0)
        if t in seen or t not in topics:
            continue
        seen.append(t)
        queue.extend(topics[t].broader)
    return seen


def descendants(topics: dict[URIRef, Topic], topic: URIRef) -> list[URIRef]:
    """``topic`` and everything narrower."""
    seen, stack = [], [topic]
    while stack:
        t = stack.pop()
        if t in seen or t not in topics:
            continue
        seen.append(t)
        stack.extend(topics[t].narrower)
    return seen


def top_concept(topics: dict[URIRef, Topic], topic: URIRef) -> URIRef:
    """The top concept above ``topic`` (its first broader chain's end)."""
    t = topic
    while topics.get(t) and topics[t].broader:
        t = topics[t].broader[0]
    return t


def find_topic(g: Graph, name: str) -> URIRef:
    """The topic whose slug, prefLabel or altLabel is ``name`` (case and accents ignored).

    Raises
    ------
    LookupError
        When nothing matches; the message lists close matches.
    """
    topics = topics_of(g)
    key = " ".join(tokens(name))
    names: dict[str, URIRef] = {}
    for t in topics.values():
        for label in (t.slug.replace("-", " "), t.label, *(a for a, _ in t.alt_labels)):
            names.setdefault(" ".join(tokens(label)), t.iri)
    if key in names:
        return names[key]
    close = difflib.get_close_matches(key, list(names), n=5, cutoff=0.6)
    labels = sorted({topics[names[c]].slug for c in close})
    hint = f"; close matches: {', '.join(labels)}" if labels else "; try `dlgraph topics`"
    raise LookupError(f"unknown topic {name!r}{hint}")
