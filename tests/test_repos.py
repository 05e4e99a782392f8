"""Repository files from a folder, and live from a loopback server answering like GitHub."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

import pytest
from conftest import FIXTURES_DIR

from ingest.fetch import HttpFetcher, cached_client
from ingest.repos import (
    API_ROOT,
    RAW_ROOT,
    FolderRepository,
    GitHubRepository,
    RepoError,
    RepoRef,
    file_url,
    parse_tree,
)

ROOT = FIXTURES_DIR / "repos"
REF = RepoRef("Prof", "course-repo", "main")
FILES = sorted(p.relative_to(ROOT / "Prof" / "course-repo").as_posix()
               for p in (ROOT / "Prof" / "course-repo").rglob("*") if p.is_file())


def test_ref_parses_the_registry_form():
    assert RepoRef.parse("Atcold/NYU-DLSP20@master") == RepoRef("Atcold", "NYU-DLSP20", "master")
    assert RepoRef.parse("a/b").branch == "master"
    with pytest.raises(ValueError):
        RepoRef.parse("no-slash")


def test_live_urls_never_paths():
    site = "https://prof.github.io/course-repo/"
    assert file_url(REF, "docs/en/week01/lecture01.sbv", site) == site + "en/week01/lecture01.sbv"
    assert file_url(REF, "slides/02 - CNN.pdf", site) == (
        "https://github.com/Prof/course-repo/blob/main/slides/02%20-%20CNN.pdf")


def test_folder_repository_lists_and_reads():
    repo = FolderRepository(ROOT, REF)
    assert repo.files() == FILES
    assert repo.read("widgets.ipynb").startswith(b"{")


def test_folder_repository_errors_are_one_line():
    with pytest.raises(RepoError, match="no folder"):
        FolderRepository(ROOT, RepoRef("Nobody", "nothing")).files()
    with pytest.raises(RepoError, match="outside"):
        FolderRepository(ROOT, REF).read("../../../conftest.py")


def test_parse_tree_keeps_blobs_only():
    text = json.dumps({"sha": "x", "truncated": False, "tree": [
        {"path": "docs", "type": "tree"}, {"path": "docs/a.sbv", "type": "blob"}]})
    assert parse_tree(text) == (["docs/a.sbv"], False)
    with pytest.raises(RepoError):
        parse_tree("<html>rate limited</html>")


class _GitHubLike(BaseHTTPRequestHandler):
    """/api/repos/<o>/<r>/git/trees/<branch>?recursive=1 and /raw/<o>/<r>/<branch>/<path>."""

    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.requests.append(self.path)
        parts = urlsplit(self.path)
        segs = unquote(parts.path).strip("/").split("/")
        if segs[:1] == ["api"] and segs[1:2] == ["repos"] and segs[4:6] == ["git", "trees"]:
            owner, name = segs[2], segs[3]
            folder = ROOT / owner / name
            if not folder.is_dir() or parts.query != "recursive=1":
                return self._send(404, b'{"message": "Not Found"}', "application/json")
            tree = [{"path": p, "type": "blob", "mode": "100644", "sha": "0", "size": 1} for p in FILES]
            body = json.dumps({"sha": "0", "tree": tree, "truncated": False}).encode()
            return self._send(200, body, "application/json; charset=utf-8")
        if segs[:1] == ["raw"] and len(segs) > 4:
            path = ROOT / segs[1] / segs[2] / "/".join(segs[4:])
            if path.is_file():
                return self._send(200, path.read_bytes(), "text/plain; charset=utf-8")
        return self._send(404, b"404: Not Found", "text/plain")

    def _send(self, status, body, ctype):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def github(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GitHubLike)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    client = cached_client(tmp_path / "http")
    fetcher = HttpFetcher(client, origin={API_ROOT: base + "api/", RAW_ROOT: base + "raw/"},
                          delay=0.0, retries=0)
    _GitHubLike.requests = []
    yield fetcher
    client.close()
    server.shutdown()
    server.server_close()


def test_live_file_list_comes_from_the_git_trees_api(github):
    repo = GitHubRepository(github, REF)
    assert repo.files() == FILES
    assert "/api/repos/Prof/course-repo/git/trees/main?recursive=1" in _GitHubLike.requests


def test_live_files_come_from_raw_urls_bytes_intact(github):
    repo = GitHubRepository(github, REF)
    data = repo.read("docs/en/week01/lecture01.sbv")
    assert data == (ROOT / "Prof/course-repo/docs/en/week01/lecture01.sbv").read_bytes()
    assert "/raw/Prof/course-repo/main/docs/en/week01/lecture01.sbv" in _GitHubLike.requests


def test_live_robots_txt_is_asked_first(github):
    GitHubRepository(github, REF).files()
    assert _GitHubLike.requests[0] == "/robots.txt"


def test_live_missing_repository_is_a_one_line_error(github):
    with pytest.raises(RepoError, match="file list of Nobody/nothing: HTTP 404"):
        GitHubRepository(github, RepoRef("Nobody", "nothing")).files()
    with pytest.raises(RepoError, match="HTTP 404"):
        GitHubRepository(github, REF).read("no/such/file.sbv")
