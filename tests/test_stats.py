"""graph_stats: the JSON shape of `dlgraph stats --json` and its figures on the fixture graph;
`dlgraph build` from saved records."""

import json
import re

import pytest
from click.testing import CliRunner

from dlgraph.cli import cli
from dlgraph.stats import KEYS, format_stats, graph_stats
from dlgraph.store import graph_exists, save_graph, save_records

# Counted by hand from tests/fixtures/small_records.py.
EXPECTED = {
    "SP20": {
        "lectures": 2,  # 02-1 lecture, 02-3 practicum
        "notes_pages": 2,  # 02-1 in English and in French
        "languages": ["en", "fr"],
        "site_languages": ["en", "fr"],
        "videos": 2,
        "mentioned_videos": 0,  # VIDtoy0001 (also the sections' clip) and VIDtoy0002
        "clips": 1,  # VIDtoy0001 at 29 s, in both languages
        "slides": 1,
        "notebooks": 1,
        "people": 5,  # Yann (instructor, lecturer), Alfredo, Ada, Bo, Chloé
        "readings": 1,  # the arXiv paper cited in a section
        "documents": 0,
        "transcripts": {"en": 1, "fr": 1},  # of VIDtoy0001
        "transcript_passages": 5,  # 3 English, 2 French
        "notebooks_read": 1,
        "slides_read": 1,
        "repo_files_missing": 1,
    },
    "SP21": {"lectures": 4, "notes_pages": 0, "languages": [], "site_languages": [],
             "mentioned_videos": 0, "videos": 3, "clips": 0,
             "slides": 1, "notebooks": 1, "people": 2, "readings": 1, "documents": 1, "transcripts": {}, "transcript_passages": 0,
             "notebooks_read": 0, "slides_read": 0, "repo_files_missing": 0},
    "FL22": {"lectures": 2, "notes_pages": 0, "languages": [], "site_languages": [],
             "mentioned_videos": 0, "videos": 2, "clips": 0,
             "slides": 1, "notebooks": 0, "people": 2, "readings": 0, "documents": 0, "transcripts": {}, "transcript_passages": 0,
             "notebooks_read": 0, "slides_read": 0, "repo_files_missing": 0},
    "FL23": {"lectures": 0, "notes_pages": 0, "languages": [], "site_languages": [],
             "mentioned_videos": 0, "videos": 0, "clips": 0,
             "slides": 0, "notebooks": 0, "people": 4, "readings": 2, "documents": 1, "transcripts": {}, "transcript_passages": 0,
             "notebooks_read": 0, "slides_read": 0, "repo_files_missing": 0},
}


@pytest.fixture(scope="module")
def stats(small_graph):
    return graph_stats(small_graph)


def test_shape(stats, small_graph):
    assert stats["triples"] == len(small_graph)
    assert list(stats["editions"]) == ["SP20", "SP21", "FL22", "FL23"]  # oldest first
    for figures in stats["editions"].values():
        assert set(KEYS) <= set(figures)
        assert isinstance(figures["languages"], list)
        assert all(isinstance(figures[k], int) for k in KEYS
                   if k not in ("languages", "site_languages", "transcripts"))
        assert isinstance(figures["transcripts"], dict)
    assert json.loads(json.dumps(stats)) == stats


@pytest.mark.parametrize("edition", list(EXPECTED))
def test_figures(stats, edition):
    assert {k: stats["editions"][edition][k] for k in KEYS} == EXPECTED[edition]


def test_item_formats_add_up(stats):
    for figures in stats["editions"].values():
        assert sum(figures["item_formats"].values()) == figures["lectures"]


def test_videos_count_youtube_ids_not_nodes(small_graph):
    # A second node for an already-counted YouTube ID (a spelling the builder would never
    # produce, but a merge could) must not count twice.
    from rdflib import URIRef

    from dlgraph.vocab import SDO, lecture_iri

    g = small_graph + small_graph
    twin = URIRef("https://w3id.org/dlgraph/id/video/twin")
    g.add((twin, SDO.identifier, next(iter(g.objects(URIRef(
        "https://w3id.org/dlgraph/id/video/VIDtoy0002"), SDO.identifier)))))
    g.add((lecture_iri("SP20", "02-1"), SDO.video, twin))
    assert graph_stats(g)["editions"]["SP20"]["videos"] == 2


def test_text_table(stats):
    text = format_stats(stats)
    assert text.splitlines()[0].split() == ["SP20", "SP21", "FL22", "FL23"]
    assert re.search(r"^languages +en fr", text, re.M)
    assert re.search(r"^transcripts +en:1 fr:1 +0 +0 +0$", text, re.M)
    assert text.endswith(f"triples  {stats['triples']}")


def test_cli_stats_json(small_graph, tmp_path):
    save_graph(small_graph, tmp_path)
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "stats", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == graph_stats(small_graph)


def test_cli_stats_without_graph(tmp_path):
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "stats"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: no graph in")
    assert "Traceback" not in result.output


def test_cli_build_from_saved_records(small_records, small_graph, tmp_path):
    save_records(small_records, tmp_path)
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "build", "--no-index", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)  # stderr has a line per stage
    assert result.stderr.startswith("graph: built in ")
    assert out["triples"] == len(small_graph)
    assert out["editions"] == ["SP20", "SP21", "FL22", "FL23"]
    assert out["indexed"] is None
    assert graph_exists(tmp_path) and not (tmp_path / "index").exists()


def test_cli_build_without_records(tmp_path):
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "build"])
    assert result.exit_code == 1
    assert "no records" in result.output and "dlgraph ingest" in result.output
