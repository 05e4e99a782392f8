"""Searching the real transcripts, notebooks and slides (DLGRAPH_REPOS and the mirror).

The phrases were picked by reading the files: SP20's week-8 practicum (Training VAEs,
video 7Rb4s9wNOmc) asks at 0:15:07 how gradients get through the sampling module, and
its French transcript says "l'astuce de reparamétrage" at 0:15:18; the SP20 RNN notebook
builds an ``nn.LSTM``; only the RNN deck's fifth page says "captioning".
"""

from __future__ import annotations

import pytest

from dlgraph.search import build_index, open_index, search

pytestmark = pytest.mark.integration

VAE_VIDEO = "7Rb4s9wNOmc"


@pytest.fixture(scope="module")
def media_ix(repos_dir, real_graph, tmp_path_factory):
    path = tmp_path_factory.mktemp("real-media-search") / "index"
    build_index(real_graph, path)
    with open_index(path) as opened:
        yield opened


def _moment(hit: dict) -> tuple[str | None, int | None, str]:
    """(video, second, url) a hit opens: its own, or its lecture's best moment."""
    if hit["kind"] in ("transcript", "section") or not hit.get("moment"):
        return hit["video"], hit["start"], hit["url"]
    return hit["video"], hit["moment"]["start"], hit["moment"]["url"]


def test_a_spoken_sentence_finds_its_passage_first_and_opens_within_10_s(media_ix):
    hit = search(media_ix, "how do we get gradients through this module in order to train the encoder")["hits"][0]
    video, second, url = _moment(hit)
    assert hit["kind"] == "transcript" and video == VAE_VIDEO, hit
    assert abs(second - 907) <= 10 and url.endswith(f"&t={second}s")


def test_a_quoted_phrase_works_inside_transcripts(media_ix):
    hit = search(media_ix, '"called the reparameterization trick"')["hits"][0]
    assert (hit["kind"], hit["video"], hit["language"]) == ("transcript", VAE_VIDEO, "en")
    assert abs(hit["start"] - 918) <= 10


def test_a_french_phrase_finds_the_french_transcript(media_ix):
    hit = search(media_ix, '"appelée l’astuce de reparamétrage"')["hits"][0]
    assert (hit["kind"], hit["language"], hit["video"]) == ("transcript", "fr", VAE_VIDEO)
    assert "/fr/week08/practicum08.sbv" in hit["page_url"] and abs(hit["start"] - 918) <= 10


def test_an_api_name_finds_the_notebook_that_calls_it(media_ix):
    hit = search(media_ix, "nn.LSTM", kind="notebook")["hits"][0]
    assert hit["url"] == "https://github.com/Atcold/NYU-DLSP20/blob/master/08-seq_classification.ipynb"
    top = search(media_ix, "torch.nn.LSTM")["hits"][0]
    assert top["kind"] == "notebook"


def test_a_word_only_on_a_slide_finds_that_slide_page(media_ix):
    # "captioning" is on page 5 of the RNN deck, and in no page, transcript or notebook
    # (its stem is in two notes sections on autoencoders, which rank above a slide page)
    hits = search(media_ix, "captioning")["hits"][:3]
    deck = "https://github.com/Atcold/NYU-DLSP20/blob/master/slides/04%20-%20RNN.pdf#page=5"
    assert ("slides", deck) in [(h["kind"], h["url"]) for h in hits]


def test_every_new_kind_is_a_facet(media_ix):
    kinds = search(media_ix, "gradient")["facets"]["kind"]
    assert {"transcript", "notebook", "slides"} <= set(kinds)
