"""What an IRI of the graph stands for, so a view can link it where a person can read it.

The SPARQL console shows IRIs; a learner wants the lecture page of a lecture item (or of the
notes page or section about one), the person of a person IRI, the topic of a topic. This
module answers with plain data; which page shows what is the app's business.
"""

from __future__ import annotations

from rdflib import Graph, URIRef

from dlgraph.lecture import _resources, as_lecture
from dlgraph.neighbourhood import node_kind
from dlgraph.vocab import SDO, SKOS


def describe(g: Graph, iris: tuple[str, ...] | list[str]) -> dict[str, dict]:
    """``{iri: {"kind", "label", "lecture"}}`` for each IRI the graph has a kind for.

    ``kind`` is as :func:`dlgraph.neighbourhood.node_kind` draws it (``lecture``, ``person``,
    ``topic``, ``notes page``, …, or ``section``); ``lecture`` is the lecture item the IRI
    is or is about (``None`` otherwise); ``label`` a name for a person, topic or theme.
    IRIs the graph does not know are left out.
    """
    out = {}
    for iri in dict.fromkeys(iris):
        node = URIRef(iri)
        if (node, None, None) not in g:
            continue
        kind = node_kind(g, node) or ("section" if (node, SDO.isPartOf, None) in g else None)
        lecture = as_lecture(g, node)
        if kind is None and lecture is None:
            continue
        label = g.value(node, SDO.name) if kind == "person" else g.value(node, SKOS.prefLabel)
        out[iri] = {"kind": kind, "label": str(label) if label is not None else None,
                    "lecture": str(lecture) if lecture is not None else None}
    return out


def resources(g: Graph, items: tuple[str, ...] | list[str]) -> dict[str, list[dict]]:
    """``{item: [{kind, iri, url, identifier, start}]}``: what each lecture item links
    (video, slides, notebook, notes, homework, other), as the Lecture page lists them."""
    return {i: _resources(g, URIRef(i)) for i in dict.fromkeys(items)}


__all__ = ["describe", "resources"]
