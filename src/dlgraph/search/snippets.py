"""Snippets: the excerpt of a hit around its matches, marked ``[[like this]]``."""

from __future__ import annotations

import re
from collections import deque
from functools import lru_cache

from whoosh.support.charset import accent_map

from dlgraph.querytext import CJK_RE
from dlgraph.search.analysis import _RUNS_RE, _TOKEN, CJK_GROUPS, _chains
from dlgraph.search.latex import MATH_RE, readable


def _marked(text: str, start: int, end: int, matches: list[tuple[int, int]]) -> str:
    """``text[start:end]`` with ``[[…]]`` around its matches.

    Overlapping or touching matches merge into one mark, so the CJK bigrams ``卷积`` ``积神``
    ``神经`` read as ``[[卷积神经]]``.
    """
    spans: list[list[int]] = []
    for s, e in sorted(matches):
        if spans and s <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], e)
        else:
            spans.append([s, e])
    out, at = [], start
    for s, e in spans:
        out += [text[at:s], "[[", text[s:e], "]]"]
        at = e
    out.append(text[at:end])
    return "".join(out)


#: Most characters of the matched words a fragment holds, and context characters around them.
_FRAGMENT = {"latin": (220, 60), "cjk": (110, 30)}  # a CJK character says about a Latin word
SNIPPET_CHARS = 220
_TOKEN_RE = re.compile(_TOKEN)
_UNSEEN = object()


@lru_cache(maxsize=200_000)
def _forms(group: str, word: str) -> frozenset[str]:
    """The terms ``group``'s analysis makes of one word (cached: snippets re-analyse the same
    words over and over, and Whoosh's analysis is per-token Python)."""
    return frozenset(t.text for t in _chains()[group](word, mode="query"))


def _tokens(text: str, group: str, terms: frozenset):
    """``(start, end, term or None)`` for each word of ``text`` as ``group`` indexes it: CJK runs
    as overlapping bigrams (:class:`CJKBigramFilter`); ``term`` is the query term it matches."""
    if group not in CJK_GROUPS:
        # the same, for a language without CJK runs: each word once through the analysis
        # (a snippet's words repeat: "the", the matched word itself)
        matched: dict[str, str | None] = {}
        for m in _TOKEN_RE.finditer(text):
            word = m.group()
            term = matched.get(word, _UNSEEN)
            if term is _UNSEEN:
                hit = _forms(group, word) & terms
                term = matched[word] = min(hit) if hit else None
            yield m.start(), m.end(), term
        return
    for m in _TOKEN_RE.finditer(text):
        word, at = m.group(), m.start()
        if group in CJK_GROUPS and CJK_RE.search(word):
            for r in _RUNS_RE.finditer(word):
                run, off = r.group(), at + r.start()
                if len(run) > 1 and CJK_RE.match(run):
                    for i in range(len(run) - 1):
                        bigram = run[i : i + 2]
                        yield off + i, off + i + 2, bigram if bigram in terms else None
                else:
                    hit = _forms(group, run) & terms
                    yield off, off + len(run), min(hit) if hit else None
            continue
        hit = _forms(group, word) & terms
        yield at, m.end(), min(hit) if hit else None


def _fragments(tokens, maxchars: int, surround: int):
    """Stretches of text around matches: ``(start, end, matches, matched terms)``.

    Whoosh's ``ContextFragmenter``, over :func:`_tokens`: a fragment starts ``surround``
    characters before a match, takes the following matches while it holds at most ``maxchars``
    characters of words, and ends ``surround`` characters after its last match.
    """
    firsts: deque = deque()
    countdown, first, length, end = -1, None, 0, 0
    matches: list[tuple[int, int]] = []
    matched: set[str] = set()
    for start, end, term in tokens:
        size = end - start
        if countdown < 0 and term is None:
            firsts.append(start)
            while firsts and end - firsts[0] > surround:
                firsts.popleft()
        elif length + size > maxchars:
            countdown = 0
        elif term is not None:
            countdown = surround
            if first is None:
                if firsts:
                    first = firsts[0]
                else:
                    first = start
                    countdown += surround
            matches.append((start, end))
            matched.add(term)
        if countdown >= 0:
            length += size
            countdown -= size
            if countdown <= 0:
                yield first, end, matches, matched
                firsts, first, length, matches, matched = deque(), None, 0, [], set()
    if matches:
        yield first, end, matches, matched


def _window(text: str, terms: frozenset, width: int = 160) -> tuple[int, int]:
    """Where the stretch of ``text`` around the first likely match is: analysing all of it is
    slow."""
    if len(text) <= 2 * width:
        return 0, len(text)
    low = text.lower()
    hits = [i for t in terms if (i := low.find(t)) >= 0]
    if not hits:  # the terms are accent-folded: fold the text too (slower, so only now)
        folded = low.translate(accent_map)
        hits = [i for t in terms if (i := folded.find(t)) >= 0]
    if not hits:
        return 0, 2 * width
    start = max(0, min(hits) - width // 2)
    # start on a word boundary so the excerpt does not begin mid-word
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    return start, start + 2 * width


def _readable(full: str, start: int, end: int) -> tuple[str, bool, bool]:
    """``full[start:end]`` widened to whole math spans and with its math as readable text (only
    the excerpt is converted: pylatexenc is slow), and whether it reaches each end of ``full``."""
    if "$" in full or "\\" in full:
        for m in MATH_RE.finditer(full):
            if m.start() >= end:
                break
            if m.start() < start < m.end():
                start = m.start()
            if m.start() < end < m.end():
                end = m.end()
    return readable(full[start:end]), start == 0, end >= len(full)


def _snippet(text: str, terms: frozenset, group: str) -> str:
    """A short excerpt of ``text`` with the query's terms marked ``[[like this]]``."""
    # literal brackets are split so that ``[[`` and ``]]`` only ever mean a match
    full = " ".join((text or "").replace("[[", "[ [").replace("]]", "] ]").split())
    if not full:
        return ""
    if terms:
        cjk = group in CJK_GROUPS
        text, first, last = _readable(full, *_window(full, terms, 80 if cjk else 160))
        maxchars, surround = _FRAGMENT["cjk" if cjk else "latin"]
        # the fragment with the most matches of the most distinct terms (ties: the later one),
        # as Whoosh's BasicFragmentScorer ranks them
        best = max(_fragments(_tokens(text, group, terms), maxchars, surround),
                   key=lambda f: (len(f[2]) * len(f[3]), f[0]), default=None)
        if best is not None:
            start, end, matches, _ = best
            marked = _marked(text, start, end, matches).strip()
            at_start = start == 0 and first
            at_end = end >= len(text) and last
            return ("" if at_start else "… ") + marked + ("" if at_end else " …")
    text, _, last = _readable(full, 0, SNIPPET_CHARS)
    if last and len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
