"""Every match of a query, scored at once: Whoosh's own matcher tree, evaluated over arrays.

A search ranks, collapses and counts *every* matching document, not a top ten, and Whoosh
scores them one document at a time in Python (a long question over common words: thousands of
documents through a tree of a dozen matchers, a tenth of a second). This module builds the
very matcher tree Whoosh would (``q.matcher``), then evaluates it node by node over numpy
arrays, with the same floating-point operations in the same order: a leaf's BM25F score is
Whoosh's ``bm25()`` formula on its postings' weights and field lengths, a union adds its two
children where both match, a coordination node applies Whoosh's ``_sqr``. So the scores are
Whoosh's to the last bit (``tests/test_search_identical.py``, ``bench/search.py --compare``).

Phrases and a CJK word's near matches under unions are found from their words' positions
(:mod:`.spans`); their words' postings are read as any term's (:mod:`.postings`). A tree
holding any other matcher (wildcards, deleted documents' filters, a phrase under an AND, ...)
is left to Whoosh, and so is a small query. A process that has not imported numpy scores a
query of words in plain Python (:mod:`.sparse`) and leaves the others under
:data:`IMPORT_POSTINGS` to Whoosh: numpy's import costs more than scoring them (a one-query
process should not pay it).
"""

from __future__ import annotations

import sys

from whoosh.matching import (
    ArrayUnionMatcher,
    CoordMatcher,
    IntersectionMatcher,
    InverseMatcher,
    NullMatcherClass,
    UnionMatcher,
    WrappingMatcher,
)

from dlgraph.search import sparse
from dlgraph.search.postings import (
    Segment,
    Unsupported,
    _np,
    cached,
    has_coord,
    is_leaf,
    postings,
    scored,
)
from dlgraph.search.spans import NearNode, PhraseNode, and_words, lazy_phrases, span_top, words

#: Below this many postings in all, Whoosh's own per-document loop is as fast as the arrays
#: (a few dozen microseconds a document against a millisecond a query) ...
ARRAY_POSTINGS = 64
#: ... and below this many, while numpy is not imported yet, cheaper than importing it, for a
#: query :mod:`.sparse` does not score: phrases, CJK words, NOTs, wildcards (a one-query
#: process, ``dlgraph search``, should not pay 0.1 s for it). Whoosh's loop steps a phrase
#: through its words' common documents only, so their postings overstate its work: in fresh
#: processes the search of every such query of bench/search.py's mix took 15-42 ms of CPU by
#: Whoosh's loop and 108-144 ms with numpy's import ("卷积神经网络", 4,945 postings: 36 against
#: 125 ms), and a Japanese sentence of 56,780 postings 124 against 181 ms.
IMPORT_POSTINGS = 60_000
#: What a matcher Whoosh scores itself (a wildcard's) counts as, for the two thresholds above.
OPAQUE_POSTINGS = 1000

_SPAN_NODES = (PhraseNode, NearNode)


def _leaves(m, under_union: bool = True):
    """Yield each leaf and whether only unions (and wrappers) are above it; raise
    :class:`Unsupported` for a node not evaluated here. A phrase's words are under what the
    phrase is under: they report matching where it matches (:mod:`.spans`)."""
    cls = type(m)
    if is_leaf(m):
        yield m, under_union
    elif cls is NullMatcherClass:
        return
    elif cls in _SPAN_NODES:
        for leaf in words(m):
            yield leaf, under_union
    elif cls in (WrappingMatcher, CoordMatcher):
        yield from _leaves(m.child, under_union)
    elif cls is UnionMatcher:
        yield from _leaves(m.a, under_union)
        yield from _leaves(m.b, under_union)
    elif cls is ArrayUnionMatcher:
        for sub in m._submatchers:
            yield from _leaves(sub, under_union)
    elif cls is IntersectionMatcher:
        # an AND of words only (a word its analysis splits, "auto-supervisé") reports its
        # words as a phrase does (:func:`~dlgraph.search.spans.and_words`); no other AND
        whole = under_union and _pure_and(m)
        yield from _leaves(m.a, whole)
        yield from _leaves(m.b, whole)
    elif cls is InverseMatcher:
        yield from _leaves(m.child, False)
    else:
        # scored by Whoosh itself (:func:`_opaque`): its leaves are not ours to read
        yield m, False


#: Whoosh's collector replaces the matcher tree with a pruned copy before every REPLACE-th
#: match (``ScoredCollector(replace=10)``): exhausted terms drop out, and a coordination node
#: counts the terms left in its copy (:func:`_coord`).
REPLACE = 10


class _Tree:
    """One evaluation: the segment, each leaf's result, and the matches Whoosh replaces its
    tree before (set once the tree's matches are known)."""

    def __init__(self, seg: Segment):
        self.seg = seg
        self.present: dict[int, object] = {}  # id(leaf) → its documents
        self.last: dict[int, int] = {}  # id(leaf) → its last document
        self.replaced_at = None  # the documents the collector replaces the tree before
        self.order = None  # each matching document's place among the matches
        self.postings: dict[int, tuple] = {}  # id(leaf) → its (ids, weights, values)
        self.nodes: dict[int, tuple] = {}  # id(phrase node) → its (present, score, terms)
        self.node_present: dict[int, object] = {}  # id(phrase node, nested too) → matches
        self.terms = False  # whether the terms each document matches are asked for
        self.stale: dict[int, int] = {}  # id(phrase word) → where it stands after the phrase
        self.cache = None  # the index's PostingsCache
        self.offset = 0  # the segment's first document number


def _read(tree: _Tree, m):
    """A leaf's postings (:func:`~dlgraph.search.postings.postings`), through the index's
    cache of them."""
    return cached(tree.cache, (tree.offset, "postings", *m.term()), lambda: postings(m))


def _evaluate(tree: _Tree, m, fresh: bool = True, under_union: bool = True):
    """``(present, score, terms)`` of matcher ``m``: which documents it matches, their scores,
    and how many term matchers it reports matching each (``matching_terms``). ``fresh``: no
    one has moved ``m`` since it was built; ``under_union``: only unions are above it."""
    np = _np()
    n = tree.seg.n
    cls = type(m)
    if is_leaf(m):
        got = tree.postings.get(id(m))
        if got is None:
            got = tree.postings[id(m)] = _read(tree, m)
        present, score, last = scored(tree.seg, m, got)
        tree.present[id(m)], tree.last[id(m)] = present, last
        return present, score, present.astype(np.int64)
    if cls in _SPAN_NODES:
        return span_top(tree, m)
    if cls is NullMatcherClass:
        return np.zeros(n, dtype=bool), np.zeros(n), np.zeros(n, dtype=np.int64)
    if cls is WrappingMatcher:
        present, score, terms = _evaluate(tree, m.child, fresh, under_union)
        return present, score * m.boost, terms
    if cls is CoordMatcher:
        present, score, terms = _evaluate(tree, m.child, fresh, under_union)
        return present, _coord(tree, m, present, score, terms), terms
    if cls is UnionMatcher:
        pa, sa, ta = _evaluate(tree, m.a, fresh, under_union)
        pb, sb, tb = _evaluate(tree, m.b, fresh, under_union)
        # every node's scores and term counts are 0 where it does not match (and scores are
        # positive), so adding them is adding where both match and keeping one elsewhere
        return pa | pb, sa + sb, ta + tb
    if cls is IntersectionMatcher:
        pa, sa, ta = _evaluate(tree, m.a, fresh, False)
        pb, sb, tb = _evaluate(tree, m.b, fresh, False)
        present = pa & pb
        if under_union:
            # the collector prunes it (every word under it) once it is spent, after its last
            # match: a coordination counts its words until then (:func:`_coord`)
            matched = present.nonzero()[0]
            last = int(matched[-1]) if len(matched) else -1
            for leaf, _ in _leaves(m):
                tree.last[id(leaf)] = last
            if _pure_and(m):
                and_words(tree, m, present)
        return present, np.where(present, sa + sb, 0.0), np.where(present, ta + tb, 0)
    if cls is ArrayUnionMatcher:
        # Whoosh adds each submatcher's score times the boost into a zeroed array, in order,
        # and skips the documents whose sum is not above zero
        total = np.zeros(n)
        present = np.zeros(n, dtype=bool)
        terms = np.zeros(n, dtype=np.int64)
        for sub in m._submatchers:
            p, s, t = _evaluate(tree, sub, False, under_union)  # read ahead as it was built
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
    if not all(map(is_leaf, leaves)):
        raise Unsupported("a coordination over matchers Whoosh scores")
    if not present.any():  # (a phrase's words are term matchers, and may match nowhere)
        return np.zeros(tree.seg.n)
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
    if is_leaf(m):
        got = tree.postings[id(m)] = _read(tree, m)
        ids = got[0]
        present = np.zeros(seg.n, dtype=bool)
        present[ids] = True
        return present
    if cls in _SPAN_NODES:
        return span_top(tree, m)[0]
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


def _pure_and(m) -> bool:
    """Whether ``m`` is an intersection of words (and of such intersections) only."""
    cls = type(m)
    if cls is IntersectionMatcher:
        return _pure_and(m.a) and _pure_and(m.b)
    if cls is WrappingMatcher:
        return _pure_and(m.child)
    return is_leaf(m)


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
            # phrases under unions are found here from their words' positions (:mod:`.spans`)
            m = (lazy_phrases(q, sub, context) or q).matcher(sub, context)
            leaves = list(_leaves(m))
            if terms and not all(is_leaf(leaf) and only_unions for leaf, only_unions in leaves):
                # Whoosh reports a term under an AND wherever its own matcher happens to be
                # positioned: not a set this module can compute exactly
                raise Unsupported("terms under an intersection")
            # (one segment: the index's cached frequencies; routing asked for most of them)
            frequency = ix.frequency if len(subs) == 1 else sub.reader().doc_frequency
            size += sum(frequency(*leaf.term()) if is_leaf(leaf) else OPAQUE_POSTINGS
                        for leaf, _ in leaves)
            leaves = [(leaf, u) for leaf, u in leaves if is_leaf(leaf)]
            built.append((sub, offset, m, leaves))
    except Unsupported:
        return _whoosh(searcher, q, allowed, terms)
    if size < ARRAY_POSTINGS:
        return _whoosh(searcher, q, allowed, terms)
    loaded = numpy_imported()
    if not loaded and all(sparse.supported(m, terms) for _, _, m, _ in built):
        # words only, and no numpy yet: scored in plain Python (:mod:`.sparse`), faster
        # than Whoosh's loop and than importing numpy (over arrays, with numpy imported, a
        # long question is faster still: 6-7 ms against 17-20 for the whole search)
        try:
            return Matches(*sparse.matches(ix, built, allowed, terms))
        except Unsupported:  # a scorer not evaluated there
            return _whoosh(searcher, q, allowed, terms)
    if not loaded and size < IMPORT_POSTINGS:
        return _whoosh(searcher, q, allowed, terms)
    try:
        return _arrays(ix, built, allowed, terms)
    except Unsupported:  # a scorer not evaluated here
        return _whoosh(searcher, q, allowed, terms)


def numpy_imported() -> bool:
    """Whether this process has imported numpy (a search does not import it for a query it
    can score without)."""
    return "numpy" in sys.modules


def _whoosh(searcher, q, allowed, terms) -> Matches:
    results = searcher.search(q, limit=None, filter=allowed, terms=terms)
    return Matches(results.top_n, results.docterms if terms else None)


def _segment(sub) -> Segment:
    seg = getattr(sub, "_dlgraph_arrays", None)
    if seg is None:
        seg = sub._dlgraph_arrays = Segment(sub)
    return seg


def _arrays(ix, built, allowed, terms) -> Matches:
    np = _np()
    total = ix.searcher.doc_count_all()
    ids_all, scores_all, termdocs = [], [], {}
    for sub, offset, m, leaves in built:
        seg = _segment(sub)
        tree = _Tree(seg)
        tree.terms, tree.cache, tree.offset = terms, getattr(ix, "postings_cache", None), offset
        if has_coord(m):
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
            stale = tree.stale.get(id(leaf))
            if stale is not None and present[stale]:  # a word its phrase left standing there
                on[offset + stale] = True
            term = leaf.term()
            termdocs[term] = termdocs[term] | on if term in termdocs else on
    ids = np.concatenate(ids_all)
    scores = np.concatenate(scores_all)
    order = np.lexsort((ids, -scores))
    return Matches(termdocs=termdocs if terms else None, ids=ids[order], scores=scores[order])
