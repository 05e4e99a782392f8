"""A graph's readings as plain rows: one per work, with every place that cites it.

:func:`readings_table` is what the exports, the CLI and the app show; it reads only the
graph (``add_readings`` and ``topics.tag_graph`` must have run). :func:`lecture_resources`
gives the same row shape for the slides and notebooks linked from lecture items, for
exports that include them. Citation keys come from :func:`cite_keys`, computed over the
whole graph so a reading keeps its key whatever filter selects it.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from urllib.parse import unquote

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection

from dlgraph.names import split_name
from dlgraph.topics import descendants, find_topic, topics_of
from dlgraph.vocab import (
    BIBO,
    DCTERMS,
    DLG,
    RDF,
    SDO,
    SKOS,
    TOPICS,
    lecture_iri,
    slug,
)


class UnknownFilter(ValueError):
    """An edition, topic or lecture the graph does not know (the message is one line)."""


_STOP = {"a", "an", "the", "on", "of", "for", "in", "with", "to", "and", "is", "by", "via", "from"}
_KIND_OF_TYPE = ((BIBO.Book, "book"), (BIBO.AcademicArticle, "paper"))


def _text(g: Graph, node, *preds) -> str | None:
    """A node's label, English first."""
    values = [o for p in preds for o in g.objects(node, p) if isinstance(o, Literal)]
    if not values:
        return None
    values.sort(key=lambda o: (o.language not in ("en", None), str(o)))
    return str(values[0])


def _label(g: Graph, node) -> str:
    return _text(g, node, SDO.name, SKOS.prefLabel, DCTERMS.title) or str(node)


def _editions(g: Graph) -> dict[str, URIRef]:
    return {str(code): ed for ed in g.subjects(RDF.type, SDO.CourseInstance)
            for code in g.objects(ed, SDO.identifier)}


def _course_codes(g: Graph) -> dict[str, str]:
    """Edition code → the code of its course (``schema:courseCode`` of the Course it is of)."""
    out = {}
    for code, ed in _editions(g).items():
        for course in g.subjects(SDO.hasCourseInstance, ed):
            value = g.value(course, SDO.courseCode)
            if value is not None:
                out[code] = str(value)
    return out


def _courses_note(courses: list[str], note: str) -> str:
    """A note naming the courses that cite the work first: ``"<code> — <where>"``."""
    return f"{' / '.join(courses)} — {note}" if courses else note


def _edition_order(g: Graph):
    """Sort key for edition codes: by year, spring before fall."""
    years = {}
    for code, ed in _editions(g).items():
        year = g.value(ed, DLG.year)
        term = str(g.value(ed, DLG.term) or "")
        years[code] = (str(year or code), 0 if term.lower().startswith("spring") else 1)
    return lambda code: (years.get(code, (code, 2)), code)


def _resolve_edition(g: Graph, edition: str) -> str:
    known = _editions(g)
    for code in known:
        if code.casefold() == edition.strip().casefold():
            return code
    raise UnknownFilter(f"unknown edition {edition!r} (known: {', '.join(sorted(known))})")


def _resolve_topic(g: Graph, topic: str) -> set[URIRef]:
    """The topic ``topic`` names and its narrower topics (a reading on sparse coding is
    about energy-based models), resolved as ``search`` and ``path`` resolve it."""
    try:
        found = find_topic(g, topic)
    except LookupError as exc:  # its message names close matches (did-you-mean)
        raise UnknownFilter(str(exc.args[0] if exc.args else exc)) from None
    return set(descendants(topics_of(g), found)) | {found}


def _resolve_lecture(g: Graph, lecture: str) -> URIRef:
    text = lecture.strip()
    candidates = [URIRef(text)]
    if "/" in text and not text.startswith(("http://", "https://")):
        ed, _, key = text.partition("/")  # "SP20/02-1" as a short form
        candidates.append(lecture_iri(ed.upper(), key))
    for node in candidates:
        if (node, RDF.type, SDO.LearningResource) in g:
            return node
    raise UnknownFilter(f"unknown lecture {lecture!r} (give a lecture IRI or EDITION/KEY)")


class _Places:
    """Resolves a citing entity to its page, lectures and topics (memoised)."""

    def __init__(self, g: Graph):
        self.g = g
        self._lectures: dict = {}
        self._by_week: dict | None = None  # (edition, week) → {part number: item}

    def page(self, citing) -> URIRef | None:
        g = self.g
        for t in (DLG.NotesPage, DLG.WeekPage):
            if (citing, RDF.type, t) in g:
                return citing
        parent = g.value(citing, SDO.isPartOf)
        if parent is not None and any((parent, RDF.type, t) in g for t in (DLG.NotesPage, DLG.WeekPage)):
            return parent
        return None

    def lectures(self, citing, reading=None) -> list[URIRef]:
        """The lecture items ``citing`` is about; ``reading`` (what it cites) lets a
        translated week-page section fall back on the original section citing it."""
        if citing not in self._lectures:
            self._lectures[citing] = self._own_lectures(citing)
        out = self._lectures[citing]
        if not out and reading is not None:
            out = self.original_lectures(citing, reading)
        return out

    def _own_lectures(self, citing) -> list[URIRef]:
        g = self.g
        if (citing, RDF.type, SDO.LearningResource) in g:
            return [citing]
        page = self.page(citing)
        out = sorted(set(g.objects(page, SDO.about))) if page is not None else []
        if page is not None and page != citing and (page, RDF.type, DLG.WeekPage) in g:
            out = self.week_part(page, citing)
        return out

    def original_lectures(self, section, reading) -> list[URIRef]:
        """The items the original page's sections citing ``reading`` map to.

        A translation may split or merge its original's sections, so its own outline says
        nothing; the page it translates, citing the same work, says which part it is.
        """
        g = self.g
        page = self.page(section)
        original = g.value(page, SDO.translationOfWork) if page is not None else None
        if original is None or section == page or (page, RDF.type, DLG.WeekPage) not in g:
            return []
        found = set()
        for twin in g.objects(original, SDO.hasPart):
            if (twin, SDO.citation, reading) in g:
                found.update(self.week_part(original, twin))
        return sorted(found)

    def week_part(self, page, section) -> list[URIRef]:
        """The item a week-page section summarises.

        SP20 week pages have one section per part, in order ("Lecture part A", "Lecture
        part B", "Practicum" for NN-1, NN-2, NN-3); map by position only when the counts
        agree, since other weeks group parts differently.
        """
        g = self.g
        if self._by_week is None:
            self._by_week = defaultdict(dict)
            for lec in g.subjects(RDF.type, SDO.LearningResource):
                for notes in g.objects(lec, DLG.notesPage):
                    part = str(g.value(notes, DLG.part) or notes.rstrip("/").rsplit("/", 1)[-1])
                    m = re.match(r"^(\d+)-(\d+)$", part)
                    if m:
                        key = (g.value(lec, DLG.edition), int(m.group(1)))
                        self._by_week[key][int(m.group(2))] = lec
        items = self._by_week.get((g.value(page, DLG.edition), _int(g.value(page, DLG.week))), {})
        sections = list(g.objects(page, SDO.hasPart))
        position = _int(g.value(section, SDO.position))
        if len(sections) == len(items) and position in items:
            return [items[position]]
        # Translations keep their original's headings as empty ones (an HTML comment under
        # an <h2>): only sections with a heading or text count.
        content = sorted((s for s in sections if _has_content(g, s)),
                         key=lambda s: _int(g.value(s, SDO.position)) or 0)
        if len(content) == len(items) and section in content and sorted(items) == list(
            range(1, len(items) + 1)
        ):
            return [items[content.index(section) + 1]]
        return []


def _has_content(g: Graph, section) -> bool:
    return any(str(o).strip() for p in (SDO.name, SDO.text) for o in g.objects(section, p))


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def reading_authors(g: Graph, node) -> list[str]:
    """A reading's author names in order (its ``bibo:authorList``), ``[]`` when unknown."""
    head = g.value(node, BIBO.authorList)
    return [str(n) for n in Collection(g, head)] if head is not None else []


_authors = reading_authors


def _year(g: Graph, node) -> int | None:
    value = g.value(node, DCTERMS.issued)
    m = re.match(r"\d{4}", str(value)) if value is not None else None
    return int(m.group()) if m else None


def cite_keys(g: Graph) -> dict[URIRef, str]:
    """A stable, unique BibTeX key per reading: ``hochreiter1997long``-style.

    First author's last name, year and first significant title word; readings that would
    share a key all get a short suffix from their IRI, so keys never depend on order.
    """
    base = {}
    for node in set(g.subjects(RDF.type, BIBO.Document)):
        authors = _authors(g, node)
        # The family name as a reference manager reads it: "Le Cun" → lecun, not "cun".
        last = slug(split_name(authors[0]).family).replace("-", "") if authors else ""
        words = [w for w in slug(str(g.value(node, DCTERMS.title) or "")).split("-") if w not in _STOP]
        year = _year(g, node)
        word = words[0] if words else ""
        # Scholar-style "hochreiter1997long"; without an author, "attention2017".
        key = f"{last}{year or ''}{word}" if last else f"{word}{year or ''}"
        base[node] = re.sub(r"[^a-z0-9]", "", key) or "reading"
    counts = defaultdict(int)
    for key in base.values():
        counts[key] += 1
    return {
        node: key if counts[key] == 1 else f"{key}{hashlib.sha1(str(node).encode()).hexdigest()[:4]}"
        for node, key in base.items()
    }


def _kind(g: Graph, node) -> str:
    for t, kind in _KIND_OF_TYPE:
        if (node, RDF.type, t) in g:
            return kind
    return "other"


def readings_table(
    g: Graph, edition: str | None = None, topic: str | None = None, lecture: str | None = None
) -> list[dict]:
    """One row per reading, sorted by title: what it is and everything that cites it.

    Parameters
    ----------
    g
        A graph after ``add_readings`` (and ``topics.tag_graph`` for topics).
    edition, topic, lecture
        Keep readings cited in this edition (``"SP20"``), about this topic (slug or label,
        resolved by :func:`dlgraph.topics.find_topic` like ``search`` and ``path``; its
        narrower topics count too), or cited by this lecture item (IRI or ``EDITION/KEY``).
        A reading is about a topic when it is tagged with it, or the place citing it is:
        the notes section (or page) around the link, or the lecture a reading list lists
        it for. A lecture's other topics do not spread to every link in its notes. A
        row's ``topics`` are the reading's own tags, ``context_topics`` those of the
        places citing it (the reason a topic filter keeps it).

    Returns
    -------
    list of dict
        Keys: ``iri``, ``key``, ``title``, ``authors``, ``et_al``, ``year``, ``kind``
        (``paper``/``book``/``other``), ``url``, ``arxiv``, ``doi``, ``isbn``,
        ``editions``, ``lectures`` (``iri``, ``title``, ``edition``), ``sections``
        (``iri``, ``title``, ``page``), ``listed_for``, ``details``, ``topics``,
        ``context_topics``, ``contexts``, ``citations`` (count) and ``note`` (one line
        saying who cites it).

    Raises
    ------
    UnknownFilter
        When the edition, topic or lecture is not in the graph.
    """
    want_ed = _resolve_edition(g, edition) if edition else None
    want_topic = _resolve_topic(g, topic) if topic else None
    want_lecture = _resolve_lecture(g, lecture) if lecture else None
    keys = cite_keys(g)
    places = _Places(g)
    order = _edition_order(g)
    codes = {ed: code for code, ed in _editions(g).items()}
    course_of = _course_codes(g)
    rows = []
    for node in sorted(set(g.subjects(RDF.type, BIBO.Document))):
        # General list entries first, then per-lecture ones, then the rest by IRI.
        cites = sorted(set(g.subjects(DLG.reading, node)),
                       key=lambda c: (str(g.value(c, DLG.readingFor) or ""), str(c)))
        row = _row(g, node, cites, places, codes, order, course_of)
        row["key"] = keys[node]
        if want_ed and want_ed not in row["editions"]:
            continue
        if want_lecture and str(want_lecture) not in {lec["iri"] for lec in row["lectures"]}:
            continue
        if want_topic and not {str(t) for t in want_topic} & row["_topic_iris"]:
            continue
        rows.append(row)
    for row in rows:
        del row["_topic_iris"]
    rows.sort(key=lambda r: (r["title"].casefold(), r["iri"]))
    return rows


def _courses(course_of: dict[str, str], editions, order) -> list[str]:
    return list(dict.fromkeys(course_of[e] for e in sorted(editions, key=order) if e in course_of))


def _row(g: Graph, node, cites, places: _Places, codes, order, course_of) -> dict:
    editions, lectures, sections, listed, details, contexts = set(), {}, {}, [], [], []
    own = {o for o in g.objects(node, DCTERMS.subject) if isinstance(o, URIRef)}
    topics = set(own)  # for filtering: the reading's topics and those of where it is cited
    where: dict[str, list[str]] = defaultdict(list)
    for c in cites:
        code = codes.get(g.value(c, DLG.edition), "")
        editions.add(code)
        citing = g.value(c, DLG.citedIn)
        lecs = places.lectures(citing, node)
        for lec in lecs:
            lectures[str(lec)] = {"iri": str(lec), "title": _label(g, lec),
                                  "edition": codes.get(g.value(lec, DLG.edition), code)}
        page = places.page(citing)
        if page is not None and citing != page:
            sections[str(citing)] = {"iri": str(citing), "title": _label(g, citing), "page": str(page)}
        # The citing place's own topics: the section or page around the link; a reading
        # list entry (no page) is about what the lecture it is listed for is about.
        context = [citing] if page is not None else lecs or [citing]
        topics.update(o for x in context for o in g.objects(x, DCTERMS.subject)
                      if isinstance(o, URIRef))
        label = g.value(c, DLG.readingFor)
        detail = g.value(c, BIBO.chapter)
        if label is not None and str(label) not in listed:
            listed.append(str(label))
        if detail is not None and str(detail) not in details:
            details.append(str(detail))
        context = g.value(c, DLG.context)
        if context is not None and str(context) not in contexts:
            contexts.append(str(context))
        where[code].extend(_places_named(g, citing, lecs, page, label, detail, context))
    written = [str(o) for o in g.objects(node, DCTERMS.bibliographicCitation)]
    arxiv, doi, isbn = (g.value(node, p) for p in (DLG.arxivId, BIBO.doi, BIBO.isbn))
    note = "; ".join(
        f"{code}: {', '.join(dict.fromkeys(where[code]))}" for code in sorted(where, key=order)
    )
    return {
        "iri": str(node),
        "key": "",
        "title": str(g.value(node, DCTERMS.title) or ""),
        "authors": _authors(g, node),
        "et_al": any(re.search(r"\bet\.?\s*al\b", w, re.I) for w in written),
        "year": _year(g, node),
        "kind": _kind(g, node),
        "url": str(g.value(node, SDO.url) or ""),
        "arxiv": str(arxiv) if arxiv else None,
        "doi": str(doi) if doi else None,
        "isbn": str(isbn) if isbn else None,
        "editions": sorted(editions, key=order),
        "lectures": sorted(lectures.values(), key=lambda x: (order(x["edition"]), x["iri"])),
        "sections": sorted(sections.values(), key=lambda x: x["iri"]),
        "listed_for": listed,
        "details": details,
        "topics": sorted({_label(g, t) for t in own}),
        "context_topics": sorted({_label(g, t) for t in topics - own} - {_label(g, t) for t in own}),
        "contexts": contexts,
        "citations": len(cites),
        "courses": _courses(course_of, editions, order),
        "note": _courses_note(_courses(course_of, editions, order), note) if note else "",
        "_topic_iris": {str(t) for t in topics},
    }


def _places_named(g: Graph, citing, lecs, page, label, detail, context=None) -> list[str]:
    """How a note names one citing place: its lectures, the reading list, the page."""
    if (citing, DLG.documentKind, Literal("course-page")) in g:
        # A list entry's context is its qualifier ("Optionally - … Section 6.5").
        optional = context is not None and re.match(r"optional", str(context), re.I)
        kind = "optional reading" if optional else "reading"
        place = f"{kind} for {label}" if label is not None else "general readings"
    elif lecs:
        return [_label(g, lec) for lec in lecs]
    else:
        # A note is English: a translated page is named by the page it translates.
        named = page if page is not None else citing
        original = g.value(named, SDO.translationOfWork)
        place = _label(g, original if original is not None and _text(g, original, SDO.name) else named)
        place += f", {label}" if label is not None else ""
    return [place + (f" ({detail})" if detail is not None else "")]


_RESOURCE_PREDICATES = {"slides": DLG.slides, "notebook": DLG.notebook}


def _resource_lectures(g: Graph, kinds: tuple[str, ...]) -> dict:
    """Every slide deck and notebook of the graph: its kind and the lecture items showing it."""
    found: dict = {}
    for kind in kinds:
        for lec, res in g.subject_objects(_RESOURCE_PREDICATES[kind]):
            if (lec, RDF.type, SDO.LearningResource) in g:
                found.setdefault(res, {"kind": kind, "lectures": set()})["lectures"].add(lec)
    return found


def resource_keys(g: Graph, kinds: tuple[str, ...] = ("slides", "notebook")) -> dict[URIRef, str]:
    """A citation key per slide deck and notebook, computed over the whole graph.

    Like :func:`cite_keys`, a key depends on the work (its kind and its first lecture
    across every edition), never on which filter selected it; keys that would clash all
    get a short suffix from the resource IRI.
    """
    order = _edition_order(g)
    codes = {ed: code for code, ed in _editions(g).items()}
    base = {}
    for res, entry in _resource_lectures(g, kinds).items():
        first = min(entry["lectures"], key=lambda lec: (order(codes.get(g.value(lec, DLG.edition), "")),
                                                       str(lec)))
        base[res] = f"{entry['kind']}{slug(_label(g, first)).replace('-', '')[:24]}"
    counts = defaultdict(int)
    for key in base.values():
        counts[key] += 1
    return {res: key if counts[key] == 1 else f"{key}{hashlib.sha1(str(res).encode()).hexdigest()[:4]}"
            for res, key in base.items()}


def _people_of(g: Graph, nodes, pred) -> list[str]:
    names = []
    for node in nodes:
        for person in sorted(g.objects(node, pred)):
            name = _text(g, person, SDO.name)
            if name and name not in names:
                names.append(name)
    return names


def lecture_resources(
    g: Graph,
    edition: str | None = None,
    topic: str | None = None,
    lecture: str | None = None,
    kinds: tuple[str, ...] = ("slides", "notebook"),
) -> list[dict]:
    """The slides and notebooks of the selected lecture items, in :func:`readings_table` rows.

    One row per resource (a notebook shared by SP20 and SP21 is one row listing both
    lectures). Filters select lecture items: of an edition, tagged with a topic, or one item.
    A row describes the whole work whatever the filter: its key, title, lectures and note
    are the same in every export. Its authors are the lecturers of its lecture items, else
    the instructors of their editions; its year is that of its first edition.
    """
    want_ed = _resolve_edition(g, edition) if edition else None
    want_topic = _resolve_topic(g, topic) if topic else None
    want_lecture = _resolve_lecture(g, lecture) if lecture else None
    codes = {ed: code for code, ed in _editions(g).items()}
    course_of = _course_codes(g)
    order = _edition_order(g)
    keys = resource_keys(g, kinds)

    def selected(lec) -> bool:
        code = codes.get(g.value(lec, DLG.edition), "")
        if want_ed and code != want_ed or want_lecture and lec != want_lecture:
            return False
        return not (want_topic and not want_topic & set(g.objects(lec, DCTERMS.subject)))

    rows = []
    for res, entry in sorted(_resource_lectures(g, kinds).items()):
        if not any(selected(lec) for lec in entry["lectures"]):
            continue
        lecs = sorted(({"iri": str(lec), "title": _label(g, lec),
                        "edition": codes.get(g.value(lec, DLG.edition), "")}
                       for lec in entry["lectures"]), key=lambda x: (order(x["edition"]), x["iri"]))
        url = str(g.value(res, SDO.url) or res)
        name = url.rsplit("/", 1)[-1] if "github.com" in url else ""
        first = lecs[0]["title"]
        title = f"{entry['kind'].capitalize()}: {first}" + (f" ({unquote(name)})" if name else "")
        editions = sorted({x["edition"] for x in lecs}, key=order)
        note = "; ".join(
            f"{code}: {', '.join(x['title'] for x in lecs if x['edition'] == code)}" for code in editions
        )
        items = sorted(entry["lectures"], key=lambda lec: (order(codes.get(g.value(lec, DLG.edition), "")),
                                                          str(lec)))
        eds = [e for e in (g.value(lec, DLG.edition) for lec in items) if e is not None]
        authors = _people_of(g, items, DLG.lecturer) or _people_of(g, dict.fromkeys(eds),
                                                                   SDO.instructor)
        year = _int(str(g.value(eds[0], DLG.year) or "")[:4]) if eds else None
        rows.append({
            "iri": str(res), "key": keys[res], "title": title, "authors": authors, "et_al": False,
            "year": year, "kind": entry["kind"], "url": url, "arxiv": None, "doi": None,
            "isbn": None, "editions": editions, "lectures": lecs, "sections": [],
            "listed_for": [], "details": [], "topics": [],
            "context_topics": sorted({_label(g, t) for lec in items
                                      for t in g.objects(lec, DCTERMS.subject)
                                      if isinstance(t, URIRef) and str(t).startswith(str(TOPICS))}),
            "contexts": [], "citations": len(lecs), "courses": _courses(course_of, editions, order),
            "note": _courses_note(_courses(course_of, editions, order), note),
        })
    return rows


__all__ = ["UnknownFilter", "cite_keys", "lecture_resources", "reading_authors", "readings_table",
           "resource_keys"]
