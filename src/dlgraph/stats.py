"""Counts per edition and kind: what ``dlgraph stats`` prints."""

from __future__ import annotations

from collections import defaultdict

from rdflib import Graph, Literal, URIRef

from dlgraph.vocab import DLG, RDF, SDO

#: The per-edition keys of :func:`graph_stats`, in the order they are printed.
KEYS = (
    "lectures",
    "notes_pages",
    "languages",
    "site_languages",
    "videos",
    "mentioned_videos",
    "clips",
    "slides",
    "notebooks",
    "people",
    "readings",
    "documents",
    "transcripts",
    "transcript_passages",
    "notebooks_read",
    "slides_read",
    "repo_files_missing",
)

_TERM_ORDER = {"Spring": 0, "Summer": 1, "Fall": 2}


def editions(g: Graph) -> list[tuple[str, URIRef]]:
    """``(code, edition node)`` of every edition in the graph, oldest first."""
    found = []
    for ed in g.subjects(RDF.type, SDO.CourseInstance):
        code = str(g.value(ed, SDO.identifier) or ed.rsplit("/", 1)[-1])
        year = g.value(ed, DLG.year)
        term = str(g.value(ed, DLG.term) or "")
        found.append(((str(year) if year is not None else "9999", _TERM_ORDER.get(term, 9), code), ed))
    return [(key[2], ed) for key, ed in sorted(found)]


def _languages(langs: set[str]) -> list[str]:
    """English first (the source language), then the translations alphabetically."""
    return sorted(langs, key=lambda lang: (lang != "en", lang))


def graph_stats(g: Graph) -> dict:
    """Counts of the graph's entities per edition, and the total number of triples.

    Parameters
    ----------
    g
        The complete graph (``dlgraph.pipeline.build``).

    Returns
    -------
    dict
        ``{"triples": N, "editions": {"SP20": {...}, ...}}``, editions oldest first. Per
        edition: ``lectures`` (home-page items of every format, broken down in
        ``item_formats``), ``notes_pages`` (in every language), ``week_pages``,
        ``languages`` (of its notes and week pages, English first), ``site_languages`` (of
        any of its pages, translated home, README, FAQ and about pages included),
        ``videos`` (its recordings: distinct YouTube IDs linked from its items or section
        headings, timestamped links included), ``mentioned_videos`` (distinct videos its
        notes only link to, ``dlg:courseRecording false``), ``clips`` (distinct
        timestamped moments), ``slides``, ``notebooks``, ``people`` (holding a role in it),
        ``readings`` (distinct works cited in it), ``documents`` (saved source documents),
        and from its repository: ``transcripts`` (attached ones, by language),
        ``transcript_passages``, ``notebooks_read``, ``slides_read`` (files whose content was
        read) and ``repo_files_missing`` (paths its pages link that the repository lacks).

        A saved graph answers with the counts computed when it was built
        (``dlgraph.store.saved_summary``): counting node by node through the store takes a
        second.
    """
    from dlgraph.store import saved_summary

    saved = saved_summary(g, "stats")
    if saved is not None:
        return saved
    by_ed = {ed: code for code, ed in editions(g)}
    items: dict[URIRef, set] = defaultdict(set)
    formats: dict[URIRef, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item in g.subjects(RDF.type, SDO.LearningResource):
        ed = g.value(item, DLG.edition)
        items[ed].add(item)
        formats[ed][str(g.value(item, SDO.learningResourceType) or "other")] += 1

    pages: dict[URIRef, dict[URIRef, set]] = {
        kind: defaultdict(set) for kind in (DLG.NotesPage, DLG.WeekPage)
    }
    langs: dict[URIRef, set[str]] = defaultdict(set)
    sections: dict[URIRef, set] = defaultdict(set)
    for kind, found in pages.items():
        for page in g.subjects(RDF.type, kind):
            ed = g.value(page, DLG.edition)
            found[ed].add(page)
            lang = g.value(page, SDO.inLanguage)
            if lang is not None:
                langs[ed].add(str(lang))
            sections[ed].update(g.objects(page, SDO.hasPart))
    site_langs: dict[URIRef, set[str]] = defaultdict(set, {ed: set(v) for ed, v in langs.items()})
    for page in g.subjects(RDF.type, DLG.SitePage):
        lang = g.value(page, SDO.inLanguage)
        if lang is not None:
            site_langs[g.value(page, DLG.edition)].add(str(lang))

    # Each kind's members once, as sets: asking the store about every node of an edition one
    # by one is what made this slow on a store that is not in Python's memory.
    all_clips = set(g.subjects(RDF.type, SDO.Clip))
    roles = set(g.subjects(RDF.type, SDO.Role))
    documents = set(g.subjects(DLG.documentKind, None))
    citations = set(g.subjects(RDF.type, DLG.Citation))
    out = {}
    for ed, code in by_ed.items():
        members = set(g.subjects(DLG.edition, ed))
        videos, clips = set(), set()
        for holder in items[ed] | sections[ed]:
            for node in g.objects(holder, SDO.video):
                if node in all_clips:
                    clips.add(node)
                    node = g.value(node, SDO.isPartOf)
                # The YouTube ID, not the node: two spellings of one video are one video.
                vid = g.value(node, SDO.identifier) if node is not None else None
                if vid is not None:
                    videos.add(str(vid))
        out[code] = {
            "lectures": len(items[ed]),
            "item_formats": dict(sorted(formats[ed].items())),
            "notes_pages": len(pages[DLG.NotesPage][ed]),
            "week_pages": len(pages[DLG.WeekPage][ed]),
            "languages": _languages(langs[ed]),
            "site_languages": _languages(site_langs[ed]),
            "videos": len(videos),
            "mentioned_videos": len(mentioned_videos(g, sections[ed])),
            "clips": len(clips),
            "slides": _linked(g, items[ed], DLG.slides),
            "notebooks": _linked(g, items[ed], DLG.notebook),
            "people": len({g.value(r, DLG.person) for r in members & roles}),
            "readings": len(_readings(g, members & citations)),
            "documents": len(members & documents),
            **_repository_counts(g, ed),
        }
    return {"triples": len(g), "editions": out}


def mentioned_videos(g: Graph, holders) -> set[str]:
    """YouTube IDs of the videos ``holders`` (sections) mention that are no recording."""
    out = set()
    for holder in holders:
        for node in g.objects(holder, SDO.mentions):
            if (node, DLG.courseRecording, Literal(False)) in g:
                out.add(str(g.value(node, SDO.identifier)))
    return out


def _repository_counts(g: Graph, ed: URIRef) -> dict:
    """What the edition's repository gave: transcripts by language, passages, files read."""
    langs: dict[str, int] = defaultdict(int)
    passages = notebooks = slides = 0
    for node in g.subjects(DLG.edition, ed):
        if (node, RDF.type, DLG.Transcript) in g:
            langs[str(g.value(node, SDO.inLanguage) or "")] += 1
            passages += sum(1 for _ in g.objects(node, SDO.hasPart))
        elif (node, SDO.hasPart, None) in g:
            if (node, RDF.type, SDO.SoftwareSourceCode) in g:
                notebooks += 1
            elif (node, RDF.type, SDO.PresentationDigitalDocument) in g:
                slides += 1
    return {
        "transcripts": {lang: langs[lang] for lang in _languages(set(langs))},
        "transcript_passages": passages,
        "notebooks_read": notebooks,
        "slides_read": slides,
        "repo_files_missing": sum(1 for _ in g.objects(ed, DLG.missingFile)),
    }


def _linked(g: Graph, items: set, pred: URIRef) -> int:
    return len({node for item in items for node in g.objects(item, pred)})


def _readings(g: Graph, citations: set) -> set:
    """Works cited in an edition: through its ``dlg:Citation`` nodes."""
    return {r for c in citations if (r := g.value(c, DLG.reading)) is not None}


def format_stats(stats: dict) -> str:
    """The human table of :func:`graph_stats`: one row per kind, one column per edition."""
    codes = list(stats["editions"])
    rows = [("", *codes)]
    for key in KEYS:
        cells = []
        for code in codes:
            value = stats["editions"][code][key]
            if isinstance(value, dict):
                value = " ".join(f"{k}:{v}" for k, v in value.items()) or "0"
            cells.append(" ".join(value) if isinstance(value, list) else str(value))
        rows.append((key, *cells))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join([*lines, f"triples  {stats['triples']}"])
