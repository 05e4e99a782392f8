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
* the worker holds a forked copy of the graph, so nothing it does can change the caller's;
* the worker's memory is capped and its answer bounded in rows and bytes, so one
  ``GROUP_CONCAT`` over every literal cannot take the machine's memory or flood the caller.

Parsing happens in the caller, under one lock: rdflib's pyparsing grammar finishes setting
itself up on first use, and two threads doing that at once leave it broken for every later
query in the process (rdflib issue "Make querying thread-safe").
"""

from __future__ import annotations

import math
import multiprocessing
import os
import sys
import threading
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
#: Longest time limit accepted (a day), so ``inf`` or ``1e300`` is an error, not a hang.
MAX_TIMEOUT = 86400.0
#: Default bounds of an answer: rows of a SELECT (triples of a CONSTRUCT), and bytes of
#: text in it. More is cut off and the result says so (``"truncated"``).
DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_BYTES = 64 * 2**20
#: Memory a query's worker may use beyond the forked graph before it is stopped.
DEFAULT_MAX_MEMORY = 2 * 2**30

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


def _plain(result: Any, max_rows: int, max_bytes: int) -> dict:
    """An rdflib query result as plain, picklable, JSON-ready data, cut at the limits."""
    kind = result.type
    if kind == "SELECT":
        names = [str(v) for v in result.vars]
        rows, size, cut = [], 0, None
        for row in result:
            if len(rows) == max_rows:
                cut = f"more than {max_rows:,} rows"
                break
            plain = {n: _term(row[i]) for i, n in enumerate(names)}
            size += sum(len(v) + 8 for v in plain.values() if v is not None)
            if size > max_bytes:
                cut = f"more than {max_bytes / 2**20:g} MB"
                break
            rows.append(plain)
        out = {"type": kind, "vars": names, "rows": rows, "count": len(rows)}
        return _cut(out, cut)
    if kind == "ASK":
        return {"type": kind, "boolean": bool(result.askAnswer)}
    graph, cut = result.graph, None
    if len(graph) > max_rows:
        kept = Graph()
        for n, triple in enumerate(graph):
            if n == max_rows:
                break
            kept.add(triple)
        graph, cut = kept, f"more than {max_rows:,} triples"
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, replace=True)
    turtle = graph.serialize(format="turtle")
    if len(turtle) > max_bytes:
        raise MemoryError(f"its Turtle is more than {max_bytes / 2**20:g} MB")
    return _cut({"type": kind, "count": len(graph), "turtle": turtle}, cut)


#: W3C SPARQL results formats :func:`run_query` can write (SELECT and ASK; ``json`` and
#: ``xml`` also serialise a CONSTRUCT/DESCRIBE graph, as JSON-LD and RDF/XML).
RESULTS_FORMATS = ("json", "csv", "tsv", "xml")


def _serialised(result: Any, fmt: str, max_rows: int, max_bytes: int) -> dict:
    """The result in a W3C results format (rdflib's own serialisers), as text, cut at the limits."""
    cut = None
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        if fmt not in ("json", "xml"):
            raise QueryError(f"{fmt} holds SELECT results; a {result.type} gives a graph "
                             "(use json for JSON-LD, xml for RDF/XML, or no format for Turtle)")
        text = result.graph.serialize(format="json-ld" if fmt == "json" else "xml")
    elif result.type == "ASK" and fmt in ("csv", "tsv"):
        raise QueryError(f"{fmt} holds SELECT results; an ASK answer is json or xml")
    else:
        if result.type == "SELECT" and len(result.bindings) > max_rows:
            result.bindings = result.bindings[:max_rows]
            cut = f"more than {max_rows:,} rows"
        if fmt == "tsv":
            text = _tsv(result)  # rdflib parses TSV results but has no serialiser for them
        else:
            text = result.serialize(format=fmt, encoding="utf-8").decode("utf-8")
    if len(text) > max_bytes:
        raise MemoryError(f"it is more than {max_bytes / 2**20:g} MB as {fmt}")
    return _cut({"type": result.type, "format": fmt, "text": text}, cut)


def _tsv(result: Any) -> str:
    """SPARQL 1.1 TSV: ``?var`` headers, terms in Turtle syntax, an empty field when unbound."""
    names = [str(v) for v in result.vars]
    lines = ["\t".join(f"?{n}" for n in names)]
    for row in result:
        lines.append("\t".join("" if t is None else t.n3().replace("\t", "\\t") for t in row))
    return "\n".join(lines) + "\n"


def _cut(out: dict, cut: str | None) -> dict:
    out["truncated"] = cut is not None
    if cut is not None:
        out["truncated_because"] = cut
    return out


def _native(g: Graph, prepared: Query) -> Any | None:
    """The query run by Oxigraph when ``g`` is a saved graph (``dlgraph.oxstore``), as an
    rdflib result; ``None`` when rdflib must run it.

    Oxigraph answers the example queries many times faster than rdflib's evaluator. It
    runs the very text ``prepare`` checked; DESCRIBE (whose answer each engine defines its
    own way) and any text Oxigraph's parser refuses stay with rdflib. The rows are the same;
    the order of the parts of a ``GROUP_CONCAT``, which SPARQL leaves to the engine, is
    Oxigraph's.
    """
    from dlgraph.oxstore import ReadOnlyOxigraphStore, from_ox

    text = getattr(prepared, "text", None)
    if (not isinstance(g.store, ReadOnlyOxigraphStore) or text is None
            or prepared.algebra.name == "DescribeQuery"):
        return None
    import pyoxigraph as ox
    from rdflib.query import Result
    from rdflib.term import Variable

    try:
        found = g.store.oxigraph.query(text, prefixes={p: str(ns) for p, ns in PREFIXES.items()})
    except SyntaxError:
        return None
    if isinstance(found, ox.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(found)
    elif isinstance(found, ox.QuerySolutions):
        result = Result("SELECT")
        names = [Variable(v.value) for v in found.variables]
        result.vars = names
        # A generator: rdflib's result reads it lazily, so the row and byte limits stop it.
        result.bindings = ({n: from_ox(t) for n, t in zip(names, row, strict=True) if t is not None}
                           for row in found)
    else:
        result = Result("CONSTRUCT")
        result.graph = Graph()
        for t in found:
            result.graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
    return result


def _evaluate(g: Graph, prepared: Query, max_rows: int, max_bytes: int,
              fmt: str | None = None) -> dict:
    try:
        result = _native(g, prepared)
        if result is None:
            result = g.query(prepared)
        if fmt:
            return {"ok": _serialised(result, fmt, max_rows, max_bytes)}
        return {"ok": _plain(result, max_rows, max_bytes)}
    except QueryError as exc:
        return {"error": str(exc)}
    except PermissionError as exc:
        return {"error": f"refused: {exc}"}
    except MemoryError as exc:
        why = f" ({exc})" if str(exc) else ""
        return {"error": f"query stopped: its answer is too large{why}; add a LIMIT or "
                         "aggregate less"}
    except Exception as exc:  # rdflib raises plain Exceptions for evaluation errors
        return {"error": f"query failed: {type(exc).__name__}: {exc}"}


def _cap_memory(extra: int) -> None:
    """Let this (forked) process grow by ``extra`` bytes beyond its size now, no further."""
    try:
        import resource

        with open("/proc/self/statm") as fh:
            size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = size + extra
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError, ImportError):
        pass  # no /proc or no rlimits (not Linux): the row and byte limits still hold


def _worker(conn, g: Graph, prepared: Query, limits: tuple[int, int, int],
            fmt: str | None = None) -> None:
    import rdflib.plugins.sparql

    max_rows, max_bytes, max_memory = limits
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    sys.addaudithook(_block_network)
    _cap_memory(max_memory)
    try:
        conn.send(_evaluate(g, prepared, max_rows, max_bytes, fmt))
    except MemoryError:
        conn.send({"error": "query stopped: it needed more memory than allowed; add a LIMIT "
                            "or aggregate less"})
    finally:
        conn.close()


def _context():
    # fork shares the loaded graph with the worker for free; spawn (other platforms) has to
    # pickle it across, which is slower but equally safe.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _run_in_worker(g: Graph, prepared: Query, timeout: float,
                   limits: tuple[int, int, int] = (DEFAULT_MAX_ROWS, DEFAULT_MAX_BYTES,
                                                   DEFAULT_MAX_MEMORY),
                   fmt: str | None = None) -> dict:
    ctx = _context()
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_worker, args=(send, g, prepared, limits, fmt), daemon=True)
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


def run_query(
    g: Graph,
    query: str,
    timeout: float = DEFAULT_TIMEOUT,
    results_format: str | None = None,
    *,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_memory: int = DEFAULT_MAX_MEMORY,
) -> dict:
    """Run a read-only SPARQL query over ``g`` and return its result as plain data.

    The usual prefixes (``schema:``, ``dlg:``, ``id:``, ``skos:``, ``dcterms:``, ``prov:``,
    ``bibo:``, ``rdf:``, ``rdfs:``, ``xsd:``) are predeclared. Safe to call from several
    threads at once.

    Parameters
    ----------
    g
        The graph to query; never modified.
    query
        A SPARQL 1.1 SELECT, ASK, CONSTRUCT or DESCRIBE query.
    timeout
        Seconds after which the query is stopped (at most :data:`MAX_TIMEOUT`).
    results_format
        One of :data:`RESULTS_FORMATS`: the result comes back serialised in that W3C SPARQL
        results format (SPARQL 1.1 Query Results JSON, CSV, TSV or XML), as
        ``{"type", "format", "text"}``.
    max_rows, max_bytes
        The answer keeps at most ``max_rows`` rows (CONSTRUCT: triples) and about
        ``max_bytes`` of text; the rest is cut off and ``truncated`` is true.
    max_memory
        Bytes the query may allocate; beyond that it stops with :class:`QueryError`.

    Returns
    -------
    dict
        SELECT: ``{"type": "SELECT", "vars": [...], "rows": [{var: value or None}], "count": N}``
        with IRIs and literals as strings; ASK: ``{"type": "ASK", "boolean": bool}``;
        CONSTRUCT/DESCRIBE: ``{"type": ..., "count": N, "turtle": "..."}``. SELECT and
        CONSTRUCT results also carry ``truncated`` (bool) and, when true,
        ``truncated_because`` (``"more than 100,000 rows"``).

    Raises
    ------
    QueryRefused
        Update, ``SERVICE``, ``FROM``/``FROM NAMED``.
    QueryTimeout
        The query ran longer than ``timeout``.
    QueryError
        Any other malformed or failing query, or one that needs too much memory.
    """
    check_timeout(timeout)
    if max_rows < 1 or max_bytes < 1:
        raise QueryError("row and byte limits must be positive")
    if results_format is not None and results_format not in RESULTS_FORMATS:
        raise QueryError(f"unknown results format {results_format!r} "
                         f"(one of {', '.join(RESULTS_FORMATS)})")
    return _run_in_worker(g, prepare(query), timeout, (max_rows, max_bytes, max_memory),
                          results_format)


def check_timeout(timeout: float) -> float:
    """``timeout`` if it is a usable time limit; :class:`QueryError` saying why otherwise."""
    if not isinstance(timeout, (int, float)) or not math.isfinite(timeout) or timeout <= 0:
        raise QueryError(f"the timeout (time limit) must be a positive number of seconds, not {timeout!r}")
    if timeout > MAX_TIMEOUT:
        raise QueryError(f"the timeout (time limit) is at most {MAX_TIMEOUT:g} s, not {timeout:g}")
    return timeout


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
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_MEMORY",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIMEOUT",
    "MAX_TIMEOUT",
    "PREFIXES",
    "QueryError",
    "QueryRefused",
    "QueryTimeout",
    "RESULTS_FORMATS",
    "check_timeout",
    "format_result",
    "prepare",
    "run_query",
]
