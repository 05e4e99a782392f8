"""One term's postings as arrays, scored as Whoosh's scorer scores them one by one."""

from __future__ import annotations

import threading
from collections import OrderedDict
from itertools import chain

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching import (
    ArrayUnionMatcher,
    CoordMatcher,
    IntersectionMatcher,
    ListMatcher,
    Matcher,
    UnionMatcher,
    WrappingMatcher,
)
from whoosh.scoring import BM25FScorer, WeightScorer
from whoosh.util.numeric import byte_to_length


class Unsupported(Exception):
    """A matcher this package does not evaluate: the caller lets Whoosh run the query."""


def _np():
    import numpy

    return numpy


class Word(Matcher):
    """One more place of a word in a query's phrases: the word's first matcher (``first``)
    is read once for all of them (a CJK word's bigrams recur in all its near matches)."""

    def __init__(self, first):
        self.first = first

    def term(self):
        return self.first.term()

    def is_active(self):
        return True


def is_leaf(m) -> bool:
    """Whether ``m`` is one term's matcher: a block of postings, or the few postings Whoosh
    keeps inline in its terms file (a word in one document), or a :class:`Word`."""
    cls = type(m)
    return (cls is W3LeafMatcher or cls is Word
            or (cls is ListMatcher and m.term() is not None))


def has_coord(m) -> bool:
    """Whether a coordination (Whoosh's bonus for matching more of a query's words) stands
    anywhere in matcher tree ``m``: both scorers then replay the collector's replacements."""
    cls = type(m)
    if cls is CoordMatcher:
        return True
    if cls is WrappingMatcher:
        return has_coord(m.child)
    if cls in (UnionMatcher, IntersectionMatcher):
        return has_coord(m.a) or has_coord(m.b)
    if cls is ArrayUnionMatcher:
        return any(has_coord(sub) for sub in m._submatchers)
    return False


def real(m):
    """The Whoosh matcher reading a leaf's postings."""
    return m.first if type(m) is Word else m


class Segment:
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
            raw = length_bytes(self.reader, fieldname, self.n)
            if raw is None:  # no lengths kept: the scorer's default, 1
                got = np.ones(self.n)
            else:
                got = _B2L()[np.frombuffer(raw, np.uint8)]
            self._lengths[fieldname] = got
        return got


def length_bytes(reader, fieldname: str, n: int) -> bytes | None:
    """Each of a segment's ``n`` documents' length byte of ``fieldname`` (0 past the column's
    end), or None when the segment keeps no lengths of it."""
    col = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if col is None:
        return None
    count = min(col._count, n)
    return bytes(col._dbfile.get(col._basepos, count)) + bytes(n - count)


_b2l = None


def _B2L():
    global _b2l
    if _b2l is None:
        np = _np()
        _b2l = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)
    return _b2l


class PostingsCache:
    """Decoded postings of the terms searched lately, shared by an index's searches.

    Reading a term's postings is unpickling its blocks (positions too): most of a long
    question's matching, and the same common words come back query after query, and in every
    search of one query (the app's facet clicks, one per language for the language filter).
    Least recently used first out, past :attr:`limit` postings in all. Its arrays are read-only
    and it is locked: one index's searches share it from any thread.
    """

    def __init__(self, limit: int = 1_000_000):
        self.limit = limit
        self._items: OrderedDict = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            got = self._items.get(key)
            if got is not None:
                self._items.move_to_end(key)
            return got

    def put(self, key, value: tuple, size: int) -> None:
        for v in value:
            if hasattr(v, "flags"):
                v.flags.writeable = False
        with self._lock:
            if key in self._items or size > self.limit:
                return
            self._items[key] = (value, size)
            self._size += size
            while self._size > self.limit:
                _, (_, dropped) = self._items.popitem(last=False)
                self._size -= dropped


def cached(cache, key, read):
    """``read()``'s tuple of arrays, kept in ``cache`` (a :class:`PostingsCache` or ``None``)
    under ``key``."""
    if cache is None:
        return read()
    got = cache.get(key)
    if got is not None:
        return got[0]
    value = read()
    cache.put(key, value, sum(len(v) for v in value if hasattr(v, "flags")))
    return value


def postings(leaf, values: bool = False):
    """All ``(ids, weights, values)`` of a leaf matcher (``values``: each posting's encoded
    positions, only when asked for; else ``None``), reading its blocks (the matcher is
    spent)."""
    np = _np()
    leaf = real(leaf)
    if type(leaf) is ListMatcher:
        ids = np.asarray(leaf._ids, dtype=np.int64)
        # ListMatcher.weight(): one weight for all, else each its own, else 1.0
        if leaf._all_weights:
            weights = np.full(len(ids), float(leaf._all_weights))
        elif leaf._weights:
            weights = np.asarray(leaf._weights, dtype=np.float64)
        else:
            weights = np.ones(len(ids))
        vals = leaf._values if values else None
        if vals is not None and any(isinstance(v, list) for v in vals):
            raise Unsupported("combined values")
        return ids, weights, vals
    if not values and not leaf._byteids:
        return _blocks(np, leaf)
    ids, weights, vals = [], [], []
    # from its first block: an ArrayUnionMatcher reads its leaves ahead as it is built
    leaf.reset()
    while leaf.is_active():
        leaf._read_ids()
        leaf._read_weights()
        ids.append(np.asarray(leaf._ids, dtype=np.int64))
        weights.append(np.asarray(leaf._weights, dtype=np.float64))
        if values:
            leaf._read_values()
            vals.extend(leaf._values)
        if leaf._lastblock:
            break
        leaf._next_block()
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0), [] if values else None
    return np.concatenate(ids), np.concatenate(weights), vals if values else None


def _blocks(np, leaf):
    """``(ids, weights, None)`` of a block matcher from its blocks' raw data: what its
    ``_read_ids`` and ``_read_weights`` make of each block, decoded for all blocks at once."""
    deltas, weights, counts = [], [], []
    leaf.reset()
    while leaf.is_active():
        leaf._read_data()
        block_ids, block_weights, _values = leaf._data
        n = leaf._blocklength
        deltas.append(block_ids)
        counts.append(n)
        if block_weights is None:  # all 1.0
            weights.append(np.ones(n))
        elif isinstance(block_weights, float):  # one weight, kept in a float32 array
            weights.append(np.full(n, np.float32(block_weights), dtype=np.float64))
        else:
            weights.append(np.array(block_weights, dtype=np.float64))
        if leaf._lastblock:
            break
        leaf._next_block()
    if not counts:
        return np.zeros(0, dtype=np.int64), np.zeros(0), None
    sizes = np.array(counts, dtype=np.int64)
    flat = np.fromiter(chain.from_iterable(deltas), dtype=np.int64, count=int(sizes.sum()))
    # each block's ids are deltas from zero (whoosh.util.numlists.delta_decode)
    running = np.cumsum(flat)
    ends = np.cumsum(sizes)
    before = np.concatenate([[0], running[ends[:-1] - 1]])
    return running - np.repeat(before, sizes), np.concatenate(weights), None


def scored(seg: Segment, leaf, got):
    """``(present, score, last)`` of one term's postings ``got`` (:func:`postings`), scored
    as its scorer would, and the last document it matches."""
    np = _np()
    ids, tf = got[0], got[1]
    present = np.zeros(seg.n, dtype=bool)
    present[ids] = True
    score = np.zeros(seg.n)
    leaf = real(leaf)
    scorer = leaf._scorer if type(leaf) is ListMatcher else leaf.scorer
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
