"""The topic × edition timeline: how much of each topic every edition covers.

Counts lecture items, distinct videos and readings per topic (the scheme's top concepts, or
every concept with its narrower ones rolled in), from the topics ``dlgraph.topics`` tagged.
``dlgraph.compare`` re-exports :func:`timeline` beside the aligned syllabus.
"""

from __future__ import annotations

from rdflib import Graph, URIRef

from dlgraph import topics as topics_mod
from dlgraph.compare_check import CompareError, check_codes
from dlgraph.lineage import edition_items, videos
from dlgraph.vocab import DCTERMS, DLG, RDF, SDO

HOURS_NOTE = (
    "The course pages give no video durations, so hours are unknown (null) rather than guessed."
)


def timeline(g: Graph, codes: list[str], level: str = "top") -> dict:
    """A topic × edition matrix: items, distinct videos, hours (unknown) and readings.

    Parameters
    ----------
    g
        The complete graph.
    codes
        Edition codes, in the order the columns should have.
    level
        ``"top"`` for the scheme's top concepts (narrower topics rolled up), ``"all"`` for
        every concept (each counting items tagged with it or anything narrower).

    Returns
    -------
    dict
        ``{"editions", "level", "hours_known": false, "hours_note", "notes", "topics":
        [{"topic", "slug", "iri", "depth", "cells": {edition: {"items", "videos", "hours",
        "readings", "lecture_readings"}}}], "totals": {edition: {...}}}``. ``hours`` is
        ``None`` throughout: the sources give no durations. ``readings`` counts the
        edition's readings on the topic; ``lecture_readings`` the lectures it lists readings
        for whose label names the topic (FL23's class page lists two, and no lecture items).
        ``notes`` explains, per edition without lecture items, why its columns are 0.
    """
    check_codes(g, codes)
    if level not in ("top", "all"):
        raise CompareError(f"level must be 'top' or 'all', not {level!r}")
    all_topics = topics_mod.topics_of(g)
    if level == "top":
        rows = [t for t in all_topics.values() if not t.broader]
    else:
        rows = list(all_topics.values())
    items = {code: edition_items(g, code) for code in codes}
    cited = _citations(g)
    readings = {code: _edition_readings(g, cited.get(code, ())) for code in codes}
    listed = {code: _lecture_readings(g, cited.get(code, ())) for code in codes}
    reach: dict[URIRef, set[URIRef]] = {
        t: set(topics_mod.descendants(all_topics, t)) for t in all_topics
    }
    # Each item's and reading's topics and videos, read once: every row asks them again.
    subjects = {n: set(g.objects(n, DCTERMS.subject))
                for nodes in (*items.values(), *readings.values()) for n in nodes}
    seen = {i: videos(g, i) for code in codes for i in items[code]}
    out_rows = []
    for t in sorted(rows, key=lambda t: _syllabus_key(subjects, t.iri, items, reach, codes)):
        cells = {}
        for code in codes:
            hit = [i for i in items[code] if subjects[i] & reach[t.iri]]
            vids = set().union(*(seen[i] for i in hit)) if hit else set()
            rd = [r for r in readings[code] if subjects[r] & reach[t.iri]]
            cells[code] = {
                "items": len(hit),
                "videos": len(vids),
                "hours": None,
                "readings": len(rd),
                "lecture_readings": sum(1 for ts in listed[code].values() if ts & reach[t.iri]),
            }
        out_rows.append(
            {
                "topic": t.label,
                "slug": t.slug,
                "iri": str(t.iri),
                "depth": len(topics_mod.ancestors(all_topics, t.iri)) - 1,
                "cells": cells,
            }
        )
    totals = {}
    for code in codes:
        vids = set().union(*(seen[i] for i in items[code])) if items[code] else set()
        totals[code] = {
            "items": len(items[code]),
            "videos": len(vids),
            "hours": None,
            "readings": len(readings[code]),
            "lecture_readings": len(listed[code]),
        }
    notes = {
        code: _no_lectures_note(code, readings[code], listed[code])
        for code in codes
        if not items[code]
    }
    return {
        "editions": list(codes),
        "level": level,
        "hours_known": False,
        "hours_note": HOURS_NOTE,
        "notes": notes,
        "topics": out_rows,
        "totals": totals,
    }


def _citations(g: Graph) -> dict[str, list]:
    """Every citation node by the code of its edition (one pass for all the columns)."""
    codes: dict = {}
    out: dict[str, list] = {}
    for cite in g.subjects(RDF.type, DLG.Citation):
        ed = g.value(cite, DLG.edition)
        if ed is None:
            continue
        if ed not in codes:
            codes[ed] = str(g.value(ed, SDO.identifier))
        out.setdefault(codes[ed], []).append(cite)
    return out


def _edition_readings(g: Graph, cites) -> set[URIRef]:
    out = set()
    for cite in cites:
        reading = g.value(cite, DLG.reading)
        if reading is not None:
            out.add(reading)
    return out


def _lecture_readings(g: Graph, cites) -> dict[str, set[URIRef]]:
    """An edition's per-lecture reading labels ("Backpropagation") → the topics each names.

    A label is tagged like a heading (one label match is enough), the rule that already
    counts it for the readings listed under it.
    """
    labels = set()
    for cite in cites:
        labels.update(str(x) for x in g.objects(cite, DLG.readingFor))
    return {label: set(topics_mod.score_fields({"heading": [label]})) for label in sorted(labels)}


def _no_lectures_note(code: str, readings: set, listed: dict[str, set]) -> str:
    """Why an edition's column has no items: the sources list no lectures for it."""
    note = (
        f"{code}: the sources list no lecture items (only a class page), so its items and "
        f"videos are 0 by absence of a syllabus, not of teaching; no lectures are guessed."
    )
    if readings:
        note += f" Its {len(readings)} readings are counted under readings"
        if listed:
            names = ", ".join(f"“{label}”" for label in listed)
            note += (
                f", and the {len(listed)} lectures it lists readings for ({names}) under"
                " lecture_readings"
            )
        note += "."
    return note


def _syllabus_key(subjects, topic, items, reach, codes) -> tuple:
    """Where a topic first appears: earliest relative position over the compared editions."""
    best = 2.0
    for code in codes:
        n = len(items[code]) or 1
        for k, i in enumerate(items[code]):
            if subjects[i] & reach[topic]:
                best = min(best, k / n)
                break
    return (best, str(topic))


__all__ = ["HOURS_NOTE", "timeline"]
