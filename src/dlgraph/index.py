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
lecture's many sections and translations count once, and then on the recording, so SP21's and
FL22's copies of one video are one hit naming the other (``also_in``); ``total`` and the facet
counts count those units. Filter values and facet keys are display values (``SP21``,
``Yann LeCun``, a topic label).
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import uuid
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import asdict
from functools import cache, lru_cache
from pathlib import Path

from rdflib import Graph
from whoosh import index as windex
from whoosh import qparser
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
from dlgraph.searchable import KINDS, SearchDoc, documents, edition_order, topic_labels
from dlgraph.topics import find_topic, scheme_graph
from dlgraph.topics import tokens as topic_tokens
from dlgraph.vocab import slug

#: Bumped whenever the schema or analysis changes: an older index must be rebuilt.
SCHEMA_VERSION = 6
#: Languages with their own analysed fields; every other language is analysed as ``xx``.
LANGUAGE_GROUPS = ("en", "fr", "es", "it", "pt", "ru", "tr", "hu", "ar", "xx", "cjk")
FACETS = ("edition", "kind", "language", "theme", "lecturer", "topic")
#: Field weights: a title or heading says more about a document than a word in its body.
BOOSTS = {"title": 3.0, "body": 1.0}
#: A language is searched when its rarest query word is at least 1/ROUTE_RATIO as common as in
#: the best language's pages.
ROUTE_RATIO = 4
#: Share of the best score a document tagged with the topic a query names gains, scaled by
#: how strongly it is tagged (:data:`FULL_STRENGTH`). A lecture item gains up to the whole best
#: score, since an item is what a learner naming a topic looks for, but never more, so words
#: still beat tags: on bench/relevance.py (mean nDCG@10) a flat 0.6 for every kind gave 0.896,
#: these 0.915 (lecture 1.2 or 1.5 gave more to "convolutional neural networks" but buried the
#: pages naming "Barlow Twins" under their topic's lectures).
TOPIC_SHARE, LECTURE_TOPIC_SHARE = 0.6, 1.0
#: Each further hit of an edition already shown among the first :data:`VARIED_TOP` ranks as if
#: its score were this much lower, compounding: a topic taught in several editions shows
#: each of them, not six items of one (bench/relevance.py: 0.915 → 0.918 with 0.9; 0.8 lost).
EDITION_DECAY, VARIED_TOP = 0.9, 50
#: Tag strength (summed tag scores: 1.0 for the title, 0.5 per heading, 0.2 per mention) that
#: earns the whole share: a title and two headings naming the topic.
FULL_STRENGTH = 2.0
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
    """What facets, filters and collapsing need per document, kept in memory by
    :func:`open_index`."""
    return [d.iri, d.group or d.iri, d.kind, list(d.editions), d.language, d.theme,
            list(d.lecturers), list(d.topics), list(d.topic_keys), list(d.same_recording),
            dict(d.topic_strength)]


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
        # lecture item → the other items showing the same recording (collapsed into one hit)
        self.same = {r[0]: tuple(r[9]) for r in rows if r[9]}
        self.docnum = {r[0]: d for d, r in enumerate(rows) if r[9]}
        self.known_languages = sorted({(r[4] or "").lower() for r in rows} - {""})
        self.strength = [r[10] for r in rows]
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
        self._topic_names: dict[str, frozenset[str]] = {}

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


#: Fields holding whole values (no positions): a phrase in them cannot be a phrase query.
_KEYWORD_FIELDS = frozenset({"kind", "edition", "lang", "topic", "video"})


class _FieldsPlugin(qparser.FieldsPlugin):
    """``field:`` for the fields in :data:`USER_FIELDS`; any other ``word:`` stays plain text."""

    def __init__(self, groups: tuple[str, ...], topic_keys: Callable[[str], frozenset]):
        super().__init__(remove_unknown=False)
        self.groups = groups
        self.topic_keys = topic_keys

    def filters(self, parser):
        return [(self.do_unknown, 99), (self.do_fieldnames, 100), (self.do_aliases, 105),
                (self.do_keywords, 106)]

    def do_keywords(self, parser, group):
        """A value of a keyword field is one or more whole values, never a phrase.

        ``kind:"lecture notes"`` means ``kind:lecture OR kind:notes`` (Whoosh would refuse the
        phrase: these fields keep no positions), and a topic is named by any of its labels as
        in ``dlgraph path``: ``topic:EBM`` and ``topic:"energy-based models"`` are
        ``topic:energy-based-models``.
        """
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.do_keywords(parser, node)
                continue
            if not (node.has_text and node.has_fieldname and node.fieldname in _KEYWORD_FIELDS):
                continue
            text = node.text or ""
            if node.fieldname == "topic":
                values = sorted(self.topic_keys(text)) or [slug(text) or text]
            elif isinstance(node, syntax.WordNode) and not re.search(r"[\s,]", text):
                continue
            else:
                values = text.replace(",", " ").split() or [text]
            words = []
            for v in values:
                w = syntax.WordNode(v)
                w.set_fieldname(node.fieldname, override=True)
                w.set_boost(node.boost)
                w.startchar, w.endchar = node.startchar, node.endchar
                words.append(w)
            group[i] = words[0] if len(words) == 1 else syntax.OrGroup(words)
        return group

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
        p.add_plugin(_FieldsPlugin(groups, lambda name: _topic_keys(ix, name)))
        if len(ix._parsers) > 64:
            ix._parsers.clear()
        ix._parsers[key] = p
    return ix._parsers[key]


_EDITION_FIELD_RE = re.compile(r'(?<!\w)edition:(?:"([^"]*)"|([A-Za-z0-9]+))', re.IGNORECASE)
_LANG_FIELD_RE = re.compile(r'(?<!\w)(?:lang|language):(?:"([^"]*)"|([A-Za-z-]+))',
                            re.IGNORECASE)


def _field_values(pattern: re.Pattern, text: str) -> list[str]:
    """Every value ``field:value`` or ``field:"value value"`` gives in ``text``."""
    return [v for m in pattern.finditer(text) for v in (m.group(1) or m.group(2) or "").split()]


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


def _plain(text: str) -> str:
    """``text`` with every operator character removed: its words only."""
    return re.sub(r"[\"()\[\]{}^~*?:]", " ", text)


def _parse(ix: SearchIndex, text: str, groups: tuple[str, ...], any_word: bool = False):
    parser = _parser(ix, groups, any_word)
    try:
        return parser.parse(balanced(text))
    except Exception:
        # Whoosh's parser is lenient but not total: retry with every operator character removed
        try:
            return parser.parse(_plain(text))
        except Exception as err:  # pragma: no cover - defensive
            raise SearchError(f"could not understand the query {text[:60]!r}: {err}") from err


@cache
def _scheme() -> Graph:
    return scheme_graph()


def _topic_keys(ix: SearchIndex, name: str) -> frozenset[str]:
    """The keys of the topic ``name`` names, empty when it names none.

    ``name`` may be a key (``energy-based-models``), or a preferred or alternative label as
    :func:`dlgraph.topics.find_topic` (``dlgraph path``) resolves it: ``EBM``, ``Energy-based
    models``; labels it cannot compare (Chinese, Japanese, Korean) are looked up in the index's
    own label table.
    """
    try:
        return _resolve_topic(ix, name)
    except LookupError:
        return frozenset()


def _resolve_topic(ix: SearchIndex, name: str) -> frozenset[str]:
    """:func:`_topic_keys`, raising ``LookupError`` with close matches when nothing matches."""
    cached = ix._topic_names.get(name)
    if cached is not None:
        return cached
    key = slug(name)
    if key and key in ix.tagged:
        keys = frozenset({key})
    else:
        keys = frozenset(k.lower() for k in ix.topic_labels.get(_label_key(name), ()))
        if not keys:
            if not topic_tokens(name):
                # find_topic compares tokens: with none (an empty or a CJK name) it would
                # take whichever topic has a label without any
                raise LookupError(f"unknown topic {name!r}; try `dlgraph topics`")
            # find_topic raises LookupError naming close matches: the message a learner needs
            found = find_topic(_scheme(), name)
            keys = frozenset({str(found).rsplit("/", 1)[-1]})
    if len(ix._topic_names) > 256:
        ix._topic_names.clear()
    ix._topic_names[name] = keys
    return keys


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
    # an empty value (a cleared widget) is no filter
    kind, lang, theme, topic, lecturer = ((v or "").strip() or None
                                          for v in (kind, lang, theme, topic, lecturer))
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
    lang_l = lang.lower() if lang else None
    if lang_l is not None and lang_l not in ix.known_languages:
        raise SearchError(
            f"unknown language {lang!r} (one of: {', '.join(ix.known_languages)})")
    topic_docs = None
    if topic is not None:
        try:
            topic_keys = _resolve_topic(ix, topic)
        except LookupError as err:
            raise SearchError(str(err)) from None
        topic_docs = set().union(*(docs for k in topic_keys if k in ix.tagged
                                   for docs in ix.tagged[k].values()))
    theme_s = slug(theme) if theme else None
    lect = set(slug(lecturer).split("-")) if lecturer else None
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
        if topic_docs is not None and d not in topic_docs:
            continue
        if lect is not None and not any(lect <= set(slug(n).split("-")) for n in ix.lecturers[d]):
            continue
        keep.add(d)
    if len(ix._filters) > 256:
        ix._filters.clear()
    ix._filters[key] = keep
    return keep


def _varied(ix: SearchIndex, heads: list[tuple[float, int]]) -> list[tuple[float, int]]:
    """``heads`` with the editions interleaved at the top (:data:`EDITION_DECAY`).

    Greedy: the next hit is the best of each edition's next one, its score lowered by
    :data:`EDITION_DECAY` for every hit of its edition already placed. Within an edition the
    order stays the score order, so one edition's results (an edition filter) keep theirs.
    The hits keep their own scores.
    """
    top = heads[:VARIED_TOP]
    queues: dict[str, deque] = defaultdict(deque)
    for sd in top:
        eds = ix.editions[sd[1]]
        queues[eds[0] if eds else ""].append(sd)
    if len(queues) < 2:
        return heads
    placed: Counter = Counter()
    out = []
    while queues:
        edition = max(queues, key=lambda e: (queues[e][0][0] * EDITION_DECAY ** placed[e],
                                             -queues[e][0][1]))
        out.append(queues[edition].popleft())
        placed[edition] += 1
        if not queues[edition]:
            del queues[edition]
    return out + heads[VARIED_TOP:]


def _units(ix: SearchIndex, results: list[tuple[float, int]]):
    """Collapse the results into units: ``(heads, facet counts, matching documents per unit)``.

    A unit is a group (a lecture item with its pages, sections and translations) plus the
    groups of the same recording ranked below it (:attr:`SearchIndex.same`): SP21's and FL22's
    copies of one video are one hit, its best, that names the others in ``also_in``. Only a
    group shown as a hit absorbs others, so SP20's two parts of one week's video stay two hits
    even when SP21 links that video too. An edition filter removes the other editions' copies
    before this, so each edition still shows its own item. ``heads`` are the units' best
    ``(score, doc)``, best first; units are keyed by their head's group, and the facets count
    units.
    """
    groups, signature, same = ix.groups, ix.signature, ix.same
    unit_of: dict[str, str] = {}
    rank: dict[str, int] = {}  # head group → its place among the heads
    heads: list[tuple[float, int]] = []
    per_unit: dict[str, int] = defaultdict(int)
    seen = set()
    facets: dict[str, dict[str, set]] = {f: defaultdict(set) for f in FACETS}
    edition_f, kind_f, lang_f, theme_f, lect_f, topic_f = (facets[f] for f in FACETS)
    for score, d in results:
        grp = groups[d]
        unit = unit_of.get(grp)
        if unit is None:
            shown = [o for o in same.get(grp, ()) if o in rank]
            unit = min(shown, key=rank.__getitem__) if shown else grp
            unit_of[grp] = unit
            if unit == grp:
                rank[grp] = len(heads)
                heads.append((score, d))
        per_unit[unit] += 1
        # documents with the same unit and the same facet values count once: skip them fast
        sig = (unit, signature[d])
        if sig in seen:
            continue
        seen.add(sig)
        for e in ix.editions[d]:
            edition_f[e].add(unit)
        kind_f[ix.kinds[d]].add(unit)
        if ix.languages[d]:
            lang_f[ix.languages[d]].add(unit)
        if ix.themes[d]:
            theme_f[ix.themes[d]].add(unit)
        for n in ix.lecturers[d]:
            lect_f[n].add(unit)
        for t in ix.topics[d]:
            topic_f[t].add(unit)
    counts = {
        f: dict(sorted(((k, len(v)) for k, v in vals.items()), key=lambda kv: (-kv[1], kv[0])))
        for f, vals in facets.items()
    }
    return heads, counts, per_unit


# -- snippets ------------------------------------------------------------------------------


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


@lru_cache(maxsize=200_000)
def _forms(group: str, word: str) -> frozenset[str]:
    """The terms ``group``'s analysis makes of one word (cached: snippets re-analyse the same
    words over and over, and Whoosh's analysis is per-token Python)."""
    return frozenset(t.text for t in _chains()[group](word, mode="query"))


def _tokens(text: str, group: str, terms: frozenset):
    """``(start, end, term or None)`` for each word of ``text`` as ``group`` indexes it: CJK runs
    as overlapping bigrams (:class:`CJKBigramFilter`); ``term`` is the query term it matches."""
    for m in _TOKEN_RE.finditer(text):
        word, at = m.group(), m.start()
        if group == "cjk" and CJK_RE.search(word):
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
        maxchars, surround = _FRAGMENT["cjk" if cjk else "latin"]
        # the fragment with the most matches of the most distinct terms (ties: the later one),
        # as Whoosh's BasicFragmentScorer ranks them
        best = max(_fragments(_tokens(text, group, terms), maxchars, surround),
                   key=lambda f: (len(f[2]) * len(f[3]), f[0]), default=None)
        if best is not None:
            start, end, matches, _ = best
            marked = _marked(text, start, end, matches).strip()
            at_start = start == 0 and full.startswith(text)
            at_end = end >= len(text) and full.endswith(text)
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
    ``word:`` is plain text; a quoted value of a keyword field is several values,
    ``edition:"SP21 FL22"``). An empty query lists everything the filters let through.
    ``total`` counts result units: a lecture with its notes, sections and translations is one,
    and so are the items of several editions showing the same recording (:func:`_units`).
    Each hit is its unit's best document, with ``collapsed`` other matches and ``also_in``, the
    other lecture items (``iri``, ``edition``, ``title``, ``url``) of the same recording, and
    ``moment``, the best-matching timestamped section of a hit that is not one itself (or
    ``None``; see :func:`_moments`).
    When a word looks misspelled and ``correct`` is true, the hits are those of
    ``suggestion``, the corrected query (``None`` otherwise). A hit from a notes section has
    ``url`` = the YouTube URL at the second its section (or the section it is part of) starts
    and ``page_url`` = the notes page with its anchor. Snippets are plain text with matches
    marked ``[[…]]``. ``topic`` is a topic's key or any of its labels (``EBM``). Raises
    :class:`SearchError` for an unknown edition, kind, language or topic; no query text makes
    it raise anything else.
    """
    limit = max(1, min(int(limit), 100))
    page = max(1, int(page))
    text = clean_query(query)
    allowed = _filter_docs(ix, tuple(editions or ()), kind, lang, theme, topic, lecturer)
    suggestion = suggest(ix, text) if correct and text else None
    run = suggestion or text
    typed = [lang] if lang else _field_values(_LANG_FIELD_RE, run)
    if typed:
        groups = tuple(dict.fromkeys(language_group(t) for t in typed))
    else:
        groups, _ = route(ix, run)
    script = script_of(run)
    tagged = _tagged(ix, run, groups)
    q, results = _searched(ix, run, groups, allowed, script, tagged)
    words = len(re.findall(r"[^\W_]+", run))
    if not results and words > 1 and not has_syntax(run, USER_FIELDS):
        q, results = _searched(ix, run, groups, allowed, script, tagged, any_word=True)
    heads, facets, per_unit = _units(ix, results)
    heads = _varied(ix, heads)
    shown = {e.upper() for e in (*editions, *_field_values(_EDITION_FIELD_RE, run))}
    first = (page - 1) * limit
    terms = _query_terms(q)
    page_heads = heads[first : first + limit]
    moments = _moments(ix, results, page_heads)
    hits = [_hit(ix, d, score, per_unit[ix.groups[d]] - 1, terms, shown,
                 moments.get(ix.groups[d]))
            for score, d in page_heads]
    return {"query": query, "total": len(heads), "hits": hits, "facets": facets,
            "suggestion": suggestion}


def _searched(ix: SearchIndex, text: str, groups: tuple[str, ...], allowed: set | None,
              script: str, tagged: dict[int, float], any_word: bool = False):
    """The parsed query and its results (:func:`_run`); the words alone when Whoosh refuses it.

    Some queries parse but fail only when run (Whoosh checks a field's positions then): a
    learner's query must never end in a traceback, so its plain words are searched instead.
    """
    if not text:
        q = wquery.Every()
        return q, _run(ix, q, allowed, script, tagged)
    q = _parse(ix, text, groups, any_word)
    try:
        return q, _run(ix, q, allowed, script, tagged)
    except Exception:
        q = _parse(ix, _plain(text), groups, any_word)
        try:
            return q, _run(ix, q, allowed, script, tagged)
        except Exception as err:  # pragma: no cover - defensive
            raise SearchError(f"could not run the query {text[:60]!r}: {err}") from err


def _tagged(ix: SearchIndex, text: str, groups: tuple[str, ...]) -> dict[int, float]:
    """The documents in ``groups``' languages tagged with the topic the whole query names, with
    how strongly (the summed score of their tags for it).

    ``convolutional neural networks`` is a label of the *Convolutional nets* topic: the lecture
    items tagged with it belong in the results even when their titles say ``ConvNets``.
    """
    if not text or has_syntax(text, USER_FIELDS):
        return {}
    keys = {k.lower() for k in ix.topic_labels.get(_label_key(text), ())}
    out: dict[int, float] = {}
    for k in keys:
        for g in groups if k in ix.tagged else ():
            for d in ix.tagged[k].get(g, ()):
                out[d] = max(out.get(d, 0.0), ix.strength[d].get(k, 0.0))
    return out


def _run(ix: SearchIndex, q, allowed: set | None, script: str,
         tagged: dict[int, float] | None = None) -> list[tuple[float, int]]:
    """Every matching (score, docnum), best first, a page in the query's script first.

    Documents tagged with the query's topic (:func:`_tagged`) gain a share of the best score
    (:data:`TOPIC_SHARE`), whether or not they have the words: the pages that have both rank
    first.
    """
    if q is wquery.NullQuery or (allowed is not None and not allowed):
        return []
    scores = dict((d, s) for s, d in ix.searcher.search(q, limit=None, filter=allowed).top_n)
    if tagged:
        best = max(scores.values(), default=1.0) / FULL_STRENGTH
        kinds = ix.kinds
        for d, strength in tagged.items():
            if allowed is None or d in allowed:
                share = LECTURE_TOPIC_SHARE if kinds[d] == "lecture" else TOPIC_SHARE
                scores[d] = scores.get(d, 0.0) + share * best * min(strength, FULL_STRENGTH)
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


def _hit(ix: SearchIndex, d: int, score: float, collapsed: int, terms: dict,
         editions: set, moment: dict | None = None) -> dict:
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
        "also_in": _also_in(ix, ix.groups[d]),
        "moment": moment,
    }


def _moments(ix: SearchIndex, results: list[tuple[float, int]],
             heads: list[tuple[float, int]]) -> dict[str, dict]:
    """For each shown hit that is not itself a video moment: its lecture's best-matching
    timestamped section (``heading``, ``url`` at the second, ``start``, ``page_url``).

    A lecture hit collapses its sections; the learner still wants to jump to the moment the
    words are spoken, not to the start of a two-hour video.
    """
    want = {ix.groups[d] for _, d in heads if ix.kinds[d] != "section"}
    found: dict[str, dict] = {}
    for _, d in results:
        if len(found) == len(want):
            break
        g = ix.groups[d]
        if g not in want or g in found or ix.kinds[d] != "section":
            continue
        m = ix.searcher.stored_fields(d)["meta"]
        if m["video"] and m["start"] is not None:
            found[g] = {"heading": m["heading"], "url": m["url"], "start": m["start"],
                        "page_url": m["page_url"]}
    return found


def _also_in(ix: SearchIndex, group: str) -> list[dict]:
    """The other lecture items showing the same recording as ``group``, oldest edition first."""
    out = []
    for iri in ix.same.get(group, ()):
        d = ix.docnum.get(iri)
        if d is None:
            continue
        m = ix.searcher.stored_fields(d)["meta"]
        out.append({"iri": iri, "edition": (m["editions"] or [None])[0], "title": m["title"],
                    "url": m["url"]})
    rank = {c: i for i, c in enumerate(edition_order())}
    return sorted(out, key=lambda a: (rank.get(a["edition"], len(rank)), a["iri"]))


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
