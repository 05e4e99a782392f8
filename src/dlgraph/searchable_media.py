"""Searchable transcripts, notebooks and slides: what was said, coded and shown.

One document per transcript passage (kind ``transcript``: opens the video at its second),
per notebook cell (``notebook``: the notebook's page on GitHub, which has no cell anchors)
and per slide page (``slides``: the deck at ``#page=N``). :func:`media_documents` yields the
keyword arguments of ``SearchDoc`` (``dlgraph.search_doc``, whose edition order it sorts by); the
reader passed in is ``searchable._Reader`` (``g``, ``text``, ``edition``, ``people_of``).

A passage collapses into the lecture item that shows its recording (so a lecture hit names
its best moment, often a spoken one); when several items share one video (SP20's two
lecture parts), the passage goes to the item whose notes sections cover its second.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator

from rdflib import Literal, URIRef

from dlgraph.node_values import preferred_text
from dlgraph.search_doc import edition_order
from dlgraph.vocab import DLG, RDF, SDO, video_url

__all__ = ["MEDIA_KINDS", "media_documents"]

#: The search kinds this module adds (``searchable.KINDS`` lists them too).
MEDIA_KINDS = ("transcript", "notebook", "slides")


def media_documents(reader) -> Iterator[dict]:
    """``SearchDoc`` keyword arguments for every passage, notebook cell and slide page."""
    yield from _passages(reader)
    yield from _files(reader, "notebook", SDO.SoftwareSourceCode, DLG.notebook)
    yield from _files(reader, "slides", SDO.PresentationDigitalDocument, DLG.slides)


def _lecture_by_second(reader, lectures: list[URIRef]):
    """A function second → lecture item, from the video moments of each item's notes sections."""
    g = reader.g
    marks: list[tuple[int, str]] = []
    for lec in lectures:
        for page in g.objects(lec, DLG.notesPage):
            for sec in g.objects(page, SDO.hasPart):
                for clip in g.objects(sec, SDO.video):
                    start = g.value(clip, SDO.startOffset)
                    if start is not None:
                        marks.append((int(start), str(lec)))
    marks.sort()
    starts = [s for s, _ in marks]
    first = str(lectures[0]) if lectures else None

    def pick(second: int) -> str | None:
        i = bisect.bisect_right(starts, second) - 1
        return marks[i][1] if i >= 0 else first

    return pick


def _passages(reader) -> Iterator[dict]:
    g = reader.g
    for tr in sorted(g.subjects(RDF.type, DLG.Transcript)):
        video = g.value(predicate=DLG.transcript, object=tr)  # the recording it transcribes
        vid = g.value(video, SDO.identifier) if video is not None else None
        if vid is None:
            continue
        vid = str(vid)
        lang = str(g.value(tr, SDO.inLanguage) or "en")
        ed = reader.edition(tr)
        lectures = sorted(o for o in g.objects(tr, SDO.about)
                          if (o, RDF.type, SDO.LearningResource) in g)
        pick = _lecture_by_second(reader, lectures)
        titles = {str(lec): reader.text(lec, SDO.name, "en") for lec in lectures}
        people = {str(lec): reader.people_of(lec, DLG.lecturer) for lec in lectures}
        themes = {str(lec): reader.theme_label(lec) for lec in lectures}
        # in time order: Whoosh breaks score ties by document number, and the graph's own
        # order differs between a graph built in memory and the same graph loaded
        # a passage's few values read in one look-up of its triples (thousands of passages)
        clips = sorted(_clip_values(g, clip) for clip in g.objects(tr, SDO.hasPart))
        for start, clip, text, cues in clips:
            lecture = pick(start)
            yield {
                "iri": str(clip), "kind": "transcript",
                "title": titles.get(lecture) or reader.text(tr, SDO.name, "en"),
                "language": lang, "editions": (ed,) if ed else (),
                "text": preferred_text(text, lang),
                "url": str(video_url(vid, start)), "page_url": str(tr),
                "video": vid, "start": start, "lecture": lecture,
                "theme": themes.get(lecture), "lecturers": people.get(lecture, ()),
                "group": lecture or str(tr), "marks": _marks(cues),
            }


def _clip_values(g, clip) -> tuple:
    """(start second, clip, its text literals, its cue starts) of one passage."""
    start, texts, cues = None, [], None
    for p, o in g.predicate_objects(clip):
        if p == SDO.startOffset:
            start = o
        elif p == SDO.text:
            if isinstance(o, Literal):
                texts.append(o)
        elif p == DLG.cueStarts:
            cues = o
    return int(start or 0), clip, texts, cues


def _marks(value) -> tuple[tuple[int, int], ...]:
    """``"0:12 57:20"`` (``dlg:cueStarts``) → ``((0, 12), (57, 20))``."""
    pairs = (item.partition(":") for item in str(value or "").split())
    return tuple((int(o), int(t)) for o, _, t in pairs if o.isdigit() and t.isdigit())


def _files(reader, kind: str, cls, pred) -> Iterator[dict]:
    """Notebook cells or slide pages, grouped by their file (one hit per notebook or deck)."""
    g = reader.g
    for node in sorted(g.subjects(RDF.type, cls)):
        parts = sorted(g.objects(node, SDO.hasPart), key=lambda p: int(g.value(p, SDO.position) or 0))
        if not parts:
            continue  # a linked file whose content was not read
        lectures = sorted(g.subjects(pred, node), key=lambda lec: _edition_rank(reader, lec))
        editions = [reader.edition(lec) for lec in lectures] + [reader.edition(node)]
        title = reader.text(node, SDO.name) or str(node).rsplit("/", 1)[-1]
        url = str(g.value(node, SDO.url) or node)
        key = str(g.value(node, SDO.identifier) or "")
        name = key.rsplit("/", 1)[-1]
        idents = (name, name.rsplit(".", 1)[0]) if name else ()
        lecture = str(lectures[0]) if lectures else None
        heading = ""
        for part in parts:
            text = reader.text(part, SDO.text)
            own = reader.text(part, SDO.name)
            # a code cell is read under the heading of the markdown cell above it
            heading = own or (heading if kind == "notebook" else "")
            apis = _api_names(str(o) for o in g.objects(part, DLG.api))
            yield {
                "iri": str(part), "kind": kind, "title": title, "language": "en",
                "editions": tuple(e for e in dict.fromkeys(editions) if e),
                "text": text, "heading": heading or None, "context": title,
                "idents": (*idents, *apis),
                "url": str(part) if kind == "slides" else url, "page_url": url,
                "lecture": lecture, "group": str(node),
            }


def _edition_rank(reader, lec) -> tuple:
    code = reader.edition(lec) or ""
    order = edition_order()
    return (order.index(code) if code in order else len(order), str(lec))


def _api_names(apis) -> tuple[str, ...]:
    """Each API with its shorter spellings: ``torch.nn.LSTM`` is also ``nn.LSTM`` and ``LSTM``.

    The analyzer keeps a dotted name as one token, and a learner types the short form the
    notebooks themselves write (``nn.LSTM``) or just the class.
    """
    out: dict[str, None] = {}
    for api in sorted(apis):
        parts = api.split(".")
        for i in range(len(parts)):
            out[".".join(parts[i:])] = None
    return tuple(out)
