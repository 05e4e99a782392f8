"""Fixtures of the hardening suite: a tiny invented mirror, on disk and behind a loopback server."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

# Invented pages in the SP20 week-table shape (no course text).
HOME = """<html><body><main><div class="page">
<h1>Invented course</h1>
<table><thead><tr><th>Week</th><th>Format</th><th>Title</th><th>Resources</th></tr></thead>
<tbody>
<tr><td rowspan="3"><a href="en/week01/01/">①</a></td><td rowspan="3">Lecture</td>
    <td><a href="en/week01/01-1/">An invented opening</a></td>
    <td rowspan="3"><a href="https://youtu.be/AAAAAAAAAAA">🎥</a></td></tr>
<tr><td><a href="en/week01/01-2/">An invented sequel</a></td></tr>
<tr><td><a href="en/week01/01-3/">An invented finale</a></td></tr>
</tbody></table>
</div></main></body></html>"""

NOTES = """<html><body><main><div class="page">
<h1>{title}</h1>
<p>🎙️ <i>Ada Invented</i><br>📝 <i>Bo Scribe</i><br><i>1 Feb 2020</i></p>
<h2 id="intro"><a href="https://www.youtube.com/watch?v=AAAAAAAAAAA&amp;t=42s">Introduction</a></h2>
<p>Some invented words about {title}.</p>
</div></main></body></html>"""

SITE = {
    "NYU-DLSP20/index.html": HOME,
    "NYU-DLSP20/en/week01/01/index.html": NOTES.format(title="Week one"),
    "NYU-DLSP20/en/week01/01-1/index.html": NOTES.format(title="Opening"),
    "NYU-DLSP20/en/week01/01-2/index.html": NOTES.format(title="Sequel"),
    "NYU-DLSP20/en/week01/01-3/index.html": NOTES.format(title="Finale"),
}


def write_site(root: Path, pages: dict[str, str | bytes]) -> Path:
    """Write ``pages`` (path under the mirror → content) into ``root``."""
    for rel, body in pages.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(body, encoding="utf-8")
    return root


@pytest.fixture
def site(tmp_path) -> Path:
    """A mirror folder holding the invented SP20 site."""
    return write_site(tmp_path / "sites", SITE)


@pytest.fixture(autouse=True)
def no_shared_env(monkeypatch):
    """These tests bring their own sites: a developer's mirror must not leak in."""
    for name in ("DLGRAPH_MIRROR", "DLGRAPH_DOCUMENTS", "DLGRAPH_DATA"):
        monkeypatch.delenv(name, raising=False)
    # without --repos an ingest reads GitHub itself: these tests never leave the machine
    monkeypatch.setenv("DLGRAPH_REPOS", "none")


@pytest.fixture
def serve():
    """``serve(handler_class, **kw)`` → base URL of a loopback server, stopped after the test."""
    servers = []

    def start(handler, **kwargs) -> str:
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, **kwargs)
                                    if kwargs else handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}/"

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    """A static file server that does not log every request to stderr."""

    def log_message(self, *args):
        pass
