"""A graph's readings as plain rows: one per work, with every place that cites it.

:func:`readings_table` is what the exports, the CLI and the app show; it reads only the
graph (``add_readings`` and ``topics.tag_graph`` must have run). :func:`lecture_resources`
gives the same row shape for the slides and notebooks linked from lecture items, for
exports that include them. Citation keys come from :func:`cite_keys`, computed over the
whole graph so a reading keeps its key whatever filter selects it.

Where a citing place sits is :mod:`dlgraph.citing_places`; the graph lookups and filters
both row kinds share are :mod:`dlgraph.bibliography_lookups`; the resource rows live in
:mod:`dlgraph.resource_rows` (re-exported here).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection

from dlgraph.bibliography_lookups import (
    UnknownFilter,
    course_codes,
    courses_note,
    edition_courses,
    edition_nodes,
    edition_order,
    node_label,
    node_text,
    resolve_edition,
    resolve_lecture,
    resolve_topic,
)
from dlgraph.citing_places import CitingPlaces
from dlgraph.names import split_name
from dlgraph.resource_rows import lecture_resources, resource_keys
from dlgraph.vocab import BIBO, DCTERMS, DLG, RDF, SDO, slug

_STOP = {"a", "an", "the", "on", "of", "for", "in", "with", "to", "and", "is", "by", "via", "from"}
_KIND_OF_TYPE = ((BIBO.Book, "book"), (BIBO.AcademicArticle, "paper"))


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
    want_ed = resolve_edition(g, edition) if edition else None
    want_topic = resolve_topic(g, topic) if topic else None
    want_lecture = resolve_lecture(g, lecture) if lecture else None
    keys = cite_keys(g)
    places = CitingPlaces(g)
    order = edition_order(g)
    codes = {ed: code for code, ed in edition_nodes(g).items()}
    course_of = course_codes(g)
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


def _row(g: Graph, node, cites, places: CitingPlaces, codes, order, course_of) -> dict:
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
            lectures[str(lec)] = {"iri": str(lec), "title": node_label(g, lec),
                                  "edition": codes.get(g.value(lec, DLG.edition), code)}
        page = places.page(citing)
        if page is not None and citing != page:
            sections[str(citing)] = {"iri": str(citing), "title": node_label(g, citing), "page": str(page)}
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
        "topics": sorted({node_label(g, t) for t in own}),
        "context_topics": sorted({node_label(g, t) for t in topics - own} - {node_label(g, t) for t in own}),
        "contexts": contexts,
        "citations": len(cites),
        "courses": edition_courses(course_of, editions, order),
        "note": courses_note(edition_courses(course_of, editions, order), note) if note else "",
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
        return [node_label(g, lec) for lec in lecs]
    else:
        # A note is English: a translated page is named by the page it translates.
        named = page if page is not None else citing
        original = g.value(named, SDO.translationOfWork)
        place = node_label(g, original if original is not None and node_text(g, original, SDO.name) else named)
        place += f", {label}" if label is not None else ""
    return [place + (f" ({detail})" if detail is not None else "")]


__all__ = ["UnknownFilter", "cite_keys", "lecture_resources", "reading_authors", "readings_table",
           "resource_keys"]
