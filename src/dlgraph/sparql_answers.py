"""A query's answer as the caller gets it: plain JSON-ready data cut at the row and byte
limits, a W3C SPARQL results format (JSON, CSV, TSV, XML), or the CLI's text table."""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Graph

from dlgraph.sparql_checks import PREFIXES, QueryError


def _term(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, BNode):
        return f"_:{value}"
    return str(value)


def plain_result(result: Any, max_rows: int, max_bytes: int) -> dict:
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


def serialised_result(result: Any, fmt: str, max_rows: int, max_bytes: int) -> dict:
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
