"""Links in the notes: every outgoing link of a section in the graph, typed, with anchor text."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from dlgraph.pipeline import build
from dlgraph.records import EditionRecords, Lecture, Link, NotesPage, Resource, Section
from dlgraph.stats import graph_stats
from dlgraph.vocab import DLG, RDF, SDO, resource_iri, section_iri

BASE = "https://atcold.github.io/NYU-DLSP20/"
PAGE = BASE + "fr/week01/01-2/"
OTHER = BASE + "en/week01/01-1/"

LINKS = {
    "video": Link("https://www.youtube.com/watch?v=VIDmention1&t=12s", "an old demo", "", "a"),
    "recording": Link("https://youtu.be/VIDrecord01", "the lecture", "", "a"),
    "notebook": Link("https://github.com/Atcold/pytorch-Deep-Learning/blob/master/fr/99-toy.ipynb",
                     "le carnet", "", "a"),
    "code": Link("https://github.com/someone/toy-repo/blob/main/train.py", "train.py", "", "b"),
    "paper": Link("https://arxiv.org/abs/0000.00002v2", "a toy paper", "", "b"),
    "page": Link("https://example.org/toy-blog/", "a blog", "", "b"),
    "course": Link(OTHER, "the first notes", "", "b"),
    "damaged": Link("https://example.org/with a space", "damaged", "", "b"),
}


@pytest.fixture(scope="module")
def graph():
    lec = Lecture("SP20", "01-2", 1, "Toy lecture", "lecture", BASE, week=1,
                  resources=(Resource("video", "https://youtu.be/VIDrecord01", "VIDrecord01"),))
    a = tuple(v for v in LINKS.values() if v.section == "a")
    b = tuple(v for v in LINKS.values() if v.section == "b")
    page = NotesPage(PAGE, "SP20", "fr", "notes", "Page jouet", 1, "01-2",
                     sections=(Section("a", "Partie A", 2, 1, "Texte.", links=a),
                               Section("b", "Partie B", 2, 2, "Texte.", links=b)),
                     links=a + b)
    other = NotesPage(OTHER, "SP20", "en", "notes", "Toy page", 1, "01-1")
    return build([EditionRecords("SP20", lectures=(lec,), pages=(page, other))])


def _link_node(g, name):
    link = LINKS[name]
    sec = section_iri(PAGE, link.section)
    for bl in g.subjects(DLG.linkFrom, sec):
        if (bl, DLG.anchorText, Literal(link.text, lang="fr")) in g:
            return bl
    raise AssertionError(f"no body link for {name}")


@pytest.mark.parametrize(("name", "kind"), [
    ("video", "video"), ("recording", "video"), ("notebook", "notebook"), ("code", "code"),
    ("paper", "paper"), ("page", "page"), ("course", "page"),
])
def test_every_link_typed_with_anchor_text(graph, name, kind):
    bl = _link_node(graph, name)
    assert (bl, RDF.type, DLG.BodyLink) in graph
    assert str(graph.value(bl, DLG.linkKind)) == kind
    target = graph.value(bl, DLG.linkTo)
    assert (section_iri(PAGE, LINKS[name].section), SDO.mentions, target) in graph


def test_mentioned_video_is_a_video_not_a_recording(graph):
    node = resource_iri("video", "VIDmention1")
    assert graph.value(_link_node(graph, "video"), DLG.linkTo) == node
    assert (node, RDF.type, SDO.VideoObject) in graph
    assert graph.value(node, DLG.courseRecording) == Literal(False)
    assert str(graph.value(_link_node(graph, "video"), DLG.linkedAs)).endswith("&t=12s")


def test_recording_linked_from_notes_stays_a_recording(graph):
    node = resource_iri("video", "VIDrecord01")
    assert graph.value(_link_node(graph, "recording"), DLG.linkTo) == node
    assert (node, DLG.courseRecording, None) not in graph


def test_notebook_node_is_the_resource_node(graph):
    target = graph.value(_link_node(graph, "notebook"), DLG.linkTo)
    assert target == resource_iri("notebook", "github:Atcold/NYU-DLSP20/fr/99-toy.ipynb")
    assert (target, RDF.type, SDO.SoftwareSourceCode) in graph


def test_original_url_kept_where_the_target_is_canonical(graph):
    bl = _link_node(graph, "notebook")
    assert str(graph.value(bl, DLG.linkedAs)) == LINKS["notebook"].url


def test_paper_link_targets_the_reading(graph):
    target = graph.value(_link_node(graph, "paper"), DLG.linkTo)
    assert str(target).endswith("/reading/arxiv/0000.00002")


def test_course_page_link_targets_the_page(graph):
    assert graph.value(_link_node(graph, "course"), DLG.linkTo) == URIRef(OTHER)


def test_damaged_link_stays_a_literal(graph):
    sec = section_iri(PAGE, "b")
    assert (sec, DLG.brokenLink, Literal(LINKS["damaged"].url)) in graph


def test_stats_count_mentioned_videos_apart(graph):
    figures = graph_stats(graph)["editions"]["SP20"]
    assert (figures["videos"], figures["mentioned_videos"]) == (1, 1)
