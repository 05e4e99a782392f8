"""From records to everything derived: the graph, then the search index.

``build`` is the one sequence every caller uses (CLI, tests, app fixtures), so the graph is
always built the same way: base graph, cross-edition links, readings, topics, lineage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

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
