"""The speed-ups change no output: on the fixture data, the graph saved and opened through
Oxigraph answers every question exactly as the rdflib graph that was built in memory."""

from __future__ import annotations

import pytest
from rdflib.compare import isomorphic

from dlgraph import store
from dlgraph.analyses import learning_path, people_roles, scheme_counts, untagged
from dlgraph.compare import compare_editions, timeline
from dlgraph.export import GRAPH_FORMATS, READING_FORMATS, export_graph, export_readings
from dlgraph.lecture import lecture_list
from dlgraph.stats import graph_stats

EDITIONS = ["SP20", "SP21", "FL22", "FL23"]


@pytest.fixture(scope="module")
def loaded(small_graph, tmp_path_factory):
    folder = tmp_path_factory.mktemp("saved")
    store.save_graph(small_graph, folder)
    g = store.load_graph(folder)
    assert type(g.store).__name__ == "ReadOnlyOxigraphStore"  # the Oxigraph path, not a copy
    return g


def test_the_loaded_graph_is_the_built_graph(small_graph, loaded):
    assert len(loaded) == len(small_graph)
    assert isomorphic(loaded, small_graph)
    # Beyond isomorphism: every triple without a blank node is the very same rdflib terms.
    plain = {t for t in small_graph if not any(type(x).__name__ == "BNode" for x in t)}
    assert plain <= set(loaded)


@pytest.mark.parametrize("question", [
    ("stats", lambda g: graph_stats(g)),
    ("compare", lambda g: compare_editions(g, "SP21", "FL22")),
    ("compare-old", lambda g: compare_editions(g, "SP20", "SP21")),
    ("timeline", lambda g: timeline(g, EDITIONS)),
    ("timeline-all", lambda g: timeline(g, EDITIONS, level="all")),
    ("people", lambda g: people_roles(g)),
    ("topics", lambda g: (scheme_counts(g), untagged(g))),
    ("lectures", lambda g: lecture_list(g)),
], ids=lambda q: q[0])
def test_analyses_answer_the_same(small_graph, loaded, question):
    _, ask = question
    assert ask(loaded) == ask(small_graph)


def test_shacl_validation_is_the_same(small_graph, loaded):
    from dlgraph.validate import validate

    assert validate(loaded) == validate(small_graph)


def test_learning_paths_are_the_same(small_graph, loaded):
    from dlgraph.topics import topics_of

    slugs = sorted(t.slug for t in topics_of(small_graph).values())
    assert slugs
    for slug in slugs:
        try:
            expected = learning_path(small_graph, slug)
        except LookupError:
            with pytest.raises(LookupError):
                learning_path(loaded, slug)
            continue
        assert learning_path(loaded, slug) == expected, slug


@pytest.mark.parametrize("fmt", READING_FORMATS)
def test_reading_exports_are_identical(small_graph, loaded, fmt):
    assert export_readings(loaded, fmt) == export_readings(small_graph, fmt)
    assert (export_readings(loaded, fmt, edition="SP20", include_resources=True)
            == export_readings(small_graph, fmt, edition="SP20", include_resources=True))


@pytest.mark.parametrize("fmt", [f for f in GRAPH_FORMATS if f != "jsonld"])
def test_graph_exports_are_identical(small_graph, loaded, fmt):
    assert export_graph(loaded, fmt) == export_graph(small_graph, fmt)


def test_search_results_are_identical(small_graph, loaded, tmp_path):
    from dlgraph.search import build_index, open_index, search

    build_index(small_graph, tmp_path / "built")
    build_index(loaded, tmp_path / "loaded")
    built, opened = open_index(tmp_path / "built"), open_index(tmp_path / "loaded")
    for query in ("", "energy", "attention", "lecture", "backpropogation", "edition:SP21"):
        assert search(opened, query, limit=50) == search(built, query, limit=50), query


def _cells(result):
    """Rows with each cell's parts sorted: GROUP_CONCAT's order is the engine's own."""
    return [{k: " ".join(sorted((v or "").replace(" | ", " ").split())) for k, v in row.items()}
            for row in result["rows"]]


@pytest.mark.parametrize("name", ["fl22-reuses-sp21", "sp20-lectures-by-yann-lecun",
                                  "french-translations", "people-in-several-editions",
                                  "videos-across-editions", "re-recorded-lectures"])
def test_example_queries_answer_the_same_on_oxigraph(small_graph, loaded, name):
    from importlib import resources

    from dlgraph import sparql

    text = resources.files("dlgraph").joinpath(f"data/queries/{name}.rq").read_text()
    assert sparql._native(loaded, sparql.prepare(text)) is not None  # Oxigraph runs it
    on_rdflib, on_oxigraph = sparql.run_query(small_graph, text), sparql.run_query(loaded, text)
    assert on_oxigraph["vars"] == on_rdflib["vars"]
    assert _cells(on_oxigraph) == _cells(on_rdflib)
    if "GROUP_CONCAT" not in text:
        assert on_oxigraph == on_rdflib


@pytest.mark.parametrize("query", [
    "ASK { ?s a schema:LearningResource }",
    "CONSTRUCT { ?e schema:identifier ?c } WHERE { ?e a schema:CourseInstance ; schema:identifier ?c }",
    "SELECT ?s ?o WHERE { ?s schema:position ?o } ORDER BY ?s ?o LIMIT 20",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?x WHERE { OPTIONAL { ?x dlg:nothing ?y } }",
])
def test_other_query_forms_answer_the_same(small_graph, loaded, query):
    from dlgraph.sparql import run_query

    assert run_query(loaded, query) == run_query(small_graph, query)
