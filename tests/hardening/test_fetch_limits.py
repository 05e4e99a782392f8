"""Nothing fetched that should not be: redirects stay on the site; slow or huge bodies stop."""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler

import pytest

from ingest.crawl import crawl
from ingest.fetch import LIVE_ROOT, HttpFetcher, cached_client
from ingest.registry import get

PAGE = b"<html><body><main><div class='page'><p>invented</p></div></main></body></html>"


class Handler(BaseHTTPRequestHandler):
    """Routes by path; records every request on the server object."""

    routes: dict = {}
    seen: list = []

    def do_GET(self):  # noqa: N802 - the http.server name
        self.seen.append(self.path)
        if self.path == "/robots.txt":
            return self._send(404, b"")
        route = self.routes.get(self.path)
        if route is None:
            return self._send(200, PAGE)
        route(self)

    def _send(self, status, body, **headers):
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        for k, v in headers.items():
            self.send_header(k, v)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _handler():
    return type("H", (Handler,), {"routes": {}, "seen": []})


def _fetcher(url, **kw):
    return HttpFetcher(cached_client(None, timeout=5), origin={LIVE_ROOT: url}, delay=0,
                       retries=0, **kw)


@pytest.mark.parametrize("where", [
    "http://127.0.0.1:{other}/NYU-DLSP20/x/",         # another port
    "http://localhost:{port}/NYU-DLSP20/x/",          # another host name, same server
    "http://127.0.0.2:{port}/NYU-DLSP20/x/",          # another host
    "https://atcold.github.io/NYU-DLSP20/x/",         # the live site
    "/NYU-DLSP21/",                                    # another edition on the same mirror
    "/etc/",                                           # out of the base path
])
def test_redirect_out_of_the_edition_is_not_followed(serve, where):
    handler, elsewhere = _handler(), _handler()
    url = serve(handler)
    other = serve(elsewhere)
    port = url.rsplit(":", 1)[1].strip("/")
    target = where.format(port=port, other=other.rsplit(":", 1)[1].strip("/"))
    handler.routes["/NYU-DLSP20/"] = lambda h: h._send(200, b'<a href="go/">go</a>')
    handler.routes["/NYU-DLSP20/go/"] = lambda h: h._send(302, b"", Location=target)
    fetcher = _fetcher(url)
    result = crawl(get("SP20"), fetcher)
    [gone] = [f for f in result.fetches if f.url.endswith("/go/")]
    assert gone.error and "left the site" in gone.error
    # the redirect's target was never asked for, on this server or another
    assert handler.seen == ["/robots.txt", "/NYU-DLSP20/", "/NYU-DLSP20/go/"]
    assert elsewhere.seen == []


def test_redirect_within_the_edition_is_followed(serve):
    handler = _handler()
    url = serve(handler)
    handler.routes["/NYU-DLSP20/old"] = lambda h: h._send(301, b"", Location="/NYU-DLSP20/old/")
    got = _fetcher(url).scoped("https://atcold.github.io/NYU-DLSP20/").get(
        "https://atcold.github.io/NYU-DLSP20/old")
    assert got.ok and got.url == "https://atcold.github.io/NYU-DLSP20/old/"


class Drip(BaseHTTPRequestHandler):
    """One byte every ``gap`` seconds, for ever (well: 600 bytes)."""

    gap = 0.3

    def do_GET(self):  # noqa: N802
        if self.path == "/robots.txt":
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "600")
        self.end_headers()
        try:
            for _ in range(600):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(self.gap)
        except OSError:
            pass

    def log_message(self, *args):
        pass


def test_slow_drip_stops_at_the_overall_deadline(serve):
    url = serve(Drip)
    began = time.monotonic()
    got = _fetcher(url, deadline=2.0).get("https://atcold.github.io/NYU-DLSP20/")
    took = time.monotonic() - began
    assert not got.ok and "deadline" in got.error
    assert took < 5  # the per-read timeout (5 s) never trips: one byte comes every 0.3 s


class HeaderDrip(BaseHTTPRequestHandler):
    """The status line and headers themselves, one byte every ``gap`` seconds."""

    gap = 0.3

    def do_GET(self):  # noqa: N802
        head = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"y" * 500 + b"\r\n\r\n"
        try:
            for byte in head:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(self.gap)
        except OSError:
            pass

    def log_message(self, *args):
        pass


def test_header_drip_stops_at_the_overall_deadline(serve):
    # robots.txt is off: the drip server answers every path the same slow way
    url = serve(HeaderDrip)
    began = time.monotonic()
    got = _fetcher(url, deadline=2.0, respect_robots=False).get(
        "https://atcold.github.io/NYU-DLSP20/")
    took = time.monotonic() - began
    assert not got.ok and "deadline" in got.error
    assert took < 5  # no response object exists yet: only the transport can stop it


def test_body_past_the_size_limit_is_refused(serve):
    handler = _handler()
    url = serve(handler)
    big = b"<html>" + b"x" * 300_000
    handler.routes["/NYU-DLSP20/big/"] = lambda h: h._send(200, big)
    chunked = b"<html>" + b"y" * 300_000

    def no_length(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        h.wfile.write(chunked)
        h.close_connection = True

    handler.routes["/NYU-DLSP20/stream/"] = no_length
    fetcher = _fetcher(url, max_bytes=100_000)
    for path in ("big/", "stream/"):
        got = fetcher.get("https://atcold.github.io/NYU-DLSP20/" + path)
        assert not got.ok and "larger than" in got.error, path
    assert fetcher.get("https://atcold.github.io/NYU-DLSP20/").ok


def test_ctrl_c_stops_a_hung_crawl_at_once_and_keeps_the_data(serve, tmp_path):
    import signal
    import subprocess
    import sys

    url = serve(type("SlowDrip", (Drip,), {"gap": 5.0}))
    data = tmp_path / "data"
    (data / "records").mkdir(parents=True)
    before = '{"edition": "SP20"}'
    (data / "records" / "SP20.json").write_text(before)
    proc = subprocess.Popen([sys.executable, "-m", "dlgraph", "--data-dir", str(data), "ingest",
                             "--editions", "SP20", "--mirror", url],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(4)  # well inside the first page's drip
    proc.send_signal(signal.SIGINT)
    began = time.monotonic()
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - began < 3
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err
    assert (data / "records" / "SP20.json").read_text() == before
