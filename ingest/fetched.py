"""What a fetch gives back, whoever fetched it: :class:`Fetched` (one page, always at its
live URL), the :class:`Fetcher` protocol crawls are written against, and the decoding of
an HTML body. Apart from :mod:`ingest.fetch` (HTTP) so the mirror and the crawl need
neither httpx nor each other."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol


@dataclass(frozen=True)
class Fetched:
    """One page as fetched: always the live URL, whatever served it.

    ``url`` is the live URL of the final response (after redirects); ``status`` the final
    HTTP status, 0 when no response arrived; ``error`` says what went wrong (``None`` on
    success); ``fetched_at`` is ISO 8601 UTC.
    """

    url: str
    status: int
    text: str = ""
    from_cache: bool = False
    error: str | None = None
    fetched_at: str = ""
    content_type: str = "text/html"
    #: the raw body as it arrived (HTTP only; PDFs and JSON are not text), empty otherwise
    body: bytes = field(default=b"", repr=False)

    @property
    def ok(self) -> bool:
        """True when the page arrived whole with a 2xx status."""
        return self.error is None and 200 <= self.status < 300

    @property
    def is_html(self) -> bool:
        """True when the body is an HTML page (worth parsing for links)."""
        return "html" in self.content_type or not self.content_type


class Fetcher(Protocol):
    """Anything that fetches a live URL; ``concurrency`` is how many ``get`` calls may overlap."""

    concurrency: int

    def get(self, url: str) -> Fetched:
        """Fetch ``url`` (a live URL); never raises for a bad page."""
        ...


def now_iso() -> str:
    """The current time as ISO 8601 UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


# -- decoding -----------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.I)


def decode_html(body: bytes, header_charset: str | None = None) -> str:
    """Decode an HTML body, preferring the encoding that decodes it cleanly.

    Servers sometimes state the wrong charset (UTF-8 bytes sent as ``latin-1``, where
    every byte "decodes" and the text silently becomes mojibake), so a declared charset
    is only believed when a strict decode succeeds: BOM first, then strict UTF-8, then the
    page's own ``<meta charset>``, then the header, then Windows-1252 (the web's default).
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(enc, errors="replace")
    candidates = ["utf-8"]
    meta = _META_CHARSET.search(body[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "ignore"))
    if header_charset:
        candidates.append(header_charset)
    for enc in candidates:
        try:
            return body.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("cp1252", errors="replace")
