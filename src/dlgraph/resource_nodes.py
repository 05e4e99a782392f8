"""What a resource linked from a page becomes in the graph.

A video, slide deck, notebook or other file linked from a lecture item or a notes section is
one node per resource, whatever spelling the page used (:func:`canonical_url`), typed by its
kind; a timed video link is a ``schema:Clip`` of the video. Shared by the graph builder and by
the mentions found in readings and documents (``dlgraph.mentions``).
"""

from __future__ import annotations

from urllib.parse import quote

from rdflib import Graph, Literal, URIRef

from dlgraph.records import Resource
from dlgraph.vocab import DLG, RDF, SDO, clip_iri, resource_iri, video_url

#: rdf:type of each resource kind, and the predicate that links an item to it.
RESOURCE_TYPES = {
    "video": SDO.VideoObject,
    "slides": SDO.PresentationDigitalDocument,
    "notebook": SDO.SoftwareSourceCode,
    "notes": SDO.DigitalDocument,
    "homework": SDO.DigitalDocument,
    "other": SDO.CreativeWork,
}
RESOURCE_PREDICATES = {
    "video": SDO.video,
    "slides": DLG.slides,
    "notebook": DLG.notebook,
    "notes": DLG.notes,
    "homework": DLG.homework,
    "other": SDO.associatedMedia,
}


def canonical_url(res: Resource) -> URIRef:
    """One URL per resource node, whatever spelling the page used."""
    scheme, _, rest = res.key.partition(":")
    if res.kind == "video":
        return video_url(res.key)
    if scheme == "drive":
        return URIRef(f"https://drive.google.com/file/d/{rest}/")
    if scheme == "github":
        owner, repo, *path = rest.split("/")
        return URIRef(f"https://github.com/{owner}/{repo}/blob/master/{quote('/'.join(path))}")
    return URIRef(res.url)


def add_resource(g: Graph, subject: URIRef, res: Resource) -> URIRef | None:
    """Link ``subject`` to the resource node; a broken link stays a literal."""
    if res.broken:
        g.add((subject, DLG.brokenLink, Literal(res.url)))
        return None
    node = resource_iri(res.kind, res.key)
    g.add((node, RDF.type, RESOURCE_TYPES.get(res.kind, SDO.CreativeWork)))
    g.add((node, SDO.identifier, Literal(res.key)))
    url = canonical_url(res)
    g.set((node, SDO.url, url))
    if res.url != str(url):
        g.add((node, DLG.linkedAs, Literal(res.url)))  # as the page wrote it
    if res.kind == "video" and res.start:
        clip = clip_iri(res.key, res.start)
        g.add((clip, RDF.type, SDO.Clip))
        g.add((clip, SDO.isPartOf, node))
        g.add((clip, SDO.startOffset, Literal(res.start)))
        g.add((clip, SDO.url, video_url(res.key, res.start)))
        node = clip
    g.add((subject, RESOURCE_PREDICATES.get(res.kind, SDO.associatedMedia), node))
    if res.repaired_from:
        g.add((subject, DLG.repairedFrom, Literal(res.repaired_from)))
    return node

