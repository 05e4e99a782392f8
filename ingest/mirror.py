"""Pages from a mirror folder laid out like the live site: the fetcher tests, benches and
offline ingests use. No HTTP here (that is :mod:`ingest.fetch`)."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ingest.fetched import Fetched, decode_html, now_iso
from ingest.registry import SITE_HOST


class MirrorFetcher:
    """Read pages from a folder laid out like the live URL paths.

    ``https://atcold.github.io/<path>/`` is ``root/<path>/index.html``. A path without its
    trailing slash that names a folder is answered as the live host answers it: by the
    folder's page, at the URL with the slash.
    """

    def __init__(self, root: Path, *, concurrency: int = 4):
        self.root = Path(root).resolve()
        self.concurrency = concurrency

    def get(self, url: str) -> Fetched:
        """The page for live ``url``; a missing file is a 404, never an exception."""
        fetched_at = now_iso()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != SITE_HOST:
            return Fetched(url, 0, error=f"not on {SITE_HOST}", fetched_at=fetched_at)
        rel = unquote(parts.path).lstrip("/")
        path = (self.root / rel).resolve()
        final = f"https://{SITE_HOST}{parts.path}"
        if not path.is_relative_to(self.root):
            return Fetched(final, 404, error="HTTP 404 (outside the mirror)", fetched_at=fetched_at)
        if path.is_dir():
            if rel and not rel.endswith("/"):
                final += "/"
            # The folder's page is resolved again: an index.html linking out of the mirror
            # is as much outside it as the path that names it.
            path = (path / "index.html").resolve()
            if not path.is_relative_to(self.root):
                return Fetched(final, 404, error="HTTP 404 (outside the mirror)",
                               fetched_at=fetched_at)
        try:
            body = path.read_bytes()
        except FileNotFoundError:
            return Fetched(final, 404, error="HTTP 404", fetched_at=fetched_at)
        except OSError as exc:
            return Fetched(final, 0, error=f"{type(exc).__name__}: {exc}", fetched_at=fetched_at)
        if path.suffix not in (".html", ".htm"):
            ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return Fetched(final, 200, fetched_at=fetched_at, content_type=ctype)
        return Fetched(final, 200, decode_html(body), fetched_at=fetched_at, content_type="text/html")
