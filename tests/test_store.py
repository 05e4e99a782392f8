"""Saving and loading the graph: Turtle export plus a fast pickle, written atomically."""

import pickle

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from dlgraph import store
from dlgraph.store import GRAPH_PICKLE, GRAPH_TTL, graph_exists, load_graph, save_graph

EXTRA = (URIRef("https://w3id.org/dlgraph/id/toy"), URIRef("https://schema.org/name"), Literal("toy"))


@pytest.fixture
def saved(small_graph, tmp_path):
    save_graph(small_graph, tmp_path)
    return tmp_path


def test_save_writes_turtle_and_pickle(saved, small_graph):
    assert graph_exists(saved)
    assert isomorphic(Graph().parse(saved / GRAPH_TTL, format="turtle"), small_graph)
    assert (saved / GRAPH_PICKLE).stat().st_size > 0


def test_turtle_is_readable(saved):
    text = (saved / GRAPH_TTL).read_text(encoding="utf-8")
    assert "@prefix schema: <https://schema.org/> ." in text
    assert "@prefix dlg: <https://w3id.org/dlgraph/ns#> ." in text


def test_load_round_trip(saved, small_graph):
    assert isomorphic(load_graph(saved), small_graph)


def test_load_uses_the_pickle(saved, monkeypatch):
    def no_turtle(*args, **kwargs):
        raise AssertionError("load_graph parsed the Turtle although the pickle is current")

    monkeypatch.setattr(Graph, "parse", no_turtle)
    assert len(load_graph(saved)) > 0


def test_an_edited_turtle_wins_over_a_stale_pickle(saved, small_graph):
    with open(saved / GRAPH_TTL, "a", encoding="utf-8") as fh:
        fh.write(f"\n{EXTRA[0].n3()} {EXTRA[1].n3()} {EXTRA[2].n3()} .\n")
    g = load_graph(saved)
    assert EXTRA in g
    assert len(g) == len(small_graph) + 1


@pytest.mark.parametrize("damage", [b"", b"not a pickle", pickle.dumps({"format": 999})],
                         ids=["empty", "garbage", "other-format"])
def test_a_bad_pickle_falls_back_to_turtle(saved, small_graph, damage):
    (saved / GRAPH_PICKLE).write_bytes(damage)
    assert isomorphic(load_graph(saved), small_graph)


def test_no_pickle_falls_back_to_turtle(saved, small_graph):
    (saved / GRAPH_PICKLE).unlink()
    assert isomorphic(load_graph(saved), small_graph)


def test_missing_graph(tmp_path):
    assert not graph_exists(tmp_path)
    with pytest.raises(FileNotFoundError, match="dlgraph ingest"):
        load_graph(tmp_path)


def test_save_leaves_no_temporary_files(saved):
    assert sorted(p.name for p in saved.iterdir()) == [GRAPH_PICKLE, GRAPH_TTL]


def test_a_failed_save_keeps_the_previous_graph(saved, small_graph, monkeypatch):
    before = (saved / GRAPH_TTL).read_bytes(), (saved / GRAPH_PICKLE).read_bytes()
    bigger = small_graph + Graph()
    bigger.add(EXTRA)

    def disk_full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(store.pickle, "dumps", disk_full)
    with pytest.raises(OSError):
        save_graph(bigger, saved)
    assert ((saved / GRAPH_TTL).read_bytes(), (saved / GRAPH_PICKLE).read_bytes()) == before
    assert sorted(p.name for p in saved.iterdir()) == [GRAPH_PICKLE, GRAPH_TTL]


def test_saving_again_replaces_both_files(saved, small_graph):
    bigger = small_graph + Graph()
    bigger.add(EXTRA)
    save_graph(bigger, saved)
    g = load_graph(saved)
    assert EXTRA in g and len(g) == len(bigger)
