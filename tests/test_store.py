"""Saving and loading the graph: Turtle export plus an Oxigraph store, written atomically."""

import pickle

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from dlgraph import graph_store
from dlgraph.store import GRAPH_STORE, GRAPH_TTL, graph_exists, load_graph, save_graph

EXTRA = (URIRef("https://w3id.org/dlgraph/id/toy"), URIRef("https://schema.org/name"), Literal("toy"))


@pytest.fixture
def saved(small_graph, tmp_path):
    save_graph(small_graph, tmp_path)
    return tmp_path


def _files(folder):
    """What a reader sees in the data folder (the store's own generation folder aside)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".graph-"))


def test_save_writes_turtle_and_store(saved, small_graph):
    assert graph_exists(saved)
    assert isomorphic(Graph().parse(saved / GRAPH_TTL, format="turtle"), small_graph)
    assert (saved / GRAPH_STORE).is_symlink() and (saved / GRAPH_STORE / "store").is_dir()


def test_turtle_is_readable(saved):
    text = (saved / GRAPH_TTL).read_text(encoding="utf-8")
    assert "@prefix schema: <https://schema.org/> ." in text
    assert "@prefix dlg: <https://w3id.org/dlgraph/ns#> ." in text


def test_load_round_trip(saved, small_graph):
    g = load_graph(saved)
    assert len(g) == len(small_graph)
    assert isomorphic(g, small_graph)
    assert list(g.namespaces()) == list(small_graph.namespaces())


def test_loaded_terms_are_the_built_terms(saved, small_graph):
    # rdflib holds Literal("x") and Literal("x", datatype=xsd:string) different: a loaded
    # graph must answer lookups with the plain literals the builder wrote.
    g = load_graph(saved)
    plain = next(o for o in small_graph.objects() if isinstance(o, Literal)
                 and o.datatype is None and o.language is None)
    assert any(o == plain and o.datatype is None for o in g.objects(None, None))
    assert set(g) == set(small_graph) or isomorphic(g, small_graph)


def test_load_opens_the_store(saved, monkeypatch):
    def no_turtle(*args, **kwargs):
        raise AssertionError("load_graph parsed the Turtle although the store is current")

    monkeypatch.setattr(graph_store, "_parse_turtle", no_turtle)
    monkeypatch.setattr(Graph, "parse", no_turtle)
    assert len(load_graph(saved)) > 0


def test_an_edited_turtle_wins_over_a_stale_store(saved, small_graph):
    with open(saved / GRAPH_TTL, "a", encoding="utf-8") as fh:
        fh.write(f"\n{EXTRA[0].n3()} {EXTRA[1].n3()} {EXTRA[2].n3()} .\n")
    g = load_graph(saved)
    assert EXTRA in g
    assert len(g) == len(small_graph) + 1


@pytest.mark.parametrize("damage", ["", "not json", '{"format": 999}'],
                         ids=["empty", "garbage", "other-format"])
def test_a_bad_store_falls_back_to_turtle(saved, small_graph, damage):
    (saved / GRAPH_STORE / "meta.json").write_text(damage)
    assert isomorphic(load_graph(saved), small_graph)


def test_no_store_falls_back_to_turtle(saved, small_graph):
    (saved / GRAPH_STORE).unlink()
    assert isomorphic(load_graph(saved), small_graph)


def test_a_pickle_is_never_loaded(saved, small_graph, monkeypatch):
    # A pickle in a data folder runs code when loaded: an older version's is removed on save
    # and never read.
    (saved / "graph.pickle").write_bytes(pickle.dumps({"format": 1, "graph": Graph()}))
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: pytest.fail("unpickled"))
    assert isomorphic(load_graph(saved), small_graph)
    save_graph(small_graph, saved)
    assert not (saved / "graph.pickle").exists()


def test_missing_graph(tmp_path):
    assert not graph_exists(tmp_path)
    with pytest.raises(FileNotFoundError, match="dlgraph ingest"):
        load_graph(tmp_path)


def test_save_leaves_no_temporary_files(saved):
    assert _files(saved) == [GRAPH_STORE, GRAPH_TTL]
    assert len(list(saved.glob(".graph-*"))) == 1


def test_a_failed_save_keeps_the_previous_graph(saved, small_graph, monkeypatch):
    before = (saved / GRAPH_TTL).read_bytes(), (saved / GRAPH_STORE).readlink()
    bigger = small_graph + Graph()
    bigger.add(EXTRA)

    def disk_full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(graph_store, "atomic_write", disk_full)
    with pytest.raises(OSError):
        save_graph(bigger, saved)
    assert ((saved / GRAPH_TTL).read_bytes(), (saved / GRAPH_STORE).readlink()) == before
    assert _files(saved) == [GRAPH_STORE, GRAPH_TTL]
    assert len(list(saved.glob(".graph-*"))) == 1
    assert isomorphic(load_graph(saved), small_graph)


def test_saving_again_replaces_both(saved, small_graph):
    bigger = small_graph + Graph()
    bigger.add(EXTRA)
    save_graph(bigger, saved)
    g = load_graph(saved)
    assert EXTRA in g and len(g) == len(bigger)


def test_old_generations_are_pruned(saved, small_graph):
    for _ in range(3):
        save_graph(small_graph, saved)
    # the current store and the one before it (a reader may still have it open)
    assert len(list(saved.glob(".graph-*"))) == 2


def test_a_reader_keeps_its_store_while_a_new_graph_is_saved(saved, small_graph):
    g = load_graph(saved)
    bigger = small_graph + Graph()
    bigger.add(EXTRA)
    save_graph(bigger, saved)
    assert len(g) == len(small_graph) and EXTRA not in g
    assert EXTRA in load_graph(saved)
