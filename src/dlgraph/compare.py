"""Compare editions: an aligned syllabus of two editions, or a topic × edition timeline.

The timeline is :mod:`dlgraph.topic_timeline` (re-exported here); what a comparison may name is
:mod:`dlgraph.compare_check`.

Both read the lineage links ``dlgraph.lineage`` stored in the graph, so a comparison is a
function of the graph alone. Rows of :func:`compare_editions` are *alignment units*:

* ``same-recording``: items of A and B joined by ``dlg:sameRecordingAs`` (all items sharing
  those videos, e.g. SP20's lecture parts A and B and the SP21 item that re-uses them);
* ``re-recorded``: items joined by ``dlg:reRecordingOf`` where at least one side is not
  already a same recording (so an older item can head a same-recording row and also appear
  in the row of the newer item that re-records its subject). Lineage stores links that
  follow through a chain too (FL22 08 re-uses SP21's recording, which re-records SP20 03-3),
  so comparing editions two apart needs nothing more;
* ``new``: one item of B with no link to A; ``dropped``: one item of A with no link to B;
* ``not-listed``: one item of either side with no link to the other, when the other edition's
  site lists only part of its syllabus (see :func:`dlgraph.listing.partial_listing`): its absence says
  nothing about whether it was taught, so it is neither new nor dropped.

Rows are grouped by topic: each row's topic is the top concept of the scheme its items'
titles score highest on (then their headings, as a tie-break). The construction is
symmetric, so ``compare_editions(g, b, a)`` has the same same-recording and re-recorded rows,
with new and dropped swapped.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import count

from rdflib import Graph, URIRef

from dlgraph import topics as topics_mod
from dlgraph.analyses import components
from dlgraph.compare_check import CompareError, check_codes
from dlgraph.lineage import edition_items, item_dict, videos
from dlgraph.lineage_evidence import link_evidence, similarity
from dlgraph.listing import partial_listing, tell_apart
from dlgraph.topic_timeline import HOURS_NOTE, timeline
from dlgraph.vocab import DLG, SDO, topic_iri

#: Resource predicates whose nodes count as resources added or removed.
RESOURCE_KINDS = {DLG.slides: "slides", DLG.notebook: "notebook", DLG.notes: "notes"}
STATUSES = ("same-recording", "re-recorded", "new", "dropped", "not-listed")
_LOGISTICS = topic_iri("course-organisation")


# -- items -------------------------------------------------------------------------------


def _resources(g: Graph, items) -> dict[URIRef, tuple[str, str]]:
    out = {}
    for item in items:
        for pred, kind in RESOURCE_KINDS.items():
            for node in g.objects(item, pred):
                out[node] = (kind, str(g.value(node, SDO.url) or node))
    return out


def _resource_diff(g: Graph, a_items, b_items) -> dict[str, list[dict]]:
    ra, rb = _resources(g, a_items), _resources(g, b_items)

    def listing(nodes):
        return sorted(
            ({"kind": (ra | rb)[n][0], "url": (ra | rb)[n][1]} for n in nodes),
            key=lambda d: (d["kind"], d["url"]),
        )

    return {"added": listing(set(rb) - set(ra)), "removed": listing(set(ra) - set(rb))}


# -- row topics --------------------------------------------------------------------------


def _row_topic(g: Graph, items, all_topics) -> URIRef | None:
    """The top concept the row's items score highest on, their titles first.

    A title names what the lecture is about; headings of its notes pages mention what it
    touches. So title scores rank first and all scores break ties ("Neural nets training" is
    about neural networks even when two headings mention classification). Logistics comes
    only as a last resort.
    """
    title: dict[URIRef, float] = defaultdict(float)
    total: dict[URIRef, float] = defaultdict(float)
    for item in items:
        for tag in g.objects(item, DLG.tag):
            topic = g.value(tag, DLG.topic)
            if topic in all_topics:
                top = topics_mod.top_concept(all_topics, topic)
                score = float(g.value(tag, DLG.score).toPython())
                total[top] += score
                if str(g.value(tag, DLG.matchedIn)) == "title":
                    title[top] += score
    if not total:
        return None
    return sorted(total, key=lambda t: (t == _LOGISTICS, -title[t], -total[t], str(t)))[0]


# -- compare two editions ----------------------------------------------------------------


def compare_editions(g: Graph, a: str, b: str) -> dict:
    """An aligned syllabus of editions ``a`` and ``b``, topic by topic.

    Parameters
    ----------
    g
        The complete graph (lineage included).
    a, b
        Edition codes, e.g. ``"SP21"`` and ``"FL22"`` (either order).

    Returns
    -------
    dict
        ``{"a", "b", "rows": [{"topic", "topic_iri", "status", "a": [items], "b": [items],
        "similarity", "evidence", "resources"}], "summary": {"same_recording",
        "re_recorded", "new", "dropped", "not_listed", "a_items", "b_items",
        "resources_added", "resources_removed"},
        "resources": {"added", "removed"}, "partial": {code: reason}}``. An item has
        ``iri``, ``title``, ``video`` (see :func:`item_dict`), ``key``, ``theme``
        (``{number, label}`` or ``None``) and ``label`` (the title, with theme and key added
        when another item of its edition has the same title). ``partial`` names each of
        ``a`` and ``b`` whose site lists only part of its syllabus (:func:`dlgraph.listing.partial_listing`);
        an unmatched item facing such an edition is ``not-listed``, not ``new`` or
        ``dropped``. ``similarity`` is the highest title similarity of a re-recorded
        row (``None`` otherwise) and ``evidence`` what its links rest on (``slides``,
        ``notebook``, ``title``, ``part``, ``chain``: see
        :func:`dlgraph.lineage.link_evidence`; empty otherwise); a row's ``resources`` lists
        slides, notebooks and notes its B items have and its A items lack (``added``) and the
        reverse (``removed``).

    Raises
    ------
    CompareError
        For an unknown edition or ``a == b``.
    """
    check_codes(g, [a, b])
    all_topics = topics_mod.topics_of(g)
    a_items, b_items = edition_items(g, a), edition_items(g, b)
    in_a, in_b = set(a_items), set(b_items)
    same_edges = [(x, y) for x in a_items for y in g.objects(x, DLG.sameRecordingAs) if y in in_b]
    # Items of one edition sharing a video belong to the same row as their partner.
    same_edges += _shared_video_edges(g, a_items) + _shared_video_edges(g, b_items)
    same_groups = [grp for grp in components(same_edges) if grp & in_a and grp & in_b]
    in_same = set().union(*same_groups) if same_groups else set()
    rerec_edges = []
    for x in a_items + b_items:
        for y in g.objects(x, DLG.reRecordingOf):
            pair = {x, y}
            if (x in in_a and y in in_b or x in in_b and y in in_a) and not pair <= in_same:
                rerec_edges.append((x, y))
    rerec_groups = components(rerec_edges)
    in_rerec = set().union(*rerec_groups) if rerec_groups else set()

    partial = {code: why for code in (a, b) if (why := partial_listing(g, code))}
    rows = []
    for grp in same_groups:
        rows.append(_row(g, "same-recording", grp, in_a, in_b, all_topics))
    for grp in rerec_groups:
        rows.append(_row(g, "re-recorded", grp, in_a, in_b, all_topics, rerec_edges))
    gone = "not-listed" if b in partial else "dropped"
    added = "not-listed" if a in partial else "new"
    for x in a_items:
        if x not in in_same and x not in in_rerec:
            rows.append(_row(g, gone, {x}, in_a, in_b, all_topics))
    for y in b_items:
        if y not in in_same and y not in in_rerec:
            rows.append(_row(g, added, {y}, in_a, in_b, all_topics))
    rows = _order_rows(rows)
    for row in rows:
        row.pop("_key", None)
    tell_apart(g, [i for row in rows for i in row["a"] + row["b"]])

    diff = _resource_diff(g, a_items, b_items)
    status_count = {s: sum(1 for r in rows if r["status"] == s) for s in STATUSES}
    return {
        "a": a,
        "b": b,
        "rows": rows,
        "summary": {
            "same_recording": status_count["same-recording"],
            "re_recorded": status_count["re-recorded"],
            "new": status_count["new"],
            "dropped": status_count["dropped"],
            "not_listed": status_count["not-listed"],
            "a_items": len(a_items),
            "b_items": len(b_items),
            "resources_added": len(diff["added"]),
            "resources_removed": len(diff["removed"]),
        },
        "resources": diff,
        "partial": partial,
    }


def _shared_video_edges(g: Graph, items: list[URIRef]) -> list[tuple[URIRef, URIRef]]:
    by_video = defaultdict(list)
    for i in items:
        for v in videos(g, i):
            by_video[v].append(i)
    return [(m[0], x) for m in by_video.values() for x in m[1:]]


def _row(g, status, group, in_a, in_b, all_topics, rerec_edges=()) -> dict:
    a_side = sorted((i for i in group if i in in_a), key=lambda i: _pos(g, i))
    b_side = sorted((i for i in group if i in in_b), key=lambda i: _pos(g, i))
    topic = _row_topic(g, a_side + b_side, all_topics)
    row = {
        "topic": all_topics[topic].label if topic in all_topics else None,
        "topic_iri": str(topic) if topic is not None else None,
        "status": status,
        "a": [item_dict(g, i, all_topics) for i in a_side],
        "b": [item_dict(g, i, all_topics) for i in b_side],
        "similarity": None,
        "evidence": [],
    }
    if status == "re-recorded":
        sims = [
            similarity(str(g.value(x, SDO.name)), str(g.value(y, SDO.name)))
            for x, y in rerec_edges
            if x in group and y in group
        ]
        row["similarity"] = round(max(sims), 2) if sims else None
        # Edges are stored newer → older, whichever side of the comparison is newer.
        row["evidence"] = sorted(
            {k for x, y in rerec_edges if x in group and y in group for k in link_evidence(g, x, y)}
        )
    if status in ("same-recording", "re-recorded"):
        row["resources"] = _resource_diff(g, a_side, b_side)
    else:
        row["resources"] = {"added": [], "removed": []}
    row["_key"] = (
        min((_pos(g, i) for i in a_side), default=None),
        min((_pos(g, i) for i in b_side), default=None),
    )
    return row


def _pos(g: Graph, item: URIRef) -> int:
    return int(g.value(item, SDO.position) or 0)


def _order_rows(rows: list[dict]) -> list[dict]:
    """Topics in order of first appearance in the syllabus (A's order, then B's), rows within."""

    def key(row):
        pa, pb = row["_key"]
        return (pa if pa is not None else 10_000 + (pb or 0), pb or 0)

    ordered = sorted(rows, key=key)
    first: dict[str | None, int] = {}
    for n, row in zip(count(), ordered, strict=False):
        first.setdefault(row["topic_iri"], n)
    return sorted(ordered, key=lambda r: (first[r["topic_iri"]], key(r)))


__all__ = ["HOURS_NOTE", "STATUSES", "CompareError", "compare_editions", "timeline"]
