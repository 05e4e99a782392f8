"""What the readings and resource rows look up in the graph: the editions (their order,
their courses), English labels, and the ``edition``/``topic``/``lecture`` filters resolved
to nodes, with the one-line :class:`UnknownFilter` when the graph does not know one.

Shared by :mod:`dlgraph.bibliography` and :mod:`dlgraph.resource_rows`, which both build
rows of the same shape.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from dlgraph.topics import descendants, find_topic, topics_of
from dlgraph.vocab import DCTERMS, DLG, RDF, SDO, SKOS, lecture_iri


class UnknownFilter(ValueError):
    """An edition, topic or lecture the graph does not know (the message is one line)."""


def node_text(g: Graph, node, *preds) -> str | None:
    """A node's label, English first."""
    values = [o for p in preds for o in g.objects(node, p) if isinstance(o, Literal)]
    if not values:
        return None
    values.sort(key=lambda o: (o.language not in ("en", None), str(o)))
    return str(values[0])


def node_label(g: Graph, node) -> str:
    """A node's name, preferred label or title (English first), else its IRI."""
    return node_text(g, node, SDO.name, SKOS.prefLabel, DCTERMS.title) or str(node)


def edition_nodes(g: Graph) -> dict[str, URIRef]:
    """Edition code → its ``schema:CourseInstance`` node."""
    return {str(code): ed for ed in g.subjects(RDF.type, SDO.CourseInstance)
            for code in g.objects(ed, SDO.identifier)}


def course_codes(g: Graph) -> dict[str, str]:
    """Edition code → the code of its course (``schema:courseCode`` of the Course it is of)."""
    out = {}
    for code, ed in edition_nodes(g).items():
        for course in g.subjects(SDO.hasCourseInstance, ed):
            value = g.value(course, SDO.courseCode)
            if value is not None:
                out[code] = str(value)
    return out


def courses_note(courses: list[str], note: str) -> str:
    """A note naming the courses that cite the work first: ``"<code> — <where>"``."""
    return f"{' / '.join(courses)} — {note}" if courses else note


def edition_order(g: Graph):
    """Sort key for edition codes: by year, spring before fall."""
    years = {}
    for code, ed in edition_nodes(g).items():
        year = g.value(ed, DLG.year)
        term = str(g.value(ed, DLG.term) or "")
        years[code] = (str(year or code), 0 if term.lower().startswith("spring") else 1)
    return lambda code: (years.get(code, (code, 2)), code)


def resolve_edition(g: Graph, edition: str) -> str:
    """The graph's spelling of edition code ``edition`` (any case), else :class:`UnknownFilter`."""
    known = edition_nodes(g)
    for code in known:
        if code.casefold() == edition.strip().casefold():
            return code
    raise UnknownFilter(f"unknown edition {edition!r} (known: {', '.join(sorted(known))})")


def resolve_topic(g: Graph, topic: str) -> set[URIRef]:
    """The topic ``topic`` names and its narrower topics (a reading on sparse coding is
    about energy-based models), resolved as ``search`` and ``path`` resolve it."""
    try:
        found = find_topic(g, topic)
    except LookupError as exc:  # its message names close matches (did-you-mean)
        raise UnknownFilter(str(exc.args[0] if exc.args else exc)) from None
    return set(descendants(topics_of(g), found)) | {found}


def resolve_lecture(g: Graph, lecture: str) -> URIRef:
    """The lecture item an IRI or ``EDITION/KEY`` names, else :class:`UnknownFilter`."""
    text = lecture.strip()
    candidates = [URIRef(text)]
    if "/" in text and not text.startswith(("http://", "https://")):
        ed, _, key = text.partition("/")  # "SP20/02-1" as a short form
        candidates.append(lecture_iri(ed.upper(), key))
    for node in candidates:
        if (node, RDF.type, SDO.LearningResource) in g:
            return node
    raise UnknownFilter(f"unknown lecture {lecture!r} (give a lecture IRI or EDITION/KEY)")


def as_int(value) -> int | None:
    """``int(value)``, or ``None`` for a missing or non-numeric value."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def edition_courses(course_of: dict[str, str], editions, order) -> list[str]:
    """The course codes of ``editions``, oldest edition first, each once."""
    return list(dict.fromkeys(course_of[e] for e in sorted(editions, key=order) if e in course_of))
