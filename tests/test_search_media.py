"""Searching what was said, coded and shown: transcript passages, notebook cells, slide pages."""

from __future__ import annotations

import pytest
from fixtures.small_records import DECK_URL, NOTEBOOK_URL, TRANSCRIPT_EN, TRANSCRIPT_FR

from dlgraph.search import build_index, open_index, search
from dlgraph.searchable import documents

LECTURE = "https://w3id.org/dlgraph/id/edition/SP20/lecture/02-1"


@pytest.fixture(scope="module")
def ix(small_graph, tmp_path_factory):
    path = tmp_path_factory.mktemp("search-media") / "index"
    build_index(small_graph, path)
    with open_index(path) as opened:
        yield opened


def test_a_spoken_sentence_finds_its_passage_first(ix):
    hit = search(ix, '"the quokka gradient never sleeps"')["hits"][0]
    assert (hit["kind"], hit["iri"]) == ("transcript", f"{TRANSCRIPT_EN}#t=29")
    assert hit["title"] == "Toy gradients and backprop" and hit["lecture"] == LECTURE
    assert "[[quokka]] [[gradient]] [[never]] [[sleeps]]" in hit["snippet"]


def test_the_link_opens_the_video_where_the_words_are_said(ix):
    hit = search(ix, "hops sideways", kind="transcript")["hits"][0]
    # the passage starts at 29 s; "it hops sideways" is the caption that starts at 52 s
    assert (hit["start"], hit["url"]) == (52, "https://www.youtube.com/watch?v=VIDtoy0001&t=52s")


def test_a_pasted_sentence_opens_at_the_caption_saying_most_of_it(ix):
    # "remember" is said at 29 s, "it hops sideways" at 52 s: the link opens where most is said
    hit = search(ix, "remember it hops sideways", kind="transcript")["hits"][0]
    assert (hit["start"], hit["url"]) == (52, "https://www.youtube.com/watch?v=VIDtoy0001&t=52s")


def test_a_french_phrase_finds_the_french_transcript(ix):
    hit = search(ix, '"le gradient du quokka ne dort jamais"')["hits"][0]
    assert (hit["iri"], hit["language"]) == (f"{TRANSCRIPT_FR}#t=31", "fr")
    assert hit["url"].endswith("&t=31s")


@pytest.mark.parametrize("query", ["torch.nn.LSTM", "nn.LSTM", "LSTM", "optim.SGD"])
def test_an_api_name_finds_the_notebook_that_calls_it(ix, query):
    hit = search(ix, query)["hits"][0]
    assert (hit["kind"], hit["url"], hit["heading"]) == ("notebook", NOTEBOOK_URL, "Recurrent toy")


def test_a_word_only_on_a_slide_finds_that_page(ix):
    hit = search(ix, "zorblax")["hits"][0]
    assert (hit["kind"], hit["url"], hit["heading"]) == ("slides", f"{DECK_URL}#page=2", "The zorblax diagram")


def test_new_kinds_are_facets_and_filters(ix):
    result = search(ix, "quokka")
    assert result["facets"]["kind"].get("transcript") == 1  # both languages: one lecture
    assert {h["kind"] for h in search(ix, "toy", kind="notebook")["hits"]} == {"notebook"}
    assert {h["kind"] for h in search(ix, "toy", kind="slides")["hits"]} == {"slides"}


def test_passages_collapse_into_their_lecture(ix):
    result = search(ix, "gradient", kind="transcript")
    # the English and the French passages saying it are one hit: their lecture's
    assert result["total"] == 1 and result["hits"][0]["collapsed"] >= 1


def test_a_lecture_hit_names_a_spoken_moment(ix):
    hit = search(ix, "backprop quokka", kind=None)["hits"][0]
    assert hit["lecture"] == LECTURE
    moment = hit["moment"] if hit["kind"] != "transcript" else {"kind": "transcript", "start": hit["start"]}
    assert moment and moment["start"] is not None


def test_passage_documents_carry_their_cue_marks(small_graph):
    doc = next(d for d in documents(small_graph) if d.iri == f"{TRANSCRIPT_EN}#t=29")
    assert doc.marks == ((0, 29), (48, 52))
    assert doc.group == LECTURE and doc.page_url == TRANSCRIPT_EN
