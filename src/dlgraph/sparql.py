"""Read-only SPARQL over the graph, safe to expose to anyone who can type a query.

rdflib will happily run ``SERVICE`` clauses (an HTTP request to any endpoint), load
``FROM``/``FROM NAMED`` graphs from their IRIs (HTTP or local files), and execute SPARQL Update.
:func:`run_query` parses the query with rdflib's own parser and refuses all of that by
inspecting the parse tree and the algebra, not the text. The query then runs in a worker
process, so that

* a runaway query (a cross join of every triple with every triple) is killed at the time limit
  instead of burning a CPU in the background, as an abandoned thread would;
* the worker blocks every socket connection and HTTP request through an audit hook, a second
  line of defence should a network path slip past the inspection;
* the worker holds a forked copy of the graph, so nothing it does can change the caller's.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterator
from typing import Any

from pyparsing import ParseException
from rdflib import BNode, Graph
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.sparql import Query

from dlgraph.vocab import BIBO, DCTERMS, DLG, ID, PROV, RDF, RDFS, SDO, SKOS, XSD

#: Default time limit of a query, in seconds.
DEFAULT_TIMEOUT = 30.0

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

#: Audit events that mean the process is about to reach the network.
_NETWORK_EVENTS = frozenset(
    {
        "socket.connect",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.sendto",
        "urllib.Request",
    }
)


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
    return prepared


def _update_name(name: str) -> str:
    """``InsertData`` → ``INSERT DATA``; ``Modify`` (DELETE/INSERT … WHERE) → ``DELETE/INSERT``."""
    if name == "Modify":
        return "DELETE/INSERT"
    words = "".join(f" {c}" if c.isupper() else c for c in name).split()
    return " ".join(words).upper()


# -- running -----------------------------------------------------------------------------


def _block_network(event: str, _args: tuple) -> None:
    if event in _NETWORK_EVENTS:
        raise PermissionError(f"network access is disabled while running a query ({event})")


def _term(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, BNode):
        return f"_:{value}"
    return str(value)


def _plain(result: Any) -> dict:
    """An rdflib query result as plain, picklable, JSON-ready data."""
    kind = result.type
    if kind == "SELECT":
        names = [str(v) for v in result.vars]
        rows = [{n: _term(row[i]) for i, n in enumerate(names)} for row in result]
        return {"type": kind, "vars": names, "rows": rows, "count": len(rows)}
    if kind == "ASK":
        return {"type": kind, "boolean": bool(result.askAnswer)}
    graph = result.graph
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, replace=True)
    return {"type": kind, "count": len(graph), "turtle": graph.serialize(format="turtle")}


#: W3C SPARQL results formats :func:`run_query` can write (SELECT and ASK; ``json`` and
#: ``xml`` also serialise a CONSTRUCT/DESCRIBE graph, as JSON-LD and RDF/XML).
RESULTS_FORMATS = ("json", "csv", "tsv", "xml")


def _serialised(result: Any, fmt: str) -> dict:
    """The result in a W3C results format (rdflib's own serialisers), as text."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        if fmt not in ("json", "xml"):
            raise QueryError(f"{fmt} holds SELECT results; a {result.type} gives a graph "
                             "(use json for JSON-LD, xml for RDF/XML, or no format for Turtle)")
        text = result.graph.serialize(format="json-ld" if fmt == "json" else "xml")
    elif result.type == "ASK" and fmt in ("csv", "tsv"):
        raise QueryError(f"{fmt} holds SELECT results; an ASK answer is json or xml")
    elif fmt == "tsv":
        text = _tsv(result)  # rdflib parses TSV results but has no serialiser for them
    else:
        text = result.serialize(format=fmt, encoding="utf-8").decode("utf-8")
    return {"type": result.type, "format": fmt, "text": text}


def _tsv(result: Any) -> str:
    """SPARQL 1.1 TSV: ``?var`` headers, terms in Turtle syntax, an empty field when unbound."""
    names = [str(v) for v in result.vars]
    lines = ["\t".join(f"?{n}" for n in names)]
    for row in result:
        lines.append("\t".join("" if t is None else t.n3().replace("\t", "\\t") for t in row))
    return "\n".join(lines) + "\n"


def _evaluate(g: Graph, prepared: Query, fmt: str | None = None) -> dict:
    try:
        result = g.query(prepared)
        return {"ok": _serialised(result, fmt) if fmt else _plain(result)}
    except QueryError as exc:
        return {"error": str(exc)}
    except PermissionError as exc:
        return {"error": f"refused: {exc}"}
    except Exception as exc:  # rdflib raises plain Exceptions for evaluation errors
        return {"error": f"query failed: {type(exc).__name__}: {exc}"}


def _worker(conn, g: Graph, prepared: Query, fmt: str | None = None) -> None:
    import rdflib.plugins.sparql

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    sys.addaudithook(_block_network)
    try:
        conn.send(_evaluate(g, prepared, fmt))
    finally:
        conn.close()


def _context():
    # fork shares the loaded graph with the worker for free; spawn (other platforms) has to
    # pickle it across, which is slower but equally safe.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _run_in_worker(g: Graph, prepared: Query, timeout: float, fmt: str | None = None) -> dict:
    ctx = _context()
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_worker, args=(send, g, prepared, fmt), daemon=True)
    proc.start()
    send.close()
    try:
        if not recv.poll(timeout):
            raise QueryTimeout(f"query stopped after the {timeout:g} s time limit")
        try:
            answer = recv.recv()
        except EOFError:
            raise QueryError(f"query worker died (exit code {proc.exitcode})") from None
    finally:
        recv.close()
        if proc.is_alive():
            proc.kill()
        proc.join()
    if "error" in answer:
        raise QueryError(answer["error"])
    return answer["ok"]


def run_query(g: Graph, query: str, timeout: float = DEFAULT_TIMEOUT,
              results_format: str | None = None) -> dict:
    """Run a read-only SPARQL query over ``g`` and return its result as plain data.

    The usual prefixes (``schema:``, ``dlg:``, ``id:``, ``skos:``, ``dcterms:``, ``prov:``,
    ``bibo:``, ``rdf:``, ``rdfs:``, ``xsd:``) are predeclared.

    Parameters
    ----------
    g
        The graph to query; never modified.
    query
        A SPARQL 1.1 SELECT, ASK, CONSTRUCT or DESCRIBE query.
    timeout
        Seconds after which the query is stopped.
    results_format
        One of :data:`RESULTS_FORMATS`: the result comes back serialised in that W3C SPARQL
        results format (SPARQL 1.1 Query Results JSON, CSV, TSV or XML), as
        ``{"type", "format", "text"}``.

    Returns
    -------
    dict
        SELECT: ``{"type": "SELECT", "vars": [...], "rows": [{var: value or None}], "count": N}``
        with IRIs and literals as strings; ASK: ``{"type": "ASK", "boolean": bool}``;
        CONSTRUCT/DESCRIBE: ``{"type": ..., "count": N, "turtle": "..."}``.

    Raises
    ------
    QueryRefused
        Update, ``SERVICE``, ``FROM``/``FROM NAMED``.
    QueryTimeout
        The query ran longer than ``timeout``.
    QueryError
        Any other malformed or failing query.
    """
    if timeout <= 0:
        raise QueryError("timeout must be positive")
    if results_format is not None and results_format not in RESULTS_FORMATS:
        raise QueryError(f"unknown results format {results_format!r} "
                         f"(one of {', '.join(RESULTS_FORMATS)})")
    return _run_in_worker(g, prepare(query), timeout, results_format)


def format_result(result: dict) -> str:
    """A SELECT result as a tab-separated table (header first); other results as text."""
    if result["type"] == "SELECT":
        lines = ["\t".join(result["vars"])]
        for row in result["rows"]:
            lines.append("\t".join("" if row[v] is None else row[v] for v in result["vars"]))
        return "\n".join(lines)
    if result["type"] == "ASK":
        return "true" if result["boolean"] else "false"
    return result["turtle"].rstrip()


__all__ = [
    "DEFAULT_TIMEOUT",
    "PREFIXES",
    "QueryError",
    "QueryRefused",
    "QueryTimeout",
    "RESULTS_FORMATS",
    "format_result",
    "prepare",
    "run_query",
]
