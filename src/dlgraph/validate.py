"""SHACL validation of the graph against the shapes shipped in ``dlgraph/data/shapes.ttl``."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from rdflib import Graph
from rdflib.namespace import SH

#: The shipped SHACL shapes and ontology, as package resources.
SHAPES = files("dlgraph") / "data" / "shapes.ttl"
ONTOLOGY = files("dlgraph") / "data" / "ontology.ttl"


@cache
def _parsed(resource) -> Graph:
    g = Graph()
    g.parse(data=resource.read_text(encoding="utf-8"), format="turtle")
    return g


def shapes_graph() -> Graph:
    """The SHACL shapes graph (parsed once; do not modify)."""
    return _parsed(SHAPES)


def ontology_graph() -> Graph:
    """The ontology of dlgraph's own ``dlg:`` terms (parsed once; do not modify)."""
    return _parsed(ONTOLOGY)


def validate(g: Graph) -> tuple[bool, str, int]:
    """Validate ``g`` against the shipped SHACL shapes.

    No inference is run and the ontology is not mixed in: the builder states every type
    explicitly, and leaving the data graph as it is lets pyshacl validate it without copying.

    Parameters
    ----------
    g
        The graph to validate; not modified.

    Returns
    -------
    tuple
        ``(conforms, report_text, violations_count)``: whether the graph conforms, pyshacl's
        human report, and the number of results with severity ``sh:Violation``.
    """
    from pyshacl import validate as shacl_validate

    conforms, results, text = shacl_validate(
        g,
        shacl_graph=shapes_graph(),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=False,
    )
    if not isinstance(results, Graph):
        # pyshacl reports a broken shapes graph as a ValidationFailure instead of raising
        raise ValueError(f"cannot validate: {text}")
    violations = sum(1 for _ in results.subjects(SH.resultSeverity, SH.Violation))
    return bool(conforms), str(text), violations
