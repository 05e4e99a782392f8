"""Which topics go together: co-occurrence on lecture items and English notes pages, and the
most central topics of that network (networkx, through :func:`dlgraph.graphs.to_networkx`)."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from rdflib import Graph, URIRef

from dlgraph import topics as topics_mod
from dlgraph.graphs import edition_items, editions, to_networkx
from dlgraph.vocab import DCTERMS, DLG, RDF, SDO, topic_iri

_LOGISTICS = topic_iri("course-organisation")


def _units(g: Graph, edition: str | None) -> list[URIRef]:
    """What co-occurrence counts: lecture items and English notes pages of an edition.

    Translated pages would count one lecture once per language, so only English ones count.
    """
    codes = [edition] if edition else editions(g)
    out = []
    for code in codes:
        out += edition_items(g, code)
        ed = next(
            (
                e
                for e in g.subjects(RDF.type, SDO.CourseInstance)
                if str(g.value(e, SDO.identifier)) == code
            ),
            None,
        )
        for page in g.subjects(RDF.type, DLG.NotesPage):
            if g.value(page, DLG.edition) == ed and str(g.value(page, SDO.inLanguage)) == "en":
                out.append(page)
    return out


def _topic_sets(g: Graph, units: list[URIRef]) -> list[set[URIRef]]:
    return [set(g.objects(u, DCTERMS.subject)) - {_LOGISTICS} for u in units]


def _cooccurrence_edges(g: Graph, edition: str | None) -> tuple[Counter, Counter]:
    all_topics = topics_mod.topics_of(g)
    ancestors = {t: set(topics_mod.ancestors(all_topics, t)) for t in all_topics}
    pairs, singles = Counter(), Counter()
    for tset in _topic_sets(g, _units(g, edition)):
        singles.update(tset)
        for a, b in combinations(sorted(tset), 2):
            # A topic always "co-occurs" with what it is narrower than; that says nothing.
            if a in ancestors.get(b, ()) or b in ancestors.get(a, ()):
                continue
            pairs[(a, b)] += 1
    return pairs, singles


def topic_cooccurrence(g: Graph, edition: str | None = None) -> list[dict]:
    """How often two topics tag the same lecture item or English notes page.

    Parameters
    ----------
    g
        The complete graph.
    edition
        An edition code, or ``None`` for every edition.

    Returns
    -------
    list of dict
        ``{"a", "b", "a_label", "b_label", "count"}`` per pair (slugs and labels), most
        frequent first. Pairs where one topic is broader than the other are left out, and
        so is course organisation.
    """
    all_topics = topics_mod.topics_of(g)
    pairs, _ = _cooccurrence_edges(g, edition)
    out = [
        {
            "a": all_topics[a].slug,
            "b": all_topics[b].slug,
            "a_label": all_topics[a].label,
            "b_label": all_topics[b].label,
            "count": n,
        }
        for (a, b), n in pairs.items()
    ]
    return sorted(out, key=lambda d: (-d["count"], d["a"], d["b"]))


def central_topics(g: Graph, edition: str | None, k: int = 10) -> list[dict]:
    """The ``k`` most central topics of an edition's co-occurrence graph.

    Centrality is weighted eigenvector centrality (a topic is central when it co-occurs
    often with other central topics); weighted degree is the fallback when the power
    iteration does not converge.

    Returns
    -------
    list of dict
        ``{"topic", "label", "iri", "score", "degree", "units"}``, most central first;
        ``units`` is how many items and English notes pages the topic tags.
    """
    import networkx as nx

    all_topics = topics_mod.topics_of(g)
    pairs, singles = _cooccurrence_edges(g, edition)
    G = to_networkx(((a, b, n) for (a, b), n in pairs.items()), nodes=singles)
    if G.number_of_nodes() == 0:
        return []

    try:
        scores = nx.eigenvector_centrality(G, weight="weight", max_iter=1000)
    except (nx.PowerIterationFailedConvergence, nx.NetworkXException):
        total = sum(d for _, d in G.degree(weight="weight")) or 1
        scores = {n: d / total for n, d in G.degree(weight="weight")}
    ranked = sorted(G.nodes, key=lambda t: (-scores[t], str(t)))[:k]
    return [
        {
            "topic": all_topics[t].slug,
            "label": all_topics[t].label,
            "iri": str(t),
            "score": round(scores[t], 4),
            "degree": int(G.degree(t, weight="weight")),
            "units": singles[t],
        }
        for t in ranked
        if t in all_topics
    ]
