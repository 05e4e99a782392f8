"""Routing: which language groups' fields a query searches."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from dlgraph.search.analysis import CJK_GROUPS, LANGUAGE_GROUPS, _chains
from dlgraph.search.people import _NAME_WORD_RE, names_someone
from dlgraph.search.query import _OPERATORS, CJK_LOOSE_BIGRAMS

if TYPE_CHECKING:
    from dlgraph.search.index import SearchIndex


#: A language is searched when its rarest query word is at least 1/ROUTE_RATIO as common as in
#: the best language's pages.
ROUTE_RATIO = 4


_WORDS_RE = re.compile(r"(?<![\w:])([^\W_]+)(?![\w:])")


@lru_cache(maxsize=50_000)
def word_forms(group: str, word: str) -> tuple[str, ...]:
    """The terms ``group``'s analysis makes of ``word`` (cached: routing and spelling analyse
    each word in every language, and Whoosh's analysis is per-token Python)."""
    return tuple(t.text for t in _chains()[group](word))


def route(ix: SearchIndex, text: str) -> tuple[tuple[str, ...], bool]:
    """The language groups to search for ``text``, and whether one of them has every word.

    A group qualifies when each of the query's words (as that group analyses it) occurs in its
    titles or bodies; its strength is the document frequency of its rarest word. Groups within
    :data:`ROUTE_RATIO` of the strongest are searched, English alone when it is one of them
    (``attention`` is English even though French pages say it too; ``rétropropagation`` in one
    English page is still French). When no group has every word, every group that has any.
    A query that is someone's whole name goes to English when every group chosen drops a word
    of it as a stop word.
    """
    words = [w for w in _WORDS_RE.findall(text) if w not in _OPERATORS]
    if not words:
        return ("en",), True
    strength: dict[str, int] = {}
    some = []
    for g in LANGUAGE_GROUPS:
        dfs = []
        for w in words:
            forms = word_forms(g, w)
            if forms:  # else a stop word in this language
                found = sorted(ix.text_frequency(g, f) for f in forms)
                # a long CJK word matches with one of its bigrams missing (cjk_run_query)
                loose = g in CJK_GROUPS and len(forms) >= CJK_LOOSE_BIGRAMS
                dfs.append(found[1] if loose else found[0])
        if dfs and max(dfs) > 0:
            some.append(g)
            if min(dfs) > 0:
                strength[g] = min(dfs)
    if strength:
        best = max(strength.values())
        chosen = tuple(g for g in LANGUAGE_GROUPS
                       if g in strength and strength[g] * ROUTE_RATIO >= best)
        groups, whole = (("en",) if "en" in chosen else chosen), True
    else:
        groups, whole = (tuple(some) or ("en",)), False
    if groups != ("en",) and _name_cut(ix, text, groups):
        # someone's whole name, a word of which is a stop word where it was routed: "Che
        # Wang" went to the Italian pages ("che"), and three other Wangs were the cards.
        # Read in English, where people's pages are (a name only the Turkish pages say,
        # whole, stays Turkish).
        return ("en",), "en" in strength
    return groups, whole


def _name_cut(ix: SearchIndex, text: str, groups: tuple[str, ...]) -> bool:
    """Whether ``text`` is someone's whole name and each of ``groups`` drops a word of it."""
    if not names_someone(ix, text):
        return False
    words = _NAME_WORD_RE.findall(text)
    return all(any(not word_forms(g, w) for w in words) for g in groups)
