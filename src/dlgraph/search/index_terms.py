"""A document's terms at index time in one pass: the analysis chain, without its tokens.

Whoosh indexes a text field by running its analyzer — a chain of generators passing one
mutable token object along — and collecting the terms and positions the chain yields. For
the body and title fields that is half the index build: a few microseconds per word, over
ten million characters of pages and transcripts. Every step of the chains here (lowercase,
stop words, British spellings, Snowball stemming, accent folding) depends on the word alone,
so :class:`ChainText` works out once what each distinct word becomes (a term, or nothing
for a stop word) and then only looks words up; positions are numbered as ``StopFilter``
renumbers them. What it writes is what the chain would have: ``tests/test_index_terms.py``
compares the two on every language group's chain.

A chain with a step this module does not know is analysed by Whoosh as before, and so is
everything outside index time (queries, highlighting).
"""

from __future__ import annotations

from collections.abc import Callable

from whoosh import formats
from whoosh.analysis import (
    CharsetFilter,
    CompositeAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import KEYWORD, TEXT
from whoosh.lang import stemmer_for_language
from whoosh.system import pack_uint

from dlgraph.querytext import CJK_RE
from dlgraph.search.analysis import CJKBigramFilter, _BritishFilter, _NoCJKFilter

#: Distinct words one chain remembers before it starts over (bounds the build's memory).
_MEMO_LIMIT = 400_000

Terms = Callable[[str], dict[str, list[int]]]
_UNSEEN = object()
#: Words up to this long are remembered whole by a chain that splits words into pieces.
_SHORT_WORD = 24


def one_pass(analyzer) -> Terms | None:
    """``text`` → ``{term: [positions]}`` as ``analyzer`` indexes it, or None when this
    module cannot mirror the analyzer (an unknown step, a splitting tokenizer)."""
    items = analyzer.items if isinstance(analyzer, CompositeAnalyzer) else [analyzer]
    if not items or type(items[0]) is not RegexTokenizer or items[0].gaps:
        return None
    finditer = items[0].expression.finditer
    kinds = [type(item) for item in items[1:]]
    if CJKBigramFilter in kinds:
        return _split_pass(finditer, items[1:])
    renumber = any(type(item) is StopFilter and item.renumber for item in items[1:])
    if renumber and _NoCJKFilter in kinds:
        return None  # two steps dropping words: StopFilter would number what the other drops
    steps = _steps(items[1:])
    if steps is None:
        return None
    memo: dict[str, str | None] = {}

    def word(raw: str) -> str | None:
        return _remember(memo, raw, _through(steps, raw))

    def terms(text: str) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        get = memo.get
        pos = None
        for i, m in enumerate(finditer(text)):
            raw = m.group()
            term = get(raw, _UNSEEN)
            if term is _UNSEEN:
                term = word(raw)
            if term is None:
                continue
            # StopFilter(renumber=True): the first word kept keeps its place, the next ones
            # follow it with no gaps where stop words were
            pos = i if pos is None or not renumber else pos + 1
            poses = out.get(term)
            if poses is None:
                out[term] = [pos]
            else:
                poses.append(pos)
        return out

    return terms


def _steps(items) -> list[Callable[[str], str | None]] | None:
    steps = [_step(item) for item in items]
    return None if None in steps else steps


def _through(steps, text: str) -> str | None:
    """``text`` through each step in turn; None once a step drops it."""
    for step in steps:
        text = step(text)
        if text is None:
            return None
    return text


def _index_time(value, kwargs: dict) -> bool:
    """Whether a field's ``index(value, **kwargs)`` is the plain index-time call, the one whose
    terms this module works out (anything else goes to Whoosh as it is)."""
    return (kwargs.get("mode", "index") == "index" and not set(kwargs) - {"mode"}
            and isinstance(value, str))


def _remember(memo: dict, key: str, value):
    """``value``, kept in ``memo`` under ``key`` (which starts over when full)."""
    if len(memo) >= _MEMO_LIMIT:
        memo.clear()
    memo[key] = value
    return value


def _split_pass(finditer, items) -> Terms | None:
    """The one pass of a chain that splits words into CJK bigrams: each word kept becomes
    its pieces, and the pieces are numbered one after another from 0, as
    :class:`~dlgraph.search.analysis.CJKBigramFilter` numbers them (stop words before it
    leave no gaps)."""
    at = [type(item) for item in items].index(CJKBigramFilter)
    before, after = _steps(items[:at]), _steps(items[at + 1 :])
    dropping = (_NoCJKFilter, StopFilter)  # a piece dropped would leave a gap in the numbers
    if before is None or after is None or any(type(i) in dropping for i in items[at + 1 :]):
        return None
    pieces = CJKBigramFilter.pieces
    # A run of CJK text is one "word" up to its punctuation, seldom seen twice: the words
    # remembered are the short ones, and each bigram is finished once.
    memo: dict[str, tuple[str, ...]] = {}
    finished: dict[str, str] = {}

    def finish(piece: str) -> str:
        return _remember(finished, piece, _through(after, piece))

    def word(raw: str) -> tuple[str, ...]:
        text = _through(before, raw)
        get = finished.get
        out = () if text is None else tuple(get(p) or finish(p) for p in pieces(text))
        return _remember(memo, raw, out) if len(raw) <= _SHORT_WORD else out

    def terms(text: str) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        get = memo.get
        pos = 0
        for m in finditer(text):
            raw = m.group()
            found = get(raw)
            if found is None:
                found = word(raw)
            for term in found:
                poses = out.get(term)
                if poses is None:
                    out[term] = [pos]
                else:
                    poses.append(pos)
                pos += 1
        return out

    return terms


def _step(item) -> Callable[[str], str | None] | None:
    kind = type(item)
    if kind is LowercaseFilter:
        return str.lower
    if kind is StopFilter:
        stops, least, most = item.stops, item.min, item.max

        def stop(text: str) -> str | None:
            n = len(text)
            if n < least or (most is not None and n > most) or text in stops:
                return None
            return text

        return stop
    if kind is _BritishFilter:
        sub = _BritishFilter._RE.sub

        def british(text: str) -> str:
            return sub(r"iz\1", text) if len(text) > 5 and "is" in text else text

        return british
    if kind is StemFilter:
        stem = stemmer_for_language(item.lang) if item.lang else item.stemfn
        ignore = item.ignore
        return (lambda text: text if text in ignore else stem(text)) if ignore else stem
    if kind is _NoCJKFilter:
        search = CJK_RE.search
        return lambda text: None if search(text) else text
    if kind is CharsetFilter:
        charmap = item.charmap
        return lambda text: text.translate(charmap)
    return None


class ChainText(TEXT):
    """A Whoosh ``TEXT`` field whose index-time terms come from :func:`one_pass`.

    The index's schema names this class by its module path: moving or renaming it makes
    indexes built before unreadable (``dlgraph ingest`` rebuilds them; the code is part of
    the build's fingerprint).

    Stored in the index's schema like any field; reading the index, querying it and
    highlighting go through the analyzer as a plain ``TEXT`` field does.
    """

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_one_pass", None)  # a closure: rebuilt by the process that indexes
        return state

    def _terms(self) -> Terms | None:
        if "_one_pass" not in self.__dict__:
            fmt = self.format
            known = type(fmt) in (formats.Positions, formats.Frequency)
            self._one_pass = one_pass(self.analyzer) if known else None
        return self._one_pass

    def index(self, value, **kwargs):
        if not _index_time(value, kwargs):
            return super().index(value, **kwargs)
        terms = self._terms()
        if terms is None:
            return super().index(value, **kwargs)
        fmt = self.format
        boost = fmt.field_boost
        if type(fmt) is formats.Positions:
            encode = fmt.encode
            return [(w.encode("utf-8"), len(p), len(p) * 1.0 * boost, encode(p))
                    for w, p in terms(value).items()]
        return [(w.encode("utf-8"), len(p), len(p) * 1.0 * boost, pack_uint(len(p)))
                for w, p in terms(value).items()]


class KeywordTerms(KEYWORD):
    """A Whoosh ``KEYWORD`` field that analyses each distinct value once at index time.

    A filter field holds a handful of values over thousands of documents (every transcript
    passage's kind, edition and language), so Whoosh's own terms of a value are kept and
    given again: the same terms, without running the analyzer per document. Like
    :class:`ChainText`, the schema names this class by its module path.
    """

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_seen", None)  # this process's memo, not part of the schema
        return state

    def index(self, value, **kwargs):
        if not _index_time(value, kwargs):
            return super().index(value, **kwargs)
        seen = self.__dict__.setdefault("_seen", {})
        terms = seen.get(value)
        return terms if terms is not None else _remember(seen, value, tuple(super().index(value)))
