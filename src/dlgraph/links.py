"""Cross-edition links between items that share a recording, slides or a notebook.

Two lecture items of different editions that point at the same video, slide deck or notebook
node get a symmetric ``dlg:sameRecordingAs`` / ``dlg:sameSlidesAs`` / ``dlg:sameNotebookAs``
link. Resource nodes are identified by their YouTube ID, Drive file ID or repository path (see
``vocab.resource_iri``), so sharing a node means sharing the resource whatever URL spelling each
home page used.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from rdflib import Graph, URIRef

from dlgraph.vocab import DLG, RDF, SDO

#: Resource predicate of a lecture item → the symmetric link it induces.
LINKS = {
    SDO.video: DLG.sameRecordingAs,
    DLG.slides: DLG.sameSlidesAs,
    DLG.notebook: DLG.sameNotebookAs,
}


def _resource(g: Graph, node: URIRef) -> URIRef:
    """The whole video behind a timestamped clip; any other node is itself."""
    if (node, RDF.type, SDO.Clip) in g:
        parent = g.value(node, SDO.isPartOf)
        if parent is not None:
            return parent
    return node


def shared_resources(g: Graph) -> dict[URIRef, dict[URIRef, set[URIRef]]]:
    """Lecture items grouped by the resource they link to, per link predicate.

    Returns
    -------
    dict
        ``{link predicate: {resource node: {lecture item, …}}}`` for the predicates of
        :data:`LINKS`; a clip counts as its whole video.
    """
    items = set(g.subjects(RDF.type, SDO.LearningResource))
    shared: dict[URIRef, dict[URIRef, set[URIRef]]] = {p: defaultdict(set) for p in LINKS}
    for pred, groups in shared.items():
        for item, node in g.subject_objects(pred):
            if item in items:
                groups[_resource(g, node)].add(item)
    return shared


def add_cross_edition_links(g: Graph) -> int:
    """Link lecture items of different editions that share a video, slides or a notebook.

    Parameters
    ----------
    g
        A graph built by ``dlgraph.build.build_graph``; modified in place.

    Returns
    -------
    int
        The number of triples added (each symmetric link counts twice).
    """
    before = len(g)
    for pred, groups in shared_resources(g).items():
        link = LINKS[pred]
        for members in groups.values():
            for a, b in combinations(sorted(members), 2):
                if g.value(a, DLG.edition) == g.value(b, DLG.edition):
                    continue
                g.add((a, link, b))
                g.add((b, link, a))
    return len(g) - before
