"""The links inside the notes: every outgoing link of a section, typed, with its anchor text.

The records hold each section's links (``Section.links``); this module puts them in the graph
after the base graph and the readings are built (``dlgraph.pipeline.build``). Each link is a
``dlg:BodyLink`` node (``dlg:linkFrom`` the section, ``dlg:linkTo`` its target,
``dlg:linkKind``, ``dlg:anchorText``, ``dlg:linkedAs`` when the target's URL is written
otherwise), plus the shortcut ``?section schema:mentions ?target``. Targets are the graph's
own nodes where it has one: the YouTube video, the notebook or GitHub file, the reading,
the course page; any other page is its URL, typed ``schema:WebPage``.

A video a section only *mentions* (the 1993 LeNet demo) is a ``schema:VideoObject`` like a
recording, but ``dlg:courseRecording false``: it is nobody's lecture, so ``dlgraph stats``
counts it apart and the recordings of an edition stay what its home page and headings say.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping

from rdflib import Graph, Literal, URIRef

from dlgraph.identifiers import normalize_url, reading_kind
from dlgraph.readings import reading_iri
from dlgraph.records import EditionRecords, Link, NotesPage, Resource
from dlgraph.relink import FILE_KINDS
from dlgraph.resource_nodes import canonical_url
from dlgraph.vocab import DLG, RDF, SDO, link_iri, resource_iri, section_iri
from ingest.common import resource_from_url

#: ``dlg:linkKind`` values, in the order the docs list them.
LINK_KINDS = ("video", "notebook", "slides", "code", "paper", "book", "page")

# Characters an IRI cannot hold: a link damaged this way (a pasted space) stays a literal.
_NOT_IRI = re.compile(r"[\s<>\"{}|\\^`]")


def classify(url: str) -> tuple[str, Resource | None]:
    """``(kind, resource)`` of a link target: its :data:`LINK_KINDS` kind, and the resource
    (video, notebook, slides, GitHub file) it is when it is one."""
    res = resource_from_url(url)
    if res.kind == "video":
        return "video", res
    if res.kind == "notebook":
        return "notebook", res
    if res.kind == "slides":
        return "slides", res
    if res.key.startswith("github:"):
        return "code", Resource(kind="code", url=res.url, key=res.key)
    kind = reading_kind(url)
    if kind in ("paper", "book"):
        return kind, None
    return "page", None


def _recordings(g: Graph) -> set[str]:
    """YouTube IDs an item or a section heading shows: the course's recordings."""
    ids = set()
    for node in g.objects(None, SDO.video):
        video = g.value(node, SDO.isPartOf) if (node, RDF.type, SDO.Clip) in g else node
        vid = g.value(video, SDO.identifier) if video is not None else None
        if vid is not None:
            ids.add(str(vid))
    return ids


class _Linker:
    def __init__(self, g: Graph, moved: Mapping[str, str] | None = None):
        self.g = g
        self.recordings = _recordings(g)
        # repository files the pages spell otherwise (dlgraph.relink): the existing file's node
        self.moved = moved or {}

    def target(self, url: str) -> tuple[str, URIRef | None, str]:
        """``(kind, node, url)``: the node a link points to, ``None`` if no IRI can name it."""
        g = self.g
        kind, res = classify(url)
        if res is not None and kind in FILE_KINDS and res.key in self.moved:
            res = dataclasses.replace(res, key=self.moved[res.key])
        if res is not None:
            node = resource_iri(res.kind if kind != "code" else "code", res.key)
            if (node, RDF.type, None) not in g:
                g.add((node, RDF.type, SDO.VideoObject if kind == "video"
                       else SDO.PresentationDigitalDocument if kind == "slides"
                       else SDO.SoftwareSourceCode))
                g.add((node, SDO.identifier, Literal(res.key)))
                g.add((node, SDO.url, canonical_url(res)))
            if kind == "video" and res.key not in self.recordings:
                g.set((node, DLG.courseRecording, Literal(False)))
            return kind, node, str(canonical_url(res))
        if _NOT_IRI.search(url):
            return kind, None, url
        if kind in ("paper", "book"):
            node = reading_iri(*normalize_url(url))
            if (node, RDF.type, None) not in g:
                # A link the readings left out (no title could be read): still the work.
                g.add((node, RDF.type, SDO.CreativeWork))
                g.add((node, SDO.url, URIRef(url)))
            return kind, node, url
        node = URIRef(url)
        if (node, RDF.type, None) not in g:
            g.add((node, RDF.type, SDO.WebPage))
            g.add((node, SDO.url, node))
        return kind, node, url

    def link(self, section: URIRef, link: Link, lang: str, broken: bool = False) -> bool:
        g = self.g
        kind, node, url = (None, None, link.url) if broken else self.target(link.url)
        if node is None:
            g.add((section, DLG.brokenLink, Literal(link.url)))
            return False
        bl = link_iri(str(section), link.url)
        g.add((bl, RDF.type, DLG.BodyLink))
        g.add((bl, DLG.linkFrom, section))
        g.add((bl, DLG.linkTo, node))
        g.add((bl, DLG.linkKind, Literal(kind)))
        if link.text:
            g.add((bl, DLG.anchorText, Literal(link.text, lang=lang)))
        if link.url != url:
            # As written: a timestamped video link keeps its second here.
            g.add((bl, DLG.linkedAs, Literal(link.url)))
        g.add((section, SDO.mentions, node))
        return True


def _page_links(page: NotesPage) -> Iterable[tuple[str, Link]]:
    for sec in page.sections:
        for link in sec.links:
            yield sec.anchor, link


def add_body_links(g: Graph, records: Iterable[EditionRecords]) -> int:
    """Add every section's outgoing links to ``g``; returns how many link nodes it added.

    Parameters
    ----------
    g
        The graph built so far (base graph and readings), changed in place.
    records
        The records the graph was built from.
    """
    records = list(records)
    linker = _Linker(g, {linked: key for rec in records for linked, key in rec.resolved_files})
    added = 0
    for rec in records:
        # A damaged link ingest.repair could not mend points nowhere: it stays a literal.
        broken = {r.url for r in rec.broken_links}
        for page in rec.pages:
            for anchor, link in _page_links(page):
                dead = link.url in broken or resource_from_url(link.url).url in broken
                added += linker.link(section_iri(page.url, anchor), link, page.language, dead)
    return added


__all__ = ["LINK_KINDS", "add_body_links", "classify"]
