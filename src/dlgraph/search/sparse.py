"""Every match of a query of words, scored in plain Python: for a process without numpy.

A ``dlgraph search`` process answers one query: importing numpy for :mod:`.matching`'s arrays
costs it 0.06-0.09 s of CPU, and Whoosh's own loop scores a long question's few thousand
matches in about as long (a dozen matchers stepped and asked for every document). A question
of plain words is a tree of unions, boosts and a coordination over term matchers: this module
evaluates that tree over each node's matching documents (dicts, document → score and →
matching terms), with :mod:`.matching`'s operations in the same order, so the scores are
Whoosh's to the last bit (``tests/test_search_identical.py``, ``bench/search.py --compare``).
Any other node (phrases, intersections, negations, wildcards) is left to :mod:`.matching`.
"""

from __future__ import annotations

import bisect
from array import array
from itertools import accumulate

from whoosh.matching import (
    CoordMatcher,
    IntersectionMatcher,
    ListMatcher,
    NullMatcherClass,
    UnionMatcher,
    WrappingMatcher,
)
from whoosh.scoring import BM25FScorer, WeightScorer
from whoosh.util.numeric import byte_to_length

from dlgraph.search.postings import Unsupported, Word, has_coord, is_leaf, length_bytes, real

#: Whoosh's collector replaces its matcher tree before every REPLACE-th match
#: (:data:`dlgraph.search.matching.REPLACE`, :func:`_coord`).
REPLACE = 10

#: Each length byte's field length, as Whoosh decodes it.
_B2L = [byte_to_length(i) for i in range(256)]


def supported(m, terms: bool, under_and: bool = False) -> bool:
    """Whether matcher tree ``m`` holds only what this module evaluates, when the terms each
    document matches are asked for (``terms``) or not."""
    cls = type(m)
    if is_leaf(m):
        return cls is not Word  # (a phrase's word: phrases are not evaluated here)
    if cls is NullMatcherClass:
        return True
    if cls is WrappingMatcher:
        return supported(m.child, terms, under_and)
    if cls is CoordMatcher:
        # (a coordination under an AND: matching.py's count of its terms is not Whoosh's
        # there, tests/test_search_sparse.py; dlgraph's parser makes none)
        return not under_and and supported(m.child, terms)
    if cls is UnionMatcher:
        return supported(m.a, terms, under_and) and supported(m.b, terms, under_and)
    if cls is IntersectionMatcher:
        # a field filter typed in the query ("lang:fr gradient"); where its words are
        # reported Whoosh leaves them standing (dlgraph.search.stepping): not done here
        return not terms and supported(m.a, terms, True) and supported(m.b, terms, True)
    # (an ArrayUnionMatcher, Whoosh's OR of many words in an index of at most 5,000
    # documents, reads its words ahead: a coordination above it counts the words that
    # happen to stand on a document, which only Whoosh knows)
    return False


def _leaves(m):
    cls = type(m)
    if is_leaf(m):
        yield m
    elif cls in (WrappingMatcher, CoordMatcher):
        yield from _leaves(m.child)
    elif cls in (UnionMatcher, IntersectionMatcher):
        yield from _leaves(m.a)
        yield from _leaves(m.b)


def _matched(ev, m) -> set[int]:
    """The documents matcher ``m`` matches (:func:`dlgraph.search.matching._matched`)."""
    cls = type(m)
    if is_leaf(m):
        return set(ev.read(m)[0])
    if cls is NullMatcherClass:
        return set()
    if cls in (WrappingMatcher, CoordMatcher):
        return _matched(ev, m.child)
    if cls is UnionMatcher:
        return _matched(ev, m.a) | _matched(ev, m.b)
    if cls is IntersectionMatcher:
        return _matched(ev, m.a) & _matched(ev, m.b)
    raise Unsupported(cls.__name__)


def _f32(value: float) -> float:
    """``value`` as the float32 Whoosh keeps one weight for a whole block in."""
    return array("f", (value,))[0]


def postings(leaf) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """``(ids, weights)`` of a leaf matcher, read as
    :func:`dlgraph.search.postings.postings` reads them (the matcher is spent)."""
    leaf = real(leaf)
    if type(leaf) is ListMatcher:
        ids = tuple(leaf._ids)
        if leaf._all_weights:
            weights = (float(leaf._all_weights),) * len(ids)
        elif leaf._weights:
            weights = tuple(float(w) for w in leaf._weights)
        else:
            weights = (1.0,) * len(ids)
        return ids, weights
    ids: list[int] = []
    weights: list[float] = []
    leaf.reset()
    while leaf.is_active():
        if leaf._byteids:
            leaf._read_ids()
            leaf._read_weights()
            ids.extend(leaf._ids)
            weights.extend(leaf._weights)
        else:
            leaf._read_data()
            block_ids, block_weights, _values = leaf._data
            n = leaf._blocklength
            # each block's ids are deltas from zero (whoosh.util.numlists.delta_decode)
            ids.extend(accumulate(block_ids))
            if block_weights is None:  # all 1.0
                weights.extend((1.0,) * n)
            elif isinstance(block_weights, float):  # one weight, kept in a float32 array
                weights.extend((_f32(block_weights),) * n)
            else:
                weights.extend(block_weights)
        if leaf._lastblock:
            break
        leaf._next_block()
    return tuple(ids), tuple(weights)


class _Eval:
    """One segment's evaluation: its searcher, each leaf's documents and last document."""

    def __init__(self, sub, cache, offset: int):
        self.sub = sub
        self.reader = sub.reader()
        self.n = self.reader.doc_count_all()
        self.cache, self.offset = cache, offset
        self.docs: dict[int, tuple[int, ...]] = {}  # id(leaf) → its documents
        self.last: dict[int, int] = {}  # id(leaf) → its last document
        self.replaced_at: list[int] = []  # the documents the collector replaces the tree before
        self.place: dict[int, int] = {}  # each matching document's place among the matches

    def lengths(self, fieldname: str) -> bytes | None:
        """Each document's length byte of ``fieldname`` (kept on the searcher: it is this
        thread's while a search borrows it)."""
        kept = self.sub.__dict__.setdefault("_dlgraph_length_bytes", {})
        if fieldname not in kept:
            # None: no lengths kept, the scorer's default, 1
            kept[fieldname] = length_bytes(self.reader, fieldname, self.n)
        return kept[fieldname]

    def read(self, leaf):
        key = (self.offset, "lists", *leaf.term())
        if self.cache is None:
            return postings(leaf)
        got = self.cache.get(key)
        if got is not None:
            return got[0]
        value = postings(leaf)
        self.cache.put(key, value, len(value[0]))
        return value

    def leaf(self, m) -> dict[int, float]:
        ids, tf = self.read(m)
        self.docs[id(m)] = ids
        self.last[id(m)] = ids[-1] if ids else -1
        leaf = real(m)
        scorer = leaf._scorer if type(leaf) is ListMatcher else leaf.scorer
        if type(scorer) is BM25FScorer:
            idf, avgfl, B, K1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
            raw = self.lengths(leaf.term()[0])
            # whoosh.scoring.bm25, operation for operation (the part of the denominator
            # that depends on the field's length, once per length byte)
            k1 = K1 + 1
            if raw is None:
                norm = K1 * ((1 - B) + B * 1.0 / avgfl)
                scores = [idf * ((t * k1) / (t + norm)) for t in tf]
            else:
                norms = [K1 * ((1 - B) + B * fl / avgfl) for fl in _B2L]
                scores = [idf * ((t * k1) / (t + norms[raw[d]]))
                          for d, t in zip(ids, tf, strict=True)]
            return dict(zip(ids, scores, strict=True))
        if type(scorer) is WeightScorer:
            return dict(zip(ids, tf, strict=True))
        raise Unsupported(type(scorer).__name__)


def _merge(sa: dict, sb: dict) -> dict:
    """The sum of two nodes' scores where both match, either's elsewhere (into the larger,
    which no one else holds: every node's dict is its own)."""
    if len(sa) < len(sb):
        sa, sb = sb, sa
    get = sa.get
    for d, s in sb.items():
        x = get(d)
        sa[d] = s if x is None else x + s
    return sa


def _evaluate(ev: _Eval, m, under_union: bool = True
              ) -> tuple[dict[int, float], dict[int, int]]:
    """``(scores, terms)`` of matcher ``m``: each matching document's score and how many term
    matchers match it (:func:`dlgraph.search.matching._evaluate`, document by document);
    ``under_union``: only unions (and wrappers) are above it."""
    cls = type(m)
    if is_leaf(m):
        scores = ev.leaf(m)
        return scores, dict.fromkeys(scores, 1)
    if cls is NullMatcherClass:
        return {}, {}
    if cls is WrappingMatcher:
        scores, terms = _evaluate(ev, m.child, under_union)
        boost = m.boost
        return {d: s * boost for d, s in scores.items()}, terms
    if cls is CoordMatcher:
        scores, terms = _evaluate(ev, m.child, under_union)
        return _coord(ev, m, scores, terms), terms
    if cls is UnionMatcher:
        sa, ta = _evaluate(ev, m.a, under_union)
        sb, tb = _evaluate(ev, m.b, under_union)
        return _merge(sa, sb), _merge(ta, tb)
    if cls is IntersectionMatcher:
        sa, ta = _evaluate(ev, m.a, False)
        sb, tb = _evaluate(ev, m.b, False)
        if len(sa) > len(sb):
            sa, ta, sb, tb = sb, tb, sa, ta
        scores = {d: s + sb[d] for d, s in sa.items() if d in sb}
        if under_union:
            # the collector prunes it (every word under it) once it is spent, after its last
            # match: a coordination counts its words until then (:func:`_coord`)
            last = max(scores, default=-1)
            for leaf in _leaves(m):
                ev.last[id(leaf)] = last
        return scores, {d: ta[d] + tb[d] for d in scores}
    raise Unsupported(cls.__name__)


def _coord(ev: _Eval, m, scores: dict, terms: dict) -> dict[int, float]:
    """Whoosh's ``CoordMatcher._sqr`` of each document, with the term count its copy of the
    tree had when the document was scored: the terms not yet exhausted at the last
    replacement (:func:`dlgraph.search.matching._coord`)."""
    if not scores:
        return {}
    # (the child is evaluated: each of its leaves' last document is known)
    lasts = sorted(ev.last[id(leaf)] for leaf in _leaves(m.child))
    # a term is left at a replacement if its last document is at or after it
    left = [len(lasts) - bisect.bisect_left(lasts, r) for r in ev.replaced_at]
    place, scale = ev.place, m._scale
    out = {}
    for d, score in scores.items():
        count = left[place[d] // REPLACE]
        if count == 0 or count == scale:
            out[d] = 0.0
            continue
        # whoosh.matching.wrappers.CoordMatcher._sqr, operation for operation
        out[d] = (score + ((terms[d] - 1) / (count - scale) ** 2)) * ((count - 1) / count)
    return out


def _replacements(ev: _Eval, m) -> None:
    """The documents Whoosh's collector replaces the tree before (every REPLACE-th match),
    and each matching document's place among the matches."""
    matched = sorted(_matched(ev, m))
    ev.place = {d: i for i, d in enumerate(matched)}
    ev.replaced_at = matched[::REPLACE]


def matches(ix, built, allowed, terms: bool):
    """``(top_n, docterms)`` of a query's matcher trees (one per segment, ``built`` as
    :func:`dlgraph.search.matching.all_matches` makes it), as
    ``searcher.search(q, limit=None, filter=allowed, terms=terms)`` gives them."""
    pairs: list[tuple[float, int]] = []
    docterms: dict[int, list] | None = {} if terms else None
    cache = getattr(ix, "postings_cache", None)
    for sub, offset, m, leaves in built:
        ev = _Eval(sub, cache, offset)
        if has_coord(m):
            _replacements(ev, m)
        scores, _ = _evaluate(ev, m)
        if allowed is not None:
            scores = {d: s for d, s in scores.items() if d + offset in allowed}
        pairs.extend((s, d + offset) for d, s in scores.items())
        for leaf, _only_unions in leaves if terms else ():
            term = leaf.term()
            for d in ev.docs[id(leaf)]:
                if d in scores:
                    docterms.setdefault(d + offset, []).append(term)
    pairs.sort(key=lambda sd: (-sd[0], sd[1]))
    return pairs, docterms
