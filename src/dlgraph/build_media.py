"""Transcripts, notebooks and slide decks into the graph (after ``build.build_graph``).

- A transcript is a ``dlg:Transcript`` named by its live URL, ``schema:about`` its video
  and the lecture items that show it;
  the video has it as ``dlg:transcript`` (one per language); a translation has
  ``schema:translationOfWork`` → the English transcript of the same recording. Its
  passages are ``schema:Clip``s of the video (``#t=<start>`` of the transcript URL) with
  ``schema:startOffset``/``schema:endOffset`` in seconds and the spoken text.
- A notebook or deck is the same node the home pages' links made (``resource_iri`` of its
  ``github:`` key), now with its name, its cells (``#cell-N``: position, type, heading,
  text, APIs) or its pages (``#page=N``: number, title, text).
- What could not be used is kept on the edition: ``dlg:missingFile``, ``dlg:damagedFile``,
  ``dlg:unattachedFile`` (repository paths).
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef

from dlgraph.records import EditionRecords, Notebook, SlideDeck, Transcript
from dlgraph.vocab import (
    DLG,
    PROV,
    RDF,
    SDO,
    cell_iri,
    edition_iri,
    lecture_iri,
    passage_iri,
    resource_iri,
    slide_page_iri,
    video_url,
)

__all__ = ["add_media"]

_REPORT_PREDICATES = {"missing": DLG.missingFile, "damaged": DLG.damagedFile,
                      "unattached": DLG.unattachedFile}


def add_media(g: Graph, records: Iterable[EditionRecords]) -> None:
    """Add every edition's transcripts, notebooks, slide decks and repository reports to ``g``."""
    records = list(records)
    titles = {(rec.edition, lec.key): lec.title for rec in records for lec in rec.lectures}
    for rec in records:
        english = {t.video: t.url for t in rec.transcripts if t.video and t.language == "en"}
        for tr in rec.transcripts:
            if tr.video:
                _transcript(g, tr, english.get(tr.video), titles)
        for nb in rec.notebooks:
            _notebook(g, nb)
        for deck in rec.slides:
            _deck(g, deck)
        ed = edition_iri(rec.edition)
        for report in rec.repo_reports:
            pred = _REPORT_PREDICATES.get(report.problem)
            if pred is not None:
                g.add((ed, pred, Literal(report.path)))


def _transcript(g: Graph, tr: Transcript, original: str | None, titles: dict) -> None:
    node = URIRef(tr.url)
    video = resource_iri("video", tr.video)
    lang = tr.language
    names = [titles[(tr.edition, k)] for k in tr.lectures if (tr.edition, k) in titles]
    title = " / ".join(dict.fromkeys(names)) or tr.path.rsplit("/", 1)[-1]
    g.add((node, RDF.type, DLG.Transcript))
    g.add((node, RDF.type, SDO.DigitalDocument))
    g.add((node, SDO.name, Literal(f"{title} (transcript, {lang})", lang="en")))
    g.add((node, SDO.inLanguage, Literal(lang)))
    g.add((node, SDO.url, node))
    g.add((node, SDO.about, video))
    g.add((node, DLG.edition, edition_iri(tr.edition)))
    g.add((node, DLG.attachedBy, Literal(tr.attached_by or "")))
    g.add((node, PROV.wasDerivedFrom, node))
    g.add((video, DLG.transcript, node))
    for key in tr.lectures:  # like a notes page, the transcript is about its lecture items
        g.add((node, SDO.about, lecture_iri(tr.edition, key)))
    if original and original != tr.url:
        g.add((node, SDO.translationOfWork, URIRef(original)))
        g.add((URIRef(original), SDO.workTranslation, node))
    # Once per passage, tens of thousands of times: the terms are looked up once, and each
    # second's literal is made once (rdflib works out an int literal's datatype each time).
    add = g.add
    a, clip_type, part_of = RDF.type, SDO.Clip, SDO.isPartOf
    start_p, end_p, text_p, url_p = SDO.startOffset, SDO.endOffset, SDO.text, SDO.url
    cues_p, has_part = DLG.cueStarts, SDO.hasPart
    for p in tr.passages:
        clip = passage_iri(tr.url, p.start)
        add((clip, a, clip_type))
        add((clip, part_of, video))
        add((clip, start_p, _second(p.start)))
        add((clip, end_p, _second(p.end)))
        add((clip, text_p, Literal(p.text, lang=lang)))
        add((clip, url_p, video_url(tr.video, p.start)))
        if p.cues:
            add((clip, cues_p, Literal(" ".join(f"{o}:{t}" for o, t in p.cues))))
        add((node, has_part, clip))


_SECONDS: dict[int, Literal] = {}


def _second(value: int) -> Literal:
    """The integer literal of a second, kept (a recording has a few thousand of them)."""
    lit = _SECONDS.get(value)
    if lit is None:
        lit = _SECONDS[value] = Literal(value)
    return lit


def _file_node(g: Graph, kind: str, key: str, url: str, title: str, edition: str) -> URIRef:
    node = resource_iri(kind, key)
    g.add((node, RDF.type, SDO.SoftwareSourceCode if kind == "notebook" else SDO.PresentationDigitalDocument))
    g.set((node, SDO.identifier, Literal(key)))
    g.set((node, SDO.url, URIRef(url)))
    g.set((node, SDO.name, Literal(title)))
    g.add((node, DLG.edition, edition_iri(edition)))
    return node


def _notebook(g: Graph, nb: Notebook) -> None:
    node = _file_node(g, "notebook", nb.key, nb.url, nb.title, nb.edition)
    g.add((node, SDO.programmingLanguage, Literal("Python")))
    for cell in nb.cells:
        c = cell_iri(nb.url, cell.position)
        g.add((c, RDF.type, SDO.CreativeWork))
        g.add((c, SDO.isPartOf, node))
        g.add((node, SDO.hasPart, c))
        g.add((c, SDO.position, Literal(cell.position)))
        g.add((c, DLG.cellType, Literal(cell.kind)))
        g.add((c, SDO.text, Literal(cell.text)))
        if cell.heading:
            g.add((c, SDO.name, Literal(cell.heading)))
        for api in cell.apis:
            g.add((c, DLG.api, Literal(api)))
            g.add((node, DLG.api, Literal(api)))


def _deck(g: Graph, deck: SlideDeck) -> None:
    node = _file_node(g, "slides", deck.key, deck.url, deck.title, deck.edition)
    for page in deck.pages:
        p = slide_page_iri(deck.url, page.number)
        g.add((p, RDF.type, SDO.CreativeWork))
        g.add((p, SDO.isPartOf, node))
        g.add((node, SDO.hasPart, p))
        g.add((p, SDO.position, Literal(page.number)))
        if page.title:
            g.add((p, SDO.name, Literal(page.title)))
        if page.text:
            g.add((p, SDO.text, Literal(page.text)))
