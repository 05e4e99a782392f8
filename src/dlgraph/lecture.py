"""One lecture as a learner sees it, and the neighbourhood of any entity, read from the graph.

:func:`lecture_view` gathers everything the graph knows about one lecture item: edition,
theme, resources, notes pages with their timestamped sections, people, readings, topics,
and the same lecture in other editions and languages. It is a pure graph query returning
plain dicts (no rdflib terms), ready for JSON. The node-link picture around an entity (the
app's Graph page) is :mod:`dlgraph.neighbourhood`; the small readers both use are
:mod:`dlgraph.node_values`.
"""

from __future__ import annotations

from rdflib import Graph, URIRef

from dlgraph.bibliography import reading_authors
from dlgraph.node_values import edition_code, edition_sort_key, int_of, people_of, text_of, url_of
from dlgraph.vocab import BIBO, DCTERMS, DLG, PROV, RDF, SDO, SKOS

#: Resource predicates of a lecture item, in the order a learner wants them.
RESOURCES = (
    ("video", SDO.video),
    ("slides", DLG.slides),
    ("notebook", DLG.notebook),
    ("notes", DLG.notes),
    ("homework", DLG.homework),
    ("other", SDO.associatedMedia),
)

#: Cross-edition links of a lecture item, with how to say them from the item's side.
RELATIONS = (
    (DLG.sameRecordingAs, False, "same recording"),
    (DLG.reRecordingOf, False, "re-records"),
    (DLG.reRecordingOf, True, "re-recorded as"),
    (DLG.sameSlidesAs, False, "same slides"),
    (DLG.sameNotebookAs, False, "same notebook"),
)


def as_lecture(g: Graph, node: str | URIRef) -> URIRef | None:
    """The lecture item ``node`` is, or that a notes page or one of its sections is about."""
    node = URIRef(str(node))
    if (node, RDF.type, SDO.LearningResource) in g:
        return node
    page = g.value(node, SDO.isPartOf) if (node, SDO.hasPart, None) not in g else node
    for candidate in (node, page):
        if candidate is None:
            continue
        for item in g.objects(candidate, SDO.about):
            if (item, RDF.type, SDO.LearningResource) in g:
                return item
    return None


# -- lecture list ------------------------------------------------------------------------


def lecture_list(g: Graph, edition: str | None = None) -> list[dict]:
    """Every lecture item (``iri``, ``title``, ``edition``, ``format``, ``position``).

    Ordered oldest edition first, then by position on the edition's home page.
    """
    rows = []
    for item in set(g.subjects(RDF.type, SDO.LearningResource)):
        ed = g.value(item, DLG.edition)
        code = edition_code(g, ed)
        if edition and code != edition:
            continue
        rows.append(
            (
                edition_sort_key(g, ed),
                int_of(g, item, SDO.position) or 0,
                {
                    "iri": str(item),
                    "title": text_of(g, item, SDO.name) or str(item),
                    "edition": code,
                    "format": str(g.value(item, SDO.learningResourceType) or "other"),
                    "position": int_of(g, item, SDO.position),
                },
            )
        )
    return [row for *_key, row in sorted(rows, key=lambda r: (r[0], r[1], r[2]["iri"]))]


# -- one lecture -------------------------------------------------------------------------


def _resources(g: Graph, item: URIRef) -> list[dict]:
    out = []
    for kind, pred in RESOURCES:
        for node in sorted(g.objects(item, pred)):
            start = int_of(g, node, SDO.startOffset)
            out.append(
                {
                    "kind": kind,
                    "iri": str(node),
                    "url": url_of(g, node),
                    "identifier": str(g.value(node, SDO.identifier) or "") or None,
                    "start": start,
                }
            )
    return out


def _code_blocks(g: Graph, s) -> list[str]:
    """A section's code blocks, verbatim, in the order its text holds them."""
    text = str(g.value(s, SDO.text) or "")
    return sorted((str(c) for c in g.objects(s, DLG.code)), key=lambda c: (text.find(c), c))


def _section(g: Graph, s) -> dict:
    clip = next(iter(sorted(g.objects(s, SDO.video))), None)
    return {
        "iri": str(s),
        "heading": text_of(g, s, SDO.name) or "",
        "level": int_of(g, s, DLG.headingLevel) or 2,
        "position": int_of(g, s, SDO.position) or 0,
        "video_url": url_of(g, clip) if clip is not None else None,
        "start": int_of(g, clip, SDO.startOffset) if clip is not None else None,
        "code": _code_blocks(g, s),
    }


def _page(g: Graph, page) -> dict:
    sections = sorted((_section(g, s) for s in g.objects(page, SDO.hasPart)),
                      key=lambda s: s["position"])
    date = g.value(page, SDO.dateCreated)
    original = g.value(page, SDO.translationOfWork)
    return {
        "url": str(page),
        "title": text_of(g, page, SDO.name, lang=str(g.value(page, SDO.inLanguage) or "en")),
        "language": str(g.value(page, SDO.inLanguage) or "en"),
        "kind": "week" if (page, RDF.type, DLG.WeekPage) in g else "notes",
        "date": str(date) if date is not None else None,
        "translation_of": str(original) if original is not None else None,
        "authors": people_of(g, [page], SDO.author),
        "translators": people_of(g, [page], SDO.translator),
        "lecturers": people_of(g, [page], DLG.lecturer),
        "sections": sections,
    }


def _readings(g: Graph, citing: list) -> list[dict]:
    works = {w for c in citing for w in g.objects(c, SDO.citation)}
    out = []
    for w in works:
        out.append(
            {
                "iri": str(w),
                "title": text_of(g, w, DCTERMS.title, SDO.name) or str(w),
                "url": url_of(g, w),
                "creators": sorted(reading_authors(g, w)),
                "kind": "book" if (w, RDF.type, BIBO.Book) in g
                else "paper" if (w, RDF.type, BIBO.AcademicArticle) in g else "other",
            }
        )
    return sorted(out, key=lambda r: r["title"].lower())


def _topics(g: Graph, nodes: list) -> list[dict]:
    found = {t for n in nodes for t in g.objects(n, DCTERMS.subject)}
    return sorted(
        ({"iri": str(t), "label": text_of(g, t, SKOS.prefLabel) or str(t)} for t in found),
        key=lambda t: t["label"].lower(),
    )


def _related(g: Graph, item: URIRef) -> list[dict]:
    out, seen = [], set()
    for pred, inverse, relation in RELATIONS:
        others = g.subjects(pred, item) if inverse else g.objects(item, pred)
        for other in others:
            if other == item or (other, relation) in seen:
                continue
            seen.add((other, relation))
            ed = g.value(other, DLG.edition)
            out.append(
                {
                    "iri": str(other),
                    "title": text_of(g, other, SDO.name) or str(other),
                    "edition": edition_code(g, ed),
                    "relation": relation,
                    "_key": edition_sort_key(g, ed),
                }
            )
    out.sort(key=lambda r: (r.pop("_key"), r["title"]))
    return out


def lecture_view(g: Graph, iri: str | URIRef) -> dict | None:
    """Everything about one lecture item, or ``None`` when ``iri`` is not (about) a lecture.

    Parameters
    ----------
    g
        The complete graph.
    iri
        A lecture item, or a notes page / section about one.

    Returns
    -------
    dict or None
        ``iri``, ``title``, ``edition``, ``edition_name``, ``edition_url``, ``format``,
        ``position``, ``week``, ``number``, ``reused``, ``footnotes``, ``theme``
        (``{iri, label, number}`` or ``None``), ``resources`` (``[{kind, iri, url,
        identifier, start}]``), ``broken_links``, ``lecturers``, ``notes_authors``,
        ``translators``, ``pages`` (English first, then the translations: ``{url, title,
        language, kind, date, translation_of, authors, translators, lecturers,
        sections: [{iri, heading, level, position, video_url, start}]}``), ``languages``,
        ``readings`` (``{iri, title, url, creators, kind}``), ``topics`` (``{iri, label}``)
        and ``other_editions`` (``{iri, title, edition, relation}``).
    """
    item = as_lecture(g, iri)
    if item is None:
        return None
    ed = g.value(item, DLG.edition)
    theme = g.value(item, DLG.theme)
    pages = set(g.subjects(SDO.about, item)) | set(g.objects(item, DLG.notesPage))
    for page in list(pages):
        pages.update(g.objects(page, SDO.workTranslation))
    page_views = sorted(
        (_page(g, p) for p in pages if (p, RDF.type, DLG.NotesPage) in g
         or (p, RDF.type, DLG.WeekPage) in g),
        key=lambda p: (p["language"] != "en", p["language"], p["kind"], p["url"]),
    )
    sections = [s for p in pages for s in g.objects(p, SDO.hasPart)]
    lecturers = people_of(g, [item, *pages], DLG.lecturer)
    return {
        "iri": str(item),
        "title": text_of(g, item, SDO.name) or str(item),
        "edition": edition_code(g, ed),
        "edition_name": text_of(g, ed, SDO.name) if ed is not None else None,
        "edition_url": url_of(g, ed) if ed is not None else None,
        "format": str(g.value(item, SDO.learningResourceType) or "other"),
        "position": int_of(g, item, SDO.position),
        "week": int_of(g, item, DLG.week),
        "number": int_of(g, item, DLG.itemNumber),
        "reused": bool(g.value(item, DLG.reused)),
        "source": str(g.value(item, PROV.wasDerivedFrom) or "") or None,
        "footnotes": sorted(str(f) for f in g.objects(item, DLG.footnote)),
        "theme": None if theme is None else {
            "iri": str(theme),
            "label": text_of(g, theme, SKOS.prefLabel),
            "number": int_of(g, theme, SKOS.notation),
        },
        "resources": _resources(g, item),
        "broken_links": sorted(str(u) for u in g.objects(item, DLG.brokenLink)),
        "lecturers": lecturers,
        "notes_authors": people_of(g, pages, SDO.author),
        "translators": people_of(g, pages, SDO.translator),
        "pages": page_views,
        "languages": sorted({p["language"] for p in page_views},
                            key=lambda lang: (lang != "en", lang)),
        "readings": _readings(g, [item, *pages, *sections]),
        "topics": _topics(g, [item, *pages]),
        "other_editions": _related(g, item),
    }


__all__ = [
    "as_lecture",
    "lecture_list",
    "lecture_view",
]
