"""Checking a SPARQL query before it runs: parsed with rdflib's own parser, then refused
if it would write (SPARQL Update) or reach outside the graph (``SERVICE``, ``FROM``), by
inspecting the parse tree and the algebra, not the text; and the errors a query raises.

Parsing happens in the caller, under one lock: rdflib's pyparsing grammar finishes setting
itself up on first use, and two threads doing that at once leave it broken for every later
query in the process (rdflib issue "Make querying thread-safe").
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.sparql import Query

from dlgraph.vocab import BIBO, DCTERMS, DLG, ID, PROV, RDF, RDFS, SDO, SKOS, XSD

# pyparsing is not thread-safe (see the module docstring): every parse goes through this.
_PARSE_LOCK = threading.Lock()

#: Prefixes every query may use without declaring them.
PREFIXES = {
    "schema": SDO._NS,
    "dlg": DLG._NS,
    "id": ID,
    "skos": SKOS._NS,
    "dcterms": DCTERMS._NS,
    "prov": PROV._NS,
    "bibo": BIBO._NS,
    "rdf": RDF._NS,
    "rdfs": RDFS._NS,
    "xsd": XSD._NS,
}


class QueryError(ValueError):
    """A query that is malformed, refused, or failed while running."""


class QueryRefused(QueryError):
    """A query that would write, or reach outside the graph (SERVICE, FROM, LOAD…)."""


class QueryTimeout(QueryError):
    """A query stopped at its time limit."""


# -- checking ----------------------------------------------------------------------------


def _walk(node: Any) -> Iterator[Any]:
    """Every node of a parse tree or algebra expression (CompValues, lists, expressions)."""
    stack, seen = [node], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) and not isinstance(item, (str, bytes)):
            stack.extend(item)
        elif hasattr(item, "asList") and not isinstance(item, (str, bytes)):
            stack.extend(item.asList())


def _names(node: Any) -> set[str]:
    return {getattr(n, "name", None) for n in _walk(node)} - {None}


def prepare(query: str) -> Query:
    """Parse ``query`` and check it is a read-only query that stays inside the graph.

    Raises
    ------
    QueryRefused
        For SPARQL Update (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, …), ``SERVICE`` and
        ``FROM`` / ``FROM NAMED`` (which rdflib would fetch from their IRIs).
    QueryError
        When the text is not SPARQL.
    """
    with _PARSE_LOCK:
        return _prepare(query)


def _prepare(query: str) -> Query:
    try:
        parsed = parseQuery(query)
    except ParseException as exc:
        try:
            requests = list(parseUpdate(query).request or ())
        except ParseException:
            requests = []
        if not requests:  # neither a query nor an update (an empty text parses as no update)
            raise QueryError(f"not a SPARQL query: {exc.msg} (line {exc.lineno}, column {exc.col})") from None
        ops = ", ".join(sorted({_update_name(r.name) for r in requests}))
        raise QueryRefused(f"refused: SPARQL Update ({ops}) is not allowed; queries are read-only") from None
    try:
        prepared = translateQuery(parsed, initNs=PREFIXES)
    except Exception as exc:
        raise QueryError(f"invalid query: {exc}") from None
    names = _names(parsed) | _names(prepared.algebra)
    if "ServiceGraphPattern" in names:
        raise QueryRefused("refused: SERVICE would query a remote endpoint; only the local graph can be queried")
    if prepared.algebra.get("datasetClause") or "DatasetClause" in names:
        raise QueryRefused("refused: FROM / FROM NAMED would load graphs from their IRIs; query the default graph without them")
    # The checked text travels with the algebra: Oxigraph runs the text (see _native).
    prepared.text = query
    return prepared


def _update_name(name: str) -> str:
    """``InsertData`` → ``INSERT DATA``; ``Modify`` (DELETE/INSERT … WHERE) → ``DELETE/INSERT``."""
    if name == "Modify":
        return "DELETE/INSERT"
    words = "".join(f" {c}" if c.isupper() else c for c in name).split()
    return " ".join(words).upper()
