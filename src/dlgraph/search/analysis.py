"""How text becomes terms: one analysis chain per language group.

Snowball stemming where Whoosh has it, English stop words everywhere (translations quote English
terms), accent folding, and overlapping character bigrams for Chinese, Japanese and Korean,
which have no spaces between words. The three are analysed alike but apart: they share Han
characters, and a Chinese query must not find a Japanese page that writes the same word.
"""

from __future__ import annotations

import re
from functools import cache

from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.lang import has_stemmer, has_stopwords, stopwords_for_language
from whoosh.support.charset import accent_map

from dlgraph.querytext import CJK, CJK_RE, fold

#: Languages with their own analysed fields; every other language is analysed as ``xx``.
LANGUAGE_GROUPS = ("en", "fr", "es", "it", "pt", "ru", "tr", "hu", "ar", "xx", "zh", "ja", "ko")
#: The groups analysed as character bigrams (:class:`CJKBigramFilter`).
CJK_GROUPS = frozenset({"zh", "ja", "ko"})


_TOKEN = r"[^\W_]+(?:\.[^\W_]+)*"  # words; underscores split notebook names
_RUNS_RE = re.compile(f"[{CJK}]+|[^{CJK}]+")


class CJKBigramFilter(Filter):
    """Splits runs of Chinese/Japanese/Korean characters into overlapping bigrams.

    A lone character stays a unigram; non-CJK runs inside a token (``PyTorch是``) stay words.
    Unigrams inside longer runs are not indexed: they would double the postings and the build
    time, and a one-character query is rare.
    """

    def __call__(self, tokens):
        pos = 0
        for t in tokens:
            text = t.text
            if not CJK_RE.search(text):
                t.pos = pos
                pos += 1
                yield t
                continue
            base = t.startchar if t.chars else 0
            for piece, off in self.spans(text):
                yield self._emit(t, piece, pos, base + off)
                pos += 1

    @staticmethod
    def spans(text: str):
        """``(piece, offset)`` of each token ``text`` becomes: its runs of CJK characters
        as overlapping bigrams (a lone character as itself), its other runs whole."""
        for m in _RUNS_RE.finditer(text):
            run, off = m.group(), m.start()
            if len(run) == 1 or not CJK_RE.match(run):
                yield run, off
                continue
            for i in range(len(run) - 1):
                yield run[i : i + 2], off + i

    @classmethod
    def pieces(cls, text: str) -> list[str]:
        """The texts of :meth:`spans` (a token without CJK characters stays whole)."""
        if not CJK_RE.search(text):
            return [text]
        return [piece for piece, _ in cls.spans(text)]

    @staticmethod
    def _emit(t, text, pos, start):
        t.text, t.pos = text, pos
        if t.chars:
            t.startchar, t.endchar = start, start + len(text)
        return t


class _BritishFilter(Filter):
    """``optimisation`` → ``optimization``: SP20 writes British English, learners often don't.

    Applied to both the pages and the queries, so a word that merely ends like this
    (``noise`` → ``noize``) still matches itself.
    """

    _RE = re.compile(r"(?<=\w{3})is(ation|ations|e|ed|es|ing|er|ers)$")

    def __call__(self, tokens):
        for t in tokens:
            if len(t.text) > 5 and "is" in t.text:
                t.text = self._RE.sub(r"iz\1", t.text)
            yield t


class _NoCJKFilter(Filter):
    """Drops CJK tokens: the spelling vocabulary is for alphabetic words only."""

    def __call__(self, tokens):
        for t in tokens:
            if not CJK_RE.search(t.text):
                yield t


_EN_STOP = frozenset(stopwords_for_language("en"))


def _stops(group: str) -> frozenset:
    extra = (stopwords_for_language(group)
             if group != "xx" and group not in CJK_GROUPS and has_stopwords(group) else ())
    return _EN_STOP | frozenset(extra)


def _chain(group: str):
    """The analysis chain of one language group."""
    chain = RegexTokenizer(_TOKEN) | LowercaseFilter()
    if group in CJK_GROUPS:
        # Latin words inside CJK pages are mostly English terms: stem them as English
        return (chain | StopFilter(stoplist=_EN_STOP, minsize=1) | CJKBigramFilter()
                | StemFilter(lang="en", cachesize=100_000) | CharsetFilter(accent_map))
    chain = chain | StopFilter(stoplist=_stops(group))
    if group == "en":
        chain = chain | _BritishFilter()
    if group != "xx" and has_stemmer(group):
        chain = chain | StemFilter(lang=group, cachesize=100_000)
    if group == "en":
        # English keeps its (rare) accents, so an accented word routes to its own language
        return chain
    # folding after stemming: the Snowball stemmers expect the accents
    return chain | CharsetFilter(accent_map)


@cache
def _chains() -> dict:
    return {g: _chain(g) for g in LANGUAGE_GROUPS}


#: A run of CJK characters this long is more likely a phrase or a sentence than one word.
SENTENCE_CHARS = 6


def cjk_spread(text: str) -> str:
    """``text`` with each run of :data:`SENTENCE_CHARS` CJK characters or more written as its
    overlapping bigrams, one word each: ``什么是卷积`` → ``什么 么是 是卷 卷积``."""
    def spread(m: re.Match) -> str:
        run = m.group()
        if len(run) < SENTENCE_CHARS or not CJK_RE.match(run):
            return run
        return " " + " ".join(run[i : i + 2] for i in range(len(run) - 1)) + " "

    return " ".join(_RUNS_RE.sub(spread, text).split())


def _names_analyzer():
    return RegexTokenizer(_TOKEN) | LowercaseFilter() | CharsetFilter(accent_map)


def _spell_analyzer():
    return RegexTokenizer(r"[^\W\d_]{3,}") | LowercaseFilter() | _NoCJKFilter()


def language_group(lang: str | None) -> str:
    """The analysis group of a language code (``zh-CN`` → ``zh``, ``fa`` → ``xx``)."""
    base = (lang or "en").lower().split("-")[0]
    return base if base in LANGUAGE_GROUPS else "xx"


def _label_key(text: str) -> str:
    """A topic label or a query, compared loosely: case, accents, hyphens and spacing aside."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(text.lower())).split())
