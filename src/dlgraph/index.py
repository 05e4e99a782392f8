"""Full-text search across editions: the one module that imports Whoosh.

Documents come from :func:`dlgraph.searchable.documents` (the graph, never the scraper). Every
document's title and body go into the same two fields, each analysed in the document's own
language: Snowball stemming where Whoosh has it, English stop words everywhere (translations
quote English terms), accent folding, and overlapping character bigrams for Chinese, Japanese
and Korean, which have no spaces between words. A query word is analysed by every language's
chain at once and matches any of the forms (``rétropropagation`` is stemmed as French for the
French pages, as English for the English ones); a CJK word becomes a phrase of bigrams. Two
fields instead of two per language keep queries fast: Whoosh pays per field searched.

Results collapse on :attr:`SearchDoc.group` (the lecture a page or section is about), so one
lecture's many sections and translations count once; ``total`` and the facet counts count those
groups. A page in the query's script ranks above a translation in another script, and English
above other Latin-script translations. Filter values and facet keys are display values (``SP21``,
``Yann LeCun``, a topic label).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict
from functools import cache, lru_cache
from pathlib import Path

from rdflib import Graph
from whoosh import highlight, qparser
from whoosh import index as windex
from whoosh import query as wquery
from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.lang import has_stemmer, has_stopwords, stemmer_for_language, stopwords_for_language
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
from dlgraph.searchable import KINDS, SearchDoc, documents
from dlgraph.vocab import slug

#: Bumped whenever the schema or analysis changes: an older index must be rebuilt.
SCHEMA_VERSION = 2
#: Languages with their own analysis chain; every other language is analysed as ``xx``.
LANGUAGE_GROUPS = ("en", "fr", "es", "it", "pt", "ru", "tr", "hu", "ar", "xx", "cjk")
FACETS = ("edition", "kind", "language", "theme", "lecturer", "topic")
#: Field weights: a title or heading says more about a document than a word in its body.
BOOSTS = {"title": 3.0, "body": 1.0, "names": 2.0, "idents": 1.5, "topics": 1.0}
#: Score factor of a hit in another script than the query's, and of a Latin-script translation.
OTHER_SCRIPT, OTHER_LATIN = 0.5, 0.8

_META_FILE = "dlgraph-index.json"
_COLUMNS_FILE = "columns.json"
_TOKEN = r"[^\W_]+(?:\.[^\W_]+)*"  # words; underscores split notebook names
_RUNS_RE = re.compile(f"[{CJK}]+|[^{CJK}]+")
_MARK = "\x00"  # index-time prefix naming a value's language group: "\x00fr\x00texte…"
_ALT = "\x1f"  # joins a query word's forms, one per language chain, in LANGUAGE_GROUPS order
_ALPHABETIC = LANGUAGE_GROUPS[:-1]
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
    if group != "xx" and has_stemmer(group):
        chain = chain | StemFilter(lang=group, cachesize=100_000)
    # folding after stemming: the Snowball stemmers expect the accents
    return chain | CharsetFilter(accent_map)


@cache
def _chains() -> dict:
    return {g: _chain(g) for g in LANGUAGE_GROUPS}


@cache
def _word_forms() -> list:
    """Per alphabetic language: (stop words, stemmer or None)."""
    return [(_stops(g), stemmer_for_language(g) if g != "xx" and has_stemmer(g) else None)
            for g in _ALPHABETIC]


@lru_cache(maxsize=50_000)
def _alternatives(word: str) -> str:
    """A lower-cased query word's form in every language chain, joined by ``_ALT`` ('' = stop)."""
    forms = []
    for stops, stem in _word_forms():
        if word in stops or len(word) < 2:
            forms.append("")
        else:
            forms.append((stem(word) if stem else word).translate(accent_map))
    return _ALT.join(forms)


class MultilingualAnalyzer(Analyzer):
    """Indexes a value in the language its ``\\x00<group>\\x00`` prefix names; queries in all.

    At query time each alphabetic word becomes one token whose text joins its forms in every
    language chain (see :func:`_alternatives`); the query parser turns it into an OR of the
    distinct forms. CJK text becomes bigrams, as when indexing.
    """

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        kw = dict(positions=positions, chars=chars, keeporiginal=keeporiginal,
                  removestops=removestops, start_pos=start_pos, tokenize=tokenize, mode=mode,
                  **kwargs)
        if value.startswith(_MARK):
            group, _, text = value[1:].partition(_MARK)
            chain = _chains().get(group, _chains()["xx"])
            yield from chain(text, start_char=start_char + len(group) + 2, **kw)
        elif mode == "query":
            yield from self._query(value, start_char=start_char, **kw)
        else:
            yield from _chains()["en"](value, start_char=start_char, **kw)

    @staticmethod
    def _query(value, **kw):
        base = RegexTokenizer(_TOKEN) | LowercaseFilter()
        pos = 0
        for t in base(value, **kw):
            text, start = t.text, t.startchar if t.chars else 0
            pieces = _RUNS_RE.finditer(text) if CJK_RE.search(text) else [None]
            for m in pieces:
                run = text if m is None else m.group()
                off = start + (0 if m is None else m.start())
                if CJK_RE.match(run):
                    grams = [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
                    for i, gram in enumerate(grams):
                        yield CJKBigramFilter._emit(t, gram, pos, off + i)
                        pos += 1
                    continue
                forms = _alternatives(run)
                if forms.strip(_ALT):
                    yield CJKBigramFilter._emit(t, forms, pos, off)
                    pos += 1


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
    text = MultilingualAnalyzer()
    return Schema(
        iri=ID(stored=True, unique=True),
        kind=KEYWORD(lowercase=True),
        edition=KEYWORD(lowercase=True),
        lang=KEYWORD(lowercase=True),
        theme=TEXT(analyzer=_chain("en")),
        lecturer=TEXT(analyzer=_names_analyzer()),
        topic=KEYWORD(lowercase=True),
        video=ID,
        title=TEXT(analyzer=text),
        body=TEXT(analyzer=text),
        names=TEXT(analyzer=_names_analyzer()),
        idents=TEXT(analyzer=_chain("en")),
        topics=TEXT(analyzer=_chain("en")),
        spell=TEXT(analyzer=_spell_analyzer(), phrase=False),
        meta=STORED,
        snippet=STORED,
    )


# -- building ------------------------------------------------------------------------------


def _fields(d: SearchDoc) -> dict:
    mark = f"{_MARK}{language_group(d.language)}{_MARK}"
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
        "title": mark + title,
        "body": mark + "\n".join(x for x in (d.text, d.context) if x),
        "names": " ; ".join(d.names),
        "idents": " ".join(d.idents),
        "topics": " ; ".join(d.topic_labels),
        "spell": "\n".join((title, d.text, " ".join(d.names))),
        "meta": meta,
        "snippet": d.text or d.heading or d.title,
    }


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

#: ``field:`` names a learner may type, and what they search.
USER_FIELDS = {
    "edition": "edition", "kind": "kind", "lang": "lang", "language": "lang",
    "theme": "theme", "lecturer": "lecturer", "topic": "topic", "video": "video",
    "title": "title", "text": "body", "body": "body", "name": "names", "person": "names",
}


class _FieldsPlugin(qparser.FieldsPlugin):
    """``field:`` for the fields in :data:`USER_FIELDS`; any other ``word:`` stays plain text."""

    def __init__(self):
        super().__init__(remove_unknown=False)

    def filters(self, parser):
        return [(self.do_unknown, 99), (self.do_fieldnames, 100)]

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
                if node.has_text:
                    node.text = pending.original + node.text
                else:
                    out.append(syntax.to_word(pending))
                pending = None
            out.append(node)
        if pending is not None:
            out.append(syntax.to_word(pending))
        return out


def _forms_query(fieldname: str, tokens: list[str], boost: float):
    """The query for one typed word whose analysis gave ``tokens``."""
    parts = []
    for tok in tokens:
        forms = sorted({f for f in tok.split(_ALT) if f})
        if forms:
            parts.append(forms)
    if not parts:
        return wquery.NullQuery

    def one(forms):
        terms = [wquery.Term(fieldname, f, boost=boost) for f in forms]
        return terms[0] if len(terms) == 1 else wquery.Or(terms)

    if len(parts) == 1:
        return one(parts[0])
    if all(len(p) == 1 and CJK_RE.search(p[0]) for p in parts):
        return wquery.Phrase(fieldname, [p[0] for p in parts], boost=boost)
    return wquery.And([one(p) for p in parts])


def _phrase(fieldname, words, slop=1, boost=1.0, char_ranges=None):
    """A phrase in every language's forms: one Phrase per distinct sequence of forms."""
    if fieldname not in _TEXT_FIELDS:
        return wquery.Phrase(fieldname, words, slop=slop, boost=boost, char_ranges=char_ranges)
    seqs = []
    for i in range(len(_ALPHABETIC)):
        seq = tuple(f for f in (w.split(_ALT)[i] if _ALT in w else w for w in words) if f)
        if seq and seq not in seqs:
            seqs.append(seq)
    qs = [wquery.Phrase(fieldname, list(s), slop=slop, boost=boost) if len(s) > 1
          else wquery.Term(fieldname, s[0], boost=boost) for s in seqs]
    if not qs:
        return wquery.NullQuery
    return qs[0] if len(qs) == 1 else wquery.Or(qs)


class _Parser(qparser.QueryParser):
    """Whoosh's parser, taught the multilingual title/body fields."""

    def term_query(self, fieldname, text, termclass, boost=1.0, tokenize=True, removestops=True):
        if fieldname not in _TEXT_FIELDS:
            return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)
        if termclass is not wquery.Term:
            # wildcards and prefixes match the stored forms as typed, unstemmed
            return termclass(fieldname, fold(text.lower()), boost=boost)
        tokens = [t.text for t in self.schema[fieldname].analyzer(text, mode="query")]
        return _forms_query(fieldname, tokens, boost)


def _parser(ix: SearchIndex, any_word: bool):
    if any_word not in ix._parsers:
        group = qparser.OrGroup.factory(0.9) if any_word else qparser.AndGroup
        p = _Parser(None, ix.schema, group=group, phraseclass=_phrase)
        p.add_plugin(qparser.MultifieldPlugin(list(BOOSTS), fieldboosts=BOOSTS))
        p.remove_plugin_class(qparser.FieldsPlugin)
        # 'single quotes' would swallow French elisions (l'énergie) and English possessives
        p.remove_plugin_class(qparser.SingleQuotePlugin)
        p.add_plugin(_FieldsPlugin())
        ix._parsers[any_word] = p
    return ix._parsers[any_word]


def _parse(ix: SearchIndex, text: str, any_word: bool = False):
    parser = _parser(ix, any_word)
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
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
_WORD_RE = re.compile(r'"[^"]*"|(?<![\w:])([^\W\d_]{4,})(?![\w:])')


def _correct_word(ix: SearchIndex, word: str) -> str | None:
    reader = ix.searcher.reader()
    w = word.lower()
    df = reader.doc_frequency("spell", w)
    if df >= RARE_DF or CJK_RE.search(w):
        return None
    best = None
    for cand in reader.terms_within("spell", w, 1 if len(w) <= 5 else 2, prefix=1):
        if cand == w:
            continue
        if fold(cand) == fold(w):
            return None  # a known word typed without (or with other) accents
        cdf = reader.doc_frequency("spell", cand)
        if cdf < (CORRECTION_RATIO * df if df else 1) or cdf < RARE_DF and df:
            continue
        key = (distance(w, cand), -cdf, cand)
        if best is None or key < best:
            best = key
    return best[2] if best else None


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


class _MarkFormatter(highlight.Formatter):
    """``[[term]]`` around each match: plain text a UI escapes, then turns marks into tags."""

    between = " … "

    def format_token(self, text, token, replace=False):
        return "[[" + highlight.get_text(text, token, replace) + "]]"


_FRAGMENTER = highlight.ContextFragmenter(maxchars=220, surround=60, charlimit=6000)
_FORMATTER = _MarkFormatter()
SNIPPET_CHARS = 220


def _snippet(text: str, terms: frozenset, group: str) -> str:
    """A short excerpt of ``text`` with the query's terms marked ``[[like this]]``."""
    # literal brackets are split so that ``[[`` and ``]]`` only ever mean a match
    text = " ".join((text or "").replace("[[", "[ [").replace("]]", "] ]").split())
    if not text:
        return ""
    if terms:
        tokens = _chains()[group](text, positions=True, chars=True, mode="query",
                                  removestops=False)
        tokens = highlight.set_matched_filter(tokens, terms)
        frags = highlight.top_fragments(
            _FRAGMENTER.fragment_tokens(text, tokens), 1, highlight.BasicFragmentScorer(),
            highlight.FIRST, minscore=1)
        if frags:
            f = frags[0]
            # adjacent CJK bigrams read as one match
            marked = _FORMATTER.format_fragment(f).replace("]][[", "").strip()
            return ("… " if f.startchar > 0 else "") + marked + (
                " …" if f.endchar < len(text) else "")
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"


def _query_terms(q) -> frozenset:
    """The analysed title/body terms of a query, for highlighting."""
    try:
        return frozenset(t for f, t in q.iter_all_terms(phrases=True) if f in _TEXT_FIELDS)
    except Exception:  # pragma: no cover - exotic query nodes without terms
        return frozenset()


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
    q = _parse(ix, run) if run else wquery.Every()
    results = _run(ix, q, allowed, script_of(run))
    if not results and run and len(run.split()) > 1 and not has_syntax(run, USER_FIELDS):
        q = _parse(ix, run, any_word=True)
        results = _run(ix, q, allowed, script_of(run))
    facets, per_group = _facet_counts(ix, (d for _, d in results))
    hits = _collapse(ix, results, per_group, q, limit, page, set(e.upper() for e in editions))
    return {"query": query, "total": len(per_group), "hits": hits, "facets": facets,
            "suggestion": suggestion}


def _run(ix: SearchIndex, q, allowed: set | None, script: str) -> list[tuple[float, int]]:
    """Every matching (score, docnum), best first, a page in the query's script first."""
    if q is wquery.NullQuery or (allowed is not None and not allowed):
        return []
    res = ix.searcher.search(q, limit=None, filter=allowed)
    scripts, langs = ix.scripts, ix.languages
    weighted = []
    for score, d in res.top_n:
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


def _hit(ix: SearchIndex, d: int, score: float, collapsed: int, terms: frozenset,
         editions: set) -> dict:
    stored = ix.searcher.stored_fields(d)
    m = stored["meta"]
    eds = m["editions"]
    # a reading or person of several editions is shown in the edition the learner asked for
    edition = next((e for e in eds if e in editions), eds[0] if eds else None)
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
        "snippet": _snippet(stored.get("snippet", ""), terms, language_group(m["language"])),
        "collapsed": collapsed,
    }


__all__ = [
    "BOOSTS",
    "FACETS",
    "LANGUAGE_GROUPS",
    "USER_FIELDS",
    "IndexMissing",
    "MultilingualAnalyzer",
    "SearchError",
    "SearchIndex",
    "build_index",
    "index_path",
    "language_group",
    "open_index",
    "search",
    "suggest",
]
