"""HttpFetcher and MirrorFetcher against local servers that misbehave on purpose.

Every server here is a threaded ``http.server`` bound to 127.0.0.1 on port 0. The pages
are a few invented lines of HTML; live URLs are mapped onto the server with ``origin``.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from ingest.crawl import crawl
from ingest.fetch import USER_AGENT, HttpFetcher, cached_client
from ingest.fetched import Fetched, decode_html
from ingest.mirror import MirrorFetcher
from ingest.registry import EditionSpec

LIVE = "https://atcold.github.io/"
BASE = LIVE + "TESTSITE/"
SPEC = EditionSpec(code="TS", term="Fall", year=2030, title="Test site", course_code="X",
                   base_url=BASE)


def page(*links: str, body: str = "invented text") -> bytes:
    anchors = "".join(f'<a href="{href}">link</a>' for href in links)
    return f"<!doctype html><html><head><title>t</title></head><body><p>{body}</p>{anchors}</body></html>".encode()


class Site:
    """Routes ``path -> handler(request_handler)``; counts requests and 2xx bodies served."""

    def __init__(self):
        self.routes = {}
        self.requests: list[tuple[str, dict]] = []
        self.bodies = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self.release = threading.Event()

    def static(self, path, body: bytes, status=200, ctype="text/html; charset=utf-8", etag=None):
        def handle(h):
            if etag and h.headers.get("If-None-Match") == etag:
                h.send_response(304)
                h.send_header("ETag", etag)
                h.send_header("Content-Length", "0")
                h.end_headers()
                return
            extra = {"ETag": etag} if etag else {}
            self.send(h, status, body, ctype, **extra)

        self.routes[path] = handle

    def send(self, h, status, body: bytes, ctype="text/html; charset=utf-8", **headers):
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)
        if body and 200 <= status < 300:
            with self.lock:
                self.bodies += 1


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        site: Site = self.server.site
        with site.lock:
            site.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            site.in_flight += 1
            site.max_in_flight = max(site.max_in_flight, site.in_flight)
        try:
            route = site.routes.get(self.path)
            if route is None:
                site.send(self, 404, b"<html><body>not here</body></html>")
            else:
                route(self)
        finally:
            with site.lock:
                site.in_flight -= 1

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    s = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.site = s
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    s.url = f"http://127.0.0.1:{server.server_port}/"
    yield s
    s.release.set()
    server.shutdown()
    server.server_close()


def fetcher_for(site, cache_dir=None, **kw) -> HttpFetcher:
    opts = dict(retries=2, backoff=0.01, delay=0.0, origin={LIVE: site.url})
    opts.update(kw)
    timeout = opts.pop("timeout", 2.0)
    return HttpFetcher(cached_client(cache_dir, timeout=timeout), **opts)


def served_paths(site) -> list[str]:
    return [p for p, _ in site.requests if p != "/robots.txt"]


# -- retries, timeouts, truncation ---------------------------------------------------------


def test_500_then_200_is_retried(site):
    calls = []

    def flaky(h):
        calls.append(1)
        if len(calls) == 1:
            site.send(h, 500, b"oops")
        else:
            site.send(h, 200, page(body="second time"))

    site.routes["/TESTSITE/"] = flaky
    got = fetcher_for(site).get(BASE)
    assert got.ok and "second time" in got.text
    assert len(calls) == 2


def test_persistent_500_is_reported_not_raised(site):
    site.routes["/TESTSITE/"] = lambda h: site.send(h, 503, b"down")
    got = fetcher_for(site, retries=2).get(BASE)
    assert not got.ok
    assert got.status == 503
    assert got.error == "HTTP 503 (after 3 attempts)"
    assert len(served_paths(site)) == 3


def test_hanging_server_times_out(site):
    def hang(h):
        site.release.wait(5)

    site.routes["/TESTSITE/"] = hang
    started = time.monotonic()
    got = fetcher_for(site, timeout=0.2, retries=1).get(BASE)
    assert time.monotonic() - started < 2
    assert got.status == 0
    assert got.error.startswith("timed out")


def test_truncated_body_is_a_failure(site):
    def short(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "5000")
        h.end_headers()
        h.wfile.write(b"<html><body><p>only the beginning")
        h.wfile.flush()
        h.close_connection = True

    site.routes["/TESTSITE/"] = short
    got = fetcher_for(site, retries=1).get(BASE)
    assert not got.ok
    assert "truncated body" in got.error and "of 5000 bytes" in got.error


def test_truncated_body_is_not_cached(site, tmp_path):
    def short(h):
        h.send_response(200)
        h.send_header("Content-Length", "5000")
        h.send_header("ETag", '"t"')
        h.end_headers()
        h.wfile.write(b"<html>partial")
        h.close_connection = True

    site.routes["/TESTSITE/"] = short
    assert not fetcher_for(site, tmp_path, retries=0).get(BASE).ok
    site.static("/TESTSITE/", page(body="whole"), etag='"t"')
    got = fetcher_for(site, tmp_path, retries=0).get(BASE)
    assert got.ok and "whole" in got.text and not got.from_cache


def test_connection_refused_is_reported(site):
    fetcher = HttpFetcher(cached_client(None, timeout=1), origin={LIVE: "http://127.0.0.1:9/"},
                          retries=1, backoff=0.01, delay=0)
    got = fetcher.get(BASE)
    assert got.status == 0 and "ConnectError" in got.error


# -- charset -------------------------------------------------------------------------------

TEXT = "Café · naïve — 🎥 Übung"


def test_header_lying_about_charset(site):
    site.static("/TESTSITE/", page(body=TEXT), ctype="text/html; charset=latin-1")
    assert TEXT in fetcher_for(site).get(BASE).text


def test_meta_charset_beats_wrong_header(site):
    body = f'<html><head><meta charset="windows-1252"></head><body>{"Café — déjà"}</body></html>'
    site.static("/TESTSITE/", body.encode("cp1252"), ctype="text/html; charset=utf-8")
    assert "Café — déjà" in fetcher_for(site).get(BASE).text


@pytest.mark.parametrize(
    ("raw", "header", "expected"),
    [
        (TEXT.encode("utf-8"), "latin-1", TEXT),
        (TEXT.encode("utf-8"), None, TEXT),
        ("\ufeffHi Café".encode("utf-8"), None, "Hi Café"),
        ("Hi Café".encode("utf-16"), None, "Hi Café"),
        ("Café".encode("latin-1"), "iso-8859-1", "Café"),
        ("Café “x”".encode("cp1252"), None, "Café “x”"),
        (b"ok", "no-such-charset", "ok"),
    ],
)
def test_decode_html(raw, header, expected):
    assert decode_html(raw, header) == expected


# -- cache: ETag and Last-Modified revalidation --------------------------------------------


def test_etag_revalidation_downloads_nothing_unchanged(site, tmp_path):
    site.static("/TESTSITE/", page("a/", "b/"), etag='"h1"')
    site.static("/TESTSITE/a/", page(body="page a"), etag='"a1"')
    site.static("/TESTSITE/b/", page(body="page b"), etag='"b1"')
    cold = crawl(SPEC, fetcher_for(site, tmp_path))
    assert site.bodies == 3 and not any(f.from_cache for f in cold.fetches)

    site.bodies = 0
    warm = crawl(SPEC, fetcher_for(site, tmp_path))
    assert site.bodies == 0
    assert all(f.from_cache and f.status == 200 for f in warm.fetches)
    assert warm.html == cold.html
    # the server was asked each time, with the validator it gave
    assert [h.get("if-none-match") for p, h in site.requests[-3:]].count(None) == 0


def test_changed_page_is_downloaded_again(site, tmp_path):
    site.static("/TESTSITE/", page(body="first"), etag='"v1"')
    fetcher_for(site, tmp_path).get(BASE)
    site.static("/TESTSITE/", page(body="second"), etag='"v2"')
    got = fetcher_for(site, tmp_path).get(BASE)
    assert "second" in got.text and not got.from_cache


def test_last_modified_revalidation(tmp_path):
    """SimpleHTTPRequestHandler sends Last-Modified and answers If-Modified-Since."""
    import functools
    from http.server import SimpleHTTPRequestHandler

    root = tmp_path / "www"
    (root / "TESTSITE" / "a").mkdir(parents=True)
    (root / "TESTSITE" / "index.html").write_bytes(page("a/"))
    (root / "TESTSITE" / "a" / "index.html").write_bytes(page(body="leaf"))
    seen = []

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def log_request(self, code="-", size="-"):
            seen.append((self.path, int(code)))

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/"
        make = lambda: HttpFetcher(cached_client(tmp_path / "cache"), origin={LIVE: url}, delay=0)  # noqa: E731
        assert len(crawl(SPEC, make()).html) == 2
        seen.clear()
        warm = crawl(SPEC, make())
        assert len(warm.html) == 2 and all(f.from_cache for f in warm.fetches)
        assert sorted(code for path, code in seen if path != "/robots.txt") == [304, 304]
    finally:
        server.shutdown()
        server.server_close()


# -- robots.txt, 404, origin mapping, politeness -------------------------------------------


def test_robots_disallow_is_respected(site):
    site.static("/robots.txt", b"User-agent: *\nDisallow: /TESTSITE/private/\n", ctype="text/plain")
    site.static("/TESTSITE/", page("open/", "private/"))
    site.static("/TESTSITE/open/", page())
    site.static("/TESTSITE/private/", page(body="secret"))
    result = crawl(SPEC, fetcher_for(site))
    assert sorted(result.html) == [BASE, BASE + "open/"]
    refused = {f.url: f for f in result.failures}
    assert refused[BASE + "private/"].error == "disallowed by robots.txt"
    assert "/TESTSITE/private/" not in served_paths(site)
    assert served_paths(site).count("/robots.txt") == 0
    assert [p for p, _ in site.requests].count("/robots.txt") == 1


def test_unreachable_robots_means_stay_out(site):
    site.routes["/robots.txt"] = lambda h: site.send(h, 500, b"")
    site.static("/TESTSITE/", page())
    got = fetcher_for(site, retries=1).get(BASE)
    assert not got.ok and "robots.txt unreachable" in got.error
    assert served_paths(site) == []


def test_robots_can_be_ignored(site):
    site.static("/robots.txt", b"User-agent: *\nDisallow: /\n", ctype="text/plain")
    site.static("/TESTSITE/", page())
    assert fetcher_for(site, respect_robots=False).get(BASE).ok


def test_404_for_a_linked_page_is_reported(site):
    site.static("/TESTSITE/", page("there/", "gone/"))
    site.static("/TESTSITE/there/", page())
    result = crawl(SPEC, fetcher_for(site))
    assert sorted(result.html) == [BASE, BASE + "there/"]
    [gone] = result.failures
    assert (gone.url, gone.status, gone.error) == (BASE + "gone/", 404, "HTTP 404")
    assert served_paths(site).count("/TESTSITE/gone/") == 1  # a 404 is not retried


def test_urls_stay_live_through_redirects(site):
    site.routes["/TESTSITE/dir"] = lambda h: site.send(h, 301, b"", Location="/TESTSITE/dir/")
    site.static("/TESTSITE/dir/", page(body="folder page"))
    got = fetcher_for(site).get(BASE + "dir")
    assert got.ok and got.url == BASE + "dir/"
    assert "127.0.0.1" not in got.url


def test_user_agent_is_descriptive(site):
    site.static("/TESTSITE/", page())
    fetcher_for(site).get(BASE)
    agents = {h.get("user-agent") for _, h in site.requests}
    assert agents == {USER_AGENT}
    assert "dlgraph" in USER_AGENT and "robots.txt" in USER_AGENT


def test_concurrency_is_limited(site):
    def slow(h):
        time.sleep(0.05)
        site.send(h, 200, page())

    for i in range(12):
        site.routes[f"/TESTSITE/{i}/"] = slow
    fetcher = fetcher_for(site, concurrency=2)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(fetcher.get, [f"{BASE}{i}/" for i in range(12)]))
    assert all(r.ok for r in results)
    assert site.max_in_flight == 2


class _Clock:
    """A clock that moves only when the fetcher sleeps: the spacing of requests is then what the
    fetcher chose, not what a loaded machine's scheduler made of it."""

    def __init__(self):
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)

    def __getattr__(self, name):
        return getattr(time, name)


def test_polite_delay_spaces_requests(site, monkeypatch):
    clock = _Clock()
    # the request deadline reads the same clock, so it never sees the fake one run ahead
    monkeypatch.setattr("ingest.fetch.time", clock)
    monkeypatch.setattr("ingest.deadline.time", clock)
    starts = []

    def stamp(h):
        starts.append(clock.now)
        site.send(h, 200, page())

    site.routes["/TESTSITE/"] = stamp
    fetcher = fetcher_for(site, delay=0.1)
    for _ in range(3):
        assert fetcher.get(BASE).ok
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert len(gaps) == 2 and min(gaps) >= 0.1 - 1e-9


def test_non_html_is_not_decoded(site):
    site.static("/TESTSITE/", b"%PDF-1.4 binary", ctype="application/pdf")
    got = fetcher_for(site).get(BASE)
    assert got.ok and not got.is_html and got.text == ""


def test_mock_transport_client_is_accepted():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, html="<html><body>from a mock</body></html>")

    client = httpx.Client(transport=httpx.MockTransport(handler))
    got = HttpFetcher(client, delay=0, respect_robots=False).get(BASE)
    assert got.ok and "from a mock" in got.text and got.url == BASE


# -- MirrorFetcher ---------------------------------------------------------------------------


@pytest.fixture
def mirror(tmp_path):
    (tmp_path / "TESTSITE" / "en" / "week01").mkdir(parents=True)
    (tmp_path / "TESTSITE" / "index.html").write_bytes(page(body="home"))
    (tmp_path / "TESTSITE" / "en" / "week01" / "index.html").write_bytes(page(body=TEXT))
    (tmp_path / "TESTSITE" / "404.html").write_bytes(page(body="missing"))
    (tmp_path / "TESTSITE" / "notes.pdf").write_bytes(b"%PDF")
    return MirrorFetcher(tmp_path)


def test_mirror_maps_live_url_to_index_html(mirror):
    got = mirror.get(BASE + "en/week01/")
    assert got.ok and TEXT in got.text and got.url == BASE + "en/week01/"


def test_mirror_folder_without_slash_answers_like_the_host(mirror):
    got = mirror.get(BASE + "en/week01")
    assert got.ok and got.url == BASE + "en/week01/"


def test_mirror_missing_page_is_404(mirror):
    got = mirror.get(BASE + "en/week09/")
    assert (got.status, got.error, got.ok) == (404, "HTTP 404", False)


@pytest.mark.parametrize("url", ["https://example.org/TESTSITE/", "ftp://atcold.github.io/x/"])
def test_mirror_refuses_other_hosts(mirror, url):
    got = mirror.get(url)
    assert got.status == 0 and not got.ok


def test_mirror_stays_inside_its_folder(mirror):
    assert mirror.get(LIVE + "TESTSITE/../../../etc/passwd").status == 404


def test_mirror_non_html_file(mirror):
    got = mirror.get(BASE + "notes.pdf")
    assert got.ok and not got.is_html and got.content_type == "application/pdf"


def test_fetched_ok():
    assert Fetched(BASE, 200).ok
    assert not Fetched(BASE, 200, error="truncated body").ok
    assert not Fetched(BASE, 404, error="HTTP 404").ok
