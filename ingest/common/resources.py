"""A page's link as a :class:`~dlgraph.records.Resource`: its kind (from the emoji marker
before it, else its URL) and its cross-edition key. Pure functions."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit, urlunsplit

from dlgraph.records import Resource
from ingest.common.urls import (
    absolute_href,
    drive_file_id,
    drive_folder_id,
    github_key,
    live_url,
    youtube_id_and_start,
)

#: Emoji markers of the home pages and the resource kind each announces.
MARKERS = {
    "🎥": "video",
    "🖥": "slides",
    "🖥️": "slides",
    "📓": "notebook",
    "📝": "notes",
}


def kind_of_marker(marker: str) -> str | None:
    """Resource kind for an emoji marker (variation selectors ignored), else ``None``."""
    marker = marker.strip().replace("\ufe0f", "")
    if marker in ("homework", "video", "slides", "notebook", "notes", "other"):
        return marker
    return MARKERS.get(marker)


def canonical_url(url: str) -> str:
    """A URL with lower-case scheme and host, no fragment, no ``&amp;`` leftovers."""
    parts = urlsplit(url.strip())
    query = parts.query.replace("&amp;", "&")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, query, ""))


def resource_from_url(url: str, marker: str = "", page_url: str | None = None) -> Resource:
    """A :class:`~dlgraph.records.Resource` for a link, its kind from ``marker`` or the URL.

    ``marker`` is the emoji the page writes before the link (🎥 🖥 📓 📝) or ``"homework"``
    for a link of a homework item; without one the kind is guessed from the URL. Relative
    URLs are resolved against ``page_url``. The key follows the ``Resource`` docstring.
    """
    resolved = urljoin(page_url, absolute_href(url)) if page_url else url.strip()
    full = canonical_url(live_url(resolved, resolved))
    kind = kind_of_marker(marker) if marker else None
    yt = youtube_id_and_start(resolved)  # before the fragment (``#t=1m``) is dropped
    folder = drive_folder_id(full)
    drive = drive_file_id(full)
    gh = github_key(full)
    if yt:
        key, start = yt[0], yt[1]
        kind = kind or "video"
    else:
        start = None
        if folder:
            key = f"drive:{folder}"
            # A Drive folder is how homework is handed out on the themed home pages.
            kind = "homework" if kind in (None, "homework") else kind
        elif drive:
            key = f"drive:{drive}"
        elif gh:
            key = gh
        else:
            key = full
        kind = kind or _kind_from_url(full, gh)
    return Resource(kind=kind, url=full, key=key, start=start)


def _kind_from_url(url: str, gh: str | None) -> str:
    path = urlsplit(url).path.lower()
    host = (urlsplit(url).hostname or "").lower()
    if path.endswith(".ipynb") or host in ("colab.research.google.com", "nbviewer.org",
                                           "nbviewer.jupyter.org"):
        return "notebook"
    if path.endswith((".pdf", ".pptx", ".key")) and ("slides" in path or gh):
        return "slides"
    return "other"
