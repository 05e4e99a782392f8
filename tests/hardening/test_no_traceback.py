"""Bad input and damaged files: one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import shutil
import stat

import pytest
from click.testing import CliRunner

from dlgraph.cli import cli


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A data folder ingested from the invented site (records, graph, index)."""
    from .conftest import SITE, write_site

    root = tmp_path_factory.mktemp("built")
    site = write_site(root / "sites", SITE)
    data = root / "data"
    result = CliRunner().invoke(cli, ["--data-dir", str(data), "ingest", "--editions", "SP20",
                                      "--mirror", str(site)])
    assert result.exit_code == 0, result.output
    return data


@pytest.fixture
def data(built, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(built, copy, symlinks=True)
    return copy


def run(*args):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    assert not result.exception or isinstance(result.exception, SystemExit), result.exception
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    return lines[-1]


@pytest.mark.parametrize("damage", ["truncate", "garbage", "binary"])
def test_damaged_graph_ttl_names_the_command_that_rebuilds_it(data, damage):
    ttl = data / "graph.ttl"
    body = ttl.read_bytes()
    ttl.write_bytes({"truncate": body[: len(body) // 2], "garbage": b"@prefix : <x> .\n:a :b",
                     "binary": os.urandom(4000)}[damage])
    line = run("--data-dir", str(data), "stats")
    assert "graph.ttl" in line and "damaged" in line and "dlgraph build" in line
    assert len(line) < 400  # not the Turtle dumped into the terminal


def test_damaged_records_file_names_the_edition_to_ingest_again(data):
    (data / "records" / "SP20.json").write_text('{"edition": "SP20", "lectures": [1, 2')
    line = run("--data-dir", str(data), "build")
    assert "SP20.json" in line and "dlgraph ingest --editions SP20" in line


@pytest.mark.parametrize("name", ["dlgraph-index.json", "columns.json", "topics.json", "TOC",
                                  "terms", "postings", "stored"])
def test_damaged_index_files_name_the_command_that_rebuilds_them(data, name):
    index = data / "index"
    # a segment's parts are plain files (.trm terms, .pst postings, _stored.col fields)
    target = {"TOC": lambda: next(index.glob("_MAIN_*.toc")),
              "terms": lambda: next(index.glob("MAIN_*.trm")),
              "postings": lambda: next(index.glob("MAIN_*.pst")),
              "stored": lambda: next(index.glob("MAIN_*._stored.col"))}.get(name, lambda: index / name)()
    target.write_bytes(b"\x00garbage{" + os.urandom(64))
    # a word every page of the invented site has: its postings and the hits' fields are read
    line = run("--data-dir", str(data), "search", "week")
    assert "dlgraph index" in line, line


def test_bad_mirror_url_is_one_line(tmp_path):
    line = run("--data-dir", str(tmp_path), "ingest", "--mirror", "http://[::1")
    assert "not a URL" in line


def test_empty_editions_is_an_error_not_all(tmp_path):
    line = run("--data-dir", str(tmp_path), "ingest", "--editions", "", "--mirror", str(tmp_path))
    assert "unknown edition" in line


@pytest.mark.parametrize("timeout", ["nan", "inf", "1e300", "-1"])
def test_sparql_timeout_must_be_usable(data, timeout):
    line = run("--data-dir", str(data), "sparql", "ASK {}", "--timeout", timeout)
    assert "time limit" in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_data_dir_with_an_http_mirror(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        line = run("--data-dir", str(ro), "ingest", "--mirror", "http://127.0.0.1:9/")
        assert "cannot write" in line
    finally:
        ro.chmod(stat.S_IRWXU)


def test_unwritable_data_dir_with_an_http_mirror(tmp_path):
    # Runs as root too: a data folder that is a file cannot be written by anyone.
    blocker = tmp_path / "file"
    blocker.write_text("x")
    line = run("--data-dir", str(blocker / "data"), "ingest", "--mirror", "http://127.0.0.1:9/")
    assert "cannot write" in line


def test_app_with_a_damaged_graph_says_what_to_run(data, monkeypatch):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    (data / "graph.ttl").write_bytes(b"@prefix : <x> .\n:a :b")
    (data / "graph.oxigraph").unlink()  # the saved store: only the damaged Turtle is left
    monkeypatch.setenv("DLGRAPH_DATA", str(data))
    app = Path(__file__).resolve().parents[2] / "app.py"
    at = AppTest.from_file(str(app), default_timeout=60).run()
    at.switch_page("app_pages/people.py").run()
    assert not at.exception
    [error] = at.error
    assert "dlgraph build" in error.value and str(data) not in error.value
