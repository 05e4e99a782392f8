"""Transcripts, notebooks and slides in the graph: the nodes the pages already link, with content."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from dlgraph.build import build_graph
from dlgraph.build_media import add_media
from dlgraph.records import (
    EditionRecords,
    Lecture,
    Notebook,
    NotebookCell,
    Passage,
    RepoReport,
    Resource,
    SlideDeck,
    SlidePage,
    Transcript,
)
from dlgraph.validate import validate
from dlgraph.vocab import DLG, RDF, SDO, edition_iri, lecture_iri, resource_iri

SITE = "https://atcold.github.io/NYU-DLSP20/"
NB_KEY = "github:Atcold/NYU-DLSP20/04-toy.ipynb"
DECK_KEY = "github:Atcold/NYU-DLSP20/slides/01 - Toy.pdf"
NB_URL = "https://github.com/Atcold/NYU-DLSP20/blob/master/04-toy.ipynb"
DECK_URL = "https://github.com/Atcold/NYU-DLSP20/blob/master/slides/01%20-%20Toy.pdf"
EN = f"{SITE}en/week02/lecture02.sbv"
FR = f"{SITE}fr/week02/lecture02.sbv"


@pytest.fixture(scope="module")
def g():
    lec = Lecture("SP20", "02-1", 1, "Toy gradients", "lecture", SITE, week=2, resources=(
        Resource("video", "https://www.youtube.com/watch?v=VIDtoy0001", "VIDtoy0001"),
        Resource("notebook", NB_URL, NB_KEY), Resource("slides", DECK_URL, DECK_KEY)))
    passages = (Passage(0, 31, "Hello toy world."), Passage(31, 70, "The toy trick."))
    rec = EditionRecords(
        "SP20", lectures=(lec,),
        transcripts=(
            Transcript("SP20", EN, "Atcold/NYU-DLSP20", "docs/en/week02/lecture02.sbv", "en",
                       passages, 4, "VIDtoy0001", ("02-1",), "the lecture of week 2"),
            Transcript("SP20", FR, "Atcold/NYU-DLSP20", "docs/fr/week02/lecture02.sbv", "fr",
                       (Passage(0, 40, "Bonjour le monde jouet."),), 2, "VIDtoy0001", ("02-1",), "x"),
            Transcript("SP20", f"{SITE}en/week09/lecture09.sbv", "Atcold/NYU-DLSP20",
                       "docs/en/week09/lecture09.sbv", "en", passages, 4)),
        notebooks=(Notebook("SP20", NB_KEY, NB_URL, "Atcold/NYU-DLSP20", "04-toy.ipynb", "Toy", (
            NotebookCell(1, "markdown", "# Toy", "Toy"),
            NotebookCell(2, "code", "nn.LSTM(1, 2)", "", ("torch.nn.LSTM",)))),),
        slides=(SlideDeck("SP20", DECK_KEY, DECK_URL, "Atcold/NYU-DLSP20", "slides/01 - Toy.pdf", "Toy",
                          (SlidePage(1, "Toy title", "Toy title"), SlidePage(2, "", ""))),),
        repo_reports=(RepoReport("Atcold/NYU-DLSP20", "slides/05 - Gone.pdf", "missing", "linked"),),
    )
    graph = build_graph([rec])
    add_media(graph, [rec])
    return graph


def test_video_has_a_transcript_per_language(g):
    video = resource_iri("video", "VIDtoy0001")
    assert set(g.objects(video, DLG.transcript)) == {URIRef(EN), URIRef(FR)}
    assert g.value(URIRef(FR), SDO.inLanguage) == Literal("fr")
    assert (URIRef(EN), SDO.about, lecture_iri("SP20", "02-1")) in g


def test_translation_links_the_english_transcript(g):
    assert g.value(URIRef(FR), SDO.translationOfWork) == URIRef(EN)
    assert g.value(URIRef(EN), SDO.workTranslation) == URIRef(FR)


def test_passages_are_clips_with_offsets_and_the_second_in_the_url(g):
    clip = URIRef(f"{EN}#t=31")
    assert (clip, RDF.type, SDO.Clip) in g
    assert (g.value(clip, SDO.startOffset), g.value(clip, SDO.endOffset)) == (Literal(31), Literal(70))
    assert g.value(clip, SDO.url) == URIRef("https://www.youtube.com/watch?v=VIDtoy0001&t=31s")
    assert g.value(clip, SDO.text) == Literal("The toy trick.", lang="en")
    assert g.value(clip, SDO.isPartOf) == resource_iri("video", "VIDtoy0001")


def test_unattached_transcript_is_not_in_the_graph(g):
    assert (URIRef(f"{SITE}en/week09/lecture09.sbv"), None, None) not in g


def test_notebook_is_the_node_the_home_page_links(g):
    node = resource_iri("notebook", NB_KEY)
    assert (lecture_iri("SP20", "02-1"), DLG.notebook, node) in g
    assert g.value(node, SDO.name) == Literal("Toy")
    assert len(set(g.objects(node, SDO.url))) == 1
    cell = URIRef(f"{NB_URL}#cell-2")
    assert (node, SDO.hasPart, cell) in g
    assert (cell, DLG.api, Literal("torch.nn.LSTM")) in g and (node, DLG.api, Literal("torch.nn.LSTM")) in g


def test_slide_pages_open_at_their_number(g):
    node = resource_iri("slides", DECK_KEY)
    assert (lecture_iri("SP20", "02-1"), DLG.slides, node) in g
    page = URIRef(f"{DECK_URL}#page=1")
    assert (node, SDO.hasPart, page) in g and g.value(page, SDO.name) == Literal("Toy title")


def test_missing_file_kept_on_the_edition(g):
    assert g.value(edition_iri("SP20"), DLG.missingFile) == Literal("slides/05 - Gone.pdf")


def test_shapes_hold(g):
    conforms, report, _ = validate(g)
    assert conforms, report
