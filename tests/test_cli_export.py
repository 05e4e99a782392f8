"""``dlgraph export readings`` and ``dlgraph export graph`` over a saved small graph."""

from __future__ import annotations

import csv
import io

import bibtexparser
import pyoxigraph as ox
import pytest
import rispy
from click.testing import CliRunner

from dlgraph.cli import cli
from dlgraph.readings import readings_table


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, small_graph):
    from dlgraph.store import save_graph

    folder = tmp_path_factory.mktemp("data")
    save_graph(small_graph, folder)
    return folder


def run(data_dir, *args):
    return CliRunner().invoke(cli, ["--data-dir", str(data_dir), "export", *args])


def test_readings_bibtex_to_stdout(data_dir, small_graph):
    result = run(data_dir, "readings", "--format", "bibtex")
    assert result.exit_code == 0, result.output
    lib = bibtexparser.parse_string(result.output)
    assert len(lib.entries) == len(readings_table(small_graph)) == 2


def test_readings_to_a_file(data_dir, tmp_path):
    out = tmp_path / "fl23.ris"
    result = run(data_dir, "readings", "--edition", "FL23", "--format", "ris", "-o", str(out))
    assert result.exit_code == 0, result.output
    refs = rispy.loads(out.read_text(encoding="utf-8"))
    assert {r["title"] for r in refs} == {"Gradient Tricks for Toy Networks", "Toy Deep Learning"}
    assert not list(tmp_path.glob(".*.tmp"))  # the atomic write left no temporary file


def test_readings_by_lecture_csv(data_dir):
    result = run(data_dir, "readings", "--lecture", "SP20/02-1", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["title"] for r in rows] == ["Gradient Tricks for Toy Networks"]


def test_include_resources(data_dir):
    plain = run(data_dir, "readings", "--edition", "SP20", "--format", "markdown")
    full = run(data_dir, "readings", "--edition", "SP20", "--format", "markdown",
               "--include-resources")
    count = [sum(line.startswith("- ") for line in r.output.splitlines()) for r in (plain, full)]
    assert count[1] > count[0] >= 1
    assert "https://drive.google.com/file/d/DRIVEtoy01/" in full.output


@pytest.mark.parametrize("flag, value, word", [("--edition", "SP99", "edition"),
                                               ("--topic", "no-such-topic", "topic"),
                                               ("--lecture", "SP20/99-9", "lecture")])
def test_unknown_filter_is_one_clear_line(data_dir, flag, value, word):
    result = run(data_dir, "readings", flag, value, "--format", "bibtex")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: unknown {word} ")
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_no_graph_is_one_line(tmp_path):
    result = run(tmp_path / "empty", "readings", "--format", "ris")
    assert result.exit_code == 1
    assert result.output.startswith("Error: no graph in")
    assert len(result.output.strip().splitlines()) == 1


def test_unwritable_output_is_one_line(data_dir, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run(data_dir, "readings", "--format", "csv", "-o", str(blocker / "sub" / "out.csv"))
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot write")


@pytest.mark.parametrize("fmt, oxf", [("turtle", ox.RdfFormat.TURTLE),
                                      ("nt", ox.RdfFormat.N_TRIPLES),
                                      ("jsonld", ox.RdfFormat.JSON_LD)])
def test_graph_export(data_dir, tmp_path, small_graph, fmt, oxf):
    out = tmp_path / f"graph.{fmt}"
    result = run(data_dir, "graph", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert len(list(ox.parse(out.read_bytes(), format=oxf))) == len(small_graph)


def test_format_is_required(data_dir):
    result = run(data_dir, "readings")
    assert result.exit_code == 2 and "--format" in result.output


def test_readings_csv_for_excel_has_a_bom(data_dir, tmp_path):
    out = tmp_path / "r.csv"
    result = run(data_dir, "readings", "--format", "csv", "--excel", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbfkey,")
    bad = run(data_dir, "readings", "--format", "ris", "--excel")
    assert bad.exit_code == 1 and "--excel" in bad.output
