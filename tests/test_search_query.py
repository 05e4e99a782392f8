"""How a query is read (issue 15): optional words, question marks, edition words, what the
spelling correction touches, on the hand-written graph."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from dlgraph.cli import cli
from dlgraph.search import build_index, index_path, open_index, search, suggest


@pytest.fixture(scope="module")
def data_dir(small_graph, tmp_path_factory):
    from dlgraph.store import save_graph

    folder = tmp_path_factory.mktemp("data")
    save_graph(small_graph, folder)
    build_index(small_graph, index_path(folder))
    return folder


@pytest.fixture(scope="module")
def ix(data_dir):
    with open_index(index_path(data_dir)) as opened:
        yield opened


def iris(result) -> list[str]:
    return [h["iri"] for h in result["hits"]]


def test_a_question_mark_ending_a_word_is_punctuation(ix):
    plain = search(ix, "downhill")
    assert plain["total"] > 0
    assert iris(search(ix, "downhill?")) == iris(plain)
    assert iris(search(ix, "¿downhill ?")) == iris(plain)


def test_an_edition_word_filters_and_says_so(ix):
    everywhere = search(ix, "energy", limit=50)
    assert {"SP21", "FL22"} <= {e for h in everywhere["hits"] for e in h["editions"]}
    for query in ("energy FL22", "energy fall 2022", "energy 2022"):
        result = search(ix, query, limit=50)
        assert result["edition_words"] == ["FL22"], query
        assert result["hits"] and all("FL22" in h["editions"] for h in result["hits"]), query
    assert search(ix, "energy")["edition_words"] == []


def test_an_edition_filter_given_wins_over_edition_words(ix):
    result = search(ix, "energy FL22", editions=["SP21"])
    assert result["edition_words"] == []


def test_a_field_value_is_never_corrected(ix):
    assert suggest(ix, "gradeint") == "gradient"
    assert suggest(ix, "video:fEVyfT-gradeint") is None
    assert suggest(ix, 'title:"gradeint" toy') is None


def test_a_correction_that_finds_nothing_is_not_taken(ix, monkeypatch):
    from dlgraph.search import engine

    monkeypatch.setattr(engine, "suggest", lambda ix_, text: "qqqzzzx")
    result = search(ix, "downhill")
    assert result["suggestion"] is None and result["total"] > 0


def test_cli_no_correct(data_dir):
    def run(*args):
        out = CliRunner().invoke(cli, ["--data-dir", str(data_dir), "search", "gradeint", *args])
        assert out.exit_code == 0, out.output
        return json.loads(out.output)

    assert run("--json")["suggestion"] == "gradient"
    refused = run("--json", "--no-correct")
    assert refused["suggestion"] is None and refused["total"] == 0


#: Words without syntax (read by the parser's fast path), and text next to it that is not.
WORDS = ["energy", "how does the toy energy model work", "the of and", "the", "energie jouet",
         "toy 2021", "卷积神经网络", "什么是卷积神经网络 toy", "합성곱 신경망", "toy and energy or not",
         "energy AND toy", "NOT toy", "toy REQUIRE energy", "k-means", "toy_training", "e*",
         'gradient "chain rule"', "title:toy", "  spaced   out  "]


@pytest.mark.parametrize("text", WORDS)
@pytest.mark.parametrize("any_word", [False, True])
@pytest.mark.parametrize("groups", [("en",), ("en", "fr"), ("zh", "ko")])
def test_plain_words_parse_as_whoosh_parses_them(ix, text, any_word, groups):
    """``parse_words`` builds what Whoosh's full parse builds (every node, boost, scale and
    character span: the pickled queries are equal), and only text without syntax takes it."""
    import pickle

    from whoosh import qparser

    from dlgraph.search.query import _parser

    parser = _parser(ix, groups, any_word)
    assert pickle.dumps(parser.parse(text)) == pickle.dumps(qparser.QueryParser.parse(parser, text))
