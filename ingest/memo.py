"""Parsed pages remembered by URL and content: a re-run parses only the pages that changed.

Parsing is a pure function of a page's HTML, its URL and the edition, so a page whose HTML
digest matches the one remembered gives the remembered result. The memo is void when the
parsing code changes: its :func:`fingerprint` covers the sources of the ``ingest`` package
and of the records, and the versions of the HTML libraries.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from dlgraph.fingerprint import code_digest
from dlgraph.records import HomePage, NotesPage
from dlgraph.records_json import from_dict

__all__ = ["ParseMemo", "fingerprint"]

#: The record types a memo holds, by the name written in its file.
_KINDS = {"NotesPage": NotesPage, "HomePage": HomePage}


@functools.cache
def fingerprint() -> str:
    """Digest of everything a parse result depends on besides the page itself."""
    import dlgraph.records

    here = Path(__file__).parent
    files = [*sorted(here.rglob("*.py")), *sorted(here.rglob("*.toml")),
             Path(dlgraph.records.__file__)]
    return code_digest(((f.name, f) for f in files),
                       ("lxml", "beautifulsoup4", "ftfy", "markdown-it-py"))


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

    def to_json(self) -> str:
        """The memo as JSON, stamped with the current :func:`fingerprint`."""
        entries = {
            url: {"digest": e["digest"], "kind": e["kind"],
                  "value": e["value"] if "value" in e else dataclasses.asdict(e["object"])}
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
