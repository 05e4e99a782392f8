"""Full-text search across editions: the one module that imports Whoosh.

Documents come from :func:`dlgraph.searchable.documents` (the graph, never the scraper). Each
language group has its own ``title_<g>``/``body_<g>`` fields with its own analysis: Snowball
stemming where Whoosh has it, English stop words everywhere (translations quote English terms),
accent folding, and overlapping character bigrams for Chinese, Japanese and Korean, which have
no spaces between words.

A query is routed to the languages its words belong to (see :func:`route`): a query whose words
all occur in English pages searches the English fields, ``rétropropagation`` the French ones,
``卷积`` the CJK ones; a language filter picks its own. Whoosh pays per field searched, and an
English query gains little from the translations: they collapse into the same lecture. People's
names, notebook file names and topic labels are part of a document's body; a query that names a
topic (any label of it, in any language) also brings what is tagged with it.

Results collapse on :attr:`SearchDoc.group` (the lecture a page or section is about), so one
lecture's many sections and translations count once; ``total`` and the facet counts count those
groups. Filter values and facet keys are display values (``SP21``, ``Yann LeCun``, a topic label).
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict
from functools import cache
from pathlib import Path

from rdflib import Graph
from whoosh import highlight, qparser
from whoosh import index as windex
from whoosh import query as wquery
from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.lang import has_stemmer, has_stopwords, stopwords_for_language
from whoosh.qparser import syntax
from whoosh.scoring import BM25F
from whoosh.support.charset import accent_map

from dlgraph.querytext import (
    CJK,
    CJK_RE,
    SCRIPTS,
    balanced,
    clean_query,
    distance,
    fold,
    has_syntax,
    script_of,
)
from dlgraph.searchable import KINDS, SearchDoc, documents, topic_labels
from dlgraph.vocab import slug

#: Bumped whenever the schema or analysis changes: an older index must be rebuilt.
SCHEMA_VERSION = 5
#: Languages with their own analysed fields; every other language is analysed as ``xx``.
LANGUAGE_GROUPS = ("en", "fr", "es", "it", "pt", "ru", "tr", "hu", "ar", "xx", "cjk")
FACETS = ("edition", "kind", "language", "theme", "lecturer", "topic")
#: Field weights: a title or heading says more about a document than a word in its body.
BOOSTS = {"title": 3.0, "body": 1.0}
#: A language is searched when its rarest query word is at least 1/ROUTE_RATIO as common as in
#: the best language's pages.
ROUTE_RATIO = 4
#: Share of the best score every document tagged with the topic a query names gains (0.6 was
#: the best of 0.25–1.0 on bench/relevance.py: mean nDCG@10 0.881 → 0.886).
TOPIC_SHARE = 0.6
#: Score factor of a hit in another script than the query's, and of a Latin-script translation.
OTHER_SCRIPT, OTHER_LATIN = 0.5, 0.8

_META_FILE = "dlgraph-index.json"
_COLUMNS_FILE = "columns.json"
_TOPICS_FILE = "topics.json"
_TOKEN = r"[^\W_]+(?:\.[^\W_]+)*"  # words; underscores split notebook names
_RUNS_RE = re.compile(f"[{CJK}]+|[^{CJK}]+")
_TEXT_FIELDS = ("title", "body")


class SearchError(Exception):
    """A search that cannot run: a bad filter value, an unreadable query, a missing index."""


class IndexMissing(SearchError):
    """There is no (usable) index in the folder."""


# -- analysis ------------------------------------------------------------------------------


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
            for m in _RUNS_RE.finditer(text):
                run, off = m.group(), base + m.start()
                if len(run) == 1 or not CJK_RE.match(run):
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
    extra = stopwords_for_language(group) if group not in ("xx", "cjk") and has_stopwords(group) else ()
    return _EN_STOP | frozenset(extra)


def _chain(group: str):
    """The analysis chain of one language group."""
    chain = RegexTokenizer(_TOKEN) | LowercaseFilter()
    if group == "cjk":
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


def _names_analyzer():
    return RegexTokenizer(_TOKEN) | LowercaseFilter() | CharsetFilter(accent_map)


def _spell_analyzer():
    return RegexTokenizer(r"[^\W\d_]{3,}") | LowercaseFilter() | _NoCJKFilter()


def language_group(lang: str | None) -> str:
    """The analysis group of a language code (``zh-CN`` → ``cjk``, ``fa`` → ``xx``)."""
    base = (lang or "en").lower().split("-")[0]
    if SCRIPTS.get(base) == "cjk":
        return "cjk"
    return base if base in LANGUAGE_GROUPS else "xx"


def _schema() -> Schema:
    fields = {
        "iri": ID(stored=True, unique=True),
        "kind": KEYWORD(lowercase=True),
        "edition": KEYWORD(lowercase=True),
        "lang": KEYWORD(lowercase=True),
        "theme": TEXT(analyzer=_chain("en")),
        "lecturer": TEXT(analyzer=_names_analyzer()),
        "topic": KEYWORD(lowercase=True),
        "video": ID,
        "names": TEXT(analyzer=_names_analyzer()),
        "spell": TEXT(analyzer=_spell_analyzer(), phrase=False),
        "meta": STORED,
        "snippet": STORED,
    }
    for g in LANGUAGE_GROUPS:
        # a CJK word is a run of bigrams: they must all match, in order
        multi = "phrase" if g == "cjk" else "and"
        fields[f"title_{g}"] = TEXT(analyzer=_chain(g), multitoken_query=multi)
        fields[f"body_{g}"] = TEXT(analyzer=_chain(g), multitoken_query=multi)
    return Schema(**fields)


# -- building ------------------------------------------------------------------------------


def _fields(d: SearchDoc, frequent: Callable[..., list[str]]) -> dict:
    g = language_group(d.language)
    title = d.heading or d.title
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
        f"title_{g}": title,
        # one body field per language: Whoosh's cost grows with the fields a query searches
        f"body_{g}": "\n".join(x for x in (
            d.text, d.context, " ; ".join(d.names), " ".join(d.idents),
            # sections would all match their page's topics: they keep only the facet
            "" if d.kind == "section" else " ; ".join(d.topic_labels)) if x),
        "names": " ; ".join(d.names),
        "spell": " ".join(frequent(title, d.text, " ".join(d.names))),
        "meta": meta,
        "snippet": d.text or d.heading or d.title,
    }


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


def _columns(d: SearchDoc) -> list:
    """What facets and filters need per document, kept in memory by :func:`open_index`."""
    return [d.iri, d.group or d.iri, d.kind, list(d.editions), d.language, d.theme,
            list(d.lecturers), list(d.topics), list(d.topic_keys)]


def index_path(data_dir: Path) -> Path:
    """Where the search index of a data folder lives (``DATA_DIR/index``)."""
    return Path(data_dir) / "index"


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
        # uncompressed postings: the build is a fifth faster and reading them is no slower
        writer = ix.writer(limitmb=256, codec=W3Codec(compression=0))
        total = len(docs)
        frequent = _spelling_vocabulary(docs)
        for n, d in enumerate(docs, 1):
            writer.add_document(**_fields(d, frequent))
            if progress is not None and (n % 50 == 0 or n == total):
                progress(n, total)
        writer.commit()
        ix.close()
        (built / _COLUMNS_FILE).write_text(
            json.dumps([_columns(d) for d in docs], ensure_ascii=False), encoding="utf-8")
        labels = {}
        for key, names in topic_labels(g).items():
            for name in names:
                labels.setdefault(_label_key(name), []).append(key)
        (built / _TOPICS_FILE).write_text(json.dumps(labels, ensure_ascii=False),
                                          encoding="utf-8")
        (built / _META_FILE).write_text(
            json.dumps({"schema_version": SCHEMA_VERSION, "documents": total}), encoding="utf-8")
        _swap_in(built, index_dir)
    except BaseException:
        shutil.rmtree(built, ignore_errors=True)
        raise
    return len(docs)


def _label_key(text: str) -> str:
    """A topic label or a query, compared loosely: case, accents, hyphens and spacing aside."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(text.lower())).split())


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


# -- opening -------------------------------------------------------------------------------


class SearchIndex:
    """An open index: the Whoosh searcher plus the per-document columns facets need."""

    def __init__(self, path: Path):
        self.path = path
        self.ix = windex.open_dir(str(path))
        self.searcher = self.ix.searcher(weighting=BM25F(B=0.75, K1=1.2))
        # Index.schema re-reads the table of contents from disk on every access
        self.schema = self.searcher.schema
        rows = json.loads((path / _COLUMNS_FILE).read_text(encoding="utf-8"))
        damaged = IndexMissing(f"the index at {path} is damaged; run `dlgraph index`")
        if len(rows) != self.searcher.doc_count_all():
            raise damaged
        for probe in {0, len(rows) // 2, len(rows) - 1} if rows else ():
            if self.searcher.stored_fields(probe)["iri"] != rows[probe][0]:
                raise damaged
        self.iris = [r[0] for r in rows]
        self.groups = [r[1] for r in rows]
        self.kinds = [r[2] for r in rows]
        self.editions = [r[3] for r in rows]
        self.languages = [r[4] for r in rows]
        self.themes = [r[5] for r in rows]
        self.lecturers = [r[6] for r in rows]
        self.topics = [r[7] for r in rows]
        self.topic_keys = [r[8] for r in rows]
        self.scripts = [SCRIPTS.get((r[4] or "").split("-")[0], "latin") if r[4] else None
                        for r in rows]
        # documents with the same group and the same facet values count once: skip them fast
        sigs: dict = {}
        self.signature = [
            sigs.setdefault((r[2], tuple(r[3]), r[4], r[5], tuple(r[6]), tuple(r[7])), len(sigs))
            for r in rows
        ]
        self.known_editions = sorted({e for eds in self.editions for e in eds})
        topics = path / _TOPICS_FILE
        self.topic_labels = (json.loads(topics.read_text(encoding="utf-8"))
                             if topics.is_file() else {})
        # topic key → language group → documents tagged with it
        self.tagged: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        for d, keys in enumerate(self.topic_keys):
            for k in keys:
                self.tagged[k.lower()][language_group(self.languages[d])].add(d)
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

#: ``field:`` names a learner may type, and what they search (``title``/``text``: every
#: routed language's titles/bodies).
USER_FIELDS = {
    "edition": "edition", "kind": "kind", "lang": "lang", "language": "lang",
    "theme": "theme", "lecturer": "lecturer", "topic": "topic", "video": "video",
    "title": "title", "text": "body", "body": "body", "name": "names", "person": "names",
}
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


class _FieldsPlugin(qparser.FieldsPlugin):
    """``field:`` for the fields in :data:`USER_FIELDS`; any other ``word:`` stays plain text."""

    def __init__(self, groups: tuple[str, ...]):
        super().__init__(remove_unknown=False)
        self.groups = groups

    def filters(self, parser):
        return [(self.do_unknown, 99), (self.do_fieldnames, 100), (self.do_aliases, 105)]

    def do_unknown(self, parser, group):
        out = group.empty_copy()
        pending = None
        for node in group:
            if isinstance(node, syntax.GroupNode):
                node = self.do_unknown(parser, node)
            if isinstance(node, syntax.FieldnameNode):
                real = USER_FIELDS.get(node.fieldname.lower())
                if real is None:
                    pending = node
                    continue
                node.fieldname = real
            if pending is not None:
                # "foo:bar" reads as the two words "foo bar"
                out.append(syntax.Word(pending.fieldname))
                pending = None
            out.append(node)
        if pending is not None:
            out.append(syntax.Word(pending.fieldname))
        return out

    def do_aliases(self, parser, group):
        """``title:x`` → ``title_en:x OR title_fr:x …`` over the routed groups."""
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.do_aliases(parser, node)
            elif node.has_fieldname and node.fieldname in _TEXT_FIELDS:
                copies = []
                for g in self.groups:
                    c = copy.copy(node)
                    c.set_fieldname(f"{node.fieldname}_{g}", override=True)
                    copies.append(c)
                group[i] = syntax.OrGroup(copies) if len(copies) > 1 else copies[0]
        return group


def _fieldboosts(groups: Iterable[str]) -> dict[str, float]:
    boosts = {}
    for g in groups:
        boosts[f"title_{g}"] = BOOSTS["title"]
        boosts[f"body_{g}"] = BOOSTS["body"]
    return boosts


def _parser(ix: SearchIndex, groups: tuple[str, ...], any_word: bool):
    key = (groups, any_word)
    if key not in ix._parsers:
        boosts = _fieldboosts(groups)
        group = qparser.OrGroup.factory(0.9) if any_word else qparser.AndGroup
        p = qparser.MultifieldParser(list(boosts), ix.schema, fieldboosts=boosts, group=group)
        p.remove_plugin_class(qparser.FieldsPlugin)
        # 'single quotes' would swallow French elisions (l'énergie) and English possessives
        p.remove_plugin_class(qparser.SingleQuotePlugin)
        p.add_plugin(_FieldsPlugin(groups))
        if len(ix._parsers) > 64:
            ix._parsers.clear()
        ix._parsers[key] = p
    return ix._parsers[key]


_EDITION_FIELD_RE = re.compile(r"(?<!\w)edition:([A-Za-z0-9]+)", re.IGNORECASE)
_LANG_FIELD_RE = re.compile(r"(?<!\w)(?:lang|language):([A-Za-z-]+)", re.IGNORECASE)
_WORDS_RE = re.compile(r"(?<![\w:])([^\W_]+)(?![\w:])")


def route(ix: SearchIndex, text: str) -> tuple[tuple[str, ...], bool]:
    """The language groups to search for ``text``, and whether one of them has every word.

    A group qualifies when each of the query's words (as that group analyses it) occurs in its
    titles or bodies; its strength is the document frequency of its rarest word. Groups within
    :data:`ROUTE_RATIO` of the strongest are searched, English alone when it is one of them
    (``attention`` is English even though French pages say it too; ``rétropropagation`` in one
    English page is still French). When no group has every word, every group that has any.
    """
    reader = ix.searcher.reader()
    words = [w for w in _WORDS_RE.findall(text) if w not in _OPERATORS]
    if not words:
        return ("en",), True
    strength: dict[str, int] = {}
    some = []
    for g in LANGUAGE_GROUPS:
        dfs = []
        for w in words:
            forms = [t.text for t in _chains()[g](w)]
            if forms:  # else a stop word in this language
                dfs.append(min(max(reader.doc_frequency(f"body_{g}", f),
                                   reader.doc_frequency(f"title_{g}", f)) for f in forms))
        if dfs and max(dfs) > 0:
            some.append(g)
            if min(dfs) > 0:
                strength[g] = min(dfs)
    if strength:
        best = max(strength.values())
        chosen = tuple(g for g in LANGUAGE_GROUPS
                       if g in strength and strength[g] * ROUTE_RATIO >= best)
        return (("en",) if "en" in chosen else chosen), True
    return (tuple(some) or ("en",)), False


def _parse(ix: SearchIndex, text: str, groups: tuple[str, ...], any_word: bool = False):
    parser = _parser(ix, groups, any_word)
    try:
        return parser.parse(balanced(text))
    except Exception:
        # Whoosh's parser is lenient but not total: retry with every operator character removed
        plain = re.sub(r"[\"()\[\]{}^~*?:]", " ", text)
        try:
            return parser.parse(plain)
        except Exception as err:  # pragma: no cover - defensive
            raise SearchError(f"could not understand the query {text[:60]!r}: {err}") from err


# -- spelling ------------------------------------------------------------------------------

#: A word seen in fewer documents than this may be a typo worth correcting ...
RARE_DF = 3
#: ... when a word within two edits is at least this many times more frequent.
CORRECTION_RATIO = 10
_WORD_RE = re.compile(r'"[^"]*"|(?<![\w:])([^\W\d_]{4,})(?![\w:])')


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
    ``backpropagation``. Field names, operators and short words are left alone.
    """
    text = clean_query(text)
    changed = False

    def fix(word: str) -> str:
        nonlocal changed
        better = None if word in _OPERATORS else _correct_word(ix, word)
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


# -- filters and facets --------------------------------------------------------------------


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


def _facet_counts(ix: SearchIndex, docnums: Iterable[int]) -> tuple[dict, dict]:
    """Facet counts (in groups) and the number of matching documents per group."""
    per_group: dict[str, int] = defaultdict(int)
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


# -- snippets ------------------------------------------------------------------------------


def _marked(text: str, fragment) -> str:
    """The fragment's text with ``[[…]]`` around its matches.

    Overlapping or touching matches merge into one mark, so the CJK bigrams ``卷积`` ``积神``
    ``神经`` read as ``[[卷积神经]]`` (Whoosh's formatters drop a token that overlaps the last).
    """
    spans: list[list[int]] = []
    for t in sorted(fragment.matches, key=lambda t: (t.startchar, t.endchar)):
        if spans and t.startchar <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], t.endchar)
        else:
            spans.append([t.startchar, t.endchar])
    out, at = [], fragment.startchar
    for start, end in spans:
        out += [text[at:start], "[[", text[start:end], "]]"]
        at = end
    out.append(text[at : fragment.endchar])
    return "".join(out)


_FRAGMENTER = highlight.ContextFragmenter(maxchars=220, surround=60, charlimit=6000)
# a CJK character carries about as much as a Latin word: half the characters suffice
_CJK_FRAGMENTER = highlight.ContextFragmenter(maxchars=110, surround=30, charlimit=3000)
SNIPPET_CHARS = 220


def _window(text: str, terms: frozenset, width: int = 160) -> str:
    """The stretch of ``text`` around the first likely match: analysing all of it is slow."""
    if len(text) <= 2 * width:
        return text
    low = text.lower()
    hits = [i for t in terms if (i := low.find(t)) >= 0]
    if not hits:  # the terms are accent-folded: fold the text too (slower, so only now)
        folded = low.translate(accent_map)
        hits = [i for t in terms if (i := folded.find(t)) >= 0]
    if not hits:
        return text[: 2 * width]
    start = max(0, min(hits) - width // 2)
    # start on a word boundary so the excerpt does not begin mid-word
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    return text[start : start + 2 * width]


def _snippet(text: str, terms: frozenset, group: str) -> str:
    """A short excerpt of ``text`` with the query's terms marked ``[[like this]]``."""
    # literal brackets are split so that ``[[`` and ``]]`` only ever mean a match
    full = " ".join((text or "").replace("[[", "[ [").replace("]]", "] ]").split())
    if not full:
        return ""
    if terms:
        cjk = group == "cjk"
        text = _window(full, terms, 80 if cjk else 160)
        tokens = _chains()[group](text, positions=True, chars=True, mode="query",
                                  removestops=False)
        tokens = highlight.set_matched_filter(tokens, terms)
        fragmenter = _CJK_FRAGMENTER if cjk else _FRAGMENTER
        frags = highlight.top_fragments(
            fragmenter.fragment_tokens(text, tokens), 1, highlight.BasicFragmentScorer(),
            highlight.FIRST, minscore=1)
        if frags:
            f = frags[0]
            marked = _marked(text, f).strip()
            at_start = f.startchar == 0 and full.startswith(text)
            at_end = f.endchar >= len(text) and full.endswith(text)
            return ("" if at_start else "… ") + marked + ("" if at_end else " …")
    if len(full) <= SNIPPET_CHARS:
        return full
    return full[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"


def _query_terms(q) -> dict[str, frozenset]:
    """The analysed title/body terms of a query by language group, for highlighting."""
    found = defaultdict(set)
    try:
        for fieldname, text in q.iter_all_terms(phrases=True):
            kind, _, g = fieldname.partition("_")
            if kind in _TEXT_FIELDS and g:
                found[g].add(text)
    except Exception:  # pragma: no cover - exotic query nodes without terms
        pass
    return {g: frozenset(t) for g, t in found.items()}


# -- searching -----------------------------------------------------------------------------


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

    ``query`` takes plain words (all must match; when no document has them all, any may),
    ``"phrases"``, ``AND``/``OR``/``NOT``, parentheses and fields (``edition:SP21``,
    ``kind:section``, ``lang:fr``, ``title:…``, ``lecturer:lecun``, ``topic:…``; any other
    ``word:`` is plain text). An empty query lists everything the filters let through.
    ``total`` counts result groups (a lecture with its notes, sections and translations is
    one); each hit is its group's best document, with ``collapsed`` other matches. When a word
    looks misspelled and ``correct`` is true, the hits are those of ``suggestion``, the
    corrected query (``None`` otherwise). A hit from a timestamped section has ``url`` = the
    YouTube URL at that second and ``page_url`` = the notes page with its anchor. Snippets are
    plain text with matches marked ``[[…]]``. Raises :class:`SearchError` for an unknown
    edition or kind.
    """
    limit = max(1, min(int(limit), 100))
    page = max(1, int(page))
    text = clean_query(query)
    allowed = _filter_docs(ix, tuple(editions or ()), kind, lang, theme, topic, lecturer)
    suggestion = suggest(ix, text) if correct and text else None
    run = suggestion or text
    typed = _LANG_FIELD_RE.search(run)
    if lang or typed:
        groups = (language_group(lang or typed.group(1)),)
    else:
        groups, _ = route(ix, run)
    script = script_of(run)
    tagged = _tagged(ix, run, groups)
    q = _parse(ix, run, groups) if run else wquery.Every()
    results = _run(ix, q, allowed, script, tagged)
    words = len(re.findall(r"[^\W_]+", run))
    if not results and words > 1 and not has_syntax(run, USER_FIELDS):
        q = _parse(ix, run, groups, any_word=True)
        results = _run(ix, q, allowed, script, tagged)
    facets, per_group = _facet_counts(ix, (d for _, d in results))
    shown = {e.upper() for e in editions} | {e.upper() for e in _EDITION_FIELD_RE.findall(run)}
    hits = _collapse(ix, results, per_group, q, limit, page, shown)
    return {"query": query, "total": len(per_group), "hits": hits, "facets": facets,
            "suggestion": suggestion}


def _tagged(ix: SearchIndex, text: str, groups: tuple[str, ...]) -> set[int]:
    """The documents in ``groups``' languages tagged with the topic the whole query names.

    ``convolutional neural networks`` is a label of the *Convolutional nets* topic: the lecture
    items tagged with it belong in the results even when their titles say ``ConvNets``.
    """
    if not text or has_syntax(text, USER_FIELDS):
        return set()
    keys = {k.lower() for k in ix.topic_labels.get(_label_key(text), ())}
    return set().union(*(ix.tagged[k][g] for k in keys if k in ix.tagged for g in groups
                         if g in ix.tagged[k]))


def _run(ix: SearchIndex, q, allowed: set | None, script: str,
         tagged: set[int] = frozenset()) -> list[tuple[float, int]]:
    """Every matching (score, docnum), best first, a page in the query's script first.

    Documents tagged with the query's topic (:func:`_tagged`) gain :data:`TOPIC_SHARE` of the
    best score, whether or not they have the words: the pages that have both rank first.
    """
    if q is wquery.NullQuery or (allowed is not None and not allowed):
        return []
    scores = dict((d, s) for s, d in ix.searcher.search(q, limit=None, filter=allowed).top_n)
    if tagged:
        bonus = TOPIC_SHARE * max(scores.values(), default=1.0)
        for d in tagged if allowed is None else tagged & allowed:
            scores[d] = scores.get(d, 0.0) + bonus
    scripts, langs = ix.scripts, ix.languages
    weighted = []
    for d, score in scores.items():
        s = scripts[d]
        if s is not None and s != script:
            score *= OTHER_SCRIPT
        elif s == "latin" and script == "latin" and langs[d] != "en":
            score *= OTHER_LATIN
        weighted.append((score, d))
    weighted.sort(key=lambda sd: (-sd[0], sd[1]))
    return weighted


def _collapse(ix, results, per_group, q, limit: int, page: int, editions: set) -> list[dict]:
    first, last = (page - 1) * limit, page * limit
    terms = _query_terms(q)
    hits, seen = [], set()
    for score, d in results:
        grp = ix.groups[d]
        if grp in seen:
            continue
        seen.add(grp)
        if len(seen) <= first:
            continue
        hits.append(_hit(ix, d, score, per_group[grp] - 1, terms, editions))
        if len(seen) >= last:
            break
    return hits


def _hit(ix: SearchIndex, d: int, score: float, collapsed: int, terms: dict,
         editions: set) -> dict:
    stored = ix.searcher.stored_fields(d)
    m = stored["meta"]
    eds = m["editions"]
    # a reading or person of several editions is shown in the edition the learner asked for
    edition = next((e for e in eds if e in editions), eds[0] if eds else None)
    group = language_group(m["language"])
    return {
        "iri": m["iri"],
        "kind": m["kind"],
        "edition": edition,
        "editions": eds,
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
        "snippet": _snippet(stored.get("snippet", ""), terms.get(group, frozenset()), group),
        "collapsed": collapsed,
    }


__all__ = [
    "BOOSTS",
    "FACETS",
    "LANGUAGE_GROUPS",
    "USER_FIELDS",
    "IndexMissing",
    "route",
    "SearchError",
    "SearchIndex",
    "build_index",
    "index_path",
    "language_group",
    "open_index",
    "search",
    "suggest",
]
