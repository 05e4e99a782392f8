"""An open index: the Whoosh searcher and the per-document columns facets and filters need."""

from __future__ import annotations

import contextlib
import json
import threading
from collections import defaultdict
from pathlib import Path

from whoosh import index as windex
from whoosh.scoring import BM25F

from dlgraph.querytext import SCRIPTS
from dlgraph.search.analysis import language_group
from dlgraph.search.build import _COLUMNS_FILE, _META_FILE, _TOPICS_FILE, SCHEMA_VERSION
from dlgraph.search.errors import IndexMissing


class SearchIndex:
    """An open index: the Whoosh searcher plus the per-document columns facets need."""

    def __init__(self, path: Path):
        self.path = path
        self.ix = windex.open_dir(str(path))
        # A Whoosh searcher reads its files through shared handles (seek, then read): two
        # threads using one read each other's bytes, and answer wrong or not at all. So each
        # search borrows a searcher of its own (:meth:`reading`); this one serves the rest.
        self._main = self._new_searcher()
        self._spare: list = []
        self._every: list = [self._main]
        self._pool_lock = threading.Lock()
        self._local = threading.local()
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

    def _new_searcher(self):
        return self.ix.searcher(weighting=BM25F(B=0.75, K1=1.2))

    @property
    def searcher(self):
        """The Whoosh searcher of this thread's current search (see :meth:`reading`)."""
        return getattr(self._local, "searcher", None) or self._main

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
    version = json.loads(meta.read_text(encoding="utf-8")).get("schema_version")
    if version != SCHEMA_VERSION:
        raise IndexMissing(f"the search index in {path} was built by another dlgraph version: {hint}")
    return SearchIndex(path)
