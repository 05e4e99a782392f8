"""crawl(): which links are followed, what is recorded, and how failures are kept."""

from __future__ import annotations

import threading
import time

import pytest

from dlgraph.records import PageFetch
from ingest.crawl import crawl, in_site, normalize_url, page_links
from ingest.fetched import Fetched
from ingest.mirror import MirrorFetcher
from ingest.registry import EditionSpec

LIVE = "https://atcold.github.io/"
BASE = LIVE + "DEMO/"
SPEC = EditionSpec(code="DM", term="Spring", year=2031, title="Demo", course_code="X",
                   base_url=BASE)

# A tiny site in the course theme's shape (invented text): a home page with relative,
# root-relative and absolute links, a language menu of onclick buttons, asset links,
# and links that leave the site.
PAGES = {
    "index.html": """<html><body>
      <button onclick="window.location='/DEMO/';">en</button>
      <button onclick="window.location='/DEMO/xx/';">xx</button>
      <a href="en/week01/01-1/">relative</a>
      <a href="/DEMO/en/week01/01-2">root-relative, no slash</a>
      <a href="https://atcold.github.io/DEMO/en/week01/01/index.html#part">absolute</a>
      <a href="en/week01/01-1/#frag">same page again</a>
      <a href="https://atcold.github.io/DEMO/en/week01/01-1/?utm=x">with a query</a>
      <a href="slides/deck.pdf">pdf</a><a href="nb/lab.ipynb">notebook</a>
      <a href="img/figure.png">image</a>
      <a href="https://atcold.github.io/OTHER/en/week01/01-1/">another edition</a>
      <a href="https://example.org/DEMO/en/week01/01-1/">another host</a>
      <a href="mailto:someone@example.org">mail</a><a href="#top">top</a>
      <a href="en/week02/02-1/">missing page</a>
    </body></html>""",
    "en/week01/01-1/index.html": '<html><body><a href="../01-2/">next</a>'
                                 '<a href="../../about/">about</a></body></html>',
    "en/week01/01-2/index.html": "<html><body>Invented notes.</body></html>",
    "en/week01/01/index.html": "<html><body>Week summary.</body></html>",
    "en/about/index.html": "<html><body>About.</body></html>",
    "xx/index.html": '<html><body><a href="week01/01-1/">translated</a></body></html>',
    "xx/week01/01-1/index.html": "<html><body>Traduit.</body></html>",
    "unlinked/index.html": "<html><body>Nobody links here.</body></html>",
}


@pytest.fixture
def mirror(tmp_path):
    for rel, html in PAGES.items():
        path = tmp_path / "DEMO" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    (tmp_path / "OTHER" / "en" / "week01" / "01-1").mkdir(parents=True)
    (tmp_path / "OTHER" / "en" / "week01" / "01-1" / "index.html").write_text("<html></html>")
    return tmp_path


class Recording(MirrorFetcher):
    """A mirror fetcher that remembers every URL asked for."""

    def __init__(self, root):
        super().__init__(root)
        self.asked = []
        self.lock = threading.Lock()

    def get(self, url):
        with self.lock:
            self.asked.append(url)
        return super().get(url)


@pytest.fixture
def result_and_asked(mirror):
    fetcher = Recording(mirror)
    return crawl(SPEC, fetcher), fetcher.asked


EXPECTED_PAGES = [
    BASE,
    BASE + "en/about/",
    BASE + "en/week01/01-1/",
    BASE + "en/week01/01-2/",
    BASE + "en/week01/01/",
    BASE + "xx/",
    BASE + "xx/week01/01-1/",
]


def test_reaches_every_linked_page(result_and_asked):
    result, _ = result_and_asked
    assert list(result.html) == EXPECTED_PAGES


def test_language_menu_buttons_are_followed(result_and_asked):
    result, _ = result_and_asked
    assert BASE + "xx/week01/01-1/" in result.html


def test_unlinked_page_is_not_reached(result_and_asked):
    result, _ = result_and_asked
    assert BASE + "unlinked/" not in result.html


def test_each_page_is_asked_for_once(result_and_asked):
    _, asked = result_and_asked
    assert len(asked) == len(set(asked)) == len(EXPECTED_PAGES) + 1  # + the missing page


@pytest.mark.parametrize("fragment", ["deck.pdf", "lab.ipynb", "figure.png", "OTHER/", "example.org"])
def test_assets_and_other_sites_are_not_fetched(result_and_asked, fragment):
    _, asked = result_and_asked
    assert not [u for u in asked if fragment in u]


def test_missing_page_is_recorded_as_a_failure(result_and_asked):
    result, _ = result_and_asked
    assert [(f.url, f.status, f.error) for f in result.failures] == [
        (BASE + "en/week02/02-1/", 404, "HTTP 404")
    ]


def test_one_fetch_record_per_url(result_and_asked):
    result, _ = result_and_asked
    assert [f.url for f in result.fetches] == sorted(EXPECTED_PAGES + [BASE + "en/week02/02-1/"])
    assert all(isinstance(f, PageFetch) and f.fetched_at.endswith("+00:00") for f in result.fetches)


@pytest.mark.parametrize("url", EXPECTED_PAGES)
def test_every_recorded_url_is_live(result_and_asked, url):
    result, _ = result_and_asked
    assert url.startswith(BASE) and url in {f.url for f in result.fetches}


def test_progress_is_reported(mirror):
    calls = []
    crawl(SPEC, MirrorFetcher(mirror), progress=lambda *a: calls.append(a))
    assert calls[-1] == ("DM", 8, 8)
    assert all(label == "DM" and 0 < done <= total for label, done, total in calls)
    assert [done for _, done, _ in calls] == sorted(done for _, done, _ in calls)


def test_no_site_means_nothing_to_crawl(mirror):
    spec = EditionSpec("NS", "Fall", 2032, "No site", "X", None)
    result = crawl(spec, Recording(mirror))
    assert result.html == {} and result.fetches == ()


def test_home_page_failure_is_reported(tmp_path):
    result = crawl(SPEC, MirrorFetcher(tmp_path))
    assert result.html == {}
    assert [(f.url, f.status) for f in result.failures] == [(BASE, 404)]


class Exploding:
    """A fetcher whose every page but the home page raises."""

    concurrency = 2

    def get(self, url):
        if url == BASE:
            return Fetched(url, 200, '<a href="a/">a</a><a href="b/">b</a>', fetched_at="t")
        raise RuntimeError(f"boom at {url}")


def test_a_fetcher_that_raises_does_not_end_the_crawl():
    result = crawl(SPEC, Exploding())
    assert list(result.html) == [BASE]
    assert {f.url: f.error for f in result.failures} == {
        BASE + "a/": f"RuntimeError: boom at {BASE}a/",
        BASE + "b/": f"RuntimeError: boom at {BASE}b/",
    }


class Endless:
    """A server that answers every path with a page linking one level deeper."""

    concurrency = 4

    def get(self, url):
        return Fetched(url, 200, '<a href="x/">deeper</a><a href="y/">wider</a>', fetched_at="t")


def test_max_pages_bounds_an_endless_site():
    result = crawl(SPEC, Endless(), max_pages=25)
    assert result.truncated
    assert len(result.fetches) == 25


class Slow:
    """Counts how many pages are being fetched at once."""

    def __init__(self, concurrency, pause=0.02):
        self.concurrency = concurrency
        self.pause = pause
        self.now = self.peak = 0
        self.lock = threading.Lock()

    def get(self, url):
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
        time.sleep(self.pause)
        with self.lock:
            self.now -= 1
        links = "".join(f'<a href="{i}/">p</a>' for i in range(10)) if url == BASE else ""
        return Fetched(url, 200, links, fetched_at="t")


@pytest.mark.parametrize("workers", [1, 3])
def test_pages_are_fetched_concurrently_within_the_limit(workers):
    fetcher = Slow(workers)
    assert len(crawl(SPEC, fetcher).html) == 11
    assert fetcher.peak == workers


class Redirecting:
    concurrency = 1

    def get(self, url):
        if url == BASE:
            return Fetched(url, 200, '<a href="old/">o</a><a href="new/">n</a>'
                                     '<a href="away/">a</a>', fetched_at="t")
        if url == BASE + "old/":
            return Fetched(BASE + "new/", 200, "moved", fetched_at="t")
        if url == BASE + "away/":
            return Fetched("https://example.org/", 200, "elsewhere", fetched_at="t")
        return Fetched(url, 200, "new", fetched_at="t")


def test_redirects_are_recorded_under_the_final_url():
    result = crawl(SPEC, Redirecting())
    assert sorted(result.html) == [BASE, BASE + "new/"]
    [away] = result.failures
    assert away.url == BASE + "away/" and "left the site" in away.error


# -- helpers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://atcold.github.io/DEMO", BASE),
        ("http://atcold.github.io/DEMO/en/week01/01-1/index.html", BASE + "en/week01/01-1/"),
        ("https://atcold.github.io/DEMO/en/week01/01-1#sec", BASE + "en/week01/01-1/"),
        ("https://atcold.github.io/DEMO/a.pdf?dl=1", BASE + "a.pdf"),
    ],
)
def test_normalize_url(url, expected):
    assert normalize_url(url) == expected


@pytest.mark.parametrize(
    ("url", "inside"),
    [
        (BASE, True),
        (BASE + "en/faq/", True),
        (BASE + "page.html", True),
        (BASE + "deck.pdf", False),
        (LIVE + "DEMO2/", False),
        (LIVE + "OTHER/DEMO/", False),
    ],
)
def test_in_site(url, inside):
    assert in_site(url, BASE) is inside


def test_page_links_resolves_against_the_page():
    html = ('<a href="../02/">up</a><a href="/DEMO/x">root</a>'
            '<button onclick="window.location=\'/DEMO/fr/\';">fr</button>'
            '<a href="javascript:void(0)">js</a><a href="https://[bad">bad</a>')
    assert page_links(html, BASE + "en/week01/01/") == [
        BASE + "en/week01/02/", BASE + "x/", BASE + "fr/",
    ]


def test_page_links_of_empty_or_broken_html():
    assert page_links("", BASE) == []
    assert page_links("<html><p><a href='a/'>unclosed", BASE) == [BASE + "a/"]


def test_an_interrupted_crawl_drops_its_queue():
    fetcher = Slow(1, pause=0.1)

    def interrupt(label, done, total):
        raise KeyboardInterrupt

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        crawl(SPEC, fetcher, progress=interrupt)
    # 10 pages were queued at 0.1 s each; only the one already running is waited for
    assert time.monotonic() - started < 0.6
