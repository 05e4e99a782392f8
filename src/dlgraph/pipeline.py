"""From records to everything derived: the graph, then the search index.

``build`` is the one sequence every caller uses (CLI, tests, app fixtures), so the graph is
always built the same way: base graph, cross-edition links, readings, topics, lineage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from rdflib import Graph

from dlgraph.build import build_graph
from dlgraph.records import EditionRecords

Progress = Callable[[str, int, int], None]


def build(records: Iterable[EditionRecords]) -> Graph:
    """The complete graph of ``records``."""
    g = build_graph(records)
    return g
