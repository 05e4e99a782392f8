"""One writer per data folder, a generation marker for interrupted runs, no orphan temporaries."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from dlgraph import datadir, store
from dlgraph.cli import cli


def _ingest(site, data):
    return CliRunner().invoke(cli, ["--data-dir", str(data), "ingest", "--editions", "SP20",
                                    "--mirror", str(site)])


def test_second_writer_is_refused_and_told_who_holds_the_folder(site, tmp_path):
    data = tmp_path / "data"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from dlgraph import datadir\n"
         "with datadir.lock(sys.argv[1], 'dlgraph ingest'):\n"
         "    print('held', flush=True); time.sleep(30)", str(data)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = _ingest(site, data)
        assert result.exit_code == 1
        assert f"pid {holder.pid}" in result.output and "dlgraph ingest" in result.output
        assert "Traceback" not in result.output
        assert not (data / "records").exists()  # nothing written by the refused run
    finally:
        holder.kill()
        holder.wait()
    assert _ingest(site, data).exit_code == 0  # the lock died with its holder


def test_interrupted_run_is_detected_and_rebuilt(site, tmp_path):
    data = tmp_path / "data"
    assert _ingest(site, data).exit_code == 0
    marker = datadir.read_marker(data)
    assert marker["records"] == marker["graph"] == marker["index"]
    # A run killed after saving records, before the graph: records are one generation ahead.
    # (Saving the same records again changes nothing and marks nothing: mark as a run does.)
    datadir.mark(data, "records")
    for args in (["stats"], ["search", "invented"], ["sparql", "ASK {}"]):
        result = CliRunner().invoke(cli, ["--data-dir", str(data), *args])
        assert result.exit_code == 1, args
        assert "older than the records" in result.output and "dlgraph build" in result.output
    assert CliRunner().invoke(cli, ["--data-dir", str(data), "build"]).exit_code == 0
    assert CliRunner().invoke(cli, ["--data-dir", str(data), "stats"]).exit_code == 0
    assert CliRunner().invoke(cli, ["--data-dir", str(data), "search", "invented"]).exit_code == 0


def test_stale_temporaries_are_cleaned_by_the_next_run(site, tmp_path):
    data = tmp_path / "data"
    assert _ingest(site, data).exit_code == 0
    live = (data / "index").resolve()
    orphans = [data / ".graph.ttl.abc123.tmp", data / ".graph.pickle.def456.tmp",
               data / "records" / ".SP20.json.x1.tmp"]
    for p in orphans:
        p.write_text("half")
    (data / ".index-0123456789ab").mkdir()
    (data / ".index-0123456789ab" / "seg").write_text("half")
    os.symlink("nowhere", data / ".index-link-0123456789ab")
    assert _ingest(site, data).exit_code == 0
    left = sorted(p.name for p in data.glob(".*")) + sorted(p.name for p in (data / "records").glob(".*"))
    # What is left: the lock, the live index and the live graph store (nothing changed, so
    # the second run rebuilt neither).
    assert sorted(left) == sorted([".lock", (data / "index").resolve().name,
                                   (data / store.GRAPH_STORE).resolve().name])
    assert (data / "index").resolve() == live


def test_lock_file_is_cleared_on_exit(tmp_path):
    with datadir.lock(tmp_path, "dlgraph build"):
        info = json.loads((tmp_path / datadir.LOCK_FILE).read_text())
        assert info["pid"] == os.getpid() and info["command"] == "dlgraph build"
        with pytest.raises(datadir.DataDirBusy, match="dlgraph build"):
            with datadir.lock(tmp_path, "dlgraph ingest"):
                pass
    assert (tmp_path / datadir.LOCK_FILE).read_text() == ""
    assert time.time()  # and it can be taken again
    with datadir.lock(tmp_path):
        pass
