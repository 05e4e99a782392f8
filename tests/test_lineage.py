"""Lineage links between editions (dlgraph.lineage) on the small fixture and its extras."""

from __future__ import annotations

from itertools import combinations

import pytest
from fixtures.lineage_records import lineage_records

from dlgraph import lineage
from dlgraph.lineage import editions
from dlgraph.lineage_evidence import signature, similarity
from dlgraph.pipeline import build
from dlgraph.vocab import DLG, PROV, RDF, lecture_iri, topic_iri


@pytest.fixture(scope="module")
def graph():
    return build(lineage_records())


def test_editions_in_chronological_order(graph):
    assert editions(graph) == ["SP20", "SP21", "FL22", "FL23"]


def test_reused_fl22_item_links_its_sp21_recording_both_ways(graph):
    fl22, sp21 = lecture_iri("FL22", "01"), lecture_iri("SP21", "t1.1")
    assert (fl22, DLG.sameRecordingAs, sp21) in graph
    assert (sp21, DLG.sameRecordingAs, fl22) in graph


def test_sp20_recording_reused_by_sp21_links_both_parts(graph):
    sp21 = lecture_iri("SP21", "t3.1")
    linked = set(graph.objects(sp21, DLG.sameRecordingAs))
    assert linked == {lecture_iri("SP20", "13-1"), lecture_iri("SP20", "13-2")}


def test_re_recording_points_from_newer_to_older_with_prov(graph):
    newer, older = lecture_iri("FL22", "05"), lecture_iri("SP21", "t2.1")
    assert (newer, DLG.reRecordingOf, older) in graph
    assert (newer, PROV.wasRevisionOf, older) in graph
    assert (older, DLG.reRecordingOf, newer) not in graph
    assert (lecture_iri("SP21", "t2.1"), DLG.reRecordingOf, lecture_iri("SP20", "07-1")) in graph


def test_re_recordings_always_point_back_in_time(graph):
    order = editions(graph)
    for newer, older in graph.subject_objects(DLG.reRecordingOf):
        ed_new = str(graph.value(newer, DLG.edition)).rsplit("/", 1)[-1]
        ed_old = str(graph.value(older, DLG.edition)).rsplit("/", 1)[-1]
        assert order.index(ed_new) > order.index(ed_old)


def test_same_recording_is_never_also_a_re_recording(graph):
    for a, b in graph.subject_objects(DLG.sameRecordingAs):
        assert (a, DLG.reRecordingOf, b) not in graph


def test_homework_is_never_a_re_recording(graph):
    for hw in graph.subjects(RDF.type, DLG.Homework):
        assert (hw, DLG.reRecordingOf, None) not in graph
        assert (None, DLG.reRecordingOf, hw) not in graph


def test_an_item_on_another_subject_is_not_linked(graph):
    planning = lecture_iri("SP21", "t3.2")
    assert (planning, DLG.reRecordingOf, None) not in graph
    assert (planning, DLG.sameRecordingAs, None) not in graph


def test_pair_links_is_what_add_lineage_stores(graph):
    for older, newer in combinations(editions(graph), 2):
        links = lineage.pair_links(graph, older, newer)
        for a, b in links["same_recording"]:
            assert (b, DLG.sameRecordingAs, a) in graph
        for b, a, _sim in links["re_recorded"]:
            assert (b, DLG.reRecordingOf, a) in graph
            assert links["evidence"][(b, a)]


# -- title similarity ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Inference for Latent-Variable EBMs", "Inference for LV-EBMs", 1.0),
        ("Optimisation (I) [from last year]", "Optimisation I", 1.0),
        ("Optimisation (I) [from last year]", "Optimisation II", 0.5),
        ("Neural nets inference", "Resources and neural nets inference", 1.0),
        ("Autoencoders", "Unsup learning and autoencoders", 0.5),
        ("Neural nets inference", "Neural nets training", 1 / 3),
        ("Introduction to NYU-DLFL22", "History and resources", 0.0),
    ],
)
def test_similarity(a, b, expected):
    assert similarity(a, b) == pytest.approx(expected, abs=0.01)
    assert similarity(b, a) == pytest.approx(expected, abs=0.01)


def test_signature_uses_topics_not_spellings():
    assert signature("LV-EBMs") == signature("latent variable energy-based models")
    assert f"<{topic_iri('latent-variable-ebms')}>" in signature("LV-EBMs")


def test_logistics_is_not_a_subject():
    assert signature("Homework and Q&A") == frozenset()


def test_lineage_again_adds_nothing(graph):
    from rdflib import Graph

    g = Graph()
    g += graph
    assert lineage.add_lineage(g) == 0


def test_unknown_edition_has_no_items(graph):
    assert lineage.edition_items(graph, "XX99") == []
    assert len(lineage.edition_items(graph, "SP21")) == 6


# -- across courses ----------------------------------------------------------------------------


def _two_editions(second_course: str):
    from dlgraph.records import EditionInfo, EditionRecords, Lecture, Resource

    def item(ed, key, title, video):
        return Lecture(ed, key, 1, title, "lecture", f"https://atcold.github.io/{ed}/",
                       resources=(Resource("video", f"https://youtu.be/{video}", video),
                                  Resource("notebook", "https://github.com/Atcold/X/blob/master/n.ipynb",
                                           "github:Atcold/X/n.ipynb")))

    first = EditionInfo("First", "Spring", 2030, "AA 100", "A course")
    second = EditionInfo("Second", "Fall", 2031, second_course, "Another course")
    return build([
        EditionRecords("AA30", lectures=(item("AA30", "01", "Energy based models", "VVVVVVVVVV1"),),
                       info=first),
        EditionRecords("BB31", lectures=(item("BB31", "01", "Welding for beginners", "VVVVVVVVVV2"),),
                       info=second),
    ])


def test_a_shared_notebook_alone_re_records_within_a_course():
    g = _two_editions("AA 100")
    assert (lecture_iri("BB31", "01"), DLG.reRecordingOf, lecture_iri("AA30", "01")) in g


def test_across_courses_a_shared_notebook_alone_is_not_a_re_recording():
    g = _two_editions("ZZ 900")
    assert (lecture_iri("BB31", "01"), DLG.reRecordingOf, None) not in g
    # the two items still share material, like any two editions do
    assert (lecture_iri("BB31", "01"), DLG.sameNotebookAs, lecture_iri("AA30", "01")) in g
