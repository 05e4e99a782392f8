"""Full-text search across editions: the one module that imports Whoosh.

Documents come from :func:`dlgraph.searchable.documents` (the graph, never the scraper). Each
language group gets its own ``title_<g>``/``body_<g>`` fields with its own analysis: Snowball
stemming where Whoosh has it, English stop words everywhere (translations quote English terms),
accent folding, and overlapping character bigrams for Chinese, Japanese and Korean, which have
no spaces to split words on. A query is analysed once per field, so ``rétropropagation`` is
stemmed as French in the French fields and ``卷积`` becomes bigrams in the CJK fields.

Results collapse on :attr:`SearchDoc.group` (the lecture a page or section is about), so one
lecture's many sections and translations count once; ``total`` and the facet counts count those
groups. Filter values and facet keys are display values (``SP21``, ``Yann LeCun``, a topic label).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path

from rdflib import Graph
from whoosh import highlight, qparser
from whoosh import index as windex
from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.lang import has_stemmer, has_stopwords, stopwords_for_language
from whoosh.qparser import syntax
from whoosh.query import Every, NullQuery
from whoosh.scoring import BM25F
from whoosh.support.charset import accent_map

from dlgraph.searchable import KINDS, SearchDoc, documents
from dlgraph.vocab import slug

#: Bumped whenever the schema or analysis changes: an older index must be rebuilt.
SCHEMA_VERSION = 1
#: Language groups with their own analysed fields; other languages fall into ``xx``.
LANGUAGE_GROUPS = ("en", "fr", "es", "it", "pt", "ru", "tr", "hu", "ar", "cjk", "xx")
CJK_LANGUAGES = ("zh", "ja", "ko")
#: Longer queries are cut (at a word boundary): nobody types more, and parsing grows with it.
MAX_QUERY_CHARS = 300
MAX_QUERY_WORDS = 32
FACETS = ("edition", "kind", "language", "theme", "lecturer", "topic")
TITLE_BOOST, BODY_BOOST, NAMES_BOOST, IDENTS_BOOST, TOPICS_BOOST = 3.0, 1.0, 2.0, 1.5, 1.0

_META_FILE = "dlgraph-index.json"
_COLUMNS_FILE = "columns.json"
_TOKEN = r"[^\W_]+(?:\.[^\W_]+)*"  # words; underscores split notebook names
_CJK = (
    "\u1100-\u11ff\u2e80-\u2fdf\u3040-\u318f\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
)
_CJK_RE = re.compile(f"[{_CJK}]")
_RUNS_RE = re.compile(f"[{_CJK}]+|[^{_CJK}]+")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


class SearchError(Exception):
    """A search that cannot run: a bad filter value, an unreadable query, a missing index."""


class IndexMissing(SearchError):
    """There is no (usable) index in the folder."""


# -- analysis ------------------------------------------------------------------------------


class CJKBigramFilter(Filter):
    """Splits runs of Chinese/Japanese/Korean characters into overlapping bigrams.

    A query becomes a phrase of bigrams, which lines up with the text. A lone character stays a
    unigram; unigrams inside longer runs are not indexed (they would double the postings and
    the build time for little gain). Non-CJK runs inside a token (``PyTorch是``) stay words.
    """

    def __call__(self, tokens):
        pos = 0
        for t in tokens:
            text = t.text
            if not _CJK_RE.search(text):
                t.pos = pos
                pos += 1
                yield t
                continue
            base = t.startchar if t.chars else 0
            for m in _RUNS_RE.finditer(text):
                run, off = m.group(), base + m.start()
                if len(run) == 1 or not _CJK_RE.match(run):
                    yield self._emit(t, run, pos, off)
                    pos += 1
                    continue
                for i in range(len(run) - 1):
                    yield self._emit(t, run[i : i + 2], pos, off + i)
                    pos += 1

    @staticmethod
    def _emit(t, text, pos, start):
        t.text, t.pos = text, pos
        if t.chars:
            t.startchar, t.endchar = start, start + len(text)
        return t


class _NoCJKFilter(Filter):
    """Drops CJK tokens: the spelling vocabulary is for alphabetic words only."""

    def __call__(self, tokens):
        for t in tokens:
            if not _CJK_RE.search(t.text):
                yield t


_EN_STOP = frozenset(stopwords_for_language("en"))


def _analyzer(group: str):
    """The analysis chain of one language group's text fields."""
    chain = RegexTokenizer(_TOKEN) | LowercaseFilter()
    if group == "cjk":
        return chain | StopFilter(stoplist=_EN_STOP, minsize=1) | CJKBigramFilter()
    stops = set(_EN_STOP)
    if group != "xx" and has_stopwords(group):
        stops |= set(stopwords_for_language(group))
    chain = chain | StopFilter(stoplist=stops)
    if group != "xx" and has_stemmer(group):
        chain = chain | StemFilter(lang=group, cachesize=100_000)
    # folding after stemming: the Snowball stemmers expect the accents
    return chain | CharsetFilter(accent_map)


def _names_analyzer():
    return RegexTokenizer(_TOKEN) | LowercaseFilter() | CharsetFilter(accent_map)


def _spell_analyzer():
    return RegexTokenizer(r"[^\W\d_]{3,}") | LowercaseFilter() | _NoCJKFilter()


def language_group(lang: str | None) -> str:
    """The analysis group of a language code (``zh-CN`` → ``cjk``, ``fa`` → ``xx``)."""
    base = (lang or "en").lower().split("-")[0]
    if base in CJK_LANGUAGES:
        return "cjk"
    return base if base in LANGUAGE_GROUPS else "xx"


def _schema() -> Schema:
    fields = {
        "iri": ID(stored=True, unique=True),
        "kind": KEYWORD(lowercase=True),
        "edition": KEYWORD(lowercase=True),
        "lang": KEYWORD(lowercase=True),
        "theme": TEXT(analyzer=_analyzer("en")),
        "lecturer": TEXT(analyzer=_names_analyzer()),
        "topic": KEYWORD(lowercase=True),
        "video": ID,
        "names": TEXT(analyzer=_names_analyzer(), field_boost=NAMES_BOOST),
        "idents": TEXT(analyzer=_analyzer("en"), field_boost=IDENTS_BOOST),
        "topics": TEXT(analyzer=_analyzer("en"), field_boost=TOPICS_BOOST),
        "spell": TEXT(analyzer=_spell_analyzer(), phrase=False),
        "meta": STORED,
        "snippet": STORED,
    }
    for g in LANGUAGE_GROUPS:
        multi = "phrase" if g == "cjk" else "default"
        fields[f"title_{g}"] = TEXT(analyzer=_analyzer(g), multitoken_query=multi)
        fields[f"body_{g}"] = TEXT(analyzer=_analyzer(g), multitoken_query=multi)
    return Schema(**fields)


# -- building ------------------------------------------------------------------------------


def _fields(d: SearchDoc) -> dict:
    g = language_group(d.language)
    title = d.heading or d.title
    body = "\n".join(x for x in (d.text, d.context) if x)
    meta = {k: v for k, v in asdict(d).items() if k not in ("text", "context", "idents")}
    return {
        "iri": d.iri,
        "kind": d.kind,
        "edition": " ".join(d.editions),
        "lang": (d.language or "").lower(),
        "theme": d.theme or "",
        "lecturer": " ; ".join(d.lecturers),
        "topic": " ".join(d.topic_keys),
        "video": d.video or "",
        "names": " ; ".join(d.names),
        "idents": " ".join(d.idents),
        "topics": " ; ".join(d.topic_labels),
        "spell": "\n".join((title, d.text, " ".join(d.names))),
        f"title_{g}": title,
        f"body_{g}": body,
        "meta": meta,
        "snippet": d.text,
    }


def _columns(d: SearchDoc) -> list:
    """What facets and filters need per document, kept in memory by :func:`open_index`."""
    return [d.iri, d.group or d.iri, d.kind, list(d.editions), d.language, d.theme,
            list(d.lecturers), list(d.topics), list(d.topic_keys)]


def build_index(
    g: Graph, index_dir: Path, progress: Callable[[int, int], None] | None = None
) -> int:
    """Build the search index of ``g`` into ``index_dir`` and return the number of documents.

    The index is written to a fresh sibling folder and swapped in atomically: ``index_dir``
    becomes a symbolic link to it, so a reader never sees half an index. ``progress(done,
    total)`` is called as documents are added.
    """
    index_dir = Path(index_dir)
    docs = documents(g)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    built = index_dir.with_name(f".{index_dir.name}-{uuid.uuid4().hex[:12]}")
    built.mkdir()
    try:
        ix = windex.create_in(str(built), _schema())
        writer = ix.writer(limitmb=256)
        total = len(docs)
        for n, d in enumerate(docs, 1):
            writer.add_document(**_fields(d))
            if progress is not None and (n % 50 == 0 or n == total):
                progress(n, total)
        writer.commit()
        ix.close()
        (built / _COLUMNS_FILE).write_text(
            json.dumps([_columns(d) for d in docs], ensure_ascii=False), encoding="utf-8")
        (built / _META_FILE).write_text(
            json.dumps({"schema_version": SCHEMA_VERSION, "documents": total}), encoding="utf-8")
        _swap_in(built, index_dir)
    except BaseException:
        shutil.rmtree(built, ignore_errors=True)
        raise
    return len(docs)


def _swap_in(built: Path, index_dir: Path) -> None:
    """Point ``index_dir`` at ``built`` with one atomic rename, then drop the previous build."""
    previous = index_dir.resolve() if index_dir.is_symlink() else None
    if index_dir.exists() and not index_dir.is_symlink():
        # an index folder from before symlinks: moved aside (the only non-atomic step)
        previous = index_dir.with_name(f".{index_dir.name}-old-{uuid.uuid4().hex[:12]}")
        index_dir.rename(previous)
    link = index_dir.with_name(f".{index_dir.name}-link-{uuid.uuid4().hex[:12]}")
    os.symlink(built.name, link)
    os.replace(link, index_dir)
    if previous is not None and previous != built and previous.exists():
        shutil.rmtree(previous, ignore_errors=True)


def index_path(data_dir: Path) -> Path:
    """Where the search index of a data folder lives (``DATA_DIR/index``)."""
    return Path(data_dir) / "index"


# -- opening -------------------------------------------------------------------------------


class SearchIndex:
    """An open index: the Whoosh searcher plus the per-document columns facets need."""

    def __init__(self, path: Path):
        self.path = path
        self.ix = windex.open_dir(str(path))
        self.searcher = self.ix.searcher(weighting=BM25F(B=0.75, K1=1.2))
        rows = json.loads((path / _COLUMNS_FILE).read_text(encoding="utf-8"))
        if len(rows) != self.searcher.doc_count_all():
            raise IndexMissing(f"the index at {path} is damaged; run `dlgraph index`")
        for probe in {0, len(rows) // 2, len(rows) - 1} if rows else ():
            if self.searcher.stored_fields(probe)["iri"] != rows[probe][0]:
                raise IndexMissing(f"the index at {path} is damaged; run `dlgraph index`")
        (self.iris, self.groups, self.kinds, self.editions, self.languages, self.themes,
         self.lecturers, self.topics, self.topic_keys) = (list(c) for c in zip(*rows)) if rows else ([],) * 9
        # documents with the same group and the same facet values count once: skip them fast
        sigs: dict = {}
        self.signature = [
            sigs.setdefault((k, tuple(e), lang, th, tuple(lec), tuple(top)), len(sigs))
            for k, e, lang, th, lec, top in zip(self.kinds, self.editions, self.languages,
                                               self.themes, self.lecturers, self.topics)
        ]
        self.known_editions = sorted({e for eds in self.editions for e in eds})
        self._parsers: dict = {}
        self._filters: dict = {}

    def close(self) -> None:
        """Release the searcher's files."""
        self.searcher.close()
        self.ix.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __len__(self) -> int:
        return len(self.iris)


def open_index(index_dir: Path) -> SearchIndex:
    """Open the index in ``index_dir``; :class:`IndexMissing` when there is none (or it is stale)."""
    path = Path(index_dir)
    hint = "run `dlgraph ingest` (or `dlgraph index` if the graph is already stored)"
    meta = path / _META_FILE
    if not path.is_dir() or not meta.is_file() or not windex.exists_in(str(path)):
        raise IndexMissing(f"no search index in {path}: {hint}")
    version = json.loads(meta.read_text(encoding="utf-8")).get("schema_version")
    if version != SCHEMA_VERSION:
        raise IndexMissing(f"the search index in {path} was built by another dlgraph version: {hint}")
    return SearchIndex(path)


# -- query parsing -------------------------------------------------------------------------

_ALIASES = {
    "title": tuple(f"title_{g}" for g in LANGUAGE_GROUPS),
    "text": tuple(f"body_{g}" for g in LANGUAGE_GROUPS),
    "body": tuple(f"body_{g}" for g in LANGUAGE_GROUPS),
    "name": ("names",),
    "person": ("names",),
    "language": ("lang",),
}
_USER_FIELDS = ("edition", "kind", "lang", "theme", "lecturer", "topic", "video", "names",
                "idents", "topics")


class _FieldsPlugin(qparser.FieldsPlugin):
    """``field:`` for the fields a learner may name; any other ``word:`` stays plain text."""

    def __init__(self):
        super().__init__(remove_unknown=False)

    def filters(self, parser):
        return [(self.do_unknown, 99), (self.do_fieldnames, 100), (self.do_aliases, 105)]

    def do_unknown(self, parser, group):
        known = set(_USER_FIELDS) | set(_ALIASES)
        out = group.empty_copy()
        pending = None
        for node in group:
            if isinstance(node, syntax.GroupNode):
                node = self.do_unknown(parser, node)
            if isinstance(node, syntax.FieldnameNode) and node.fieldname.lower() not in known:
                pending = node
                continue
            if pending is not None:
                if node.has_text:
                    node.text = pending.original + node.text
                else:
                    out.append(syntax.to_word(pending))
                pending = None
            if isinstance(node, syntax.FieldnameNode):
                node.fieldname = node.fieldname.lower()
            out.append(node)
        if pending is not None:
            out.append(syntax.to_word(pending))
        return out

    def do_aliases(self, parser, group):
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.do_aliases(parser, node)
            elif node.has_fieldname and node.fieldname in _ALIASES:
                copies = []
                for fname in _ALIASES[node.fieldname]:
                    copy = node.__class__.__new__(node.__class__)
                    copy.__dict__.update(node.__dict__)
                    copy.set_fieldname(fname, override=True)
                    copies.append(copy)
                group[i] = syntax.OrGroup(copies) if len(copies) > 1 else copies[0]
        return group


def _text_fields(lang: str | None) -> dict[str, float]:
    groups = (language_group(lang),) if lang else LANGUAGE_GROUPS
    boosts = {}
    for g in groups:
        boosts[f"title_{g}"] = TITLE_BOOST
        boosts[f"body_{g}"] = BODY_BOOST
    boosts.update(names=NAMES_BOOST, idents=IDENTS_BOOST, topics=TOPICS_BOOST)
    return boosts


def _parser(ix: SearchIndex, lang: str | None, any_word: bool):
    key = (language_group(lang) if lang else None, any_word)
    if key not in ix._parsers:
        boosts = _text_fields(lang)
        group = qparser.OrGroup.factory(0.9) if any_word else qparser.AndGroup
        p = qparser.MultifieldParser(list(boosts), ix.ix.schema, fieldboosts=boosts, group=group)
        p.remove_plugin_class(qparser.FieldsPlugin)
        # 'single quotes' would swallow French elisions (l'énergie) and English possessives
        p.remove_plugin_class(qparser.SingleQuotePlugin)
        p.add_plugin(_FieldsPlugin())
        ix._parsers[key] = p
    return ix._parsers[key]


def clean_query(text: str) -> str:
    """The query as it will be parsed: control characters gone, whitespace collapsed, cut short."""
    text = unicodedata.normalize("NFC", _CONTROL_RE.sub(" ", text or ""))
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
    words = text.split(" ")
    return " ".join(words[:MAX_QUERY_WORDS])


def _balanced(text: str) -> str:
    """Close what a learner left open: an odd quote is dropped, parentheses are matched."""
    if text.count('"') % 2:
        i = text.rfind('"')
        text = text[:i] + " " + text[i + 1 :]
    depth, out = 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                continue
            depth -= 1
        out.append(ch)
    return "".join(out) + ")" * depth


def _parse(ix: SearchIndex, text: str, lang: str | None, any_word: bool = False):
    parser = _parser(ix, lang, any_word)
    try:
        return parser.parse(_balanced(text))
    except Exception:
        # Whoosh's parser is lenient but not total: retry with every operator character removed
        plain = re.sub(r"[\"()\[\]{}^~*?:]", " ", text)
        try:
            return parser.parse(plain)
        except Exception as err:  # pragma: no cover - defensive
            raise SearchError(f"could not understand the query {text[:60]!r}: {err}") from err


def _has_syntax(text: str) -> bool:
    return bool(re.search(r'["():*?^]|\b(?:AND|OR|NOT|ANDNOT)\b', text))


# -- spelling ------------------------------------------------------------------------------

#: A word seen in fewer documents than this may be a typo worth correcting.
RARE_DF = 3
#: ... when a near word is at least this many times more frequent.
CORRECTION_RATIO = 10


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment)."""
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _correct_word(ix: SearchIndex, word: str) -> str | None:
    reader = ix.searcher.reader()
    w = word.lower()
    df = reader.doc_frequency("spell", w)
    if df >= RARE_DF:
        return None
    maxdist = 1 if len(w) <= 5 else 2
    best = None
    for cand in reader.terms_within("spell", w, maxdist, prefix=1):
        if cand == w:
            continue
        if _fold(cand) == _fold(w):
            return None  # the word is known, typed without (or with other) accents
        cdf = reader.doc_frequency("spell", cand)
        if cdf < max(RARE_DF, CORRECTION_RATIO * df):
            continue
        key = (_distance(w, cand), -cdf, cand)
        if best is None or key < best:
            best = key
    return best[2] if best else None


_WORD_RE = re.compile(r'"[^"]*"|(?<![\w:])([^\W\d_]{4,})(?![\w:])')


def suggest(ix: SearchIndex, text: str) -> str | None:
    """The query with its likely misspellings corrected, or ``None`` when nothing needs it.

    A word is corrected when it is rare in the index (fewer than :data:`RARE_DF` documents)
    and a word within two edits is :data:`CORRECTION_RATIO` times more common:
    ``backpropogation`` → ``backpropagation``.
    """
    text = clean_query(text)
    changed = False

    def fix(word: str) -> str:
        nonlocal changed
        if word in _OPERATORS:
            return word
        better = _correct_word(ix, word)
        if better is None:
            return word
        changed = True
        return better

    def repl(m: re.Match) -> str:
        if m.group(1) is None:  # a "phrase": correct the words inside it
            return re.sub(r"[^\W\d_]{4,}", lambda w: fix(w.group()), m.group())
        return fix(m.group(1))

    fixed = _WORD_RE.sub(repl, text)
    return fixed if changed else None


# -- searching -----------------------------------------------------------------------------


def _filter_docs(ix: SearchIndex, editions, kind, lang, theme, topic, lecturer) -> set | None:
    """Document numbers passing the filters (``None`` for no filter); cached per filter."""
    key = (tuple(sorted(editions)), kind, lang, theme, topic, lecturer)
    if key == ((), None, None, None, None, None):
        return None
    if key in ix._filters:
        return ix._filters[key]
    eds = {e.upper() for e in editions}
    unknown = eds - set(ix.known_editions)
    if unknown:
        raise SearchError(
            f"unknown edition {sorted(unknown)[0]!r} (known: {', '.join(ix.known_editions)})")
    if kind is not None and kind not in KINDS:
        raise SearchError(f"unknown kind {kind!r} (one of: {', '.join(KINDS)})")
    theme_s = slug(theme) if theme else None
    topic_s = slug(topic) if topic else None
    lect = set(slug(lecturer).split("-")) if lecturer else None
    lang_l = lang.lower() if lang else None
    keep = set()
    for d in range(len(ix.iris)):
        if eds and not eds.intersection(ix.editions[d]):
            continue
        if kind is not None and ix.kinds[d] != kind:
            continue
        if lang_l is not None and (ix.languages[d] or "").lower() != lang_l:
            continue
        if theme_s is not None and slug(ix.themes[d] or "") != theme_s:
            continue
        if topic_s is not None and topic_s not in {slug(k) for k in ix.topic_keys[d]}:
            continue
        if lect is not None and not any(lect <= set(slug(n).split("-")) for n in ix.lecturers[d]):
            continue
        keep.add(d)
    if len(ix._filters) > 256:
        ix._filters.clear()
    ix._filters[key] = keep
    return keep


class _MarkFormatter(highlight.Formatter):
    """``[[term]]`` around each match: plain text a UI escapes, then turns marks into tags."""

    between = " … "

    def format_token(self, text, token, replace=False):
        return "[[" + highlight.get_text(text, token, replace) + "]]"


_FRAGMENTER = highlight.ContextFragmenter(maxchars=220, surround=60, charlimit=6000)
_FORMATTER = _MarkFormatter()
SNIPPET_CHARS = 220


def _snippet(text: str, terms: frozenset, analyzer) -> str:
    """A short excerpt of ``text`` with the query's terms marked ``[[like this]]``."""
    # literal brackets are split so that ``[[`` and ``]]`` only ever mean a match
    text = " ".join((text or "").replace("[[", "[ [").replace("]]", "] ]").split())
    if not text:
        return ""
    if terms:
        tokens = analyzer(text, chars=True, mode="query", removestops=False)
        tokens = highlight.set_matched_filter(tokens, terms)
        frags = highlight.top_fragments(
            _FRAGMENTER.fragment_tokens(text, tokens), 1, highlight.BasicFragmentScorer(),
            highlight.FIRST, minscore=1)
        if frags:
            f = frags[0]
            marked = _FORMATTER.format_fragment(f).replace("]][[", "").strip()
            # adjacent CJK bigrams read as one match (the replace above)
            return ("… " if f.startchar > 0 else "") + marked + (
                " …" if f.endchar < len(text) else "")
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"


def _terms_by_group(q) -> dict[str, frozenset]:
    found = defaultdict(set)
    try:
        for fieldname, text in q.iter_all_terms(phrases=True):
            if fieldname.startswith(("title_", "body_")):
                found[fieldname.split("_", 1)[1]].add(text)
    except Exception:  # pragma: no cover - exotic query nodes without terms
        pass
    return {g: frozenset(t) for g, t in found.items()}


def _facet_counts(ix: SearchIndex, docnums: Iterable[int]) -> tuple[dict, dict]:
    """Facet counts (in groups) and the number of matching documents per group."""
    per_group = defaultdict(int)
    seen = set()
    facets: dict[str, dict[str, set]] = {f: defaultdict(set) for f in FACETS}
    for d in docnums:
        grp = ix.groups[d]
        per_group[grp] += 1
        sig = (grp, ix.signature[d])
        if sig in seen:
            continue
        seen.add(sig)
        for e in ix.editions[d]:
            facets["edition"][e].add(grp)
        facets["kind"][ix.kinds[d]].add(grp)
        if ix.languages[d]:
            facets["language"][ix.languages[d]].add(grp)
        if ix.themes[d]:
            facets["theme"][ix.themes[d]].add(grp)
        for n in ix.lecturers[d]:
            facets["lecturer"][n].add(grp)
        for t in ix.topics[d]:
            facets["topic"][t].add(grp)
    counts = {
        f: dict(sorted(((k, len(v)) for k, v in vals.items()), key=lambda kv: (-kv[1], kv[0])))
        for f, vals in facets.items()
    }
    return counts, per_group


def search(
    ix: SearchIndex,
    query: str,
    *,
    editions: Iterable[str] = (),
    kind: str | None = None,
    lang: str | None = None,
    theme: str | None = None,
    topic: str | None = None,
    lecturer: str | None = None,
    limit: int = 10,
    page: int = 1,
    correct: bool = True,
) -> dict:
    """Search the index; return ``{"query", "total", "hits", "facets", "suggestion"}``.

    ``query`` takes plain words (all must match; if none match together, any may),
    ``"phrases"``, ``AND``/``OR``/``NOT``, parentheses and fields (``edition:SP21``,
    ``kind:section``, ``lang:fr``, ``title:…``, ``lecturer:lecun``, ``topic:…``). An empty
    query lists everything the filters let through. ``total`` counts result groups (a lecture
    with its notes, sections and translations is one); each hit is the group's best document,
    with ``collapsed`` other matches. When a word looks misspelled and ``correct`` is true,
    the hits are those of ``suggestion``, the corrected query (``None`` otherwise). Hits from a
    timestamped section have ``url`` = the YouTube URL at that second and ``page_url`` = the
    notes page with its anchor. Snippets are plain text with matches marked ``[[…]]``.
    Raises :class:`SearchError` for an unknown edition or kind.
    """
    limit = max(1, min(int(limit), 100))
    page = max(1, int(page))
    text = clean_query(query)
    allowed = _filter_docs(ix, tuple(editions or ()), kind, lang, theme, topic, lecturer)
    suggestion = suggest(ix, text) if correct and text else None
    run = suggestion or text
    q = _parse(ix, run, lang) if run else Every()
    results = _run(ix, q, allowed)
    if not results and run and not _has_syntax(run) and len(run.split()) > 1:
        q = _parse(ix, run, lang, any_word=True)
        results = _run(ix, q, allowed)
    facets, per_group = _facet_counts(ix, (d for _, d in results))
    hits = _collapse(ix, results, per_group, q, limit, page)
    return {"query": query, "total": len(per_group), "hits": hits, "facets": facets,
            "suggestion": suggestion}


def _run(ix: SearchIndex, q, allowed: set | None) -> list[tuple[float, int]]:
    """Every matching (score, docnum), best first."""
    if q is NullQuery or (allowed is not None and not allowed):
        return []
    res = ix.searcher.search(q, limit=None, filter=allowed)
    return list(res.top_n)


def _collapse(ix, results, per_group, q, limit: int, page: int) -> list[dict]:
    first, last = (page - 1) * limit, page * limit
    terms = _terms_by_group(q)
    hits, seen = [], set()
    for score, d in results:
        grp = ix.groups[d]
        if grp in seen:
            continue
        seen.add(grp)
        if len(seen) <= first:
            continue
        hits.append(_hit(ix, d, score, per_group[grp] - 1, terms))
        if len(seen) >= last:
            break
    return hits


def _hit(ix: SearchIndex, d: int, score: float, collapsed: int, terms: dict) -> dict:
    stored = ix.searcher.stored_fields(d)
    m = stored["meta"]
    g = language_group(m["language"])
    analyzer = ix.ix.schema[f"body_{g}"].analyzer
    editions = m["editions"]
    return {
        "iri": m["iri"],
        "kind": m["kind"],
        "edition": editions[0] if editions else None,
        "editions": editions,
        "title": m["title"],
        "heading": m["heading"],
        "url": m["url"],
        "page_url": m["page_url"],
        "video": m["video"],
        "start": m["start"],
        "language": m["language"],
        "lecture": m["lecture"],
        "theme": m["theme"],
        "topics": m["topics"],
        "lecturers": m["lecturers"],
        "score": round(float(score), 4),
        "snippet": _snippet(stored.get("snippet", ""), terms.get(g, frozenset()), analyzer),
        "collapsed": collapsed,
    }


__all__ = [
    "FACETS",
    "LANGUAGE_GROUPS",
    "IndexMissing",
    "SearchError",
    "SearchIndex",
    "build_index",
    "clean_query",
    "index_path",
    "language_group",
    "open_index",
    "search",
    "suggest",
]
