"""What an index folder holds besides Whoosh's files: the schema version, the per-document
columns facets and filters read, the topic labels and the editions' words.

Written by :mod:`.build`, read by :mod:`.index`. Kept apart from both so that opening an index
for a search imports neither the builder (the graph, rdflib) nor the editions registry.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dlgraph.searchable import SearchDoc

#: Bumped whenever the schema, the analysis or the side files change: an older index must be
#: rebuilt.
SCHEMA_VERSION = 9

_META_FILE = "dlgraph-index.json"
_COLUMNS_FILE = "columns.json"
_TOPICS_FILE = "topics.json"

#: The per-document columns, in the order :func:`encode_columns` writes them. Each is stored as
#: a table of its distinct values and one index into it per document (a few thousand groups,
#: eleven kinds, a handful of edition lists): parsed in milliseconds, where one JSON row per
#: document took a tenth of a second on every open.
COLUMNS = ("group", "kind", "editions", "language", "theme", "lecturers", "topics", "topic_keys",
           "same", "strength", "timed", "signature")


def index_path(data_dir: Path) -> Path:
    """Where the search index of a data folder lives (``DATA_DIR/index``)."""
    return Path(data_dir) / "index"


def _row(d: SearchDoc) -> tuple:
    facets = (d.kind, list(d.editions), d.language, d.theme, list(d.lecturers), list(d.topics))
    # documents with the same facet values count once per unit: their signature says so
    # a moment needs a video and a second (a passage's may come from its captions' marks)
    timed = bool(d.video) and (d.start is not None or bool(d.marks))
    return (d.group or d.iri, *facets, list(d.topic_keys), list(d.same_recording),
            dict(d.topic_strength), timed, json.dumps(facets, ensure_ascii=False))


def _hashable(value):
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, dict):
        return tuple(sorted(value.items()))
    return value


def encode_columns(docs: list[SearchDoc]) -> str:
    """The columns file of ``docs`` (in document-number order), as JSON text."""
    tables: dict[str, list] = {c: [] for c in COLUMNS}
    seen: dict[str, dict[str, int]] = {c: {} for c in COLUMNS}
    index: dict[str, list[int]] = {c: [] for c in COLUMNS}
    for d in docs:
        for name, value in zip(COLUMNS, _row(d), strict=True):
            key = _hashable(value)
            at = seen[name].get(key)
            if at is None:
                at = seen[name][key] = len(tables[name])
                tables[name].append(value)
            index[name].append(at)
    # the signature's values are only compared: their table is not needed, its size is
    tables["signature"] = len(tables["signature"])
    return json.dumps({"iri": [d.iri for d in docs], "tables": tables, "index": index},
                      ensure_ascii=False)


def decode_columns(text: str) -> dict[str, list]:
    """Column name → one value per document (shared objects: read them, never change them).

    ``iri`` is each document's IRI; ``signature`` a number shared by the documents with the
    same facet values; ``codes`` and ``tables`` the columns as stored, each document's place
    in its column's table of distinct values (for readers that work on numbers).
    """
    data = json.loads(text)
    tables, index = data["tables"], data["index"]
    out: dict = {"iri": data["iri"], "signature": index["signature"], "codes": index,
                 "tables": tables}
    for name in COLUMNS[:-1]:
        table = tables[name]
        if name in ("editions", "lecturers", "topics", "topic_keys", "same"):
            table = [tuple(v) for v in table]
        out[name] = [table[i] for i in index[name]]
    return out
