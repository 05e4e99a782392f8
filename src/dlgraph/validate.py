"""SHACL validation of the graph against the shapes shipped in ``dlgraph/data/shapes.ttl``."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib.resources import files

from rdflib import Graph, Literal, Namespace
from rdflib.collection import Collection
from rdflib.namespace import SH

#: The shipped SHACL shapes and ontology, as package resources.
SHAPES = files("dlgraph") / "data" / "shapes.ttl"
ONTOLOGY = files("dlgraph") / "data" / "ontology.ttl"


@cache
def _parsed(resource) -> Graph:
    g = Graph()
    g.parse(data=resource.read_text(encoding="utf-8"), format="turtle")
    return g


#: The shapes' own namespace (the property shapes the configured editions complete).
DLGSH = Namespace("https://w3id.org/dlgraph/shapes#")


def shapes_graph(codes: Iterable[str] | None = None, terms: Iterable[str] | None = None) -> Graph:
    """The SHACL shapes graph (parsed once; do not modify).

    With ``codes`` (and ``terms``), an edition's ``schema:identifier`` (and ``dlg:term``)
    must be one of them: the configured editions', so the shapes file names none.
    """
    if codes is None and terms is None:
        return _parsed(SHAPES)
    return _configured(tuple(sorted(set(codes or ()))), tuple(sorted(set(terms or ()))))


@cache
def _configured(codes: tuple[str, ...], terms: tuple[str, ...]) -> Graph:
    g = Graph()
    for triple in _parsed(SHAPES):
        g.add(triple)
    for shape, values in ((DLGSH.EditionCode, codes), (DLGSH.EditionTerm, terms)):
        if values:
            head = Collection(g, None, [Literal(v) for v in values]).uri
            g.add((shape, SH["in"], head))
    return g


def configured_editions() -> tuple[list[str], list[str]]:
    """Codes and terms of the editions in force (``ingest.registry``)."""
    from ingest.registry import EDITIONS

    return list(EDITIONS), sorted({spec.term for spec in EDITIONS.values()})


def ontology_graph() -> Graph:
    """The ontology of dlgraph's own ``dlg:`` terms (parsed once; do not modify)."""
    return _parsed(ONTOLOGY)


def validate(g: Graph, codes: Iterable[str] | None = None,
             terms: Iterable[str] | None = None) -> tuple[bool, str, int]:
    """Validate ``g`` against the shipped SHACL shapes.

    Edition codes and terms must be among ``codes`` and ``terms``: by default those of the
    configured editions (:func:`configured_editions`).

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

    if codes is None:
        codes, default_terms = configured_editions()
        terms = default_terms if terms is None else terms
    conforms, results, text = shacl_validate(
        g,
        shacl_graph=shapes_graph(codes, terms),
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
