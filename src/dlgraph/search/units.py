"""Units: the results collapsed into one hit per lecture unit, and the facet counts of units.

A long question matches thousands of documents: collapsing and counting them one by one is
a few milliseconds of Python. :func:`_units` does it over arrays when the results come with
them (:class:`~dlgraph.search.ranking.Ranked`): the same units, heads and counts, read per
group and per distinct facet signature rather than per document.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dlgraph.search.index import SearchIndex

FACETS = ("edition", "kind", "language", "theme", "lecturer", "topic")
#: Results from which the arrays count (fewer: the loop is as fast).
UNIT_ARRAYS = 300


def _units(ix: SearchIndex, results: list[tuple[float, int]], apart: frozenset = frozenset()):
    """Collapse the results into units: ``(heads, facet counts, matching documents per unit)``.

    A unit is a group (a lecture item with its pages, sections and translations) plus the
    groups of the same recording ranked below it (:attr:`SearchIndex.same`): SP21's and FL22's
    copies of one video are one hit, its best, that names the others in ``also_in``. Only a
    group shown as a hit absorbs others, so SP20's two parts of one week's video stay two hits
    even when SP21 links that video too. An edition filter removes the other editions' copies
    before this, so each edition still shows its own item. ``heads`` are the units' best
    ``(score, doc)``, best first; units are keyed by their head's group, and the facets count
    units.
    """
    if getattr(results, "ids", None) is not None and len(results) >= UNIT_ARRAYS:
        return _units_arrays(ix, results, apart)
    groups, signature, same = ix.groups, ix.signature, ix.same
    unit_of: dict[str, str] = {}
    rank: dict[str, int] = {}  # head group → its place among the heads
    heads: list[tuple[float, int]] = []
    per_unit: dict[str, int] = defaultdict(int)
    seen = set()
    facets: dict[str, dict[str, set]] = {f: defaultdict(set) for f in FACETS}
    edition_f, kind_f, lang_f, theme_f, lect_f, topic_f = (facets[f] for f in FACETS)
    for score, d in results:
        grp = groups[d]
        unit = unit_of.get(grp)
        if unit is None:
            shown = [o for o in same.get(grp, ()) if o in rank]
            unit = min(shown, key=rank.__getitem__) if shown else grp
            unit_of[grp] = unit
            if unit == grp:
                rank[grp] = len(heads)
                heads.append((score, d))
        per_unit[unit] += 1
        # documents with the same unit and the same facet values count once: skip them fast
        sig = (unit, signature[d])
        if sig in seen:
            continue
        seen.add(sig)
        kind_f[ix.kinds[d]].add(unit)
        if ix.kinds[d] in apart:
            continue  # a card: only the kind facet counts it, as only that filter lists it
        for e in ix.editions[d]:
            edition_f[e].add(unit)
        if ix.languages[d]:
            lang_f[ix.languages[d]].add(unit)
        if ix.themes[d]:
            theme_f[ix.themes[d]].add(unit)
        for n in ix.lecturers[d]:
            lect_f[n].add(unit)
        for t in ix.topics[d]:
            topic_f[t].add(unit)
    counts = {
        f: dict(sorted(((k, len(v)) for k, v in vals.items()), key=lambda kv: (-kv[1], kv[0])))
        for f, vals in facets.items()
    }
    return heads, counts, per_unit




class _Tables:
    """Per-index arrays :func:`_units_arrays` reads, from the columns as stored: each
    document's group and signature as numbers, and each signature's kind and facet values (a
    signature is the same facet values: one document of it says them all)."""

    def __init__(self, ix: SearchIndex):
        import numpy as np

        codes, tables = ix.column_codes, ix.column_tables
        self.group_names = list(tables["group"])
        self.group_code = {g: i for i, g in enumerate(self.group_names)}
        self.groups = np.array(codes["group"], dtype=np.int64)
        self.signatures = np.array(codes["signature"], dtype=np.int64)
        self.sig_count = int(self.signatures.max()) + 1 if len(self.signatures) else 0
        # a document of each signature (every signature number is some document's; which one
        # does not matter)
        first = np.zeros(self.sig_count, dtype=np.int64)
        first[self.signatures[::-1]] = np.arange(len(self.signatures))[::-1]
        self.kind_names = list(tables["kind"])
        self.doc_kinds = np.array(codes["kind"], dtype=np.int64)
        self.kinds = self.doc_kinds[first]
        self.timed = np.array([bool(v) for v in tables["timed"]], dtype=bool)[
            np.array(codes["timed"], dtype=np.int64)]
        self._moment_masks: dict[tuple, object] = {}
        # facet → (value names, each signature's table entry, each entry's first value's
        # place, the entries' value codes)
        self.facets = {}
        for f, column, many in (("edition", "editions", True), ("language", "language", False),
                                ("theme", "theme", False), ("lecturer", "lecturers", True),
                                ("topic", "topics", True)):
            names: dict[str, int] = {}
            starts, flat = [0], []
            for entry in tables[column]:
                for v in (entry if many else (entry,) if entry else ()):
                    flat.append(names.setdefault(v, len(names)))
                starts.append(len(flat))
            self.facets[f] = (list(names), np.array(codes[column], dtype=np.int64)[first],
                              np.array(starts, dtype=np.int64), np.array(flat, dtype=np.int64))


    def can_be_moment(self, kinds: tuple):
        """Each document's being of one of ``kinds`` and timed (a boolean array)."""
        got = self._moment_masks.get(kinds)
        if got is None:
            import numpy as np

            of_kind = np.array([k in kinds for k in self.kind_names], dtype=bool)
            got = self._moment_masks[kinds] = of_kind[self.doc_kinds] & self.timed
        return got


def moment_docs(ix: SearchIndex, results, groups, kinds: tuple) -> list[int] | None:
    """The documents of ``results`` (in their order) that are in one of ``groups``, of one of
    ``kinds`` and timed: the only ones :func:`~dlgraph.search.results._moments` reads.
    ``None`` when the results come without arrays."""
    ids = getattr(results, "ids", None)
    if ids is None:
        return None
    import numpy as np

    t = _tables(ix)
    wanted = np.zeros(len(t.group_names), dtype=bool)
    wanted[[t.group_code[g] for g in groups]] = True
    return ids[wanted[t.groups[ids]] & t.can_be_moment(kinds)[ids]].tolist()


def _tables(ix: SearchIndex) -> _Tables:
    got = getattr(ix, "_unit_tables", None)
    if got is None:  # two threads may both build it: the same tables, either kept
        got = ix._unit_tables = _Tables(ix)
    return got


def _counted(np, units, codes, names: list[str]) -> dict[str, int]:
    """How many distinct units each value code has, as the facet's ``{value: count}`` (most
    first, then by value)."""
    if not len(codes):
        return {}
    pairs = np.unique(units * len(names) + codes)
    counts = np.bincount(pairs % len(names), minlength=len(names))
    return dict(sorted(((names[c], int(n)) for c, n in enumerate(counts.tolist()) if n),
                       key=lambda kv: (-kv[1], kv[0])))


def _units_arrays(ix: SearchIndex, results, apart: frozenset):
    """:func:`_units` over the arrays of ``results`` (a :class:`Ranked`)."""
    import numpy as np

    t = _tables(ix)
    ids = results.ids
    gcodes = t.groups[ids]
    _, first = np.unique(gcodes, return_index=True)
    first.sort()
    per_group = np.bincount(gcodes, minlength=len(t.group_names))
    groups, same = ix.groups, ix.same
    rank: dict[str, int] = {}
    heads: list[tuple[float, int]] = []
    per_unit: dict[str, int] = defaultdict(int)
    unit_code = np.full(len(t.group_names), -1, dtype=np.int64)
    # each group's unit is fixed where the group first ranks, as in the loop
    for i in first.tolist():
        score, d = results[i]
        grp = groups[d]
        shown = [o for o in same.get(grp, ()) if o in rank]
        unit = min(shown, key=rank.__getitem__) if shown else grp
        if unit == grp:
            rank[grp] = len(heads)
            heads.append((score, d))
        code = t.group_code[grp]
        unit_code[code] = t.group_code[unit]
        per_unit[unit] += int(per_group[code])
    # each distinct (unit, signature) counts once
    pairs = np.unique(unit_code[gcodes] * t.sig_count + t.signatures[ids])
    units, sigs = pairs // t.sig_count, pairs % t.sig_count
    kinds = t.kinds[sigs]
    counts = {"kind": _counted(np, units, kinds, t.kind_names)}
    if apart:  # a card: only the kind facet counts it, as only that filter lists it
        card = np.array([k in apart for k in t.kind_names], dtype=bool)[kinds]
        units, sigs = units[~card], sigs[~card]
    for f, (names, entry_of, starts, flat) in t.facets.items():
        entries = entry_of[sigs]
        lo = starts[entries]
        n = starts[entries + 1] - lo
        at = np.repeat(lo - np.cumsum(n) + n, n) + np.arange(int(n.sum()))
        counts[f] = _counted(np, np.repeat(units, n), flat[at], names)
    return heads, {f: counts[f] for f in FACETS}, per_unit
