"""Spelling: the vocabulary of common words built into the index, and did-you-mean."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from dlgraph.querytext import CJK_RE, clean_query, distance, fold, has_syntax
from dlgraph.search.analysis import LANGUAGE_GROUPS, _spell_analyzer
from dlgraph.search.people import _NAME_WORD_RE, _person_names
from dlgraph.search.query import _OPERATORS, USER_FIELDS
from dlgraph.search.routing import word_forms

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


def _spelling_vocabulary(docs: list[SearchDoc]) -> Callable[[SearchDoc], list[str]]:
    """A function giving the words of one of ``docs`` common enough to be a spelling
    correction (its heading or title, text and names).

    Only words in at least :data:`RARE_DF` documents go into the ``spell`` field: the rest
    are the typos and one-offs a correction must not suggest, and a small vocabulary keeps
    the edit-distance walk fast. Each document's words are analysed once, here, and kept for
    the function (the build's costliest step is Whoosh's per-token analysis).
    """
    tokenize = _spell_analyzer()
    df: Counter = Counter()
    words: dict[int, set[str]] = {}
    for d in docs:
        words[id(d)] = {t.text for t in tokenize(" ".join((d.heading or d.title, d.text, *d.names)))}
        df.update(words[id(d)])
    common = {w for w, n in df.items() if n >= RARE_DF}

    def frequent(d: SearchDoc) -> list[str]:
        return sorted(words[id(d)] & common)

    return frequent


def _frequency(ix: SearchIndex, word: str) -> int:
    """In how many documents ``word`` occurs, in the language that has it most."""
    best = ix.frequency("names", fold(word))
    for g in LANGUAGE_GROUPS:
        for form in word_forms(g, word):
            best = max(best, ix.text_frequency(g, form))
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
    capitalised three-letter name) are left alone, and so is a word of a person's name; a
    person's name typed with a slip next to a word of it spelled right is corrected whole
    (``Yan LeCun`` → ``Yann LeCun``, :func:`_names_fixed`).
    """
    with ix.reading():
        return _suggest(ix, text)


def _name_edits(word: str, name_word: str) -> int | None:
    """Edits from a typed word to a word of a name, or ``None`` when too far to be a slip: one
    edit in a short word, two in one of seven letters or more, the first letter kept."""
    if word[:1] != name_word[:1]:
        return None
    edits = distance(word, name_word)
    return edits if edits <= (1 if len(name_word) < 7 else 2) else None


def _names_fixed(ix: SearchIndex, text: str) -> list[tuple[int, int, str]]:
    """``(start, end, name)`` of each run of the query's words that misspells a person's whole
    name, one of its words exactly right: "Yan LeCun" → "Yann LeCun".

    The word corrector cannot do it: "yan" is a word in its own right (Turkish pages say it)
    and too short to correct alone; next to "LeCun" it is a slip in a name.
    """
    if has_syntax(text, USER_FIELDS):
        return []
    words = [(m.start(), m.end(), fold(m.group().lower())) for m in _NAME_WORD_RE.finditer(text)]
    if len(words) < 2:
        return []
    names = _person_names(ix)
    fixed: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words):
        best = None  # (edits, -length, name)
        for title, parts in {n for _, _, w in words[i:] for n in names.get(w, ())}:
            run = words[i : i + len(parts)]
            if len(run) < len(parts):
                continue
            edits = [_name_edits(w, p) for (_, _, w), p in zip(run, parts, strict=True)]
            if None in edits or 0 not in edits:
                continue
            key = (sum(edits), -len(parts), title)
            if best is None or key < best:
                best = key
        if best is None:
            i += 1
            continue
        n = -best[1]
        if best[0]:  # else someone's name typed right ("Li Jiang", though "Lin Jiang" is too)
            fixed.append((words[i][0], words[i + n - 1][1], best[2]))
        i += n
    return fixed


def _suggest(ix: SearchIndex, text: str) -> str | None:
    text = clean_query(text)
    names = _names_fixed(ix, text)
    if names:
        # the misspelled names are replaced whole; the words between them are checked as usual
        out, at = [], 0
        for start, end, name in names:
            out += [_suggest_words(ix, text[at:start]) or text[at:start], name]
            at = end
        out.append(_suggest_words(ix, text[at:]) or text[at:])
        return "".join(out)
    return _suggest_words(ix, text)


def _suggest_words(ix: SearchIndex, text: str) -> str | None:
    changed = False
    names = _person_names(ix)

    def fix(word: str) -> str:
        nonlocal changed
        # a word of a person's name is no misspelling, however rare ("Ahmed Shahin")
        known = word in _OPERATORS or fold(word.lower()) in names
        better = None if known else _correct_word(ix, word)
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
