"""``dlgraph compare``, ``path``, ``people`` and ``topics`` over a stored fixture graph."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from fixtures.lineage_records import lineage_records

from dlgraph.cli import cli
from dlgraph.pipeline import build
from dlgraph.store import save_graph


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    save_graph(build(lineage_records()), folder)
    return folder


def run(data_dir, *args):
    result = CliRunner().invoke(cli, ["--data-dir", str(data_dir), *args])
    return result


def test_compare_two_editions_text(data_dir):
    result = run(data_dir, "compare", "sp21", "FL22")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("SP21 → FL22: 1 same recording · 1 re-recorded · 0 new in FL22")
    header = next(line for line in lines if line.startswith("TOPIC"))
    assert "SP21" in header and "FL22" in header
    row = next(line for line in lines if "same-recording" in line)
    assert "History of toy networks" in row and row.rstrip().endswith("History")


def test_compare_two_editions_json(data_dir):
    result = run(data_dir, "compare", "SP21", "FL22", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["a"], data["b"]) == ("SP21", "FL22")
    assert data["summary"]["same_recording"] == 1
    assert {row["status"] for row in data["rows"]} <= {"same-recording", "re-recorded", "new", "dropped",
                                                     "not-listed"}


def test_compare_many_editions_gives_a_timeline(data_dir):
    result = run(data_dir, "compare", "SP20", "SP21", "FL22", "FL23", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["editions"] == ["SP20", "SP21", "FL22", "FL23"]
    assert data["hours_known"] is False
    assert set(data["notes"]) == {"FL23"}  # no lecture items: the note says why
    text = run(data_dir, "compare", "SP20", "SP21", "FL22").output
    assert "Energy-based models" in text and "no video durations" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", "SP21"], "give two editions"),
        (["compare", "SP21", "XX99"], "unknown edition 'XX99'"),
        (["path", "enrgy models"], "close matches: energy-based-models"),
        (["people", "--role", "wizard"], "unknown role"),
        (["people", "--edition", "XX99"], "unknown edition 'XX99'"),
    ],
)
def test_errors_are_one_line(data_dir, args, message):
    result = run(data_dir, *args)
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_missing_graph_is_one_line(tmp_path):
    result = run(tmp_path, "compare", "SP21", "FL22")
    assert result.exit_code == 1 and "dlgraph ingest" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_path_text_and_json(data_dir):
    result = run(data_dir, "path", "EBM")
    assert result.exit_code == 0, result.output
    assert "FL22  Toy energy based models, again" in result.output
    assert "instead of SP20 Toy energy-based models; SP21 Toy energy based models" in result.output
    data = json.loads(run(data_dir, "path", "energy-based-models", "--json").output)
    videos = [s["video"] for s in data["steps"]]
    assert len(videos) == len(set(videos))


def test_people(data_dir):
    result = run(data_dir, "people", "--role", "translator")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Chloé Exemple: translated SP20"
    data = json.loads(run(data_dir, "people", "--json").output)
    assert data["people"][0]["name"] in {"Yann LeCun", "Alfredo Canziani"}


def test_people_of_one_edition(data_dir):
    everyone = json.loads(run(data_dir, "people", "--json").output)["people"]
    data = json.loads(run(data_dir, "people", "--edition", "sp20", "--json").output)["people"]
    assert data and len(data) < len(everyone)
    assert all(any("SP20" in eds for eds in p["roles"].values()) for p in data)
    # with --role, that role in that edition: nobody translated in SP21 here
    assert run(data_dir, "people", "--role", "translator", "--edition", "SP21").output.strip() == "nobody"


def test_topics(data_dir):
    result = run(data_dir, "topics")
    assert result.exit_code == 0, result.output
    assert "untagged lecture items: 1 of 13" in result.output
    assert "  Latent-variable EBMs" in result.output
    data = json.loads(run(data_dir, "topics", "--json").output)
    assert {"topics", "untagged"} <= set(data)


def test_compare_says_why_items_are_not_listed(data_dir):
    lines = run(data_dir, "compare", "SP21", "FL22").output.splitlines()
    assert "not listed ·" in lines[0] and "0 dropped from SP21" in lines[0]
    assert lines[1].startswith("not listed: FL22 lists only part of its syllabus")
    assert any("not-listed" in line for line in lines[3:])
    data = json.loads(run(data_dir, "compare", "SP21", "FL22", "--json").output)
    assert data["summary"]["not_listed"] >= 1 and "FL22" in data["partial"]
