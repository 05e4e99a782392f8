"""Parsed pages and repository files remembered by URL and content: a re-run parses only
what changed.

Parsing is a pure function of a page's HTML, its URL and the edition (of a repository file's
bytes), so a page or file whose digest matches the one remembered gives the remembered
result. The memo is void when the parsing code changes: its :func:`fingerprint` covers the
sources of the ``ingest`` package and of the records, and the versions of the parsing
libraries.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from dlgraph.fingerprint import code_digest
from dlgraph.records import HomePage, NotesPage
from dlgraph.records_json import from_dict, plain

__all__ = ["ParseMemo", "fingerprint"]

#: The record types a memo holds, by the name written in its file.
_KINDS = {"NotesPage": NotesPage, "HomePage": HomePage}
#: The kind of a repository file's entry: its value is what the file's parser gave, as JSON.
_FILE = "file"

T = TypeVar("T")


@functools.cache
def fingerprint() -> str:
    """Digest of everything a parse result depends on besides the page itself."""
    import dlgraph.media_records
    import dlgraph.records

    here = Path(__file__).parent
    files = [*sorted(here.rglob("*.py")), *sorted(here.rglob("*.toml")),
             Path(dlgraph.records.__file__), Path(dlgraph.media_records.__file__)]
    return code_digest(((f.name, f) for f in files),
                       ("lxml", "beautifulsoup4", "ftfy", "markdown-it-py", "webvtt-py",
                        "nbformat", "pypdfium2"))


def _digest(html: str, url: str, edition: str) -> str:
    return hashlib.blake2b(f"{edition}\n{url}\n{html}".encode(), digest_size=16).hexdigest()


class ParseMemo:
    """Parse results by URL, each with the digest of the page (and edition) it came from."""

    def __init__(self, entries: dict[str, dict] | None = None,
                 links: dict[str, tuple[str, list[str]]] | None = None):
        self._entries: dict[str, dict] = dict(entries or {})
        # url -> (digest of the page and its site, the pages it links to)
        self._links: dict[str, tuple[str, list[str]]] = dict(links or {})
        self.dirty = False
        self.hits = 0

    def site_links(self, find: Callable[[str, str, str], list[str]]
                   ) -> Callable[[str, str, str], list[str]]:
        """``find(html, url, base_url)`` (a crawl's link reader), answered from the memo for a
        page seen before with the same HTML under the same site, remembered otherwise."""
        def links(html: str, url: str, base_url: str) -> list[str]:
            digest = _digest(html, url, base_url)
            known = self._links.get(url)
            if known is not None and known[0] == digest:
                return known[1]
            found = find(html, url, base_url)
            self._links[url] = (digest, list(found))
            self.dirty = True
            return found
        return links

    def get(self, url: str, html: str, edition: str, kind: type) -> Any | None:
        """The remembered result of parsing ``html`` at ``url``, or ``None``."""
        entry = self._entries.get(url)
        if (entry is None or entry["digest"] != _digest(html, url, edition)
                or _KINDS.get(entry["kind"]) is not kind):
            return None
        value = entry.get("object")
        if value is None:
            value = entry["object"] = from_dict(kind, entry["value"])
        self.hits += 1
        return value

    def put(self, url: str, html: str, edition: str, value: Any) -> None:
        """Remember that parsing ``html`` at ``url`` gave ``value``."""
        self._entries[url] = {"digest": _digest(html, url, edition),
                              "kind": type(value).__name__, "object": value}
        self.dirty = True

    def parsed_file(self, key: str, data: bytes, parse: Callable[[bytes], T],
                    dump: Callable[[T], Any], load: Callable[[Any], T]) -> T:
        """``parse(data)`` for the repository file ``key``, or what the memo remembers of the
        same bytes (``dump`` makes the result JSON, ``load`` turns that back). A file the
        parser refuses raises as it does and is not remembered."""
        digest = hashlib.blake2b(key.encode() + b"\0" + data, digest_size=16).hexdigest()
        entry = self._entries.get(key)
        if entry is not None and entry["kind"] == _FILE and entry["digest"] == digest:
            self.hits += 1
            return load(entry["value"])
        value = parse(data)
        self._entries[key] = {"digest": digest, "kind": _FILE, "value": dump(value)}
        self.dirty = True
        return value

    def to_json(self) -> str:
        """The memo as JSON, stamped with the current :func:`fingerprint`."""
        entries = {
            url: {"digest": e["digest"], "kind": e["kind"],
                  "value": e["value"] if "value" in e else plain(e["object"])}
            for url, e in sorted(self._entries.items())
        }
        # Pages repeat their site's table of contents, so each link is written once and
        # pages list the numbers of theirs.
        numbers: dict[str, int] = {}
        links = {url: [digest, [numbers.setdefault(link, len(numbers)) for link in found]]
                 for url, (digest, found) in sorted(self._links.items())}
        return json.dumps({"fingerprint": fingerprint(), "entries": entries,
                           "links": {"urls": list(numbers), "pages": links}},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ParseMemo:
        """A memo read back; empty when it is damaged or the parsing code has changed since."""
        try:
            data = json.loads(text)
        except ValueError:
            return cls()
        if not isinstance(data, dict) or data.get("fingerprint") != fingerprint():
            return cls()
        entries = data.get("entries")
        if not isinstance(entries, dict):
            return cls()
        return cls({url: e for url, e in entries.items()
                    if isinstance(e, dict) and {"digest", "kind", "value"} <= e.keys()},
                   _read_links(data.get("links")))


def _read_links(data: Any) -> dict[str, tuple[str, list[str]]]:
    """The links part of a memo file; what does not read as written is left out."""
    if not isinstance(data, dict):
        return {}
    urls, pages = data.get("urls"), data.get("pages")
    if not isinstance(urls, list) or not isinstance(pages, dict):
        return {}
    links = {}
    for url, entry in pages.items():
        try:
            digest, numbers = entry
            links[url] = (str(digest), [urls[n] for n in numbers])
        except (TypeError, ValueError, IndexError):
            continue
    return links
