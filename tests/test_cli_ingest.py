"""``dlgraph ingest`` on a tiny hand-written mirror: output, bad input, atomic records."""

from __future__ import annotations

import functools
import json
import os
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

import dlgraph.pipeline
from dlgraph import records_store, store
from dlgraph.cli import cli
from dlgraph.records_json import from_json

# Invented pages in the sites' shapes: SP20's week table, SP21/FL22 theme lists.
SP20_HOME = """<html><body><main><div class="page">
<h1>Invented course</h1>
<table><thead><tr><th>Week</th><th>Format</th><th>Title</th><th>Resources</th></tr></thead>
<tbody>
<tr><td rowspan="2"><a href="en/week01/01/">①</a></td><td rowspan="2">Lecture</td>
    <td><a href="en/week01/01-1/">An invented opening</a></td>
    <td rowspan="2"><a href="https://youtu.be/AAAAAAAAAAA">🎥</a></td></tr>
<tr><td><a href="en/week01/01-2/">An invented sequel</a></td></tr>
</tbody></table>
<button onclick="window.location='/NYU-DLSP20/fr/';">fr</button>
</div></main></body></html>"""

NOTES = """<html><body><main><div class="page">
<h1>{title}</h1>
<p>🎙️ <i>Ada Invented</i><br>📝 <i>Bo Scribe, Cy Scribe</i><br><i>1 Feb 2020</i></p>
<h2 id="intro"><a href="https://www.youtube.com/watch?v=AAAAAAAAAAA&amp;t=42s">Introduction</a></h2>
<p>Some invented words about nothing in particular.</p>
</div></main></body></html>"""

THEMES_HOME = """<html><body><main><div class="page">
<h3>Theme 1: Invented basics</h3>
<ol><li>An invented item <a href="https://youtu.be/BBBBBBBBBBB">🎥</a></li></ol>
</div></main></body></html>"""

SITE = {
    "NYU-DLSP20/index.html": SP20_HOME,
    "NYU-DLSP20/en/week01/01/index.html": NOTES.format(title="Week 1"),
    "NYU-DLSP20/en/week01/01-1/index.html": NOTES.format(title="Opening"),
    "NYU-DLSP20/en/week01/01-2/index.html": NOTES.format(title="Sequel"),
    "NYU-DLSP20/fr/index.html": "<html><body><main><div class='page'>Accueil</div></main></body></html>",
    "NYU-DLSP21/index.html": THEMES_HOME,
    "NYU-DLFL22/index.html": THEMES_HOME,
}

MANIFEST = {"documents": [
    {"file": "fl23.txt", "edition": "FL23", "kind": "course-page", "title": "Invented FL23",
     "url": None, "format": "text"},
]}


@pytest.fixture(autouse=True)
def no_env(monkeypatch):
    """Keep a developer's mirror settings and the later graph step out of these tests."""
    monkeypatch.delenv("DLGRAPH_MIRROR", raising=False)
    monkeypatch.delenv("DLGRAPH_DOCUMENTS", raising=False)
    # Without --repos an ingest reads GitHub itself: tests never go out to the internet.
    monkeypatch.setenv("DLGRAPH_REPOS", "none")
    monkeypatch.setattr(dlgraph.pipeline, "after_ingest", _no_build)


def _no_build(data_dir, progress):
    return {"editions": [], "triples": 0, "graph": str(data_dir / "graph.ttl"), "indexed": 0}


@pytest.fixture
def mirror(tmp_path):
    root = tmp_path / "sites"
    for rel, html in SITE.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(html, encoding="utf-8")
    return root


@pytest.fixture
def documents(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "fl23.txt").write_text("# Invented class page\n\nNothing real.\n", encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps(MANIFEST), encoding="utf-8")
    return folder


@pytest.fixture
def data(tmp_path):
    return tmp_path / "data"


def run(*args, **env):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env or None)


def one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.output
    return lines[0]


def test_ingest_writes_one_records_file_per_edition(mirror, data):
    result = run("--data-dir", data, "ingest", "--editions", "SP20,fl22", "--mirror", mirror)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (data / "records").iterdir()) == ["FL22.json", "SP20.json"]
    sp20 = from_json((data / "records" / "SP20.json").read_text(encoding="utf-8"))
    assert [lec.key for lec in sp20.lectures] == ["01-1", "01-2"]
    assert sorted(p.url for p in sp20.pages) == [
        "https://atcold.github.io/NYU-DLSP20/en/week01/01-1/",
        "https://atcold.github.io/NYU-DLSP20/en/week01/01-2/",
        "https://atcold.github.io/NYU-DLSP20/en/week01/01/",
    ]


def test_summary_table(mirror, data):
    result = run("--data-dir", data, "ingest", "--editions", "SP20", "--mirror", mirror)
    header, row, *footnote, rewritten, graph, index = result.stdout.splitlines()
    assert graph.startswith("graph: 0 triples") and index.startswith("index: 0 documents")
    assert rewritten.startswith("rewrites: 0 damaged links repaired")
    assert header.split()[:5] == ["edition", "pages", "cached", "failed", "404"]
    assert row.split()[:7] == ["SP20", "5", "0", "0", "0", "2", "2"]
    # the footnote says what the less obvious columns count
    note = " ".join(footnote)
    assert "404: linked pages the site does not have" in note
    assert "repaired: damaged links" in note and "broken: links that lead nowhere" in note


def test_off_a_terminal_each_edition_prints_one_line(mirror, data):
    # CliRunner's output is not a terminal, as in a log, a pipe or CI: no bar, one line each
    result = run("--data-dir", data, "ingest", "--editions", "SP20,FL22", "--mirror", mirror)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert [line.split(":")[0] for line in lines] == ["SP20", "FL22"], lines
    assert lines[0].startswith("SP20: 5 links crawled and their pages parsed in ")
    assert "it/s" not in result.stderr and "\r" not in result.stderr  # no tqdm bar


def test_an_edition_with_only_a_class_page_says_so(mirror, documents, data):
    result = run("--data-dir", data, "ingest", "--mirror", mirror, "--documents", documents)
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith("FL23"))
    assert row.endswith("(only a course page: no lecture list)")
    out = run("--data-dir", data, "ingest", "--mirror", mirror, "--documents", documents, "--json")
    notes = {r["edition"]: r["note"] for r in json.loads(out.stdout)["editions"]}
    assert notes == {"SP20": None, "SP21": None, "FL22": None,
                     "FL23": "only a course page: no lecture list"}


def test_ingest_help_explains_the_columns():
    text = run("ingest", "--help").output
    for column in ("404", "repaired", "broken", "cached", "failed"):
        assert re.search(rf"^  {column} +\S", text, re.M), column


def test_summary_json(mirror, data):
    result = run("--data-dir", data, "ingest", "--editions", "SP20", "--mirror", mirror, "--json")
    out = json.loads(result.stdout)
    assert out["data_dir"] == str(data)
    assert set(out["rewrites"]) == {"links_repaired", "urls_rewritten", "spellings_kept", "merges"}
    [row] = out["editions"]
    assert (row["edition"], row["pages_fetched"], row["lectures"], row["notes_pages"],
            row["week_pages"], row["documents"]) == ("SP20", 5, 2, 2, 1, 0)


def test_environment_supplies_mirror_and_documents(mirror, documents, data):
    result = run("--data-dir", data, "ingest", "--json",
                 DLGRAPH_MIRROR=str(mirror), DLGRAPH_DOCUMENTS=str(documents))
    assert result.exit_code == 0, result.output
    rows = {r["edition"]: r for r in json.loads(result.stdout)["editions"]}
    assert list(rows) == ["SP20", "SP21", "FL22", "FL23"]
    assert rows["FL23"]["documents"] == 1


def test_without_documents_fl23_is_skipped_with_a_note(mirror, data):
    result = run("--data-dir", data, "ingest", "--mirror", mirror)
    assert result.exit_code == 0, result.output
    assert "skipping FL23" in result.stderr
    assert not (data / "records" / "FL23.json").exists()


def test_mirror_over_loopback_http_records_live_urls(mirror, data):
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(mirror))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/"
        result = run("--data-dir", data, "ingest", "--editions", "SP20", "--mirror", url, "--json")
        again = run("--data-dir", data, "ingest", "--editions", "SP20", "--mirror", url, "--json")
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 0, result.output
    saved = (data / "records" / "SP20.json").read_text(encoding="utf-8")
    assert "127.0.0.1" not in saved and "https://atcold.github.io/NYU-DLSP20/" in saved
    assert (data / "cache" / "http").is_dir()
    [row] = json.loads(again.stdout)["editions"]
    assert row["pages_fetched"] == row["from_cache"] == 5


# -- bad input: one line, non-zero exit ---------------------------------------------------


def test_unknown_edition(mirror, data):
    line = one_line_error(run("--data-dir", data, "ingest", "--editions", "SP20,XX9", "--mirror", mirror))
    assert line == "Error: unknown edition XX9 (known: SP20, SP21, FL22, FL23)"


def test_empty_editions(mirror, data):
    assert "unknown edition" in one_line_error(run("--data-dir", data, "ingest", "--editions", ",", "--mirror", mirror))


def test_missing_mirror_folder(tmp_path, data):
    line = one_line_error(run("--data-dir", data, "ingest", "--mirror", tmp_path / "nope"))
    assert line == f"Error: mirror folder not found: {tmp_path / 'nope'}"


def test_mirror_url_without_host(data):
    assert "mirror URL has no host" in one_line_error(run("--data-dir", data, "ingest", "--mirror", "http://"))


def test_unreachable_mirror_url(data):
    # port 9 (discard) is closed on loopback: every attempt is refused, then reported
    line = one_line_error(run("--data-dir", data, "ingest", "--editions", "SP20",
                              "--mirror", "http://127.0.0.1:9/"))
    assert line.startswith("Error: SP20: home page https://atcold.github.io/NYU-DLSP20/ could not be fetched")
    assert "Connection refused" in line or "ConnectError" in line


def test_mirror_without_the_site(tmp_path, data):
    line = one_line_error(run("--data-dir", data, "ingest", "--editions", "SP20", "--mirror", tmp_path))
    assert line == ("Error: SP20: home page https://atcold.github.io/NYU-DLSP20/ could not be "
                    "fetched (HTTP 404)")


def test_missing_documents_folder(mirror, tmp_path, data):
    line = one_line_error(run("--data-dir", data, "ingest", "--mirror", mirror,
                              "--documents", tmp_path / "none"))
    assert line == f"Error: documents folder not found: {tmp_path / 'none'}"


def test_bad_manifest(mirror, documents, data):
    (documents / "manifest.json").write_text('{"documents": [{"file": "fl23.txt"', encoding="utf-8")
    line = one_line_error(run("--data-dir", data, "ingest", "--mirror", mirror, "--documents", documents))
    assert line.startswith(f"Error: documents folder {documents}: unreadable manifest")


def test_fl23_asked_for_without_documents(mirror, data):
    line = one_line_error(run("--data-dir", data, "ingest", "--editions", "FL23", "--mirror", mirror))
    assert line == "Error: FL23 has no site and no saved documents (give --documents)"


def test_records_folder_that_is_a_file(mirror, data):
    data.mkdir()
    (data / "records").write_text("not a folder")
    line = one_line_error(run("--data-dir", data, "ingest", "--editions", "SP20", "--mirror", mirror))
    assert line.startswith(f"Error: cannot write records to {data}")


# -- atomicity -------------------------------------------------------------------------------


def _snapshot(data):
    return {p.name: p.read_bytes() for p in (data / "records").iterdir()}


def test_failed_run_leaves_previous_records_intact(mirror, tmp_path, data):
    assert run("--data-dir", data, "ingest", "--editions", "SP20,SP21", "--mirror", mirror).exit_code == 0
    before = _snapshot(data)
    (mirror / "NYU-DLSP21" / "index.html").unlink()  # SP20 still works, SP21 now fails
    one_line_error(run("--data-dir", data, "ingest", "--editions", "SP20,SP21", "--mirror", mirror))
    assert _snapshot(data) == before


def test_failure_while_writing_leaves_previous_records_intact(mirror, data, monkeypatch):
    assert run("--data-dir", data, "ingest", "--editions", "SP20,SP21", "--mirror", mirror).exit_code == 0
    before = _snapshot(data)
    real_to_json = records_store.to_json

    def failing(rec):
        if rec.edition == "SP21":
            raise OSError("disk full")
        return real_to_json(rec)

    monkeypatch.setattr(records_store, "to_json", failing)
    (mirror / "NYU-DLSP20" / "en" / "week01" / "01-2" / "index.html").unlink()  # SP20 changes
    sp21 = mirror / "NYU-DLSP21" / "index.html"  # and SP21, serialised after SP20
    sp21.write_text(THEMES_HOME.replace("An invented item", "A renamed item"), encoding="utf-8")
    line = one_line_error(run("--data-dir", data, "ingest", "--editions", "SP20,SP21", "--mirror", mirror))
    assert "disk full" in line
    assert _snapshot(data) == before


def test_atomic_write_keeps_the_old_file_when_replace_fails(tmp_path, monkeypatch):
    target = tmp_path / "records" / "X.json"
    store.atomic_write(target, "old")

    def boom(src, dst):
        raise OSError("no")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        store.atomic_write(target, b"new")
    assert target.read_text() == "old"
    assert [p.name for p in target.parent.iterdir()] == ["X.json"]  # no temp file left


def test_records_round_trip(mirror, data):
    run("--data-dir", data, "ingest", "--editions", "SP21,SP20", "--mirror", mirror)
    assert [r.edition for r in store.load_records(data)] == ["SP20", "SP21"]
    assert store.load_records(data / "elsewhere") == []


# -- the step after ingest ---------------------------------------------------------------------


def test_after_ingest_is_called_with_the_data_dir(mirror, data, monkeypatch):
    calls = []
    monkeypatch.setattr(dlgraph.pipeline, "after_ingest",
                        lambda data_dir, progress: calls.append((data_dir, callable(progress)))
                        or _no_build(data_dir, progress))
    assert run("--data-dir", data, "ingest", "--editions", "SP20", "--mirror", mirror).exit_code == 0
    assert calls == [(data, True)]


def test_after_ingest_failure_is_one_line(mirror, data, monkeypatch):
    def fails(data_dir, progress):
        raise RuntimeError("graph exploded")

    monkeypatch.setattr(dlgraph.pipeline, "after_ingest", fails)
    line = one_line_error(run("--data-dir", data, "ingest", "--editions", "SP20", "--mirror", mirror))
    assert line == "Error: records saved, but the next step failed: graph exploded"
    assert (data / "records" / "SP20.json").exists()


def test_ingest_builds_the_graph_and_the_index(mirror, data, monkeypatch):
    monkeypatch.undo()  # the real step after ingest, on the fixture site
    monkeypatch.delenv("DLGRAPH_MIRROR", raising=False)
    monkeypatch.delenv("DLGRAPH_DOCUMENTS", raising=False)
    result = run("--data-dir", data, "ingest", "--editions", "SP20", "--mirror", mirror, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["triples"] > 0 and out["indexed"] > 0
    assert (data / "graph.ttl").exists() and (data / "index").is_dir()


def test_atomic_write_gives_a_normal_file_mode(tmp_path):
    target = tmp_path / "r.json"
    store.atomic_write(target, "x")
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()
    target.chmod(0o640)
    store.atomic_write(target, "y")
    assert target.stat().st_mode & 0o777 == 0o640


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# -- one broken edition never sinks the rest -----------------------------------------------


def test_an_edition_missing_from_the_mirror_is_reported_and_the_rest_land(mirror, data):
    first = run("--data-dir", data, "ingest", "--editions", "SP21,FL22", "--mirror", mirror)
    assert first.exit_code == 0, first.output
    before = (data / "records" / "FL22.json").read_text(encoding="utf-8")
    for page in (mirror / "NYU-DLFL22").iterdir():
        page.unlink()
    (mirror / "NYU-DLFL22").rmdir()
    result = run("--data-dir", data, "ingest", "--mirror", mirror, "--json")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert [r["edition"] for r in out["editions"]] == ["SP20", "SP21"]
    [failed] = out["failed"]
    assert failed["edition"] == "FL22" and failed["kept_previous"] is True
    assert failed["reason"].startswith("FL22: home page https://atcold.github.io/NYU-DLFL22/ could not be fetched")
    assert (data / "records" / "FL22.json").read_text(encoding="utf-8") == before
    assert (data / "records" / "SP20.json").exists()
    assert result.stderr.strip().splitlines()[-1].startswith("Error: FL22: home page")
    text = run("--data-dir", data, "ingest", "--mirror", mirror)
    assert "failed: FL22: home page" in text.stdout and "its previous records are kept" in text.stdout
    assert text.stdout.splitlines()[1].startswith("SP20")


def test_two_failed_editions_are_counted(mirror, data):
    for edition in ("NYU-DLSP21", "NYU-DLFL22"):
        (mirror / edition / "index.html").unlink()
    result = run("--data-dir", data, "ingest", "--mirror", mirror)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == "Error: 2 of 3 editions not ingested: SP21, FL22"
    assert "nothing of it was ingested before" in result.stdout
    assert sorted(p.name for p in (data / "records").iterdir()) == ["SP20.json"]


MARKERS_NO_ITEMS = """<html><body><main><div class="page">
<h2>What we watch</h2>
<p>Intro <a href="https://youtu.be/CCCCCCCCCCC">🎥</a> and <a href="https://x.org/s.pdf">🖥</a></p>
</div></main></body></html>"""


def test_resource_links_without_items_are_not_a_silent_success(mirror, data):
    (mirror / "NYU-DLSP21" / "index.html").write_text(MARKERS_NO_ITEMS, encoding="utf-8")
    result = run("--data-dir", data, "ingest", "--editions", "SP21", "--mirror", mirror, "--json")
    assert result.exit_code == 1
    [failed] = json.loads(result.stdout)["failed"]
    assert "no lecture items were recognised" in failed["reason"] and "--allow-empty" in failed["reason"]
    assert not (data / "records" / "SP21.json").exists()
    allowed = run("--data-dir", data, "ingest", "--editions", "SP21", "--mirror", mirror,
                  "--allow-empty", "--json")
    assert allowed.exit_code == 0, allowed.output
    out = json.loads(allowed.stdout)
    assert out["editions"][0]["lectures"] == 0 and "no lecture items" in out["warnings"][0]


def test_a_home_page_with_no_lectures_yet_is_zero_and_fine(mirror, data):
    (mirror / "NYU-DLSP21" / "index.html").write_text(
        "<html><body><main><div class='page'><h2>Lectures</h2><p>Will be posted on YouTube.</p>"
        "</div></main></body></html>", encoding="utf-8")
    result = run("--data-dir", data, "ingest", "--editions", "SP21", "--mirror", mirror, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["editions"][0]["lectures"] == 0 and out["failed"] == [] and out["warnings"] == []
    assert out["notes"] == ["SP21: its home page lists no lectures yet"]


# -- --repos: the course repositories' transcripts, notebooks and slides ------------------


def _repos(tmp_path):
    from conftest import FIXTURES_DIR

    root = tmp_path / "repos"
    target = root / "Atcold" / "NYU-DLSP20" / "docs" / "en" / "week01"
    target.mkdir(parents=True)
    source = FIXTURES_DIR / "repos" / "Prof" / "course-repo" / "docs" / "en" / "week01" / "lecture01.sbv"
    (target / "lecture01.sbv").write_bytes(source.read_bytes())
    return root


def test_repos_adds_transcripts_attached_to_the_recording(mirror, data, tmp_path):
    result = run("--data-dir", data, "ingest", "--editions", "SP20", "--mirror", mirror,
                 "--repos", _repos(tmp_path), "--json")
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)["editions"]
    assert (row["transcripts"], row["notebooks_read"], row["slides_read"]) == (1, 0, 0)
    sp20 = from_json((data / "records" / "SP20.json").read_text(encoding="utf-8"))
    [tr] = sp20.transcripts
    assert (tr.video, tr.url) == ("AAAAAAAAAAA", "https://atcold.github.io/NYU-DLSP20/en/week01/lecture01.sbv")


def test_repos_from_the_environment(mirror, data, tmp_path):
    result = run("--data-dir", data, "ingest", "--editions", "SP20", "--mirror", mirror, "--json",
                 DLGRAPH_REPOS=str(_repos(tmp_path)))
    assert json.loads(result.stdout)["editions"][0]["transcripts"] == 1


def test_unreadable_repository_is_reported_and_the_pages_still_ingest(mirror, data, tmp_path):
    (tmp_path / "empty").mkdir()
    result = run("--data-dir", data, "ingest", "--editions", "SP20", "--mirror", mirror,
                 "--repos", tmp_path / "empty")
    assert result.exit_code == 0, result.output
    assert "SP20 unreadable-repository: Atcold/NYU-DLSP20: no folder" in result.stdout
    assert (data / "records" / "SP20.json").exists()


def test_missing_repos_folder_is_one_line(mirror, data, tmp_path):
    line = one_line_error(run("--data-dir", data, "ingest", "--mirror", mirror, "--repos", tmp_path / "nope"))
    assert "repos folder not found" in line
