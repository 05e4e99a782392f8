"""What the topic rule tagged: untagged items, and the scheme with its counts."""

from __future__ import annotations

from collections import Counter, defaultdict

from rdflib import Graph, URIRef

from dlgraph import topics as topics_mod
from dlgraph.graphs import edition_items, editions, item_dict
from dlgraph.vocab import DCTERMS


def untagged(g: Graph) -> dict:
    """What the topic rule left without a topic: counts per kind, and the lecture items.

    Returns
    -------
    dict
        ``{"counts": {kind: {"total", "tagged", "untagged"}}, "lectures": [items],
        "readings": [{"iri", "title"}]}`` for kinds ``lecture``, ``page``, ``section``,
        ``reading`` and ``document``.
    """
    counts: dict[str, Counter] = defaultdict(Counter)
    lectures, readings = [], []
    for entity, kind, _fields in topics_mod.entity_fields(g):
        tagged = (entity, DCTERMS.subject, None) in g
        counts[kind]["total"] += 1
        counts[kind]["tagged" if tagged else "untagged"] += 1
        if not tagged and kind == "lecture":
            lectures.append(item_dict(g, entity))
        elif not tagged and kind == "reading":
            readings.append(
                {"iri": str(entity), "title": str(g.value(entity, DCTERMS.title) or "")}
            )
    return {
        "counts": {
            k: {"total": c["total"], "tagged": c["tagged"], "untagged": c["untagged"]}
            for k, c in counts.items()
        },
        "lectures": sorted(lectures, key=lambda d: (d["edition"] or "", d["position"])),
        "readings": readings,
    }


def scheme_counts(g: Graph) -> list[dict]:
    """The topic scheme with how many lecture items (per edition), pages, sections and readings
    each topic tags, counting narrower topics too.

    Returns
    -------
    list of dict
        ``{"topic", "label", "iri", "alt_labels", "broader", "narrower", "depth",
        "lectures": {edition: n}, "pages", "sections", "readings"}`` in tree order.
    """
    all_topics = topics_mod.topics_of(g)
    kinds = {}
    for entity, kind, _ in topics_mod.entity_fields(g):
        kinds[entity] = kind
    tagged: dict[URIRef, set[URIRef]] = defaultdict(set)
    for entity, topic in g.subject_objects(DCTERMS.subject):
        tagged[topic].add(entity)
    codes = editions(g)
    edition_of = {i: code for code in codes for i in edition_items(g, code)}
    out = []

    def visit(t: URIRef, depth: int) -> None:
        info = all_topics[t]
        reach = topics_mod.descendants(all_topics, t)
        ents = set().union(*(tagged.get(x, set()) for x in reach))
        by_kind = Counter(kinds.get(e) for e in ents)
        lectures = Counter(edition_of[e] for e in ents if e in edition_of)
        out.append(
            {
                "topic": info.slug,
                "label": info.label,
                "iri": str(t),
                "alt_labels": [a for a, _ in info.alt_labels],
                "broader": [all_topics[b].slug for b in info.broader if b in all_topics],
                "narrower": [all_topics[n].slug for n in info.narrower if n in all_topics],
                "depth": depth,
                "lectures": {code: lectures.get(code, 0) for code in codes},
                "pages": by_kind.get("page", 0),
                "sections": by_kind.get("section", 0),
                "readings": by_kind.get("reading", 0),
            }
        )
        for n in sorted(
            info.narrower, key=lambda n: all_topics[n].label if n in all_topics else str(n)
        ):
            if n in all_topics and all_topics[n].broader and all_topics[n].broader[0] == t:
                visit(n, depth + 1)

    for top in sorted((t for t in all_topics.values() if not t.broader), key=lambda t: t.label):
        visit(top.iri, 0)
    return out
