"""Slide decks and notebooks as bibliography rows (:func:`lecture_resources`), in the
shape of :func:`dlgraph.bibliography.readings_table`, with their own stable keys."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from urllib.parse import unquote

from rdflib import Graph, URIRef

from dlgraph.bibliography_lookups import (
    as_int,
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
from dlgraph.vocab import DCTERMS, DLG, RDF, SDO, TOPICS, slug

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
    order = edition_order(g)
    codes = {ed: code for code, ed in edition_nodes(g).items()}
    base = {}
    for res, entry in _resource_lectures(g, kinds).items():
        first = min(entry["lectures"], key=lambda lec: (order(codes.get(g.value(lec, DLG.edition), "")),
                                                       str(lec)))
        base[res] = f"{entry['kind']}{slug(node_label(g, first)).replace('-', '')[:24]}"
    counts = defaultdict(int)
    for key in base.values():
        counts[key] += 1
    return {res: key if counts[key] == 1 else f"{key}{hashlib.sha1(str(res).encode()).hexdigest()[:4]}"
            for res, key in base.items()}


def _people_of(g: Graph, nodes, pred) -> list[str]:
    names = []
    for node in nodes:
        for person in sorted(g.objects(node, pred)):
            name = node_text(g, person, SDO.name)
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
    want_ed = resolve_edition(g, edition) if edition else None
    want_topic = resolve_topic(g, topic) if topic else None
    want_lecture = resolve_lecture(g, lecture) if lecture else None
    codes = {ed: code for code, ed in edition_nodes(g).items()}
    course_of = course_codes(g)
    order = edition_order(g)
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
        lecs = sorted(({"iri": str(lec), "title": node_label(g, lec),
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
        year = as_int(str(g.value(eds[0], DLG.year) or "")[:4]) if eds else None
        rows.append({
            "iri": str(res), "key": keys[res], "title": title, "authors": authors, "et_al": False,
            "year": year, "kind": entry["kind"], "url": url, "arxiv": None, "doi": None,
            "isbn": None, "editions": editions, "lectures": lecs, "sections": [],
            "listed_for": [], "details": [], "topics": [],
            "context_topics": sorted({node_label(g, t) for lec in items
                                      for t in g.objects(lec, DCTERMS.subject)
                                      if isinstance(t, URIRef) and str(t).startswith(str(TOPICS))}),
            "contexts": [], "citations": len(lecs), "courses": edition_courses(course_of, editions, order),
            "note": courses_note(edition_courses(course_of, editions, order), note),
        })
    return rows
