"""Crawling one edition's site: breadth-first by link depth from its home page, never leaving it.

Links are followed when they stay under the edition's base URL, whether written
relatively or as absolute ``https://atcold.github.io/…`` URLs. The jekyllbook theme's
language menu is made of ``<button onclick="window.location='…'">`` rather than
anchors, so those count as links too: that is how every translation is reached.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html

from dlgraph.records import PageFetch
from ingest.common import live_url, published_url
from ingest.fetched import Fetched, Fetcher, now_iso
from ingest.registry import SITE_HOST, EditionSpec

__all__ = ["CrawlResult", "crawl", "in_site", "normalize_url", "page_links"]

#: ``progress(label, done, total)``; ``total`` grows as the crawl discovers pages.
Progress = Callable[[str, int, int], None]

_ONCLICK_LOCATION = re.compile(r"""location(?:\.href)?\s*=\s*(['"])(.*?)\1""")
_HTML_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class CrawlResult:
    """What a crawl got: HTML per live URL, one :class:`PageFetch` per URL tried."""

    edition: str
    html: dict[str, str] = field(default_factory=dict)
    fetches: tuple[PageFetch, ...] = ()
    truncated: bool = False  # stopped at ``max_pages``
    left_out: int = 0  # in-site links not fetched because of ``max_pages``

    @property
    def failures(self) -> tuple[PageFetch, ...]:
        """The fetches that yielded no page (404s, errors, robots refusals)."""
        return tuple(f for f in self.fetches if f.error is not None)


def normalize_url(url: str) -> str:
    """A link's identity for the crawl: no fragment or query, folder paths end with ``/``.

    The sites use Jekyll's pretty permalinks, so ``…/week02/02-1``, ``…/week02/02-1/``
    and ``…/week02/02-1/index.html`` are one page (the host redirects the first to the
    second); an ``http`` link to the host is the ``https`` page.
    """
    url = live_url(url, url).split("?", 1)[0]
    if url.startswith(f"http://{SITE_HOST}/"):
        url = "https" + url[len("http"):]
    return url


def in_site(url: str, base_url: str) -> bool:
    """True when ``url`` is an HTML page under ``base_url`` (assets are not crawled)."""
    if not url.startswith(base_url):
        return False
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    return not last or "." not in last or last.lower().endswith(_HTML_SUFFIXES)


def page_links(html: str, page_url: str) -> list[str]:
    """Every link on a page, absolute and normalised: anchors and ``onclick`` locations."""
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    base = doc.xpath("string(//base/@href)") or page_url
    base = urljoin(page_url, base)
    raw = [h for h in doc.xpath("//a/@href") if not h.lstrip().startswith(("#", "mailto:"))]
    for onclick in doc.xpath("//*[@onclick]/@onclick"):
        raw.extend(m.group(2) for m in _ONCLICK_LOCATION.finditer(onclick))
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}/"
    links = []
    for href in dict.fromkeys(h.strip() for h in raw):
        # Root-relative and absolute links resolve the same on every page of a host, so
        # they share one cache entry per host.
        rooted = href.startswith(("/", "http:", "https:")) and not href.startswith("//")
        link = _resolve(origin if rooted else base, href)
        if link:
            links.append(link)
    return list(dict.fromkeys(links))


def site_links(html: str, page_url: str, base_url: str) -> list[str]:
    """The pages of the site under ``base_url`` that a page links to, in its order: what a
    crawl follows from it (a link to a page's Markdown source on GitHub is the published
    page)."""
    found = (published_url(link) or link for link in page_links(html, page_url))
    return list(dict.fromkeys(link for link in found if in_site(link, base_url)))


@functools.lru_cache(maxsize=1 << 16)
def _resolve(base: str, href: str) -> str | None:
    # Every page of a site repeats its table of contents (~700 links on SP20 pages), so
    # resolving each distinct href once makes link extraction several times faster.
    try:
        absolute = urljoin(base, href)
    except ValueError:  # e.g. an unbalanced IPv6 bracket in a garbled href
        return None
    if not absolute.startswith(("http://", "https://")):
        return None
    return normalize_url(absolute)


def crawl(
    spec: EditionSpec,
    fetcher: Fetcher,
    progress: Progress | None = None,
    *,
    max_pages: int = 5000,
    links: Callable[[str, str, str], Sequence[str]] | None = None,
) -> CrawlResult:
    """Fetch every page of ``spec``'s site reachable from its home page, nearest first.

    The crawl goes breadth-first by link depth from the home page (each depth's links in
    the order the pages list them), so when ``max_pages`` is reached, what is left out is the
    farthest from the home page, never a lecture's notes page behind a page of junk links;
    the result then says how many in-site links were left out (``left_out``). Pages are
    fetched ``fetcher.concurrency`` at a time; a fetcher with ``scoped(base_url)`` is
    scoped to the edition so no redirect leaves its site. A page that fails is recorded
    (status, error) and the crawl goes on; links to non-HTML files (PDF, notebooks, images)
    are not fetched. ``max_pages`` bounds a crawl of a server that answers every path.
    ``links(html, url, base_url)`` gives the pages a page leads to (:func:`site_links`, or
    what a memo remembers of the same page).
    """
    if spec.base_url is None:
        return CrawlResult(spec.code)
    base = spec.base_url
    start = normalize_url(base)
    scoped = getattr(fetcher, "scoped", None)
    get = scoped(base).get if callable(scoped) else fetcher.get
    html: dict[str, str] = {}
    fetches: dict[str, PageFetch] = {}
    seen = {start}
    left_out: dict[str, None] = {}
    level = [start]
    completed = 0
    workers = max(1, getattr(fetcher, "concurrency", 4))
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"crawl-{spec.code}")
    try:
        while level:
            futures = [pool.submit(get, url) for url in level]
            following: list[str] = []
            for requested, fut in zip(level, futures, strict=True):
                page = _result(fut, requested)
                completed += 1
                if progress is not None:
                    progress(spec.code, completed, len(seen))
                url = normalize_url(page.url) if page.url else requested
                if not in_site(url, base):
                    page = Fetched(requested, page.status, error=f"left the site for {page.url}",
                                   fetched_at=page.fetched_at)
                    url = requested
                if url in fetches:  # a redirect onto a page already fetched
                    continue
                seen.add(url)
                fetches[url] = PageFetch(url, page.fetched_at or now_iso(), page.status,
                                         page.from_cache, page.error)
                if not (page.ok and page.is_html):
                    continue
                html[url] = page.text
                for link in (links or site_links)(page.text, url, base):
                    if link in seen or link in left_out:
                        continue
                    if len(seen) >= max_pages:
                        left_out[link] = None
                        continue
                    seen.add(link)
                    following.append(link)
            level = following
    except BaseException:
        # On Ctrl-C (or any error) drop the queued fetches and do not wait for running ones.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    ordered = tuple(fetches[u] for u in sorted(fetches))
    return CrawlResult(spec.code, {u: html[u] for u in sorted(html)}, ordered,
                       bool(left_out), len(left_out))


def _result(fut: Future, url: str) -> Fetched:
    try:
        return fut.result()
    except Exception as exc:  # a fetcher bug must not end the crawl
        return Fetched(url, 0, error=f"{type(exc).__name__}: {exc}", fetched_at=now_iso())
