"""Getting pages: the only module that talks HTTP.

A :class:`Fetcher` turns a *live* URL (``https://atcold.github.io/…``) into a
:class:`Fetched` page. :class:`HttpFetcher` asks a web server through an injected
``httpx.Client`` (see :func:`cached_client` for one with an on-disk RFC 9111 cache);
its ``origin`` mapping lets a loopback server stand in for the live host while every
URL it reports stays the live one. :class:`MirrorFetcher` reads a folder laid out like
the live URL paths (it lives in :mod:`ingest.mirror`, the page value and decoding in
:mod:`ingest.fetched`; both are re-exported here, where callers have always found
them). Neither raises for a bad page: failures come back as a ``Fetched``
with ``error`` set, so a crawl can report them and go on.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from ingest import deadline as _deadline
from ingest.fetched import Fetched, Fetcher, decode_html, now_iso
from ingest.mirror import MirrorFetcher
from ingest.registry import SITE_HOST

__all__ = [
    "USER_AGENT",
    "Fetched",
    "Fetcher",
    "HttpFetcher",
    "MirrorFetcher",
    "cached_client",
    "decode_html",
]

#: Sent with every request so the site's owner can tell who is crawling and why.
USER_AGENT = "dlgraph/0.1 (course-graph builder for course sites; polite crawler; honours robots.txt)"
#: The product token robots.txt rules are matched against.
ROBOTS_AGENT = "dlgraph"

LIVE_ROOT = f"https://{SITE_HOST}/"

#: Largest body read (bytes): the biggest course page is under 2 MB, so 20 MB is generous.
DEFAULT_MAX_BYTES = 20 * 2**20
#: Longest one request may take, all of its bytes included (a server dripping one byte at a
#: time never trips a per-read timeout).
DEFAULT_DEADLINE = 60.0
#: Redirect hops followed, each checked against the site before it is requested.
MAX_REDIRECTS = 5


# -- HTTP ---------------------------------------------------------------------------------


def cached_client(
    cache_dir: Path | None,
    *,
    timeout: float = 20.0,
    user_agent: str = USER_AGENT,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """An ``httpx.Client`` whose responses are cached on disk under ``cache_dir``.

    The cache (hishel, SQLite) follows RFC 9111 as a private cache: it stores
    validators (ETag, Last-Modified) and revalidates, so an unchanged page comes back as
    a bodiless 304. ``cache_dir=None`` gives a client without a cache.
    """
    from hishel import CacheOptions, SqliteStorage
    from hishel.httpx import CacheTransport

    inner = transport or _deadline.transport(retries=0)
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        storage = SqliteStorage(database_path=cache_dir / "hishel.db")
        inner = CacheTransport(inner, storage=storage, rfc=CacheOptions(shared=False))
    return httpx.Client(
        transport=inner,
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": user_agent},
        # HttpFetcher follows redirects itself, checking each hop stays on the site first.
        follow_redirects=False,
    )


class _Retryable(Exception):
    """A failure worth another attempt (5xx, timeout, dropped connection)."""

    def __init__(self, fetched: Fetched, retry_after: float = 0.0):
        super().__init__(fetched.error)
        self.fetched = fetched
        self.retry_after = retry_after


class HttpFetcher:
    """Fetch live URLs over HTTP, politely.

    ``origin`` maps a live URL prefix to the prefix actually requested, e.g.
    ``{"https://atcold.github.io/": "http://127.0.0.1:8000/"}``; responses are mapped
    back, so callers only ever see live URLs. Failed attempts are retried ``retries``
    times with exponential backoff (``backoff``, ``2*backoff``, …) on 5xx, 429,
    timeouts and transport errors. At most ``concurrency`` requests are in flight, and
    requests to one host start at least ``delay`` seconds apart (or robots.txt's
    Crawl-delay, if larger). With ``revalidate`` every request asks the cache to
    check with the server (``Cache-Control: no-cache``), so a re-run sees changed pages
    yet downloads no unchanged body.

    A redirect is followed only when its target stays within the site (same scheme, host,
    port, and under the scope's path: the edition's base URL for a :meth:`scoped` view,
    else the requested host); any other is recorded as "left the site" without a request.
    A request gets ``deadline`` seconds in all and ``max_bytes`` of body.
    """

    def __init__(
        self,
        client: httpx.Client,
        *,
        origin: dict[str, str] | None = None,
        user_agent: str = USER_AGENT,
        retries: int = 3,
        backoff: float = 0.5,
        delay: float = 0.25,
        concurrency: int = 4,
        respect_robots: bool = True,
        revalidate: bool = True,
        max_retry_after: float = 30.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
        deadline: float = DEFAULT_DEADLINE,
    ):
        self.client = client
        self.origin = dict(origin or {})
        self.user_agent = user_agent
        self.retries = retries
        self.backoff = backoff
        self.delay = delay
        self.concurrency = concurrency
        self.respect_robots = respect_robots
        self.revalidate = revalidate
        self.max_retry_after = max_retry_after
        self.max_bytes = max_bytes
        self.deadline = deadline
        self._slots = threading.BoundedSemaphore(concurrency)
        self._lock = threading.Lock()
        self._next_start: dict[str, float] = {}
        self._robots: dict[str, tuple[Protego | None, str | None]] = {}
        self._robots_locks: dict[str, threading.Lock] = {}

    # URL mapping between the live host and whatever serves it
    def to_origin(self, url: str) -> str:
        """The URL to request for live ``url``."""
        for live, served in self.origin.items():
            if url.startswith(live):
                return served + url[len(live):]
        return url

    def to_live(self, url: str) -> str:
        """The live URL for a URL that was requested (inverse of :meth:`to_origin`)."""
        for live, served in self.origin.items():
            if url.startswith(served):
                return live + url[len(served):]
        return url

    def get(self, url: str) -> Fetched:
        """Fetch live ``url``; errors are returned in ``Fetched.error``, never raised."""
        return self._get(url, None)

    def _site_root(self, target: str) -> str:
        """Where redirects of an unscoped request may go: the mirror served, or the host."""
        for served in self.origin.values():
            if target.startswith(served):
                return served
        parts = urlsplit(target)
        return f"{parts.scheme}://{parts.netloc}/"

    def scoped(self, base_url: str) -> _Scoped:
        """A view of this fetcher whose redirects must stay under live ``base_url``."""
        return _Scoped(self, base_url)

    def _get(self, url: str, within: str | None) -> Fetched:
        try:
            target = self.to_origin(url)
            refusal = self._robots_refusal(url, target) if self.respect_robots else None
            if refusal:
                return Fetched(url, 0, error=refusal, fetched_at=now_iso())
            scope = self.to_origin(within) if within else self._site_root(target)
            return self._get_with_retries(url, target, scope)
        except Exception as exc:  # a bad URL or a library surprise must not end a crawl
            return Fetched(url, 0, error=f"{type(exc).__name__}: {exc}", fetched_at=now_iso())

    def _get_with_retries(self, url: str, target: str, scope: str | None = None) -> Fetched:
        last, retry_after = None, 0.0
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(max(self.backoff * 2 ** (attempt - 1), retry_after))
            try:
                return self._attempt(url, target, scope)
            except _Retryable as exc:
                last, retry_after = exc.fetched, exc.retry_after
        assert last is not None
        tries = self.retries + 1
        error = f"{last.error} (after {tries} attempt{'s' if tries > 1 else ''})"
        return Fetched(last.url, last.status, last.text, error=error, fetched_at=last.fetched_at,
                       content_type=last.content_type)

    def _attempt(self, url: str, target: str, scope: str | None = None) -> Fetched:
        headers = {"User-Agent": self.user_agent}
        if self.revalidate:
            headers["Cache-Control"] = "no-cache"
        with self._slots:
            self._wait_turn(target)
            fetched_at = now_iso()
            deadline = time.monotonic() + self.deadline
            try:
                with _deadline.until(deadline):
                    resp, body, problem, stop = self._hops(url, target, scope, headers,
                                                           fetched_at, deadline)
                if stop is not None:
                    return stop
            except httpx.TimeoutException as exc:
                if time.monotonic() >= deadline:
                    # Not retried: the same server would waste the same time again.
                    return Fetched(url, 0, fetched_at=fetched_at, error=_late(self.deadline))
                raise _Retryable(Fetched(url, 0, error=f"timed out ({type(exc).__name__})",
                                         fetched_at=fetched_at)) from None
            except httpx.TransportError as exc:
                raise _Retryable(Fetched(url, 0, error=f"{type(exc).__name__}: {exc}",
                                         fetched_at=fetched_at)) from None
        return self._answer(url, resp, body, problem, fetched_at)

    def _hops(self, url, target, scope, headers, fetched_at, deadline):
        """Follow redirects within the scope: (last response, body, problem, early answer)."""
        for _hop in range(MAX_REDIRECTS + 1):
            with self.client.stream("GET", target, headers=headers,
                                    follow_redirects=False) as resp:
                if not resp.is_redirect:
                    body, problem = _read_body(resp, self.max_bytes, deadline)
                    return resp, body, problem, None
            nxt = urljoin(str(resp.url), resp.headers["location"])
            if not _within(nxt, scope or self._site_root(target)):
                return resp, b"", None, Fetched(
                    url, resp.status_code, fetched_at=fetched_at,
                    error=f"left the site: redirected to {self.to_live(nxt)}")
            if time.monotonic() > deadline:
                return resp, b"", None, Fetched(url, 0, fetched_at=fetched_at,
                                                error=_late(self.deadline))
            target = nxt
        return resp, b"", None, Fetched(url, resp.status_code, fetched_at=fetched_at,
                                        error=f"more than {MAX_REDIRECTS} redirects")

    def _answer(self, url, resp, body, problem, fetched_at) -> Fetched:
        """The fetch of a final (non-redirect) response; raises ``_Retryable`` for retries."""
        final = self.to_live(str(resp.url))
        ctype = resp.headers.get("content-type", "")
        if problem in ("deadline", "too large"):
            # Not retried: the same server would waste the same time or bytes again.
            error = (_late(self.deadline) if problem == "deadline"
                     else f"body larger than {self.max_bytes / 2**20:g} MB")
            return Fetched(final, resp.status_code, error=error, fetched_at=fetched_at,
                           content_type=ctype)
        text = decode_html(body, resp.charset_encoding) if _is_text(ctype) else ""
        caching = resp.extensions.get("caching") or {}
        from_cache = bool(caching.get("from_cache"))
        if problem == "truncated":
            expected = resp.headers.get("content-length")
            got = Fetched(final, resp.status_code, text,
                          error=f"truncated body ({len(body)} of {expected} bytes)",
                          fetched_at=fetched_at, content_type=ctype)
            raise _Retryable(got)
        if resp.status_code >= 500 or resp.status_code == 429:
            got = Fetched(final, resp.status_code, error=f"HTTP {resp.status_code}",
                          fetched_at=fetched_at, content_type=ctype)
            raise _Retryable(got, self._retry_after(resp))
        error = None if resp.is_success else f"HTTP {resp.status_code}"
        return Fetched(final, resp.status_code, text, from_cache=from_cache, error=error,
                       fetched_at=fetched_at, content_type=ctype, body=body)

    def _retry_after(self, resp: httpx.Response) -> float:
        value = resp.headers.get("retry-after", "")
        return min(float(value), self.max_retry_after) if value.isdigit() else 0.0

    def _wait_turn(self, target: str) -> None:
        host = urlsplit(target).netloc
        robots, _ = self._robots.get(host, (None, None))
        delay = self.delay
        if robots is not None:
            delay = max(delay, robots.crawl_delay(ROBOTS_AGENT) or 0.0)
        if delay <= 0:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start.get(host, 0.0))
            self._next_start[host] = start + delay
        if start > now:
            time.sleep(start - now)

    # robots.txt (RFC 9309): 4xx means no rules, an unreachable file means stay out
    def _robots_refusal(self, url: str, target: str) -> str | None:
        parts = urlsplit(target)
        host = parts.netloc
        with self._lock:
            lock = self._robots_locks.setdefault(host, threading.Lock())
        with lock:
            if host not in self._robots:
                self._robots[host] = self._load_robots(f"{parts.scheme}://{host}/robots.txt")
        robots, error = self._robots[host]
        if error is not None:
            return error
        live = urlsplit(url)
        path = (live.path or "/") + (f"?{live.query}" if live.query else "")
        if robots is not None and not robots.can_fetch(path, ROBOTS_AGENT):
            return "disallowed by robots.txt"
        return None

    def _load_robots(self, robots_url: str) -> tuple[Protego | None, str | None]:
        page = self._get_with_retries(robots_url, robots_url)
        if page.ok:
            return Protego.parse(page.text), None
        if 400 <= page.status < 500:
            return None, None
        return None, f"robots.txt unreachable: {page.error}"


def _is_text(content_type: str) -> bool:
    ctype = content_type.lower()
    return not ctype or ctype.startswith("text/") or "html" in ctype or "xml" in ctype


def _read_body(resp: httpx.Response, max_bytes: int = DEFAULT_MAX_BYTES,
               deadline: float = float("inf")) -> tuple[bytes, str | None]:
    """The body, and what stopped it early: ``"truncated"`` (the connection dropped),
    ``"too large"`` (past ``max_bytes``), ``"deadline"`` (past ``time.monotonic()`` value
    ``deadline``), or ``None``."""
    length = resp.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        return b"", "too large"
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in resp.iter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                return b"", "too large"
            if time.monotonic() > deadline:
                return b"", "deadline"
    except (httpx.RemoteProtocolError, httpx.ReadError):
        return b"".join(chunks), "truncated"
    return b"".join(chunks), None


def _late(deadline: float) -> str:
    return f"took longer than {deadline:g} s (deadline)"


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def _within(url: str, scope: str) -> bool:
    """Whether ``url`` has ``scope``'s scheme, host and port and lies under its folder."""
    try:
        if _origin(url) != _origin(scope):
            return False
    except ValueError:  # a port that is not a number, an unbalanced bracket
        return False
    folder = urlsplit(scope).path.rsplit("/", 1)[0] + "/"
    return (urlsplit(url).path or "/").startswith(folder)


class _Scoped:
    """An :class:`HttpFetcher` whose redirects must stay under one live base URL."""

    def __init__(self, fetcher: HttpFetcher, base_url: str):
        self.fetcher = fetcher
        self.base_url = base_url
        self.concurrency = fetcher.concurrency

    def get(self, url: str) -> Fetched:
        """Fetch live ``url`` as :meth:`HttpFetcher.get` does, within ``base_url``."""
        return self.fetcher._get(url, self.base_url)
