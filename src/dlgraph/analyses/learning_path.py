"""Which lectures to watch for a topic across editions, each recording once."""

from __future__ import annotations

from collections import defaultdict

from rdflib import Graph, URIRef

from dlgraph import topics as topics_mod
from dlgraph.graphs import components, edition_items, editions, item_dict, videos
from dlgraph.vocab import DLG, RDF, SDO


def learning_path(g: Graph, topic: str | URIRef, min_score: float | None = None) -> list[dict]:
    """Which lectures to watch for ``topic``, across editions, each recording once.

    The rule: take every recorded lecture item whose tags on the topic (or narrower ones)
    score at least ``min_score`` in total (by default 1.0: the title names it, or two notes
    headings do; a passing mention in one heading is not enough, unless no item reaches
    1.0, as for narrow topics such as dropout); walk them newest edition first;
    keep an item unless one of its videos is already kept or a kept item of a newer edition
    is in its lineage: the group of items connected by ``dlg:reRecordingOf`` and
    ``dlg:sameRecordingAs`` links, followed any number of steps. The kept
    items are then ordered by where they sit in their own edition's syllabus (relative
    position: 0 = first item, 1 = last).

    Parameters
    ----------
    g
        The complete graph (topics and lineage included).
    topic
        A topic IRI, slug, prefLabel or altLabel.
    min_score
        Smallest summed tag score on the topic for an item to count (default: see above).

    Returns
    -------
    list of dict
        One dict per lecture: the item fields of :func:`dlgraph.lineage.item_dict` plus
        ``step`` (1-based), ``relative_position``, ``score``, ``matched`` (the topics that
        put it on the path) and ``replaces`` (older items of its lineage skipped for it).

    Raises
    ------
    LookupError
        When ``topic`` names no topic.
    """
    all_topics = topics_mod.topics_of(g)
    by_iri = {str(t): t for t in all_topics}
    t = by_iri.get(str(topic)) or topics_mod.find_topic(g, str(topic))
    reach = set(topics_mod.descendants(all_topics, t))
    order = editions(g)
    scored = []
    for code in order:
        its = edition_items(g, code)
        for k, item in enumerate(its):
            if (item, RDF.type, DLG.Homework) in g or not videos(g, item):
                continue
            score, matched = _score_on(g, item, reach)
            if matched:
                scored.append((order.index(code), k / max(len(its) - 1, 1), item, matched, score))
    if min_score is None:
        strong = [x for x in scored if x[4] >= 1.0 - 1e-9]
        items = strong or scored
    else:
        items = [x for x in scored if x[4] >= min_score - 1e-9]
    candidates = {x[2] for x in items}
    lineage = _lineage_groups(g)
    rank = {code: n for n, code in enumerate(order)}
    kept, seen_videos, superseded = [], set(), {}
    for _, rel, item, matched, score in sorted(items, key=lambda x: (-x[0], x[1])):
        vids = videos(g, item)
        if vids & seen_videos or item in superseded:
            continue
        kept.append((rel, item, matched, score))
        seen_videos |= vids
        # The whole lineage is replaced, not only the items this one links directly: FL22 08
        # re-uses SP21's recording, which re-records SP20's.
        here = rank.get(_code(g, item), -1)
        for older in lineage.get(item, {item}) - {item}:
            if rank.get(_code(g, older), -1) < here:
                superseded.setdefault(older, item)
    replaced = defaultdict(list)
    for older, newer in superseded.items():
        replaced[newer].append(older)
    out = []
    for step, (rel, item, matched, score) in enumerate(
        sorted(kept, key=lambda x: (x[0], str(x[1]))), 1
    ):
        d = item_dict(g, item, all_topics)
        d["step"] = step
        d["relative_position"] = round(rel, 3)
        d["score"] = round(score, 2)
        d["matched"] = sorted(all_topics[m].slug for m in matched)
        d["replaces"] = [
            {"iri": str(o), "title": str(g.value(o, SDO.name) or ""), "edition": _code(g, o)}
            for o in sorted(replaced.get(item, []), key=str)
            if o in candidates
        ]
        out.append(d)
    return out


def _lineage_groups(g: Graph) -> dict[URIRef, set[URIRef]]:
    """Each linked item → its connected group over same-recording and re-recording links."""
    edges = list(g.subject_objects(DLG.sameRecordingAs)) + list(
        g.subject_objects(DLG.reRecordingOf)
    )
    return {item: grp for grp in components(edges) for item in grp}


def _score_on(g: Graph, item: URIRef, reach: set[URIRef]) -> tuple[float, set[URIRef]]:
    """Summed tag score of ``item`` on the topics in ``reach``, and which of them matched."""
    score, matched = 0.0, set()
    for tag in g.objects(item, DLG.tag):
        topic = g.value(tag, DLG.topic)
        if topic in reach:
            score += float(g.value(tag, DLG.score).toPython())
            matched.add(topic)
    return score, matched


def _code(g: Graph, item: URIRef) -> str | None:
    ed = g.value(item, DLG.edition)
    return str(g.value(ed, SDO.identifier)) if ed is not None else None
