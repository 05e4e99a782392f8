"""From records to everything derived: the graph, then the search index.

``build`` is the one sequence every caller uses (CLI, tests, app fixtures), so the graph is
always built the same way: base graph, cross-edition links, readings, topics, lineage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from rdflib import Graph

from dlgraph import lineage, links, readings, topics
from dlgraph.build import build_graph
from dlgraph.records import EditionRecords

Progress = Callable[[str, int, int], None]


def build(records: Iterable[EditionRecords]) -> Graph:
    """The complete graph of ``records``: base graph, then each enrichment in order."""
    records = list(records)
    g = build_graph(records)
    links.add_cross_edition_links(g)
    readings.add_readings(g, records)
    topics.tag_graph(g)
    lineage.add_lineage(g)
    return g


def after_ingest(data_dir: Path, progress: Progress | None = None, with_index: bool = True) -> dict:
    """Everything derived from the records saved under ``data_dir``: graph, then search index.

    Loads the records (``store.load_records``), builds the complete graph (:func:`build`),
    saves it (``store.save_graph``), then (unless ``with_index`` is false) builds the search
    index into ``data_dir/index``. ``progress(stage, done, total)`` is called with stage
    ``"graph"`` and ``"index"``.

    Returns
    -------
    dict
        ``{"editions": [...], "triples": N, "graph": "<path of graph.ttl>", "indexed": N or None}``.

    Raises
    ------
    FileNotFoundError
        When ``data_dir`` holds no saved records.
    """
    from dlgraph import datadir, search, store

    data_dir = Path(data_dir)
    generation = (datadir.read_marker(data_dir) or {}).get("records")
    records = store.load_records(data_dir)
    if not records:
        raise FileNotFoundError(f"no records in {store.records_dir(data_dir)}: run `dlgraph ingest` first")
    if progress:
        progress("graph", 0, 1)
    g = build(records)
    ttl = store.save_graph(g, data_dir, built_from=generation)
    if progress:
        progress("graph", 1, 1)
    indexed = None
    if with_index:
        relay = (lambda done, total: progress("index", done, total)) if progress else None
        indexed = search.build_index(g, data_dir / "index", relay)
        datadir.mark(data_dir, "index", generation)
    return {
        "editions": [rec.edition for rec in records],
        "triples": len(g),
        "graph": str(ttl),
        "indexed": indexed,
    }
