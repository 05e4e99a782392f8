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

    def __init__(self, entries: dict[str, dict] | None = None):
        self._entries: dict[str, dict] = dict(entries or {})
        self.dirty = False
        self.hits = 0

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
        return json.dumps({"fingerprint": fingerprint(), "entries": entries}, ensure_ascii=False)

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
                    if isinstance(e, dict) and {"digest", "kind", "value"} <= e.keys()})
