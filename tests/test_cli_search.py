"""`dlgraph search` and `dlgraph index` through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from dlgraph.cli import cli
from dlgraph.search import build_index, index_path


@pytest.fixture(scope="module")
def data_dir(small_graph, tmp_path_factory):
    """A data folder holding the small graph and its index."""
    from dlgraph.store import save_graph

    folder = tmp_path_factory.mktemp("data")
    save_graph(small_graph, folder)
    build_index(small_graph, index_path(folder))
    return folder


def run(data_dir, *args):
    return CliRunner().invoke(cli, ["--data-dir", str(data_dir), *args])


def test_json_is_the_contract_shape(data_dir):
    result = run(data_dir, "search", "gradient", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out) == {"query", "total", "hits", "facets", "suggestion",
                                          "edition_words", "cards"}
    assert out["query"] == "gradient" and out["total"] == len(out["hits"]) > 0
    for hit in out["hits"]:
        assert {"iri", "kind", "edition", "title", "url", "video", "start", "language", "score",
                "snippet"} <= set(hit)
    moment = next(h for h in out["hits"] if h["start"])
    assert moment["url"] == f"https://www.youtube.com/watch?v={moment['video']}&t={moment['start']}s"


def test_text_output(data_dir):
    result = run(data_dir, "search", "downhill")
    assert result.exit_code == 0, result.output
    assert "Introduction to toy gradients › Toy gradients" in result.output
    assert "https://www.youtube.com/watch?v=VIDtoy0001&t=29s" in result.output
    assert "[[" not in result.output  # marks become bold, or nothing when piped
    assert "edition: SP20 1" in result.output


def test_filters(data_dir):
    out = json.loads(run(data_dir, "search", "toy", "--edition", "SP21", "--edition", "FL22",
                         "--kind", "lecture", "--limit", "3", "--json").output)
    assert len(out["hits"]) == 3
    assert {h["kind"] for h in out["hits"]} == {"lecture"}
    assert {h["edition"] for h in out["hits"]} <= {"SP21", "FL22"}


def test_language_filter(data_dir):
    out = json.loads(run(data_dir, "search", "gradient", "--lang", "fr", "--json").output)
    assert out["hits"] and {h["language"] for h in out["hits"]} == {"fr"}


def test_page(data_dir):
    one = json.loads(run(data_dir, "search", "toy", "--limit", "2", "--json").output)
    two = json.loads(run(data_dir, "search", "toy", "--limit", "2", "--page", "2", "--json").output)
    assert not {h["iri"] for h in one["hits"]} & {h["iri"] for h in two["hits"]}


def test_suggestion_is_shown(data_dir):
    result = run(data_dir, "search", "gradeint")
    assert result.output.startswith("Showing results for: gradient")


def test_no_results(data_dir):
    result = run(data_dir, "search", "the of and")
    assert result.exit_code == 0 and "No results" in result.output


@pytest.mark.parametrize("args,message", [
    (["--edition", "SP19"], "unknown edition 'SP19'"),
    (["--kind", "video"], "unknown kind 'video' (one of: lecture, section, notes"),
    (["--lang", "zz"], "unknown language 'zz' (one of: en, fr)"),
    (["--topic", "energy-based modelz zz"], "unknown topic 'energy-based modelz zz'; close"),
])
def test_bad_filters_are_one_line(data_dir, args, message):
    result = run(data_dir, "search", "toy", *args)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0]


@pytest.mark.parametrize("query", ['"unbalanced', "(((", "x" * 10_000, "nosuch:field", "\x00\x1b",
                                   'topic:"energy-based models"', 'kind:"lecture notes"',
                                   'edition:"SP21 FL22"', 'lang:"fr en"', "\x1b[31mtoy"])
def test_bad_queries_do_not_crash(data_dir, query):
    result = run(data_dir, "search", query, "--json")
    assert result.exit_code == 0, result.output
    assert set(json.loads(result.output)) == {"query", "total", "hits", "facets", "suggestion",
                                          "edition_words", "cards"}


def test_topic_by_its_alternative_label(data_dir):
    by_label = json.loads(run(data_dir, "search", "--topic", "EBM", "--json").output)
    by_key = json.loads(run(data_dir, "search", "--topic", "energy-based-models", "--json").output)
    assert by_label["total"] == by_key["total"] > 0
    assert by_label["hits"] == by_key["hits"]


def test_a_shared_recording_names_the_other_edition(data_dir):
    out = json.loads(run(data_dir, "search", "history", "--json").output)
    hit = next(h for h in out["hits"] if h["video"] == "VIDtoy0101")
    assert [(a["edition"], a["iri"].rsplit("/", 1)[-1]) for a in hit["also_in"]] in (
        [("SP21", "t1.1")], [("FL22", "01")])
    fl22 = json.loads(run(data_dir, "search", "history", "--edition", "FL22", "--json").output)
    assert any(h["iri"].endswith("/FL22/lecture/01") for h in fl22["hits"])


def test_missing_index_is_one_line_naming_ingest(tmp_path):
    result = run(tmp_path, "search", "toy")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "dlgraph ingest" in lines[0]


def test_index_command_rebuilds_from_the_stored_graph(small_graph, tmp_path):
    from dlgraph.store import save_graph

    save_graph(small_graph, tmp_path)
    result = run(tmp_path, "index", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["documents"] > 0 and out["index"] == str(index_path(tmp_path))
    found = json.loads(run(tmp_path, "search", "downhill", "--json").output)
    assert found["total"] > 0


def test_index_command_without_a_graph_is_one_line(tmp_path):
    result = run(tmp_path, "index")
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and "dlgraph ingest" in result.output
