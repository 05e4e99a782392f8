"""Every file read stays inside its folder after links are resolved."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from dlgraph.cli import cli
from ingest.documents import load_documents, load_manifest
from ingest.mirror import MirrorFetcher

LIVE = "https://atcold.github.io/NYU-DLSP20/"


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_text("nologin-invented-secret\n")
    return path


def _manifest(folder, file, **extra):
    folder.mkdir(exist_ok=True)
    entry = {"file": file, "edition": "FL23", "kind": "course-page", "title": "t",
             "format": "text", **extra}
    (folder / "manifest.json").write_text(json.dumps({"documents": [entry]}))
    return folder


@pytest.mark.parametrize("kind", ["dotdot", "absolute", "symlink", "symlinked-folder"])
def test_manifest_file_outside_the_folder_is_refused(tmp_path, secret, kind):
    docs = tmp_path / "docs"
    docs.mkdir()
    if kind == "dotdot":
        name = "../outside/secret.txt"
    elif kind == "absolute":
        name = str(secret)
    elif kind == "symlink":
        os.symlink(secret, docs / "page.txt")
        name = "page.txt"
    else:
        os.symlink(secret.parent, docs / "sub")
        name = "sub/secret.txt"
    _manifest(docs, name)
    with pytest.raises(ValueError, match="outside the documents folder"):
        load_manifest(docs)
    with pytest.raises(ValueError, match="outside the documents folder"):
        load_documents(docs)


def test_a_link_inside_the_folder_is_fine(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "real.txt").write_text("Invented course page\n")
    os.symlink("real.txt", docs / "alias.txt")
    _manifest(docs, "alias.txt")
    assert load_documents(docs)[0].text


@pytest.mark.parametrize(("field", "value"), [("edition", ["FL23"]), ("file", 3), ("url", 7),
                                              ("title", {"a": 1})])
def test_manifest_fields_of_the_wrong_type_are_one_line(tmp_path, field, value):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("x")
    entry = {"file": "a.txt", "edition": "FL23", "kind": "course-page", "title": "t",
             "format": "text", field: value}
    (docs / "manifest.json").write_text(json.dumps({"documents": [entry]}))
    with pytest.raises(ValueError, match=f"{field}.* must be text"):
        load_manifest(docs)
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "ingest",
                                      "--editions", "FL23", "--documents", str(docs)])
    assert result.exit_code == 1 and "must be text" in result.output
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit


def test_search_never_shows_a_file_from_outside(tmp_path, secret):
    docs = _manifest(tmp_path / "docs", "../outside/secret.txt")
    data = tmp_path / "data"
    result = CliRunner().invoke(cli, ["--data-dir", str(data), "ingest", "--editions", "FL23",
                                      "--documents", str(docs)])
    assert result.exit_code == 1 and "outside the documents folder" in result.output
    assert not (data / "records").exists()


def test_mirror_refuses_an_index_html_linking_out(tmp_path, secret):
    root = tmp_path / "sites"
    (root / "NYU-DLSP20" / "week").mkdir(parents=True)
    os.symlink(secret, root / "NYU-DLSP20" / "week" / "index.html")
    os.symlink(secret, root / "NYU-DLSP20" / "page.html")
    fetcher = MirrorFetcher(root)
    for url in (LIVE + "week/", LIVE + "week", LIVE + "week/index.html", LIVE + "page.html"):
        got = fetcher.get(url)
        assert not got.ok and "outside the mirror" in got.error, url
        assert "nologin" not in got.text
