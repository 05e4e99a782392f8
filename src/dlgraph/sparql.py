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

What a query may do is checked by :mod:`dlgraph.sparql_checks` (in the caller, under one
lock); its answer is shaped by :mod:`dlgraph.sparql_answers`. Both are re-exported here.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import sys
from typing import Any

from rdflib import Graph
from rdflib.plugins.sparql.sparql import Query

from dlgraph.sparql_answers import RESULTS_FORMATS, format_result, plain_result, serialised_result
from dlgraph.sparql_checks import PREFIXES, QueryError, QueryRefused, QueryTimeout, prepare

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


# -- running -----------------------------------------------------------------------------


def _block_network(event: str, _args: tuple) -> None:
    if event in _NETWORK_EVENTS:
        raise PermissionError(f"network access is disabled while running a query ({event})")


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
            return {"ok": serialised_result(result, fmt, max_rows, max_bytes)}
        return {"ok": plain_result(result, max_rows, max_bytes)}
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
