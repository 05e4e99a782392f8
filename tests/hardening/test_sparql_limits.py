"""SPARQL under threads and against answers too large to hold."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from rdflib import Graph, Literal, URIRef

from dlgraph.sparql import QueryError, run_query

EX = "https://example.org/"


@pytest.fixture(scope="module")
def wide_graph() -> Graph:
    g = Graph()
    for i in range(300):
        g.add((URIRef(f"{EX}s{i}"), URIRef(f"{EX}p"), Literal(f"value {i} " + "x" * 2000)))
    return g


COLD_THREADS = textwrap.dedent("""
    import sys, threading
    from dlgraph.sparql import prepare
    queries = [
        "SELECT ?s WHERE { ?s ?p ?o } LIMIT %d" % n for n in range(1, 6)
    ] + ["ASK { ?s a schema:Person }", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?o > 3) }"]
    failures, barrier = [], threading.Barrier(8)
    def work():
        barrier.wait()
        for _ in range(3):
            for q in queries:
                try:
                    prepare(q)
                except Exception as exc:
                    failures.append(repr(exc))
    threads = [threading.Thread(target=work) for _ in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    print(len(failures), failures[:1])
""")


def test_first_queries_from_eight_threads_at_once_all_parse():
    # A fresh process each time: the race is in pyparsing's first-use setup.
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", COLD_THREADS], capture_output=True,
                             text=True, timeout=120, check=True).stdout
        assert out.startswith("0 "), out


def test_rows_are_cut_at_the_limit_and_the_result_says_so(wide_graph):
    result = run_query(wide_graph, "SELECT ?s ?o WHERE { ?s ?p ?o }", max_rows=10)
    assert result["count"] == 10 and len(result["rows"]) == 10
    assert result["truncated"] and "10 rows" in result["truncated_because"]
    whole = run_query(wide_graph, "SELECT ?s WHERE { ?s ?p ?o }")
    assert whole["count"] == 300 and whole["truncated"] is False


def test_bytes_are_cut_at_the_limit(wide_graph):
    result = run_query(wide_graph, "SELECT ?o WHERE { ?s ?p ?o }", max_bytes=100_000)
    assert 0 < result["count"] < 60 and result["truncated"]


def test_construct_is_cut_at_the_limit(wide_graph):
    result = run_query(wide_graph, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", max_rows=7)
    assert result["count"] == 7 and result["truncated"]


def test_a_huge_group_concat_stops_on_memory_not_the_machine(wide_graph):
    # 300 × 300 pairs of 2 kB values: a single 180 MB string, far past a 64 MB budget.
    query = ("SELECT (GROUP_CONCAT(?o; separator=' ') AS ?all) WHERE "
             "{ ?s ?p ?o . ?t ?q ?u }")
    with pytest.raises(QueryError, match="too large|more memory"):
        run_query(wide_graph, query, max_memory=64 * 2**20, timeout=120)


@pytest.mark.parametrize("timeout", [float("nan"), float("inf"), 1e300, 0, -1])
def test_unusable_time_limits_are_refused(wide_graph, timeout):
    with pytest.raises(QueryError, match="time limit"):
        run_query(wide_graph, "ASK {}", timeout=timeout)
