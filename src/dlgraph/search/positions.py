"""Positions as numbers, and Whoosh's span rules on them: where phrases and near matches occur.

An occurrence of a word is one integer key, its document number shifted left and its
position in the low bits, so a word's occurrences are one sorted array and "the next word one
position on" is a lookup of ``key + 1``.
"""

from __future__ import annotations

from itertools import chain
from pickle import loads

from whoosh.formats import Positions
from whoosh.util import make_binary_tree

from dlgraph.search.postings import Unsupported

#: Positions are keyed ``document << _SHIFT | position``: one sorted integer per occurrence.
_SHIFT = 32


def leaf_keys(np, ids, values, fmt):
    """The sorted position keys of one word's postings; ``values`` are the postings' encoded
    positions in format ``fmt``."""
    if type(fmt) is Positions:
        # Positions.decode_positions on all postings at once: each value is a count and a
        # pickled list of deltas (its closing STOP opcode sometimes cut off)
        deltas = [loads(v[4:] if v.endswith(b".") else v[4:] + b".") for v in values]
        counts = np.fromiter(map(len, deltas), dtype=np.int64, count=len(deltas))
        flat = np.fromiter(chain.from_iterable(deltas), dtype=np.int64, count=int(counts.sum()))
        poses = np.cumsum(flat)
        ends = np.cumsum(counts)
        # each posting's running sum starts again from zero
        before = np.concatenate([[0], poses[ends[:-1] - 1]]) if len(counts) else counts
        poses -= np.repeat(before, counts)
        docs = np.repeat(ids, counts)
    else:
        decode = fmt.decoder("positions")
        decoded = [decode(v) for v in values]
        docs = np.repeat(ids, [len(p) for p in decoded])
        poses = np.fromiter(chain.from_iterable(decoded), dtype=np.int64, count=len(docs))
    if not len(poses):
        return np.zeros(0, dtype=np.int64)
    return np.unique((docs.astype(np.int64) << _SHIFT) | poses)


def phrase_spans(np, first, word_keys: list, slop: int):
    """``(starts, ends)`` keys of Whoosh's ``SpanNear2`` spans (ordered, ``mindist`` 1) from
    the ``first`` word's keys: each next word (its sorted keys) one to ``slop`` positions
    after the span so far."""
    starts = ends = first
    for keys in word_keys:
        new_s, new_e = [], []
        for delta in range(1, slop + 1):
            nxt = ends + delta
            hit = _member(np, nxt, keys)
            new_s.append(starts[hit])
            new_e.append(nxt[hit])
        starts, ends = np.concatenate(new_s), np.concatenate(new_e)
        if slop > 1:  # else one span per start still
            starts, ends = _unique_spans(np, starts, ends)
        if not len(starts):
            break
    return starts, ends


def _member(np, values, keys):
    """Which of ``values`` are among the sorted ``keys``."""
    if not len(keys):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(keys, values), len(keys) - 1)
    return keys[at] == values


def _in_docs(np, keys, candidates):
    """The sorted ``keys`` that are in the candidate documents (a boolean array)."""
    docs = candidates.nonzero()[0].astype(np.int64)
    lo = np.searchsorted(keys, docs << _SHIFT)
    hi = np.searchsorted(keys, (docs + 1) << _SHIFT)
    count = hi - lo
    total = int(count.sum())
    if total == len(keys):
        return keys
    return keys[np.repeat(lo - np.cumsum(count) + count, count) + np.arange(total)]


def near_spans(np, a, b, slop: int, ordered: bool, mindist: int):
    """``(starts, ends)`` keys of Whoosh's ``SpanNear`` spans of ``a`` and ``b`` (each
    ``(starts, ends)``): a ``b`` span starting one to ``slop`` positions after an ``a`` span
    ends."""
    if not ordered or mindist != 1:
        raise Unsupported("an unordered or spaced SpanNear")
    (sa, ea), (sb, eb) = a, b
    if len(sb) > 1 and not (sb[1:] >= sb[:-1]).all():
        order = np.argsort(sb, kind="stable")
        sb, eb = sb[order], eb[order]
    new_s, new_e = [], []
    for delta in range(1, slop + 1):
        want = ea + delta
        lo = np.searchsorted(sb, want, "left")
        hi = np.searchsorted(sb, want, "right")
        count = hi - lo
        if not count.any():
            continue
        new_s.append(np.repeat(sa, count))
        idx = np.repeat(lo - np.cumsum(count) + count, count) + np.arange(int(count.sum()))
        new_e.append(eb[idx])
    if not new_s:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return _unique_spans(np, np.concatenate(new_s), np.concatenate(new_e))


def _unique_spans(np, starts, ends):
    if len(starts) < 2:
        return starts, ends
    order = np.lexsort((ends, starts))
    starts, ends = starts[order], ends[order]
    keep = np.ones(len(starts), dtype=bool)
    keep[1:] = (starts[1:] != starts[:-1]) | (ends[1:] != ends[:-1])
    return starts[keep], ends[keep]


def span_docs(np, n: int, starts):
    """The documents (a boolean array of ``n``) that have a span."""
    present = np.zeros(n, dtype=bool)
    present[starts >> _SHIFT] = True
    return present


def sum_tree(scores: list):
    """The scores added as Whoosh's binary tree of intersections adds them."""
    return make_binary_tree(lambda a, b: a + b, scores)
