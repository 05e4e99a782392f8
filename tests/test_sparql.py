"""Read-only SPARQL: answers on the fixture graph, refusals, no network, time limit, CLI."""

import json
import socket
import threading
import time
from importlib.resources import files

import pytest
from click.testing import CliRunner
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery

from dlgraph import sparql
from dlgraph.cli import cli
from dlgraph.sparql import QueryError, QueryRefused, QueryTimeout, prepare, run_query
from dlgraph.store import save_graph

QUERIES = files("dlgraph") / "data" / "queries"


@pytest.fixture
def listener():
    """A TCP port on 127.0.0.1 that records whether anything connected to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.5)
    port = server.getsockname()[1]

    def reached() -> bool:
        try:
            conn, _ = server.accept()
        except TimeoutError:
            return False
        conn.close()
        return True

    yield port, reached
    server.close()


# -- answers ---------------------------------------------------------------------------


def test_select(small_graph):
    result = run_query(small_graph, "SELECT ?a ?b WHERE { ?a dlg:sameRecordingAs ?b } ORDER BY ?a")
    assert result["type"] == "SELECT"
    assert result["vars"] == ["a", "b"]
    assert result["count"] == 2
    assert result["rows"][0] == {
        "a": "https://w3id.org/dlgraph/id/edition/FL22/lecture/01",
        "b": "https://w3id.org/dlgraph/id/edition/SP21/lecture/t1.1",
    }


def test_unbound_values_are_none(small_graph):
    q = """SELECT ?item ?week WHERE {
        ?item dlg:edition <https://w3id.org/dlgraph/id/edition/FL22> ; a schema:LearningResource .
        OPTIONAL { ?item dlg:week ?week } }"""
    rows = run_query(small_graph, q)["rows"]
    assert len(rows) == 2 and all(r["week"] is None for r in rows)


def test_ask_and_construct(small_graph):
    assert run_query(small_graph, "ASK { ?p a schema:Person }") == {"type": "ASK", "boolean": True}
    out = run_query(small_graph, "CONSTRUCT { ?p schema:name ?n } WHERE { ?p a schema:Person ; schema:name ?n }")
    assert out["type"] == "CONSTRUCT" and out["count"] >= 5
    assert "Yann LeCun" in out["turtle"]


def test_the_callers_graph_is_never_changed(small_graph):
    before = len(small_graph)
    run_query(small_graph, "SELECT * WHERE { ?s ?p ?o } LIMIT 3")
    assert len(small_graph) == before


@pytest.mark.parametrize("path", sorted(p.name for p in QUERIES.iterdir() if p.name.endswith(".rq")))
def test_shipped_queries_run(small_graph, path):
    result = run_query(small_graph, (QUERIES / path).read_text(encoding="utf-8"))
    assert result["type"] == "SELECT"


def test_there_are_four_to_six_shipped_queries():
    assert 4 <= sum(1 for p in QUERIES.iterdir() if p.name.endswith(".rq")) <= 6


def test_fl22_reuses_sp21_on_the_fixture(small_graph):
    rows = run_query(small_graph, (QUERIES / "fl22-reuses-sp21.rq").read_text())["rows"]
    assert [(r["fl22_item"].rsplit("/", 1)[1], r["sp21_item"].rsplit("/", 1)[1], r["video_id"])
            for r in rows] == [("01", "t1.1", "VIDtoy0101")]


def test_french_translations_on_the_fixture(small_graph):
    rows = run_query(small_graph, (QUERIES / "french-translations.rq").read_text())["rows"]
    assert [(r["french_page"], r["english_page"]) for r in rows] == [(
        "https://atcold.github.io/NYU-DLSP20/fr/week02/02-1/",
        "https://atcold.github.io/NYU-DLSP20/en/week02/02-1/",
    )]


# -- refusals --------------------------------------------------------------------------


@pytest.mark.parametrize("query, word", [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT DATA"),
    ("DELETE DATA { <urn:a> <urn:b> <urn:c> }", "DELETE DATA"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
    ("DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "DELETE/INSERT"),
    ("LOAD <http://127.0.0.1:9/x.ttl>", "LOAD"),
    ("CLEAR ALL", "CLEAR"),
    ("CREATE GRAPH <urn:g>", "CREATE"),
    ("DROP ALL", "DROP"),
    ("prefix x: <urn:x#> insert data { x:a x:b x:c }", "INSERT DATA"),
])
def test_updates_are_refused(small_graph, query, word):
    before = len(small_graph)
    with pytest.raises(QueryRefused, match=f"Update \\({word}\\)"):
        run_query(small_graph, query)
    assert len(small_graph) == before


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s a schema:Person FILTER EXISTS {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ BIND (<http://127.0.0.1:{port}/> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "ASK {{ OPTIONAL {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }} }}",
])
def test_service_is_refused_and_never_reached(small_graph, listener, template):
    port, reached = listener
    with pytest.raises(QueryRefused, match="SERVICE"):
        run_query(small_graph, template.format(port=port))
    assert not reached()


@pytest.mark.parametrize("template", [
    "SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <http://127.0.0.1:{port}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} FROM <http://127.0.0.1:{port}/> WHERE {{ ?s ?p ?o }}",
    "ASK FROM <file:///etc/passwd> {{ ?s ?p ?o }}",
])
def test_from_is_refused_and_never_fetched(small_graph, listener, template):
    port, reached = listener
    with pytest.raises(QueryRefused, match="FROM"):
        run_query(small_graph, template.format(port=port))
    assert not reached()


def test_the_worker_cannot_reach_the_network_even_unchecked(small_graph, listener):
    # Second line of defence: a SERVICE that slipped past prepare() still cannot connect.
    port, reached = listener
    q = translateQuery(parseQuery(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"))
    with pytest.raises(QueryError, match="network access is disabled"):
        sparql._run_in_worker(small_graph, q, 10)
    assert not reached()


def test_the_listener_does_see_an_unguarded_rdflib(small_graph, listener):
    # Control: plain rdflib does connect, so the checks above would notice if we did.
    port, reached = listener
    q = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"
    thread = threading.Thread(target=lambda: _swallow(small_graph.query, q), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    seen = False
    while not seen and time.monotonic() < deadline:
        seen = reached()
    thread.join(10)
    assert seen


def _swallow(fn, *args):
    try:
        list(fn(*args))
    except Exception:
        pass


@pytest.mark.parametrize("query", ["SELEC ?x WHERE { ?x ?y ?z }", "", "SELECT ?x WHERE { ?x ?y }"])
def test_malformed_queries(small_graph, query):
    with pytest.raises(QueryError, match="not a SPARQL query"):
        prepare(query)


def test_bad_timeout(small_graph):
    with pytest.raises(QueryError, match="timeout"):
        run_query(small_graph, "ASK { ?s ?p ?o }", timeout=0)


# -- time limit ------------------------------------------------------------------------


def test_a_slow_query_is_stopped(small_graph):
    cross_join = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="1 s time limit"):
        run_query(small_graph, cross_join, timeout=1)
    assert time.monotonic() - started < 5


# -- CLI -------------------------------------------------------------------------------


@pytest.fixture
def data_dir(small_graph, tmp_path):
    save_graph(small_graph, tmp_path)
    return tmp_path


def _invoke(data_dir, *args):
    return CliRunner().invoke(cli, ["--data-dir", str(data_dir), "sparql", *args])


def test_cli_json(data_dir):
    result = _invoke(data_dir, "SELECT ?n WHERE { ?p a schema:Person ; schema:name ?n } ORDER BY ?n",
                     "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["vars"] == ["n"] and "Yann LeCun" in [r["n"] for r in out["rows"]]


def test_cli_text_is_tab_separated(data_dir):
    result = _invoke(data_dir, "SELECT ?a ?b WHERE { ?a dlg:sameRecordingAs ?b } ORDER BY ?a")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "a\tb" and len(lines) == 3


def test_cli_query_from_file(data_dir):
    path = QUERIES / "french-translations.rq"
    result = _invoke(data_dir, f"@{path}", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["count"] == 1


def test_cli_missing_query_file(data_dir, tmp_path):
    result = _invoke(data_dir, f"@{tmp_path / 'nope.rq'}")
    assert result.exit_code == 1 and "cannot read query file" in result.output


@pytest.mark.parametrize("query", ["CLEAR ALL", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"])
def test_cli_refusal_is_one_line(data_dir, query):
    result = _invoke(data_dir, query)
    assert result.exit_code == 1
    assert result.output.startswith("Error: refused:")
    assert len(result.output.strip().splitlines()) == 1


def test_cli_timeout(data_dir):
    result = _invoke(data_dir, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
                     "--timeout", "0.5")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: query stopped after the 0.5 s time limit"
