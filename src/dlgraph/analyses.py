"""Analyses of the graph: functions of a graph returning plain dicts and lists.

networkx is used through :func:`dlgraph.graphs.to_networkx`: the RDF graph is first
projected to plain weighted edges (topic–topic co-occurrence, item–item lineage, candidate
re-recording pairs), then converted in one place.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef

from dlgraph import topics as topics_mod
from dlgraph.graphs import (  # noqa: F401  (to_networkx, maximum_matching: public here too)
    components,
    edition_items,
    editions,
    item_dict,
    maximum_matching,
    to_networkx,
    videos,
)
from dlgraph.vocab import DCTERMS, DLG, RDF, SDO, topic_iri

# networkx takes half a second to import: commands that need no graph algorithm skip it.
if TYPE_CHECKING:
    pass

#: What each role name means, in the words ``people_roles`` reports.
ROLE_VERBS = {
    "instructor": "taught",
    "lecturer": "lectured",
    "teaching-assistant": "assisted",
    "grader": "graded",
    "notes-author": "wrote notes",
    "translator": "translated",
    "webmaster": "ran the website",
}
_LOGISTICS = topic_iri("course-organisation")


# -- topics ------------------------------------------------------------------------------


def _units(g: Graph, edition: str | None) -> list[URIRef]:
    """What co-occurrence counts: lecture items and English notes pages of an edition.

    Translated pages would count one lecture once per language, so only English ones count.
    """
    codes = [edition] if edition else editions(g)
    out = []
    for code in codes:
        out += edition_items(g, code)
        ed = next(
            (
                e
                for e in g.subjects(RDF.type, SDO.CourseInstance)
                if str(g.value(e, SDO.identifier)) == code
            ),
            None,
        )
        for page in g.subjects(RDF.type, DLG.NotesPage):
            if g.value(page, DLG.edition) == ed and str(g.value(page, SDO.inLanguage)) == "en":
                out.append(page)
    return out


def _topic_sets(g: Graph, units: list[URIRef]) -> list[set[URIRef]]:
    return [set(g.objects(u, DCTERMS.subject)) - {_LOGISTICS} for u in units]


def _cooccurrence_edges(g: Graph, edition: str | None) -> tuple[Counter, Counter]:
    all_topics = topics_mod.topics_of(g)
    ancestors = {t: set(topics_mod.ancestors(all_topics, t)) for t in all_topics}
    pairs, singles = Counter(), Counter()
    for tset in _topic_sets(g, _units(g, edition)):
        singles.update(tset)
        for a, b in combinations(sorted(tset), 2):
            # A topic always "co-occurs" with what it is narrower than; that says nothing.
            if a in ancestors.get(b, ()) or b in ancestors.get(a, ()):
                continue
            pairs[(a, b)] += 1
    return pairs, singles


def topic_cooccurrence(g: Graph, edition: str | None = None) -> list[dict]:
    """How often two topics tag the same lecture item or English notes page.

    Parameters
    ----------
    g
        The complete graph.
    edition
        An edition code, or ``None`` for every edition.

    Returns
    -------
    list of dict
        ``{"a", "b", "a_label", "b_label", "count"}`` per pair (slugs and labels), most
        frequent first. Pairs where one topic is broader than the other are left out, and
        so is course organisation.
    """
    all_topics = topics_mod.topics_of(g)
    pairs, _ = _cooccurrence_edges(g, edition)
    out = [
        {
            "a": all_topics[a].slug,
            "b": all_topics[b].slug,
            "a_label": all_topics[a].label,
            "b_label": all_topics[b].label,
            "count": n,
        }
        for (a, b), n in pairs.items()
    ]
    return sorted(out, key=lambda d: (-d["count"], d["a"], d["b"]))


def central_topics(g: Graph, edition: str | None, k: int = 10) -> list[dict]:
    """The ``k`` most central topics of an edition's co-occurrence graph.

    Centrality is weighted eigenvector centrality (a topic is central when it co-occurs
    often with other central topics); weighted degree is the fallback when the power
    iteration does not converge.

    Returns
    -------
    list of dict
        ``{"topic", "label", "iri", "score", "degree", "units"}``, most central first;
        ``units`` is how many items and English notes pages the topic tags.
    """
    import networkx as nx

    all_topics = topics_mod.topics_of(g)
    pairs, singles = _cooccurrence_edges(g, edition)
    G = to_networkx(((a, b, n) for (a, b), n in pairs.items()), nodes=singles)
    if G.number_of_nodes() == 0:
        return []

    try:
        scores = nx.eigenvector_centrality(G, weight="weight", max_iter=1000)
    except (nx.PowerIterationFailedConvergence, nx.NetworkXException):
        total = sum(d for _, d in G.degree(weight="weight")) or 1
        scores = {n: d / total for n, d in G.degree(weight="weight")}
    ranked = sorted(G.nodes, key=lambda t: (-scores[t], str(t)))[:k]
    return [
        {
            "topic": all_topics[t].slug,
            "label": all_topics[t].label,
            "iri": str(t),
            "score": round(scores[t], 4),
            "degree": int(G.degree(t, weight="weight")),
            "units": singles[t],
        }
        for t in ranked
        if t in all_topics
    ]


# -- learning path -----------------------------------------------------------------------


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


# -- people ------------------------------------------------------------------------------


def people_roles(g: Graph) -> list[dict]:
    """Who taught, lectured, assisted, graded, wrote notes or translated, in which editions.

    Returns
    -------
    list of dict
        ``{"person", "name", "roles": {role: [editions]}, "editions": [...],
        "pages": {"notes-author": n, "translator": n}}`` per person, those present in more
        editions first, then by name. ``pages`` counts the notes pages a person wrote or
        translated (every language).
    """
    order = {code: n for n, code in enumerate(editions(g))}
    pages = set(g.subjects(RDF.type, DLG.NotesPage)) | set(g.subjects(RDF.type, DLG.WeekPage))
    people: dict[URIRef, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for role in g.subjects(RDF.type, SDO.Role):
        person = g.value(role, DLG.person)
        name = g.value(role, SDO.roleName)
        ed = g.value(role, DLG.edition)
        if person is None or name is None or ed is None:
            continue
        people[person][str(name)].add(str(g.value(ed, SDO.identifier)))
    out = []
    for person, roles in people.items():
        eds = sorted(set().union(*roles.values()), key=lambda c: order.get(c, 99))
        out.append(
            {
                "person": str(person),
                "name": str(g.value(person, SDO.name) or ""),
                "roles": {
                    r: sorted(roles[r], key=lambda c: order.get(c, 99))
                    for r in sorted(roles, key=_role_rank)
                },
                "editions": eds,
                "pages": {
                    "notes-author": len(set(g.subjects(SDO.author, person)) & pages),
                    "translator": len(set(g.subjects(SDO.translator, person)) & pages),
                },
            }
        )
    return sorted(out, key=lambda d: (-len(d["editions"]), -len(d["roles"]), d["name"].casefold()))


def _role_rank(role: str) -> tuple[int, str]:
    verbs = list(ROLE_VERBS)
    return (verbs.index(role) if role in verbs else len(verbs), role)


# -- coverage ----------------------------------------------------------------------------


def untagged(g: Graph) -> dict:
    """What the topic rule left without a topic: counts per kind, and the lecture items.

    Returns
    -------
    dict
        ``{"counts": {kind: {"total", "tagged", "untagged"}}, "lectures": [items],
        "readings": [{"iri", "title"}]}`` for kinds ``lecture``, ``page``, ``section``,
        ``reading`` and ``document``.
    """
    counts: dict[str, Counter] = defaultdict(Counter)
    lectures, readings = [], []
    for entity, kind, _fields in topics_mod.entity_fields(g):
        tagged = (entity, DCTERMS.subject, None) in g
        counts[kind]["total"] += 1
        counts[kind]["tagged" if tagged else "untagged"] += 1
        if not tagged and kind == "lecture":
            lectures.append(item_dict(g, entity))
        elif not tagged and kind == "reading":
            readings.append(
                {"iri": str(entity), "title": str(g.value(entity, DCTERMS.title) or "")}
            )
    return {
        "counts": {
            k: {"total": c["total"], "tagged": c["tagged"], "untagged": c["untagged"]}
            for k, c in counts.items()
        },
        "lectures": sorted(lectures, key=lambda d: (d["edition"] or "", d["position"])),
        "readings": readings,
    }


def scheme_counts(g: Graph) -> list[dict]:
    """The topic scheme with how many lecture items (per edition), pages, sections and readings
    each topic tags, counting narrower topics too.

    Returns
    -------
    list of dict
        ``{"topic", "label", "iri", "alt_labels", "broader", "narrower", "depth",
        "lectures": {edition: n}, "pages", "sections", "readings"}`` in tree order.
    """
    all_topics = topics_mod.topics_of(g)
    kinds = {}
    for entity, kind, _ in topics_mod.entity_fields(g):
        kinds[entity] = kind
    tagged: dict[URIRef, set[URIRef]] = defaultdict(set)
    for entity, topic in g.subject_objects(DCTERMS.subject):
        tagged[topic].add(entity)
    codes = editions(g)
    edition_of = {i: code for code in codes for i in edition_items(g, code)}
    out = []

    def visit(t: URIRef, depth: int) -> None:
        info = all_topics[t]
        reach = topics_mod.descendants(all_topics, t)
        ents = set().union(*(tagged.get(x, set()) for x in reach))
        by_kind = Counter(kinds.get(e) for e in ents)
        lectures = Counter(edition_of[e] for e in ents if e in edition_of)
        out.append(
            {
                "topic": info.slug,
                "label": info.label,
                "iri": str(t),
                "alt_labels": [a for a, _ in info.alt_labels],
                "broader": [all_topics[b].slug for b in info.broader if b in all_topics],
                "narrower": [all_topics[n].slug for n in info.narrower if n in all_topics],
                "depth": depth,
                "lectures": {code: lectures.get(code, 0) for code in codes},
                "pages": by_kind.get("page", 0),
                "sections": by_kind.get("section", 0),
                "readings": by_kind.get("reading", 0),
            }
        )
        for n in sorted(
            info.narrower, key=lambda n: all_topics[n].label if n in all_topics else str(n)
        ):
            if n in all_topics and all_topics[n].broader and all_topics[n].broader[0] == t:
                visit(n, depth + 1)

    for top in sorted((t for t in all_topics.values() if not t.broader), key=lambda t: t.label):
        visit(top.iri, 0)
    return out


__all__ = [
    "ROLE_VERBS",
    "central_topics",
    "components",
    "learning_path",
    "people_roles",
    "scheme_counts",
    "to_networkx",
    "topic_cooccurrence",
    "untagged",
]
