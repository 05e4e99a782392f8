"""Every match of a query, scored at once: Whoosh's own matcher tree, evaluated over arrays.

A search ranks, collapses and counts *every* matching document, not a top ten, and Whoosh
scores them one document at a time in Python (a long question over common words: thousands of
documents through a tree of a dozen matchers, a tenth of a second). This module builds the
very matcher tree Whoosh would (``q.matcher``), then evaluates it node by node over numpy
arrays, with the same floating-point operations in the same order: a leaf's BM25F score is
Whoosh's ``bm25()`` formula on its postings' weights and field lengths, a union adds its two
children where both match, a coordination node applies Whoosh's ``_sqr``. So the scores are
Whoosh's to the last bit (``tests/test_search_identical.py``, ``bench/search.py --compare``).

A tree holding any other matcher (phrases, wildcards, deleted documents' filters, ...) is
left to Whoosh, and so is a small query (numpy's import costs more than scoring a few hundred
postings: a one-query process should not pay it).
"""

from __future__ import annotations

import sys

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching import (
    ArrayUnionMatcher,
    CoordMatcher,
    IntersectionMatcher,
    InverseMatcher,
    NullMatcherClass,
    UnionMatcher,
    WrappingMatcher,
)
from whoosh.scoring import BM25FScorer, WeightScorer
from whoosh.util.numeric import byte_to_length

#: Below this many postings in all, Whoosh's own per-document loop is as fast as the arrays
#: (a few dozen microseconds a document against a millisecond a query) ...
ARRAY_POSTINGS = 64
#: ... and below this many, while numpy is not imported yet, cheaper than importing it (a
#: one-query process, ``dlgraph search``, should not pay 0.1 s for a short query).
IMPORT_POSTINGS = 1500
#: What a matcher Whoosh scores itself (a phrase) counts as, for the two thresholds above.
OPAQUE_POSTINGS = 1000


class Unsupported(Exception):
    """A matcher this module does not evaluate: the caller lets Whoosh run the query."""


def _np():
    import numpy

    return numpy


def _leaves(m, under_union: bool = True):
    """Yield each leaf and whether only unions (and wrappers) are above it; raise
    :class:`Unsupported` for a node not evaluated here."""
    cls = type(m)
    if cls is W3LeafMatcher:
        yield m, under_union
    elif cls is NullMatcherClass:
        return
    elif cls in (WrappingMatcher, CoordMatcher):
        yield from _leaves(m.child, under_union)
    elif cls is UnionMatcher:
        yield from _leaves(m.a, under_union)
        yield from _leaves(m.b, under_union)
    elif cls is ArrayUnionMatcher:
        for sub in m._submatchers:
            yield from _leaves(sub, under_union)
    elif cls is IntersectionMatcher:
        yield from _leaves(m.a, False)
        yield from _leaves(m.b, False)
    elif cls is InverseMatcher:
        yield from _leaves(m.child, False)
    else:
        # scored by Whoosh itself (:func:`_opaque`): its leaves are not ours to read
        yield m, False


class _Segment:
    """One segment's arrays: field lengths per field, read once per searcher."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.n = self.reader.doc_count_all()
        self._lengths: dict[str, object] = {}

    def lengths(self, fieldname: str):
        """Each document's length of ``fieldname`` as Whoosh's scorer reads it (``float64``)."""
        np = _np()
        got = self._lengths.get(fieldname)
        if got is None:
            col = self.reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if col is None:  # no lengths kept: the scorer's default, 1
                got = np.ones(self.n)
            else:
                raw = np.zeros(self.n, dtype=np.uint8)
                count = min(col._count, self.n)
                raw[:count] = np.frombuffer(col._dbfile.get(col._basepos, count), np.uint8)
                got = _B2L()[raw]
            self._lengths[fieldname] = got
        return got


_b2l = None


def _B2L():
    global _b2l
    if _b2l is None:
        np = _np()
        _b2l = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)
    return _b2l


def _postings(leaf):
    """All ``(ids, weights)`` of a leaf matcher, reading its blocks (the matcher is spent)."""
    np = _np()
    ids, weights = [], []
    # from its first block: an ArrayUnionMatcher reads its leaves ahead as it is built
    leaf.reset()
    while leaf.is_active():
        leaf._read_ids()
        leaf._read_weights()
        ids.append(np.asarray(leaf._ids, dtype=np.int64))
        weights.append(np.asarray(leaf._weights, dtype=np.float64))
        if leaf._lastblock:
            break
        leaf._next_block()
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(ids), np.concatenate(weights)


def _leaf(seg: _Segment, leaf, postings=None):
    """``(present, score, last)`` of one term's postings (read now, or given), scored as its
    scorer would, and the last document it matches."""
    np = _np()
    ids, tf = postings if postings is not None else _postings(leaf)
    present = np.zeros(seg.n, dtype=bool)
    present[ids] = True
    score = np.zeros(seg.n)
    scorer = leaf.scorer
    if type(scorer) is BM25FScorer:
        fl = seg.lengths(leaf.term()[0])[ids]
        idf, avgfl, B, K1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
        # whoosh.scoring.bm25, operation for operation
        score[ids] = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
    elif type(scorer) is WeightScorer:
        score[ids] = tf
    else:
        raise Unsupported(type(scorer).__name__)
    return present, score, int(ids[-1]) if len(ids) else -1


#: Whoosh's collector replaces the matcher tree with a pruned copy before every REPLACE-th
#: match (``ScoredCollector(replace=10)``): exhausted terms drop out, and a coordination node
#: counts the terms left in its copy (:func:`_coord`).
REPLACE = 10


class _Tree:
    """One evaluation: the segment, each leaf's result, and the matches Whoosh replaces its
    tree before (set once the tree's matches are known)."""

    def __init__(self, seg: _Segment):
        self.seg = seg
        self.present: dict[int, object] = {}  # id(leaf) → its documents
        self.last: dict[int, int] = {}  # id(leaf) → its last document
        self.replaced_at = None  # the documents the collector replaces the tree before
        self.order = None  # each matching document's place among the matches
        self.postings: dict[int, tuple] = {}  # id(leaf) → its (ids, weights), read once


def _evaluate(tree: _Tree, m, fresh: bool = True):
    """``(present, score, terms)`` of matcher ``m``: which documents it matches, their scores,
    and how many term matchers it reports matching each (``matching_terms``). ``fresh``: no
    one has moved ``m`` since it was built."""
    np = _np()
    n = tree.seg.n
    cls = type(m)
    if cls is W3LeafMatcher:
        present, score, last = _leaf(tree.seg, m, tree.postings.get(id(m)))
        tree.present[id(m)], tree.last[id(m)] = present, last
        return present, score, present.astype(np.int64)
    if cls is NullMatcherClass:
        return np.zeros(n, dtype=bool), np.zeros(n), np.zeros(n, dtype=np.int64)
    if cls is WrappingMatcher:
        present, score, terms = _evaluate(tree, m.child, fresh)
        return present, score * m.boost, terms
    if cls is CoordMatcher:
        present, score, terms = _evaluate(tree, m.child, fresh)
        return present, _coord(tree, m, present, score, terms), terms
    if cls is UnionMatcher:
        pa, sa, ta = _evaluate(tree, m.a, fresh)
        pb, sb, tb = _evaluate(tree, m.b, fresh)
        score = np.where(pa & pb, sa + sb, np.where(pa, sa, sb))
        return pa | pb, score, np.where(pa, ta, 0) + np.where(pb, tb, 0)
    if cls is IntersectionMatcher:
        pa, sa, ta = _evaluate(tree, m.a, fresh)
        pb, sb, tb = _evaluate(tree, m.b, fresh)
        present = pa & pb
        return present, np.where(present, sa + sb, 0.0), np.where(present, ta + tb, 0)
    if cls is ArrayUnionMatcher:
        # Whoosh adds each submatcher's score times the boost into a zeroed array, in order,
        # and skips the documents whose sum is not above zero
        total = np.zeros(n)
        present = np.zeros(n, dtype=bool)
        terms = np.zeros(n, dtype=np.int64)
        for sub in m._submatchers:
            p, s, t = _evaluate(tree, sub, fresh=False)  # read ahead as it was built
            total = np.where(p, total + s * m._boost, total)
            present |= p
            terms += np.where(p, t, 0)
        present &= total > 0
        return present, total, terms
    if cls is InverseMatcher:
        if tree.seg.reader.has_deletions():
            raise Unsupported("deleted documents")
        present = ~_matched(tree, m.child)
        present[m.limit:] = False
        return present, np.where(present, m._weight, 0.0), np.zeros(n, dtype=np.int64)
    if not fresh:  # a phrase's reset() does not find its first match again
        raise Unsupported(f"{cls.__name__} read ahead")
    return _opaque(tree, m)


def _opaque(tree: _Tree, m):
    """A matcher evaluated here document by document, by Whoosh (a phrase: its own matches
    are few). Only where no term count is asked of it: :func:`all_matches` sees to that."""
    np = _np()
    n = tree.seg.n
    present, score = np.zeros(n, dtype=bool), np.zeros(n)
    while m.is_active():
        d = m.id()
        present[d], score[d] = True, m.score()
        m.next()
    return present, score, np.zeros(n, dtype=np.int64)


def _coord(tree: _Tree, m, present, score, terms):
    """Whoosh's ``CoordMatcher._sqr`` of each document, with the term count its copy of the
    tree had when the document was scored: the terms not yet exhausted at the last
    replacement (a term whose last document came before it was pruned)."""
    np = _np()
    leaves = [leaf for leaf, _ in _leaves(m.child)]
    if any(type(leaf) is not W3LeafMatcher for leaf in leaves):
        raise Unsupported("a coordination over matchers Whoosh scores")
    lasts = np.array([tree.last[id(leaf)] for leaf in leaves], dtype=np.int64)
    # terms left at each replacement, then for each document the count of its replacement
    left = (lasts[None, :] >= tree.replaced_at[:, None]).sum(axis=1)
    counts = left[tree.order // REPLACE]
    scale = m._scale
    out = np.zeros(tree.seg.n)
    for count in np.unique(counts[present]).tolist():
        if count == 0 or count == scale:
            continue
        at = present & (counts == count)
        # whoosh.matching.wrappers.CoordMatcher._sqr, operation for operation
        out[at] = ((score[at] + ((terms[at] - 1) / (count - scale) ** 2))
                   * ((count - 1) / count))
    return out


def _matched(tree: _Tree, m):
    """The documents matcher ``m`` matches (no scores), for the collector's replacements; the
    leaves' postings are kept for :func:`_evaluate`."""
    np = _np()
    seg = tree.seg
    cls = type(m)
    if cls is W3LeafMatcher:
        ids, weights = tree.postings[id(m)] = _postings(m)
        present = np.zeros(seg.n, dtype=bool)
        present[ids] = True
        return present
    if cls is NullMatcherClass:
        return np.zeros(seg.n, dtype=bool)
    if cls in (WrappingMatcher, CoordMatcher):
        return _matched(tree, m.child)
    if cls is UnionMatcher:
        return _matched(tree, m.a) | _matched(tree, m.b)
    if cls is IntersectionMatcher:
        return _matched(tree, m.a) & _matched(tree, m.b)
    if cls is ArrayUnionMatcher:
        out = np.zeros(seg.n, dtype=bool)
        for sub in m._submatchers:
            out |= _matched(tree, sub)
        return out
    raise Unsupported(cls.__name__)


def _has_coord(m) -> bool:
    cls = type(m)
    if cls is CoordMatcher:
        return True
    if cls is WrappingMatcher:
        return _has_coord(m.child)
    if cls in (UnionMatcher, IntersectionMatcher):
        return _has_coord(m.a) or _has_coord(m.b)
    if cls is ArrayUnionMatcher:
        return any(_has_coord(sub) for sub in m._submatchers)
    return False


class Matches:
    """What :func:`all_matches` found: ``top_n`` ``(score, docnum)`` best first (ties by
    document number) and, when terms were asked for, ``docterms`` as Whoosh's ``Results``
    has them, or (the array path) ``termdocs``: each term's matching documents (a boolean
    array), with ``ids`` and ``scores``: the same matches as arrays."""

    def __init__(self, top_n=None, docterms=None, termdocs=None, ids=None, scores=None):
        self._top_n = top_n
        self.docterms = docterms
        self.termdocs = termdocs
        self.ids = ids
        self.scores = scores

    @property
    def top_n(self) -> list[tuple[float, int]]:
        if self._top_n is None:
            self._top_n = list(zip(self.scores.tolist(), self.ids.tolist(), strict=True))
        return self._top_n


def all_matches(ix, q, allowed: set | None, terms: bool) -> Matches:
    """Every document ``q`` matches among ``allowed`` (``None``: all), scored as
    ``searcher.search(q, limit=None, filter=allowed, terms=terms)`` scores them."""
    searcher = ix.searcher
    context = searcher.context(needs_current=terms)
    if searcher.is_atomic():
        subs = [(searcher, 0)]
    else:
        subs = searcher.leaf_searchers()
    built = []
    size = 0
    try:
        for sub, offset in subs:
            m = q.matcher(sub, context)
            leaves = list(_leaves(m))
            if terms and not all(type(leaf) is W3LeafMatcher and only_unions
                                 for leaf, only_unions in leaves):
                # Whoosh reports a term under an AND wherever its own matcher happens to be
                # positioned: not a set this module can compute exactly
                raise Unsupported("terms under an intersection")
            reader = sub.reader()
            size += sum(reader.doc_frequency(*leaf.term()) if type(leaf) is W3LeafMatcher
                        else OPAQUE_POSTINGS for leaf, _ in leaves)
            leaves = [(leaf, u) for leaf, u in leaves if type(leaf) is W3LeafMatcher]
            built.append((sub, offset, m, leaves))
    except Unsupported:
        return _whoosh(searcher, q, allowed, terms)
    if size < (ARRAY_POSTINGS if "numpy" in sys.modules else IMPORT_POSTINGS):
        return _whoosh(searcher, q, allowed, terms)
    try:
        return _arrays(ix, built, allowed, terms)
    except Unsupported:  # a scorer not evaluated here
        return _whoosh(searcher, q, allowed, terms)


def _whoosh(searcher, q, allowed, terms) -> Matches:
    results = searcher.search(q, limit=None, filter=allowed, terms=terms)
    return Matches(results.top_n, results.docterms if terms else None)


def _segment(sub) -> _Segment:
    seg = getattr(sub, "_dlgraph_arrays", None)
    if seg is None:
        seg = sub._dlgraph_arrays = _Segment(sub)
    return seg


def _arrays(ix, built, allowed, terms) -> Matches:
    np = _np()
    total = ix.searcher.doc_count_all()
    ids_all, scores_all, termdocs = [], [], {}
    for sub, offset, m, leaves in built:
        seg = _segment(sub)
        tree = _Tree(seg)
        if _has_coord(m):
            matched = np.flatnonzero(_matched(tree, m))
            tree.replaced_at = matched[::REPLACE]
            tree.order = np.zeros(seg.n, dtype=np.int64)
            tree.order[matched] = np.arange(len(matched))
        present, score, _ = _evaluate(tree, m)
        if allowed is not None:
            mask = np.zeros(seg.n, dtype=bool)
            mask[np.fromiter((d - offset for d in allowed if offset <= d < offset + seg.n),
                             dtype=np.int64)] = True
            present &= mask
        ids = np.flatnonzero(present)
        ids_all.append(ids + offset)
        scores_all.append(score[ids])
        for leaf, _ in leaves if terms else ():
            on = np.zeros(total, dtype=bool)
            on[offset:offset + seg.n] = tree.present[id(leaf)] & present
            term = leaf.term()
            termdocs[term] = termdocs[term] | on if term in termdocs else on
    ids = np.concatenate(ids_all)
    scores = np.concatenate(scores_all)
    order = np.lexsort((ids, -scores))
    return Matches(termdocs=termdocs if terms else None, ids=ids[order], scores=scores[order])
