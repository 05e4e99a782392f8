"""An open index: the Whoosh searcher and the per-document columns facets and filters need."""

from __future__ import annotations

import contextlib
import json
import threading
from collections import defaultdict
from pathlib import Path

from whoosh import index as windex
from whoosh.index import TOC
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from dlgraph.querytext import SCRIPTS
from dlgraph.search.analysis import language_group
from dlgraph.search.errors import IndexMissing
from dlgraph.search.layout import (
    _COLUMNS_FILE,
    _META_FILE,
    _TOPICS_FILE,
    SCHEMA_VERSION,
    decode_columns,
)
from dlgraph.search.postings import PostingsCache
from dlgraph.search.storage import MappedStorage


class SearchIndex:
    """An open index: the Whoosh searcher plus the per-document columns facets need."""

    def __init__(self, path: Path, meta: dict | None = None):
        self.path = path
        # The table of contents holds the pickled schema (thirty fields' analysers): read it
        # once, and give it to the index and every searcher, which would each read it again.
        storage = MappedStorage(str(path))
        self._toc = TOC.read(storage, windex._DEF_INDEX_NAME)
        self.ix = windex.FileIndex(storage, schema=self._toc.schema)
        # A Whoosh searcher reads its files through shared handles (seek, then read): two
        # threads using one read each other's bytes, and answer wrong or not at all. So each
        # search borrows a searcher of its own (:meth:`reading`); one outside any search
        # (:attr:`searcher`) is opened when first asked for. Opening one reads the index's
        # files, so a process that searches once opens one.
        self._main = None
        self._spare: list = []
        self._every: list = []
        self._pool_lock = threading.Lock()
        self._local = threading.local()
        cols = decode_columns((path / _COLUMNS_FILE).read_text(encoding="utf-8"))
        damaged = IndexMissing(f"the index at {path} is damaged; run `dlgraph index`")
        iris = cols["iri"]
        with self.reading() as searcher:
            # Index.schema re-reads the table of contents from disk on every access
            self.schema = searcher.schema
            if len(iris) != searcher.doc_count_all():
                raise damaged
            for probe in {0, len(iris) // 2, len(iris) - 1} if iris else ():
                if searcher.stored_fields(probe)["iri"] != iris[probe]:
                    raise damaged
        self.iris = iris
        #: the columns as stored: each document's place in its column's table of values
        self.column_codes, self.column_tables = cols["codes"], cols["tables"]
        self.groups = cols["group"]
        self.kinds = cols["kind"]
        self.editions = cols["editions"]
        self.languages = cols["language"]
        self.themes = cols["theme"]
        self.lecturers = cols["lecturers"]
        self.topics = cols["topics"]
        self.topic_keys = cols["topic_keys"]
        # lecture item → the other items showing the same recording (collapsed into one hit)
        self.same = {iris[d]: s for d, s in enumerate(cols["same"]) if s}
        self.docnum = {iris[d]: d for d, s in enumerate(cols["same"]) if s}
        languages = set(self.languages)
        self.known_languages = sorted({(lang or "").lower() for lang in languages} - {""})
        self.strength = cols["strength"]
        #: whether a document can be a video moment (has a video and a second to open it at)
        self.timed = cols["timed"]
        script = {lang: SCRIPTS.get((lang or "").split("-")[0], "latin") if lang else None
                  for lang in languages}
        self.scripts = [script[lang] for lang in self.languages]
        # documents with the same group and the same facet values count once: skip them fast
        self.signature = cols["signature"]
        self.known_editions = sorted({e for eds in set(self.editions) for e in eds})
        #: edition codes in course order, and the words naming each (:mod:`.editions`), as
        #: configured when the index was built
        self.edition_table = [tuple(e) for e in (meta or {}).get("editions", ())]
        self.edition_order = tuple(code for code, _term, _year in self.edition_table)
        #: every kind of document (:data:`dlgraph.searchable.KINDS`), indexed or not
        self.all_kinds = tuple((meta or {}).get("kinds", ()))
        topics = path / _TOPICS_FILE
        self.topic_labels = (json.loads(topics.read_text(encoding="utf-8"))
                             if topics.is_file() else {})
        self._tagged = None
        self._parsers: dict = {}
        self._filters: dict = {}
        self._topic_names: dict[str, frozenset[str]] = {}
        self._edition_words = None
        self._frequencies: dict[tuple[str, str], int] = {}
        #: decoded postings of the terms searched lately (:mod:`.matching`)
        self.postings_cache = PostingsCache()

    @property
    def tagged(self) -> dict[str, dict[str, set[int]]]:
        """Topic key → language group → documents tagged with it (made when first asked for:
        only a query naming a topic, or a topic filter, reads it)."""
        got = self._tagged
        if got is None:  # two threads may both make it: the same map, either kept
            got = defaultdict(lambda: defaultdict(set))
            group_of = {lang: language_group(lang) for lang in set(self.languages)}
            for d, keys in enumerate(self.topic_keys):
                for k in keys:
                    got[k.lower()][group_of[self.languages[d]]].add(d)
            self._tagged = got
        return got

    def frequency(self, fieldname: str, text: str) -> int:
        """In how many documents ``fieldname`` has ``text`` (cached: routing, spelling and
        coverage ask for the same terms, each a hash lookup in Whoosh's terms file)."""
        key = (fieldname, text)
        got = self._frequencies.get(key)
        if got is None:
            if len(self._frequencies) > 200_000:
                self._frequencies.clear()
            got = self._frequencies[key] = self.searcher.reader().doc_frequency(fieldname, text)
        return got

    def text_frequency(self, group: str, text: str) -> int:
        """:meth:`frequency` of ``text`` in ``group``'s titles or bodies, whichever is more."""
        return max(self.frequency(f"body_{group}", text), self.frequency(f"title_{group}", text))

    def _new_searcher(self):
        toc = self._toc
        reader = self.ix._reader(self.ix.storage, toc.schema, list(toc.segments), toc.generation)
        return Searcher(reader, weighting=BM25F(B=0.75, K1=1.2), fromindex=self.ix)

    @property
    def searcher(self):
        """The Whoosh searcher of this thread's current search (see :meth:`reading`)."""
        mine = getattr(self._local, "searcher", None)
        if mine is not None:
            return mine
        if self._main is None:
            with self._pool_lock:
                if self._main is None:
                    self._main = self._new_searcher()
                    self._every.append(self._main)
        return self._main

    @contextlib.contextmanager
    def reading(self):
        """Give this thread a searcher no other thread uses until the block ends.

        Searchers are kept for reuse, so a process opens about as many as it has
        concurrent searches, once.
        """
        if getattr(self._local, "searcher", None) is not None:  # already inside one
            yield self._local.searcher
            return
        with self._pool_lock:
            mine = self._spare.pop() if self._spare else None
        if mine is None:
            mine = self._new_searcher()
            with self._pool_lock:
                self._every.append(mine)
        self._local.searcher = mine
        try:
            yield mine
        finally:
            self._local.searcher = None
            with self._pool_lock:
                self._spare.append(mine)

    def close(self) -> None:
        """Release every searcher's files."""
        with self._pool_lock:
            every, self._every, self._spare = self._every, [], []
        for searcher in every:
            searcher.close()
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
    about = json.loads(meta.read_text(encoding="utf-8"))
    if about.get("schema_version") != SCHEMA_VERSION:
        raise IndexMissing(f"the search index in {path} was built by another dlgraph version: {hint}")
    return SearchIndex(path, about)
