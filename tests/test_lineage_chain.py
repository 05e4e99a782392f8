"""Lineage through shared material, reused recordings and one-to-one matches (invented items).

Built from ``fixtures.lineage_records.chain_records`` (see :data:`CHAIN` there for the story).
"""

from __future__ import annotations

import pytest
from fixtures.lineage_records import FL22_SIGNALS, chain_records
from rdflib import Graph

from dlgraph import lineage
from dlgraph.analyses import learning_path
from dlgraph.compare import compare_editions, timeline
from dlgraph.lineage import editions
from dlgraph.lineage_evidence import similarity, title_match
from dlgraph.pipeline import build
from dlgraph.vocab import DLG, PROV, lecture_iri

EDITIONS = ["SP20", "SP21", "FL22", "FL23"]


@pytest.fixture(scope="module")
def graph() -> Graph:
    return build(chain_records())


def _rows(result, iri) -> list[dict]:
    return [r for r in result["rows"] if any(i["iri"] == str(iri) for i in r["a"] + r["b"])]


def _titles(row, side) -> list[str]:
    return [i["title"] for i in row[side]]


# -- shared slides and notebooks ------------------------------------------------------------


def test_shared_notebook_makes_a_re_recording_whatever_the_titles(graph):
    newer, older = lecture_iri("SP21", "t7.2"), lecture_iri("SP20", "10-3")
    # "The toy truck backer-upper" / "Toy predictive control" agree on "toy" only.
    assert similarity("The toy truck backer-upper", "Toy predictive control") < lineage.THRESHOLD
    assert (newer, DLG.reRecordingOf, older) in graph
    assert (newer, PROV.wasRevisionOf, older) in graph


def test_each_editions_copy_of_a_course_notebook_is_the_same_notebook(graph):
    # NYU-DLSP21/10-toy_autoencoder.ipynb is SP21's copy of NYU-DLSP20's.
    assert (lecture_iri("SP21", "t4.4"), DLG.reRecordingOf, lecture_iri("SP20", "07-3")) in graph


def test_shared_material_row_says_why(graph):
    result = compare_editions(graph, "SP20", "SP21")
    (row,) = _rows(result, lecture_iri("SP21", "t7.2"))
    assert row["status"] == "re-recorded"
    assert _titles(row, "a") == ["Toy predictive control"]
    assert row["evidence"] == ["notebook"]


# -- chains through a reused recording ----------------------------------------------------------


def test_reused_recording_carries_the_re_recording_back(graph):
    # FL22 10 re-uses SP21 t7.2's video; t7.2 re-records SP20 10-3.
    assert (lecture_iri("FL22", "10"), DLG.reRecordingOf, lecture_iri("SP20", "10-3")) in graph
    result = compare_editions(graph, "SP20", "FL22")
    (row,) = _rows(result, lecture_iri("FL22", "10"))
    assert row["status"] == "re-recorded"
    assert _titles(row, "a") == ["Toy predictive control"]
    assert row["evidence"] == ["chain"]
    assert all(r["status"] != "dropped" for r in _rows(result, lecture_iri("SP20", "10-3")))


def test_reused_item_is_never_matched_on_its_own(graph):
    # Its lineage is its recording's: exactly what SP21 t4.3 re-records, nothing more.
    fl22, sp21 = lecture_iri("FL22", "08"), lecture_iri("SP21", "t4.3")
    from_fl22 = {o for o in graph.objects(fl22, DLG.reRecordingOf)}
    from_sp21 = {o for o in graph.objects(sp21, DLG.reRecordingOf)}
    assert from_fl22 == from_sp21 == {lecture_iri("SP20", "03-3"), lecture_iri("SP20", "04-1")}


@pytest.mark.parametrize(("a", "b"), [(a, b) for a in EDITIONS for b in EDITIONS if a < b])
def test_compare_stays_symmetric_with_chains(graph, a, b):
    ab = compare_editions(graph, a, b)["summary"]
    ba = compare_editions(graph, b, a)["summary"]
    assert (ab["same_recording"], ab["re_recorded"]) == (ba["same_recording"], ba["re_recorded"])
    assert (ab["new"], ab["dropped"]) == (ba["dropped"], ba["new"])


def test_chains_always_point_back_in_time_and_never_at_the_same_video(graph):
    order = editions(graph)

    def code(i):
        return str(graph.value(i, DLG.edition)).rsplit("/", 1)[-1]

    for newer, older in graph.subject_objects(DLG.reRecordingOf):
        assert order.index(code(newer)) > order.index(code(older))
        assert not lineage.videos(graph, newer) & lineage.videos(graph, older)


# -- learning paths skip the whole lineage --------------------------------------------------


def test_learning_path_skips_every_older_version_in_the_chain(graph):
    steps = learning_path(graph, "convolutional-nets")
    assert [(s["edition"], s["title"]) for s in steps] == [("FL22", FL22_SIGNALS)]
    assert {o["title"] for o in steps[0]["replaces"]} == {
        "Toy natural signals",
        "Toy 1D convolutions",
        "Toy natural signals and the convolution",
    }


# -- one-to-one, and more than one shared topic -------------------------------------------------


def test_only_the_best_of_equally_titled_items_pairs(graph):
    older = lecture_iri("SP20", "07-1")
    assert set(graph.subjects(DLG.reRecordingOf, older)) == {
        lecture_iri("SP21", "t2.1"),
        lecture_iri("FL22", "05"),
    }
    for other in ("t4.1", "t4.2"):  # "Toy energy based models (II)", "What are toy EBMs good for?"
        assert (lecture_iri("SP21", other), DLG.reRecordingOf, None) not in graph


def test_a_newer_title_naming_a_left_over_older_item_takes_it_along(graph):
    # "Toy natural signals and the convolution" covers SP20's "Toy 1D convolutions" too.
    result = compare_editions(graph, "SP20", "SP21")
    (row,) = _rows(result, lecture_iri("SP20", "04-1"))
    assert row["status"] == "re-recorded"
    assert _titles(row, "a") == ["Toy natural signals", "Toy 1D convolutions"]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Inference for Latent-Variable EBMs", "Inference for LV-EBMs", True),
        ("Gradient descent and the backpropagation algorithm", "SGD and backprop", True),
        ("History and resources", "History and motivation", True),
        ("Energy based models (III)", "Energy-Based Models", False),
        ("Energy based models (III)", "SSL, EBM", False),
        ("Backprop and contrastive learning", "Contrastive methods", False),
        ("Neural nets training", "Neural nets (NN)", False),
        ("Unsup learning and autoencoders", "Autoencoders", False),
    ],
)
def test_title_match_needs_more_than_one_shared_topic(a, b, expected):
    assert title_match(a, b) is expected
    assert title_match(b, a) is expected


def test_part_numbers_tell_series_apart():
    assert similarity("Optimisation (II)", "Optimisation II") == 1.0
    assert similarity("Energy based models (I)", "Energy-Based Models") == 1.0
    assert similarity("Energy based models (III)", "Energy-Based Models") == 0.5


# -- row topics -------------------------------------------------------------------------------


def test_row_topic_prefers_the_title_over_headings(graph):
    # Title: "multilayer perceptron" (neural networks, 1.0); two headings say
    # "classification" (machine-learning foundations, 2 × 0.5): a tie the title wins.
    result = compare_editions(graph, "SP20", "SP21")
    (row,) = _rows(result, lecture_iri("SP20", "11-1"))
    assert row["topic"] == "Neural networks"


# -- an edition without lecture items ---------------------------------------------------------


def test_timeline_says_why_an_edition_has_no_items(graph):
    matrix = timeline(graph, EDITIONS)
    assert set(matrix["notes"]) == {"FL23"}
    assert "no lecture items" in matrix["notes"]["FL23"]
    assert "Lecture 2: Backprop" in matrix["notes"]["FL23"]
    assert matrix["totals"]["FL23"]["items"] == 0
    assert matrix["totals"]["FL23"]["lecture_readings"] == 1
    backprop = next(r for r in matrix["topics"] if r["slug"] == "gradient-based-learning")
    assert backprop["cells"]["FL23"]["lecture_readings"] == 1
    assert all(r["cells"]["SP20"]["lecture_readings"] == 0 for r in matrix["topics"])
