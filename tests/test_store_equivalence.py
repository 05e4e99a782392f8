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


# -- the fast paths: answers written when the graph is saved ---------------------------------


@pytest.fixture(scope="module")
def fetched(small_records):
    """The fixture graph with fetch provenance as Python writes it (``+00:00``, six digits)."""
    import dataclasses

    from dlgraph.pipeline import build
    from dlgraph.records import PageFetch

    first = small_records[0]
    url = first.pages[0].url if first.pages else first.lectures[0].url
    times = ("2026-01-01T10:00:00+00:00", "2026-01-01T10:00:00.120000+00:00")
    fetches = tuple(PageFetch(url + f"#{n}", when, 200) for n, when in enumerate(times))
    return build([dataclasses.replace(first, fetches=fetches), *small_records[1:]])


def test_literals_come_back_from_oxigraph_as_built(fetched):
    # Oxigraph keeps a typed literal in its canonical form ("…Z", "0.6"); rdflib writes some
    # of its own way ("…+00:00"). A literal that came back with other text would make the
    # loaded graph's exports differ from the built one's.
    import pyoxigraph as ox
    from rdflib import Literal

    from dlgraph.oxstore import from_ox, to_ox

    typed = {o for o in fetched.objects() if isinstance(o, Literal) and o.datatype is not None}
    assert any(str(o.datatype).endswith("#dateTime") for o in typed)
    st = ox.Store()
    st.extend(ox.Quad(ox.BlankNode(), ox.NamedNode("urn:p"), to_ox(o)) for o in typed)
    back = {(str(o), str(o.datatype)) for o in (from_ox(q.object) for q in st)}
    assert back == {(str(o), str(o.datatype)) for o in typed}


def test_saved_turtle_is_the_export_of_the_store(fetched, tmp_path):
    from dlgraph.serialise import Converted, serialise

    store.save_graph(fetched, tmp_path)
    g = store.load_graph(tmp_path)
    saved = store.saved_turtle(g)
    assert saved is not None and saved == (tmp_path / store.GRAPH_TTL).read_text(encoding="utf-8")
    # What the store holds, written the slow way, is the file, and the built graph's export.
    assert serialise(Converted(g), "turtle", g.namespaces()) == saved
    assert export_graph(g, "turtle") == saved == export_graph(fetched, "turtle")
    for fmt in ("nt", "jsonld"):
        assert export_graph(g, fmt) == export_graph(fetched, fmt)


def test_a_changed_turtle_file_is_not_taken_for_the_export(small_graph, tmp_path):
    store.save_graph(small_graph, tmp_path)
    g = store.load_graph(tmp_path)
    ttl = tmp_path / store.GRAPH_TTL
    ttl.write_text(ttl.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert store.saved_turtle(g) is None
    assert export_graph(g, "turtle") == export_graph(small_graph, "turtle")


def test_stats_come_from_the_summary_saved_with_the_graph(small_graph, tmp_path, monkeypatch):
    from dlgraph import fingerprint

    counted = graph_stats(small_graph)
    store.save_graph(small_graph, tmp_path, summaries={"stats": counted})
    g = store.load_graph(tmp_path)
    assert store.saved_summary(g, "stats") == counted
    assert graph_stats(g) == counted
    # Other code (an upgrade) counts again rather than trust what older code saved.
    monkeypatch.setattr(fingerprint, "package_digest", lambda: "other code")
    assert store.saved_summary(g, "stats") is None
    assert graph_stats(g) == counted


def test_ingest_saves_the_stats_summary(small_records, small_graph, tmp_path):
    from dlgraph.pipeline import after_ingest

    store.save_records(small_records, tmp_path)
    after_ingest(tmp_path, with_index=False)
    assert store.saved_summary(store.load_graph(tmp_path), "stats") == graph_stats(small_graph)
