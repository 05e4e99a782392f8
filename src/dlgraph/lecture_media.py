"""What a lecture item's recording said, its notebooks coded and its slides showed.

:func:`lecture_media` is the Lecture page's second half (``dlgraph.lecture.lecture_view`` is
the first): the transcripts of the item's recording in every language, passage by passage
with the second each starts at, the headings of its notebooks' cells, and the titles of
its slide pages. Plain dicts, like every view the app renders.
"""

from __future__ import annotations

from rdflib import Graph, URIRef

from dlgraph.lecture import as_lecture
from dlgraph.vocab import DLG, RDF, SDO

__all__ = ["find_in_transcript", "lecture_media"]


def _int(g: Graph, node, pred) -> int:
    value = g.value(node, pred)
    return int(value) if value is not None else 0


def _str(g: Graph, node, pred) -> str:
    value = g.value(node, pred)
    return str(value) if value is not None else ""


def _videos(g: Graph, item) -> list:
    out = []
    for v in g.objects(item, SDO.video):
        whole = g.value(v, SDO.isPartOf) if (v, RDF.type, SDO.Clip) in g else v
        if whole is not None and whole not in out:
            out.append(whole)
    return sorted(out)


def lecture_media(g: Graph, iri: str | URIRef) -> dict | None:
    """The transcripts, notebooks and slide decks of one lecture item (``None``: no such item).

    Returns
    -------
    dict
        ``transcripts``: ``[{iri, language, url, attached_by, translation_of, passages:
        [{iri, start, end, text, url}]}]`` (English first); ``notebooks``: ``[{iri, title,
        url, cells, headings: [{position, heading}], apis}]``; ``slides``: ``[{iri, title,
        url, pages: [{number, title, url}]}]``. Files linked but not read are left out.
    """
    item = as_lecture(g, iri)
    if item is None:
        return None
    transcripts = []
    for video in _videos(g, item):
        for tr in g.objects(video, DLG.transcript):
            passages = sorted(
                ({"iri": str(p), "start": _int(g, p, SDO.startOffset), "end": _int(g, p, SDO.endOffset),
                  "text": _str(g, p, SDO.text), "url": _str(g, p, SDO.url)}
                 for p in g.objects(tr, SDO.hasPart)),
                key=lambda p: p["start"])
            transcripts.append({
                "iri": str(tr), "language": _str(g, tr, SDO.inLanguage), "url": str(tr),
                "attached_by": _str(g, tr, DLG.attachedBy),
                "translation_of": _str(g, tr, SDO.translationOfWork) or None,
                "passages": passages,
            })
    transcripts.sort(key=lambda t: (t["language"] != "en", t["language"], t["iri"]))
    notebooks = []
    for nb in sorted(g.objects(item, DLG.notebook)):
        cells = sorted(g.objects(nb, SDO.hasPart), key=lambda c: _int(g, c, SDO.position))
        if not cells:
            continue
        notebooks.append({
            "iri": str(nb), "title": _str(g, nb, SDO.name), "url": _str(g, nb, SDO.url),
            "cells": len(cells),
            "headings": [{"position": _int(g, c, SDO.position), "heading": _str(g, c, SDO.name)}
                         for c in cells if g.value(c, SDO.name) is not None],
            "apis": sorted({str(a) for a in g.objects(nb, DLG.api)}),
        })
    decks = []
    for deck in sorted(g.objects(item, DLG.slides)):
        pages = sorted(g.objects(deck, SDO.hasPart), key=lambda p: _int(g, p, SDO.position))
        if not pages:
            continue
        decks.append({
            "iri": str(deck), "title": _str(g, deck, SDO.name), "url": _str(g, deck, SDO.url),
            "pages": [{"number": _int(g, p, SDO.position), "title": _str(g, p, SDO.name),
                       "url": str(p)} for p in pages],
        })
    return {"transcripts": transcripts, "notebooks": notebooks, "slides": decks}


def find_in_transcript(passages: list[dict], text: str) -> list[dict]:
    """The passages holding ``text`` (case- and space-insensitive); all of them for no text."""
    words = " ".join(text.lower().split())
    if not words:
        return passages
    return [p for p in passages if words in " ".join(p["text"].lower().split())]
