"""The whole graph as RDF (Turtle, N-Triples, JSON-LD)."""

from __future__ import annotations

from rdflib import Graph

GRAPH_FORMATS = ("turtle", "jsonld", "nt")


def export_graph(g: Graph, fmt: str) -> str:
    """The whole graph as ``turtle``, ``nt`` (N-Triples) or ``jsonld`` (expanded JSON-LD).

    Serialised by pyoxigraph (rdflib's Turtle writer takes minutes on the full graph), so
    the output is what a strict parser accepts: a damaged IRI (``…/[https:/…``) is written
    percent-encoded rather than breaking the file. A saved graph's Turtle is its
    ``graph.ttl``, written the same way when it was saved (``dlgraph.store.saved_turtle``):
    reading the whole store back costs seconds.
    """
    from dlgraph.serialise import FORMATS, Converted, serialise

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(GRAPH_FORMATS)})")
    if fmt == "turtle":
        from dlgraph.store import saved_turtle

        saved = saved_turtle(g)
        if saved is not None:
            return saved
    return serialise(Converted(g), fmt, g.namespaces())
