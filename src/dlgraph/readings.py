"""Readings: extract, normalise and deduplicate the works the editions cite."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph

from dlgraph.records import EditionRecords


def add_readings(g: Graph, records: Iterable[EditionRecords]) -> int:
    """Stub: replaced by the real implementation. Returns the number of triples added."""
    return 0
