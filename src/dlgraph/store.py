"""The data folder: the only place that writes it (:mod:`dlgraph.records_store` for the
records, editions list, build state and parse memo; :mod:`dlgraph.graph_store` for the graph).

Every write goes through :func:`atomic_write` (a temporary file in the same folder, then
``os.replace``), so a run that fails half-way leaves the previous files whole.
Layout under ``data_dir``: ``records/<EDITION>.json`` (one edition's records);
``graph.ttl`` (the graph as Turtle, the human-readable export) and ``graph.oxigraph`` (a link to
``.graph-<token>/``: the same graph as an Oxigraph store).
"""

from __future__ import annotations

from dlgraph.atomic import atomic_write
from dlgraph.graph_store import (
    GRAPH_STORE,
    GRAPH_TTL,
    graph_exists,
    graph_is_current,
    load_graph,
    save_graph,
    saved_summary,
    saved_turtle,
)
from dlgraph.records_store import (
    BUILD_STATE,
    EDITIONS_JSON,
    PARSE_MEMO,
    build_state,
    load_editions,
    load_parse_memo,
    load_records,
    records_digest,
    records_dir,
    save_build_state,
    save_editions,
    save_parse_memo,
    save_records,
    stored_editions,
)

__all__ = [
    "BUILD_STATE",
    "EDITIONS_JSON",
    "GRAPH_STORE",
    "GRAPH_TTL",
    "PARSE_MEMO",
    "atomic_write",
    "build_state",
    "graph_exists",
    "graph_is_current",
    "load_editions",
    "load_graph",
    "load_parse_memo",
    "load_records",
    "records_digest",
    "records_dir",
    "save_build_state",
    "save_editions",
    "save_graph",
    "save_parse_memo",
    "save_records",
    "saved_summary",
    "saved_turtle",
    "stored_editions",
]
