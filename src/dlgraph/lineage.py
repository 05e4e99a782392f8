"""Lineage between editions: same recording, re-recorded, new, dropped.

For every pair of editions, older → newer:

* **same recording**: two items link the same video (a timestamped clip counts as its whole
  video). Stored as the symmetric ``dlg:sameRecordingAs``.
* **re-recorded**: a newer recording of an older item's subject. Stored as
  ``dlg:reRecordingOf`` from newer to older, mirrored by ``prov:wasRevisionOf``.
* **new** / **dropped**: items with no link to the other edition; not stored, since they
  follow from the links (see ``dlgraph.compare``).

Re-recordings are found between *recordings*, not items: the items of one edition that share
a video (SP20's lecture parts A and B) form one unit, matched as a whole. An item whose video
already appeared in an older edition (FL22's reused SP21 lectures) is not matched again: its
links come from its recording (see *chains* below).

What counts as evidence (shared slides or notebooks first, then title signatures) is
:mod:`dlgraph.lineage_evidence`'s rule.

Units are paired **one to one** per edition pair: a maximum-weight matching where a pair
weighs its title similarity, plus 1 for shared material, plus a little for common topics and
close syllabus positions (the tie-breaks). A second pass lets an older unit left unpaired join
a paired newer unit (one newer recording covering two older ones) only on strong evidence:
shared material, or an older single-item unit whose whole signature the newer title names
("1D convolutions" → "Natural signals properties and the convolution"). Within two paired
units, the items with evidence are linked, and so are the other parts of the same recording
that share a subject with the newer item ("Backprop in practice", part B of the lecture
whose part A "SGD and backprop" SP21's "Gradient descent and the backpropagation algorithm"
re-records).

**Chains**: links carry through recordings. If X is the same recording as Y and Y re-records
Z, X re-records Z (FL22 08 re-uses SP21's "Natural signals properties…", which re-records
SP20's "Natural signals' properties"); a re-recording of a re-recording re-records the
original. These derived links are stored like direct ones, so every reader (compare, learning
paths, SPARQL) sees one consistent lineage.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from rdflib import Graph, URIRef

from dlgraph.graphs import (  # noqa: F401  (editions, edition_items, item_dict: public here too)
    _edition,
    components,
    edition_items,
    editions,
    item_dict,
    maximum_matching,
    videos,
)
from dlgraph.lineage_evidence import (
    MATERIAL,
    NOT_A_SUBJECT,
    THRESHOLD,
    evidence_kinds,
    link_evidence,
    material,
    recorded,
    signature,
    similarity,
    title_match,
)
from dlgraph.topics import default_matcher
from dlgraph.vocab import DCTERMS, DLG, PROV, SDO

# Tie-breaks only: never enough to make a pair, only to choose between equal ones.
_TOPIC_BONUS = 0.1
_POSITION_PENALTY = 0.1

# -- finding the links ---------------------------------------------------------------------


@dataclass
class Lineage:
    """Every lineage link of a graph, as found by :func:`find_lineage`."""

    order: list[str]
    edition_of: dict[URIRef, str]
    #: Unordered pairs of items of different editions sharing a video.
    same: set[frozenset] = field(default_factory=set)
    #: (newer, older) → (title similarity, evidence kinds: see :func:`link_evidence`).
    rerec: dict[tuple[URIRef, URIRef], tuple[float, tuple[str, ...]]] = field(default_factory=dict)

    def pair(self, older: str, newer: str) -> dict[str, list[tuple]]:
        """The links between two editions (see :func:`pair_links`)."""
        same = sorted(
            (a, b)
            for p in self.same
            for a, b in [sorted(p, key=lambda i: self.order.index(self.edition_of[i]))]
            if self.edition_of[a] == older and self.edition_of[b] == newer
        )
        between = {
            (b, a): found
            for (b, a), found in self.rerec.items()
            if self.edition_of[b] == newer and self.edition_of[a] == older
        }
        rerec = sorted((b, a, sim) for (b, a), (sim, _) in between.items())
        evidence = {pair: list(ev) for pair, (_, ev) in between.items()}
        return {"same_recording": same, "re_recorded": rerec, "evidence": evidence}


class _Finder:
    """The state of one :func:`find_lineage` run (the graph read once, then plain data)."""

    def __init__(self, g: Graph):
        self.matcher = default_matcher()
        self.order = editions(g)
        self.items = {code: edition_items(g, code) for code in self.order}
        self.edition_of = {i: code for code, its in self.items.items() for i in its}
        every = list(self.edition_of)
        self.videos = {i: videos(g, i) for i in every}
        self.recorded = {i: recorded(g, i) for i in every}
        self.material = {i: material(g, i) for i in every}
        self.titles = {i: str(g.value(i, SDO.name) or "") for i in every}
        self.subjects = {i: set(g.objects(i, DCTERMS.subject)) - NOT_A_SUBJECT for i in every}
        #: edition code → its course node (None when the graph does not say)
        self.course = {code: next(iter(g.subjects(SDO.hasCourseInstance, _edition(g, code))), None)
                       for code in self.order}
        self.rel = {
            i: k / max(len(its) - 1, 1) for its in self.items.values() for k, i in enumerate(its)
        }
        self.result = Lineage(self.order, self.edition_of)
        #: item → the items sharing its recording (:func:`_classes`), set once they are known
        self.classes: dict[URIRef, frozenset] = {}

    # -- same recording -------------------------------------------------------------------

    def same_recordings(self) -> None:
        for older, newer in combinations(self.order, 2):
            for b in self.items[newer]:
                for a in self.items[older]:
                    if self.videos[a] & self.videos[b]:
                        self.result.same.add(frozenset((a, b)))

    def _same_in(self, item: URIRef, code: str) -> bool:
        return any(
            self.edition_of[x] == code for p in self.result.same if item in p for x in p - {item}
        )

    def _reused(self, item: URIRef) -> bool:
        k = self.order.index(self.edition_of[item])
        return any(self._same_in(item, code) for code in self.order[:k])

    # -- units ----------------------------------------------------------------------------

    def units(self, code: str) -> list[tuple[URIRef, ...]]:
        """Recorded items of one edition grouped by shared video, in syllabus order."""
        groups: list[set[URIRef]] = []
        for item in self.items[code]:
            if not self.recorded[item]:
                continue
            joined = [grp for grp in groups if any(self.videos[item] & self.videos[x] for x in grp)]
            merged = {item}.union(*joined)
            groups = [grp for grp in groups if grp not in joined] + [merged]
        return sorted((tuple(sorted(grp, key=self.rel.get)) for grp in groups), key=self._pos)

    def _pos(self, unit) -> float:
        return sum(self.rel[i] for i in unit) / len(unit)

    # -- evidence -------------------------------------------------------------------------

    def evidence(self, a: URIRef, b: URIRef) -> tuple[float, tuple[str, ...]] | None:
        """Why ``b`` would re-record ``a`` (similarity, evidence kinds), or ``None``.

        Kinds: ``slides``/``notebook`` (shared material), ``title`` (:func:`title_match`) and
        ``named`` (``b``'s title names all of ``a``'s signature; used in the second pass only).
        """
        kinds = evidence_kinds(
            (self.material[a], self.subjects[a], self.titles[a]),
            (self.material[b], self.subjects[b], self.titles[b]),
            self.matcher,
        )
        if not kinds:
            return None
        sim = similarity(self.titles[a], self.titles[b], self.matcher)
        if self.course[self.edition_of[a]] != self.course[self.edition_of[b]] and not (
                self.subjects[a] & self.subjects[b] or sim >= THRESHOLD - 1e-9):
            # Another course reusing a notebook or slides teaches with it, on a subject of
            # its own: across courses, shared material needs the same subject as well (a
            # shared topic, or titles as close as a title match asks).
            return None
        return round(sim, 2), tuple(kinds)

    def _weight(self, ua, ub, pairs) -> float:
        sim = max(s for s, _ in pairs.values())
        strong = any(k in ("slides", "notebook") for _, kinds in pairs.values() for k in kinds)
        sa = set().union(*(self.subjects[i] for i in ua))
        sb = set().union(*(self.subjects[i] for i in ub))
        topical = len(sa & sb) / len(sa | sb) if sa | sb else 0.0
        return (
            sim
            + (1.0 if strong else 0.0)
            + _TOPIC_BONUS * topical
            - _POSITION_PENALTY * abs(self._pos(ua) - self._pos(ub))
        )

    # -- one pair of editions ---------------------------------------------------------------

    def match(self, older: str, newer: str) -> None:
        """Direct links between two editions, for recordings not yet linked to the other."""
        linked_new = {b for (b, a) in self.result.rerec if self.edition_of[a] == older}
        linked_old = {a for (b, a) in self.result.rerec if self.edition_of[b] == newer}
        new_units = [
            u for u in self.units(newer) if not any(self._reused(i) or i in linked_new for i in u)
        ]
        old_units = [
            u
            for u in self.units(older)
            if not any(self._same_in(i, newer) or i in linked_old for i in u)
        ]
        candidates = {}
        for ua in old_units:
            for ub in new_units:
                pairs = {(a, b): ev for a in ua for b in ub if (ev := self.evidence(a, b))}
                if pairs:
                    candidates[(ua, ub)] = pairs
        first = {
            key: kept
            for key, pairs in candidates.items()
            if (kept := {p: ev for p, ev in pairs.items() if set(ev[1]) - {"named"}})
        }

        weights = {key: self._weight(*key, pairs) for key, pairs in first.items()}
        paired_old, paired_new = set(), set()
        for ua, ub in maximum_matching(weights):
            paired_old.add(ua)
            paired_new.add(ub)
            self._link(ua, ub, first[(ua, ub)])
        # An older recording left over may be covered by a newer one already paired, on
        # strong evidence only: shared material, or a one-item unit the newer title names.
        for ua in old_units:
            if ua in paired_old:
                continue
            joins = []
            for ub in sorted(paired_new, key=self._pos):
                pairs = candidates.get((ua, ub), {})
                strong = {
                    p: ev
                    for p, ev in pairs.items()
                    if {"slides", "notebook"} & set(ev[1]) or (len(ua) == 1 and "named" in ev[1])
                }
                if strong:
                    joins.append((self._weight(ua, ub, strong), ub, strong))
            if joins:
                _, ub, strong = max(joins, key=lambda j: j[0])
                self._link(ua, ub, strong)

    def _link(self, ua, ub, pairs: dict) -> None:
        """Link two paired units: the pairs with evidence, and the other parts on their topics.

        A lecture recorded in parts A and B is one recording: when its newer recording is
        found through one part, the other part goes with it if they share a subject.
        """
        for a in ua:
            for b in ub:
                if (a, b) in pairs:
                    sim, kinds = pairs[(a, b)]
                elif self.subjects[a] & self.subjects[b]:
                    sim = round(similarity(self.titles[a], self.titles[b], self.matcher), 2)
                    kinds = ("part",)
                else:
                    continue
                if not self.videos[a] & self.videos[b]:
                    self.result.rerec[(b, a)] = (sim, kinds)

    # -- chains ---------------------------------------------------------------------------

    def derive(self, older: str, newer: str) -> None:
        """Links between two editions that follow from links already found (see *chains*)."""
        classes = self.classes
        up: dict[frozenset, set[frozenset]] = defaultdict(set)
        for b, a in self.result.rerec:
            up[classes[b]].add(classes[a])
        for b in self.items[newer]:
            if not self.recorded[b]:
                continue
            reach, stack = set(), [classes[b]]
            while stack:
                for nxt in up[stack.pop()] - reach:
                    reach.add(nxt)
                    stack.append(nxt)
            for a in self.items[older]:
                if (
                    classes[a] in reach
                    and classes[a] != classes[b]
                    and (b, a) not in self.result.rerec
                    and not self.videos[a] & self.videos[b]
                    and not self._same_in(a, newer)
                ):
                    sim = similarity(self.titles[a], self.titles[b], self.matcher)
                    self.result.rerec[(b, a)] = (round(sim, 2), ("chain",))

    def run(self) -> Lineage:
        self.same_recordings()
        # Same recordings are all known now; only re-recordings grow from here on.
        self.classes = _classes(self.result.same, self.edition_of)
        # Nearest older edition first, so a chain through an edition in between is known
        # before two editions further apart are matched directly.
        for k, newer in enumerate(self.order):
            for older in reversed(self.order[:k]):
                self.derive(older, newer)
                self.match(older, newer)
        return self.result


def _classes(same: set[frozenset], edition_of: dict) -> dict[URIRef, frozenset]:
    """Each item → the set of items sharing its recording across editions (itself at least)."""

    of = {i: frozenset(grp) for grp in components(tuple(p) for p in same) for i in grp}
    return {i: of.get(i, frozenset({i})) for i in edition_of}


def find_lineage(g: Graph) -> Lineage:
    """Every same-recording and re-recording link between the editions of ``g`` (not stored).

    Parameters
    ----------
    g
        The graph after ``topics.tag_graph`` (title evidence needs topics).
    """
    return _Finder(g).run()


def pair_links(g: Graph, older: str, newer: str) -> dict:
    """Same-recording and re-recording pairs between two editions (nothing is stored).

    Returns
    -------
    dict
        ``{"same_recording": [(older item, newer item), …],
        "re_recorded": [(newer item, older item, title similarity), …],
        "evidence": {(newer item, older item): [kind, …]}}`` with kinds ``slides``,
        ``notebook``, ``title`` (similar titles), ``named`` (the newer title names the older
        one), ``part`` (another part of the same older recording) and ``chain``.
    """
    return find_lineage(g).pair(older, newer)


def add_lineage(g: Graph) -> int:
    """Link items across every pair of editions: same recording and re-recorded.

    Parameters
    ----------
    g
        The graph after ``topics.tag_graph`` (re-recordings need topics); modified in place.

    Returns
    -------
    int
        The number of triples added.
    """
    before = len(g)
    found = find_lineage(g)
    for pair in found.same:
        a, b = sorted(pair)
        g.add((a, DLG.sameRecordingAs, b))
        g.add((b, DLG.sameRecordingAs, a))
    for b, a in found.rerec:
        g.add((b, DLG.reRecordingOf, a))
        g.add((b, PROV.wasRevisionOf, a))
    return len(g) - before


__all__ = [
    "MATERIAL",
    "THRESHOLD",
    "Lineage",
    "add_lineage",
    "edition_items",
    "editions",
    "find_lineage",
    "item_dict",
    "link_evidence",
    "material",
    "pair_links",
    "signature",
    "similarity",
    "title_match",
    "videos",
]
