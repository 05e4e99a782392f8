"""What a comparison of editions may name: editions the graph holds, each once."""

from __future__ import annotations

from rdflib import Graph

from dlgraph.lineage import editions


class CompareError(ValueError):
    """Raised for an unknown edition or a comparison of an edition with itself."""


def check_codes(g: Graph, codes: list[str]) -> None:
    """Raise :class:`CompareError` unless every code is an ingested edition, named once."""
    known = editions(g)
    for code in codes:
        if code not in known:
            raise CompareError(f"unknown edition {code!r}; known: {', '.join(known)}")
    if len(set(codes)) != len(codes):
        raise CompareError("each edition may be named once")


__all__ = ["CompareError", "check_codes"]
