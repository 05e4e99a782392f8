"""Where Whoosh leaves a phrase's words once the phrase has no more matches.

Whoosh's terms collector reports a word at every collected document its matcher stands on,
whether or not the phrase holding it matches there. While a phrase has matches to come its
words stand together on its next one, so they are reported exactly where it matches; after
its last match the phrase steps its words on through its intersections until one runs out,
and the others stay where that search left them, to be reported if the query collects the
document they stand on. This module replays that last search, Whoosh's ``next``, ``skip_to``
and ``_find_next`` of its intersection and span matchers, on the words' document numbers,
from where the phrase's last match left them (or from the start, for a phrase that never
matches, as Whoosh builds it).
"""

from __future__ import annotations

import bisect

from whoosh.util import make_binary_tree

from dlgraph.search.postings import Unsupported


class _Word:
    """A word's matcher: its document numbers and the place it stands on."""

    def __init__(self, ids: list[int], at: int = 0):
        self.ids, self.i = ids, at

    def is_active(self):
        return self.i < len(self.ids)

    def id(self):
        return self.ids[self.i]

    def next(self):
        self.i += 1

    def skip_to(self, target):
        if not self.is_active():
            raise Unsupported("a word read too far")
        if target > self.ids[self.i]:
            self.i = bisect.bisect_left(self.ids, target, self.i)


class _Null:
    """``NullMatcher``: a phrase of a sequence with a word the index lacks."""

    def is_active(self):
        return False


class _And:
    """``IntersectionMatcher``."""

    def __init__(self, a, b, build: bool = True):
        self.a, self.b = a, b
        if build and a.is_active() and b.is_active() and a.id() != b.id():
            self._find_next()

    def is_active(self):
        return self.a.is_active() and self.b.is_active()

    def id(self):
        return self.a.id()

    def _find_next(self):
        a, b = self.a, self.b
        a_id, b_id = a.id(), b.id()
        while a.is_active() and b.is_active() and a_id != b_id:
            if a_id < b_id:
                a.skip_to(b_id)
                if not a.is_active():
                    return
                a_id = a.id()
            else:
                b.skip_to(a_id)
                if not b.is_active():
                    return
                b_id = b.id()

    def next(self):
        if not self.is_active():
            raise Unsupported("an intersection read too far")
        self.a.next()
        if self.is_active():
            self._find_next()

    def skip_to(self, target):
        if not self.is_active():
            raise Unsupported("an intersection read too far")
        self.a.skip_to(target)
        self.b.skip_to(target)
        if self.is_active() and self.a.id() != self.b.id():
            self._find_next()


class _Spans:
    """``SpanWrappingMatcher``: its child's documents that have its spans (``matched``)."""

    def __init__(self, child, matched, build: bool = True):
        self.child, self.matched = child, matched
        if build and self.is_active():
            self._find_next()

    def is_active(self):
        return self.child.is_active()

    def id(self):
        return self.child.id()

    def _find_next(self):
        child = self.child
        if not child.is_active():
            return
        while child.is_active() and not self.matched[child.id()]:
            child.next()

    def next(self):
        self.child.next()
        self._find_next()

    def skip_to(self, target):
        self.child.skip_to(target)
        self._find_next()


def left_standing(node, part_of, ids_of, present_of, last: int) -> list[tuple[object, int]]:
    """``(word matcher, document)`` for each word of ``node`` (a phrase or sequence node of
    :mod:`.spans`) still standing on a document after the node's last match (``last``, or -1
    when it has none), as Whoosh's matchers leave them.

    ``part_of(node)`` gives a node's parts (``("phrase", words, None)``, ``("near", a, b)``,
    ``("wrap", child, None)``, ``("word", leaf, None)``, ``("and", a, b)`` (an intersection,
    a query's AND of words) or ``("null", None, None)``),
    ``ids_of(leaf)`` a word's sorted document numbers (a list), ``present_of(node)`` a
    node's matches (a boolean array).
    """
    words: list[tuple[object, _Word]] = []

    def sim(m, build: bool):
        kind, x, y = part_of(m)
        if kind == "word":
            ids = ids_of(m)
            w = _Word(ids, bisect.bisect_left(ids, last) if last >= 0 else 0)
            words.append((m, w))
            return w
        if kind == "wrap":
            return sim(x, build)
        if kind == "null":
            return _Null()
        if kind == "and":
            return _And(sim(x, build), sim(y, build), build)
        if kind == "phrase":
            inner = make_binary_tree(lambda a, b: _And(a, b, build),
                                     [sim(leaf, build) for leaf in x])
            return _Spans(inner, present_of(m), build)
        return _Spans(_And(sim(x, build), sim(y, build), build), present_of(m), build)

    top = sim(node, build=last < 0)
    if last >= 0:  # standing together on the last match: Whoosh moves on from there
        top.next()
    return [(leaf, w.id()) for leaf, w in words if w.is_active()]
