"""Spelling: the vocabulary of common words built into the index, and did-you-mean."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from dlgraph.querytext import CJK_RE, clean_query, distance, fold
from dlgraph.search.analysis import LANGUAGE_GROUPS, _chains, _spell_analyzer
from dlgraph.search.query import _OPERATORS

if TYPE_CHECKING:
    from dlgraph.search.index import SearchIndex
    from dlgraph.searchable import SearchDoc


#: A word seen in fewer documents than this may be a typo worth correcting ...
RARE_DF = 3
#: ... when a word within two edits is at least this many times more frequent.
CORRECTION_RATIO = 10
#: What a query's correction looks at: a "phrase" (its words), a ``field:value`` (never: a
#: video ID or an edition code is no misspelling), or a word of four letters or more, or of
#: three when capitalised like a name ("Yan LeCun").
_WORD_RE = re.compile(r'"[^"]*"|(?<!\S)[^\s:"()]+:(?:"[^"]*"|\S*)'
                      r'|(?<![\w:])([^\W\d_]{4,}|[^\W\d_a-z][^\W\d_A-Z]{2})(?![\w:])')


def _spelling_vocabulary(docs: list[SearchDoc]) -> Callable[..., list[str]]:
    """A function keeping the words of a text common enough to be a spelling correction.

    Only words in at least :data:`RARE_DF` documents go into the ``spell`` field: the rest
    are the typos and one-offs a correction must not suggest, and a small vocabulary keeps
    the edit-distance walk fast.
    """
    tokenize = _spell_analyzer()
    df: Counter = Counter()
    for d in docs:
        df.update({t.text for t in tokenize(" ".join((d.heading or d.title, d.text, *d.names)))})
    common = {w for w, n in df.items() if n >= RARE_DF}

    def frequent(*texts: str) -> list[str]:
        return sorted({t.text for t in tokenize(" ".join(texts))} & common)

    return frequent


def _frequency(ix: SearchIndex, word: str) -> int:
    """In how many documents ``word`` occurs, in the language that has it most."""
    reader = ix.searcher.reader()
    best = reader.doc_frequency("names", fold(word))
    for g in LANGUAGE_GROUPS:
        for form in (t.text for t in _chains()[g](word)):
            best = max(best, reader.doc_frequency(f"body_{g}", form),
                       reader.doc_frequency(f"title_{g}", form))
    return best


def _transpositions(w: str) -> list[str]:
    return [w[:i] + w[i + 1] + w[i] + w[i + 2 :] for i in range(len(w) - 1) if w[i] != w[i + 1]]


def _correct_word(ix: SearchIndex, word: str) -> str | None:
    w = word.lower()
    reader = ix.searcher.reader()
    if CJK_RE.search(w) or ("spell", w) in reader:
        return None  # the spelling vocabulary holds only common words
    df = _frequency(ix, w)
    if df >= RARE_DF:
        return None
    need = max(RARE_DF, CORRECTION_RATIO * df)
    # cheapest first: a swapped pair of letters, then one edit, then two (same first letters)
    stages = (lambda: [t for t in _transpositions(w) if ("spell", t) in reader],
              lambda: reader.terms_within("spell", w, 1, prefix=2),
              lambda: reader.terms_within("spell", w, 2, prefix=2))
    for stage in stages:
        best = None
        for cand in stage():
            if cand == w:
                continue
            if fold(cand) == fold(w):
                return None  # a known word typed without (or with other) accents
            cdf = reader.doc_frequency("spell", cand)
            if cdf < need:
                continue
            key = (distance(w, cand), -cdf, cand)
            if best is None or key < best:
                best = key
        if best is not None:
            return best[2]
    return None


def suggest(ix: SearchIndex, text: str) -> str | None:
    """The query with its likely misspellings corrected, or ``None`` when nothing needs it.

    A word is corrected when it is rare in the index (in fewer than :data:`RARE_DF`
    documents) and a word within two edits is :data:`CORRECTION_RATIO` times more common
    (any word at all, when the typed one is in no document): ``backpropogation`` →
    ``backpropagation``. Field names and values, operators and short words (but a
    capitalised three-letter name) are left alone.
    """
    with ix.reading():
        return _suggest(ix, text)


def _suggest(ix: SearchIndex, text: str) -> str | None:
    text = clean_query(text)
    changed = False

    def fix(word: str) -> str:
        nonlocal changed
        better = None if word in _OPERATORS else _correct_word(ix, word)
        if better is None:
            return word
        changed = True
        return better.capitalize() if word[:1].isupper() and word[1:].islower() else better

    def repl(m: re.Match) -> str:
        if m.group(1) is not None:
            return fix(m.group(1))
        if m.group().startswith('"'):  # a "phrase": correct the words inside it
            return re.sub(r"[^\W\d_]{4,}", lambda w: fix(w.group()), m.group())
        return m.group()  # field:value

    fixed = _WORD_RE.sub(repl, text)
    return fixed if changed else None
