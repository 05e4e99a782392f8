"""Search over the real editions (needs DLGRAPH_MIRROR and DLGRAPH_DOCUMENTS; see conftest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dlgraph.search import build_index, open_index, search

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def real_ix(real_graph, tmp_path_factory):
    """The index of the real graph, built once for this module (about 30 s)."""
    path = tmp_path_factory.mktemp("real-search") / "index"
    build_index(real_graph, path)
    with open_index(path) as opened:
        yield opened


def test_every_notes_and_week_page_of_the_mirror_is_indexed(real_ix, mirror_dir: Path):
    # counted from the sources: every weekNN/<part>/index.html of every language folder
    expected = {
        "https://atcold.github.io/" + p.parent.relative_to(mirror_dir).as_posix() + "/"
        for p in mirror_dir.glob("NYU-DL*/*/week*/*/index.html")
    }
    indexed = {iri for iri, kind in zip(real_ix.iris, real_ix.kinds, strict=True)
               if kind in ("notes", "week")}
    assert indexed == expected


@pytest.mark.parametrize("query", ["backpropagation", "energy based models", "autoencoders"])
def test_a_topic_spans_several_editions(real_ix, query):
    editions = {h["edition"] for h in search(real_ix, query)["hits"]}
    assert {"SP20", "SP21"} <= editions and len(editions) >= 3, editions


def test_the_backprop_lecture_of_every_edition_with_items(real_ix):
    hits = search(real_ix, "backpropagation", limit=20)["hits"]
    # A recording shown in two editions is one hit that names the other edition in also_in.
    lectures = {h["lecture"] for h in hits} | {a["iri"] for h in hits for a in h["also_in"]}
    base = "https://w3id.org/dlgraph/id/edition/"
    assert {f"{base}SP20/lecture/02-1", f"{base}SP21/lecture/t1.2",
            f"{base}FL22/lecture/02"} <= lectures


def test_a_french_query_finds_french_pages(real_ix):
    hits = search(real_ix, "rétropropagation")["hits"][:5]
    assert hits and {h["language"] for h in hits} == {"fr"}
    assert any(h["page_url"].startswith("https://atcold.github.io/NYU-DLSP20/fr/week02/")
               for h in hits)


def test_a_chinese_query_finds_chinese_pages(real_ix):
    hits = search(real_ix, "卷积神经网络")["hits"][:5]
    assert hits and {h["language"] for h in hits} == {"zh"}
    assert "[[卷积神经网络]]" in " ".join(h["snippet"] for h in hits)


@pytest.mark.parametrize("query,lang", [("역전파", "ko"), ("畳み込み", "ja"),
                                        ("retropropagazione", "it"), ("трансформер", "ru")])
def test_other_languages_find_their_pages(real_ix, query, lang):
    assert search(real_ix, query)["hits"][0]["language"] == lang


@pytest.mark.parametrize("typo,fixed", [("backpropogation", "backpropagation"),
                                        ("convolutoin", "convolution"),
                                        ("autoencodr", "autoencoder")])
def test_misspellings_get_the_right_suggestion(real_ix, typo, fixed):
    result = search(real_ix, typo)
    assert result["suggestion"] == fixed
    assert result["total"] > 0


def test_a_hit_from_a_timestamped_section_opens_the_video_at_that_second(real_ix):
    hits = [h for h in search(real_ix, "backpropagation", limit=30)["hits"]
            if h["start"] and h["kind"] == "section"]  # a transcript hit names its .sbv file
    assert hits
    for h in hits:
        assert h["url"] == f"https://www.youtube.com/watch?v={h['video']}&t={h['start']}s"
        assert h["page_url"].startswith("https://atcold.github.io/") and "#" in h["page_url"]


def test_a_person_is_the_first_card_for_their_name(real_ix):
    result = search(real_ix, "Alfredo Canziani")
    card = result["cards"][0]
    assert card["kind"] == "person" and {"SP20", "SP21", "FL22", "FL23"} <= set(card["editions"])
    # the ranked hits are his lectures, not cards (people queries: issue 15)
    assert all(h["kind"] not in ("person", "reading", "theme") for h in result["hits"])


def test_everyone_is_the_first_card_for_their_whole_name(real_ix):
    """Every person whose name is two or more Latin-script words, searched by that name, is
    the first card (a word of a name can be another language's stop word)."""
    import re

    names = sorted({real_ix.searcher.stored_fields(d)["meta"]["title"]
                    for d, kind in enumerate(real_ix.kinds) if kind == "person"})
    names = [n for n in names if re.fullmatch(r"[A-Za-z][A-Za-z.' -]* [A-Za-z.' -]+", n)]
    assert len(names) > 100
    wrong = {n: [c["title"] for c in search(real_ix, n)["cards"]][:1] for n in names}
    assert {n: c for n, c in wrong.items() if c != [n]} == {}
