"""Phrases over arrays: where a phrase (or a CJK word's near match) occurs, found from the
positions of all its candidate documents at once.

Whoosh builds a phrase's matcher by finding its first match (every word's positions, one
document at a time, in span objects), and moves it on the same way: a CJK word of five
bigrams is twelve such phrases, most of a search's time. Here a phrase under unions becomes a
:class:`PhraseNode` (a :class:`NearNode` for a :class:`~whoosh.query.Sequence`'s pair), which
holds its words' leaf matchers unread; :mod:`.matching` reads their postings and asks
:func:`span_top` where the phrase occurs (:mod:`.positions`). The spans are Whoosh's own
(``SpanNear2`` for a phrase, ``SpanNear`` for a sequence): the same documents match, scored as
Whoosh scores them (the sum of the words' scores, in its binary tree's order), and its words
are reported where Whoosh's collector reports them (:mod:`.stepping`).
"""

from __future__ import annotations

import copy

from whoosh import query as wquery
from whoosh.matching import (
    IntersectionMatcher,
    ListMatcher,
    NullMatcher,
    NullMatcherClass,
    WrappingMatcher,
)
from whoosh.query import positional
from whoosh.util import make_binary_tree

from dlgraph.search.positions import (
    _in_docs,
    leaf_keys,
    near_spans,
    phrase_spans,
    span_docs,
    sum_tree,
)
from dlgraph.search.postings import (
    Unsupported,
    Word,
    _np,
    cached,
    is_leaf,
    postings,
    real,
    scored,
)
from dlgraph.search.stepping import left_standing


class _SpanNode(WrappingMatcher):
    """Whoosh's span matchers are ``WrappingMatcher`` subclasses, and that decides ties: the
    weighted union tree ``Or`` builds sorts its children by estimated size, and where two
    sizes tie Python compares the matchers, asking a subclass first (``Matcher.__lt__`` and
    ``__gt__`` answer by class). The same classes in the same relation build the same tree,
    so the scores add up in the same order."""

    def __init__(self):  # no child: the node is read by this module, never moved
        pass

    def __repr__(self):
        return f"{type(self).__name__}({self.children()!r})"


class PhraseNode(_SpanNode):
    """Where Whoosh has a ``SpanNear2Matcher``: a phrase's words' matchers, in order."""

    def __init__(self, leaves: list, slop: int):
        self.leaves = leaves
        self.slop = slop

    def children(self):
        return list(self.leaves)

    def is_active(self):
        return True

    def term(self):
        return None


class NearNode(_SpanNode):
    """Where Whoosh has a ``SpanNear.SpanNearMatcher``: ``b`` within ``slop`` after ``a``."""

    def __init__(self, a, b, slop: int = 1, ordered: bool = True, mindist: int = 1):
        self.a, self.b = a, b
        self.slop, self.ordered, self.mindist = slop, ordered, mindist

    def children(self):
        return [self.a, self.b]

    def is_active(self):
        return True

    def term(self):
        return None


class _Phrase(wquery.Phrase):
    """A phrase whose matcher is a :class:`PhraseNode` (``Phrase.matcher`` up to the span
    matcher it would build)."""

    def matcher(self, searcher, context=None):
        fieldname = self.fieldname
        if fieldname not in searcher.schema:
            return NullMatcher()
        field = searcher.schema[fieldname]
        if not field.format or not field.format.supports("positions"):
            raise wquery.QueryError(f"Phrase search: {fieldname!r} field has no positions")
        reader = searcher.reader()
        terms = []
        for word in self.words:
            try:
                word = field.to_bytes(word)
            except ValueError:
                return NullMatcher()
            if (fieldname, word) not in reader:
                return NullMatcher()
            terms.append(wquery.Term(fieldname, word))
        m = PhraseNode([_word(self._words, t, searcher, context) for t in terms], self.slop)
        if self.boost != 1.0:
            m = WrappingMatcher(m, boost=self.boost)
        return m


class _Sequence(positional.Sequence):
    """A sequence whose matcher is a binary tree of :class:`NearNode` (as Whoosh's is of
    ``SpanNearMatcher``)."""

    def matcher(self, searcher, context=None):
        subs = self.subqueries
        if not subs:
            return NullMatcher()
        if len(subs) == 1:
            return subs[0].matcher(searcher, context)
        subms = [_word(self._words, q, searcher, context)
                 if type(q) is wquery.Term and q.boost == 1.0 else q.matcher(searcher, context)
                 for q in subs]
        m = make_binary_tree(NearNode, subms, slop=self.slop, ordered=self.ordered)
        if self.boost != 1.0:
            m = WrappingMatcher(m, self.boost)
        return m


def _word(shared: dict, term, searcher, context):
    """The matcher of one place of ``term`` (an unboosted ``Term``) in a phrase: Whoosh's own
    (``Term.matcher``) at its first place, a :class:`Word` reading it at the others."""
    text = term.text
    if not isinstance(text, bytes):
        field = searcher.schema[term.fieldname] if term.fieldname in searcher.schema else None
        try:
            text = field.to_bytes(text) if field is not None else None
        except ValueError:
            text = None
        if text is None:
            return term.matcher(searcher, context)
    key = (term.fieldname, text)
    first = shared.get(key)
    if first is None:
        first = shared[key] = term.matcher(searcher, context)
        return first
    if not is_leaf(first):
        return term.matcher(searcher, context)
    return Word(first)


def lazy_phrases(q, searcher, context):
    """``q`` with each phrase and sequence only unions are above turned into one whose matcher
    is read here; ``None`` when it has none. Under an intersection Whoosh's matchers move
    their children as they are built, so those stay Whoosh's."""
    found: list = []  # the phrases made lazy
    out = _lazy(q, searcher, context, found, {})
    return out if found else None


def _lazy(q, searcher, context, found, shared):
    cls = type(q)
    if cls is wquery.Phrase:
        out = _Phrase(q.fieldname, q.words, slop=q.slop, boost=q.boost,
                      char_ranges=q.char_ranges)
    elif cls is positional.Sequence:
        if not all(type(s) in (wquery.Phrase, wquery.Term) for s in q.subqueries):
            return q
        out = copy.copy(q)
        out.__class__ = _Sequence
        out.subqueries = [_lazy(s, searcher, context, found, shared) if type(s) is wquery.Phrase
                          else s for s in q.subqueries]
    else:
        if cls is wquery.Or and _binary_unions(q, searcher, context):
            out = copy.copy(q)
            out.subqueries = [_lazy(s, searcher, context, found, shared) for s in q.subqueries]
            return out
        return q
    out._words = shared  # one matcher per word for all the query's phrases (:func:`_word`)
    found.append(out)
    return out


def _binary_unions(q, searcher, context) -> bool:
    """Whether Whoosh makes ``q`` (an ``Or``) a tree of ``UnionMatcher`` (``Or._matcher``'s
    choice), not an array it fills by reading every child ahead."""
    subs = q.subqueries
    if len(subs) <= 1:
        return True
    if q.matcher_type != q.AUTO_MATCHER:
        return q.matcher_type == q.DEFAULT_MATCHER
    needs_current = context.needs_current if context else True
    return len(subs) < q.TOO_MANY_CLAUSES and (
        needs_current or bool(q.scale) or len(subs) == 2 or searcher.doc_count_all() > 5000)


def span_top(tree, m):
    """``(present, score, terms)`` of a phrase or sequence node only unions are above; its
    words report matching (``tree.present``, and its last match ``tree.last``, for
    coordination) exactly where it matches, as Whoosh's span matchers report them."""
    got = tree.nodes.get(id(m))
    if got is None:
        np = _np()
        present, score, count, _spans = _part(tree, m)
        terms = np.where(present, count, 0)
        matched = present.nonzero()[0]
        last = int(matched[-1]) if len(matched) else -1
        for leaf in words(m):
            tree.present[id(leaf)], tree.last[id(leaf)] = present, last
        if tree.terms:  # and where its words stand once it has no more matches
            for leaf, doc in left_standing(m, _parts, lambda leaf: real(leaf)._dlgraph_ids,
                                           lambda node: tree.node_present[id(node)], last):
                tree.stale[id(leaf)] = doc
        got = tree.nodes[id(m)] = (present, score, terms)
    return got


def and_words(tree, m, present) -> None:
    """The words of an intersection of words only unions are above (``m``, matching
    ``present``) report as a phrase's do (:func:`span_top`): where it matches, and where
    Whoosh's search after its last match leaves them."""
    matched = present.nonzero()[0]
    last = int(matched[-1]) if len(matched) else -1
    for leaf in words(m):
        tree.present[id(leaf)], tree.last[id(leaf)] = present, last
    if tree.terms:
        for leaf in words(m):
            first = real(leaf)
            if getattr(first, "_dlgraph_ids", None) is None:
                first._dlgraph_ids = tree.postings[id(leaf)][0].tolist()
        for leaf, doc in left_standing(m, _parts, lambda leaf: real(leaf)._dlgraph_ids,
                                       None, last):
            tree.stale[id(leaf)] = doc


def _parts(m):
    """A node's parts, as :func:`~dlgraph.search.stepping.left_standing` reads them."""
    cls = type(m)
    if is_leaf(m):
        return "word", m, None
    if cls is IntersectionMatcher:
        return "and", m.a, m.b
    if cls is WrappingMatcher:
        return "wrap", m.child, None
    if cls is PhraseNode:
        return "phrase", m.leaves, None
    if cls is NearNode:
        return "near", m.a, m.b
    if cls is NullMatcherClass:
        return "null", None, None
    raise Unsupported(f"{cls.__name__} in a phrase")


def words(m):
    """The term matchers under a node (those Whoosh's ``term_matchers`` finds)."""
    if is_leaf(m):
        yield m
    elif type(m) is WrappingMatcher:
        yield from words(m.child)
    elif type(m) is PhraseNode:
        for leaf in m.leaves:
            yield from words(leaf)
    elif type(m) in (NearNode, IntersectionMatcher):
        yield from words(m.a)
        yield from words(m.b)


def _read(tree, m):
    """``(present, score, position keys)`` of a word in a phrase, read once per word (kept on
    its first matcher, which lives as long as this evaluation)."""
    first = real(m)
    got = getattr(first, "_dlgraph_read", None)
    if got is None:
        np = _np()

        def read():
            ids, weights, values = postings(first, values=True)
            fmt = first._format if type(first) is ListMatcher else first.format
            return ids, weights, leaf_keys(np, ids, values, fmt)

        ids, weights, keys = cached(tree.cache, (tree.offset, "positions", *first.term()), read)
        first._dlgraph_ids = ids.tolist()
        present, score, _last = scored(tree.seg, first, (ids, weights))
        got = first._dlgraph_read = (present, score, keys)
    return got


def _part(tree, m):
    """``(present, score, words, spans)`` of a node or a word in one (``words``: how many
    term matchers it reports matching, where it matches): ``spans(candidates)`` gives its
    spans' ``(starts, ends)`` keys, at least those in the candidate documents (``None``:
    all of them)."""
    np = _np()
    n = tree.seg.n
    cls = type(m)
    if is_leaf(m):
        present, score, keys = _read(tree, m)

        def spans(candidates):
            at = keys if candidates is None else _in_docs(np, keys, candidates)
            return at, at

        return present, score, 1, spans
    if cls is WrappingMatcher:
        present, score, count, spans = _part(tree, m.child)
        return present, score * m.boost, count, spans
    if cls is NullMatcherClass:
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros(n, dtype=bool), np.zeros(n), 0, lambda candidates: (empty, empty)
    if cls is PhraseNode:
        parts = [_part(tree, leaf) for leaf in m.leaves]
        candidates = parts[0][0]
        for p in parts[1:]:
            candidates = candidates & p[0]
        found = phrase_spans(np, parts[0][3](candidates)[0],
                             [p[3](None)[0] for p in parts[1:]], m.slop)
        present = tree.node_present[id(m)] = span_docs(np, n, found[0])
        score = np.where(present, sum_tree([p[1] for p in parts]), 0.0)
        return present, score, sum(p[2] for p in parts), lambda candidates: found
    if cls is NearNode:
        pa, sa, ca, fa = _part(tree, m.a)
        pb, sb, cb, fb = _part(tree, m.b)
        candidates = pa & pb
        found = near_spans(np, fa(candidates), fb(None), m.slop, m.ordered, m.mindist)
        present = tree.node_present[id(m)] = span_docs(np, n, found[0])
        return present, np.where(present, sa + sb, 0.0), ca + cb, lambda candidates: found
    raise Unsupported(f"{cls.__name__} in a phrase")
