"""The people an index knows by name: each word of a name → the names holding it.

Read by the spelling corrector (a name typed with a slip is corrected whole) and by routing
(a query that is someone's whole name is read where people's pages are).
"""

from __future__ import annotations

import re
import weakref
from collections import defaultdict
from typing import TYPE_CHECKING

from dlgraph.querytext import fold, has_syntax
from dlgraph.search.query import USER_FIELDS

if TYPE_CHECKING:
    from dlgraph.search.index import SearchIndex

_NAME_WORD_RE = re.compile(r"[^\W\d_]+")
#: Person names by each of their words (lower case, no accents), per index: built on first use.
_NAMES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _person_names(ix: SearchIndex) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """Each word of a person's name → ``(name as spelled, its words)`` of the people it names."""
    names = _NAMES.get(ix)
    if names is None:
        names = defaultdict(list)
        for d, kind in enumerate(ix.kinds):
            if kind != "person":
                continue
            title = ix.searcher.stored_fields(d)["meta"]["title"] or ""
            words = tuple(fold(w.lower()) for w in _NAME_WORD_RE.findall(title))
            for w in set(words):
                names[w].append((title, words))
        _NAMES[ix] = names
    return names


def names_someone(ix: SearchIndex, text: str) -> bool:
    """Whether ``text`` is exactly someone's name (its words, in order, accents aside)."""
    words = tuple(fold(w.lower()) for w in _NAME_WORD_RE.findall(text))
    if len(words) < 2 or has_syntax(text, USER_FIELDS):
        return False
    return any(parts == words for _, parts in _person_names(ix).get(words[0], ()))
