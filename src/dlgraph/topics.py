"""The curated topic scheme and the transparent rule that tags entities with topics."""

from __future__ import annotations

from rdflib import Graph


def tag_graph(g: Graph) -> int:
    """Stub: replaced by the real implementation. Returns the number of triples added."""
    return 0
