"""Optional online enrichment of reading rows from arXiv and Crossref metadata.

Off by default: the graph holds what the course pages say, and ``dlgraph export readings
--enrich`` overlays titles, full author lists, years, venues and arXiv categories on the
exported rows only. The caller passes the ``httpx.Client`` (tests use
``httpx.MockTransport``) and a plain dict used as a cache, which the CLI keeps on disk, so
each work is fetched once. A failed request leaves the row as the pages wrote it.
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, MutableMapping
from urllib.parse import quote

import httpx

ARXIV_API = "https://export.arxiv.org/api/query"
CROSSREF_API = "https://api.crossref.org/works/"
_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_BATCH = 50
# arXiv asks API clients to wait three seconds between calls.
_ARXIV_DELAY = 3.0


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def parse_arxiv_feed(xml: str | bytes) -> dict[str, dict]:
    """Metadata by arXiv ID (version dropped) from an arXiv API Atom feed."""
    root = ET.fromstring(xml)
    out = {}
    for entry in root.iter(f"{_ATOM}entry"):
        ident = _clean(entry.findtext(f"{_ATOM}id"))
        m = re.search(r"arxiv\.org/abs/(.+?)(?:v\d+)?$", ident)
        title = _clean(entry.findtext(f"{_ATOM}title"))
        if not m or not title or title.lower() == "error":
            continue
        published = entry.findtext(f"{_ATOM}published") or ""
        primary = entry.find(f"{_ARXIV}primary_category")
        meta = {
            "title": title,
            "authors": [_clean(a.findtext(f"{_ATOM}name")) for a in entry.iter(f"{_ATOM}author")],
            "year": int(published[:4]) if published[:4].isdigit() else None,
            "primary_class": primary.get("term") if primary is not None else None,
            "venue": _clean(entry.findtext(f"{_ARXIV}journal_ref")) or None,
            "doi": _clean(entry.findtext(f"{_ARXIV}doi")).lower() or None,
        }
        out[m.group(1)] = meta
    return out


def parse_crossref(message: dict) -> dict:
    """Metadata from a Crossref ``/works/{doi}`` response's ``message``."""
    authors = [
        _clean(f"{a.get('given', '')} {a.get('family', '')}") or _clean(a.get("name"))
        for a in message.get("author", [])
    ]
    parts = (message.get("issued") or {}).get("date-parts") or [[None]]
    year = parts[0][0] if parts and parts[0] else None
    return {
        "title": _clean((message.get("title") or [""])[0]) or None,
        "authors": [a for a in authors if a],
        "year": int(year) if year else None,
        "venue": _clean((message.get("container-title") or [""])[0]) or None,
    }


def fetch_metadata(
    rows: list[dict],
    client: httpx.Client,
    cache: MutableMapping[str, dict],
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, dict]:
    """Metadata for every row with an arXiv ID or a DOI, keyed ``arxiv:<id>`` / ``doi:<doi>``.

    Cached entries are not fetched again; new ones are added to ``cache``.
    """
    arxiv = sorted({r["arxiv"] for r in rows if r.get("arxiv")} - _cached(cache, "arxiv"))
    for n, start in enumerate(range(0, len(arxiv), _BATCH)):
        if n:
            sleep(_ARXIV_DELAY)
        batch = arxiv[start:start + _BATCH]
        try:
            resp = client.get(ARXIV_API, params={"id_list": ",".join(batch),
                                                 "max_results": len(batch)})
            resp.raise_for_status()
            found = parse_arxiv_feed(resp.content)
        except (httpx.HTTPError, ET.ParseError):
            continue
        for ident, meta in found.items():
            cache[f"arxiv:{ident}"] = meta
    for doi in sorted({r["doi"] for r in rows if r.get("doi")} - _cached(cache, "doi")):
        try:
            resp = client.get(CROSSREF_API + quote(doi, safe="/"))
            resp.raise_for_status()
            cache[f"doi:{doi}"] = parse_crossref(resp.json().get("message") or {})
        except (httpx.HTTPError, ValueError):
            continue
    return {k: v for k, v in cache.items() if k.split(":", 1)[0] in ("arxiv", "doi")}


def _cached(cache: MutableMapping[str, dict], scheme: str) -> set[str]:
    return {k.split(":", 1)[1] for k in cache if k.startswith(f"{scheme}:")}


def enrich_rows(
    rows: list[dict],
    client: httpx.Client,
    cache: MutableMapping[str, dict],
    sleep: Callable[[float], None] = time.sleep,
) -> list[dict]:
    """Copies of ``rows`` with title, authors, year, venue and arXiv category filled in.

    What the metadata says replaces what the pages say; the page's title stays in
    ``page_title``. Rows without an arXiv ID or DOI, or whose lookup failed, are unchanged.
    """
    meta = fetch_metadata(rows, client, cache, sleep)
    out = []
    for row in rows:
        found = meta.get(f"arxiv:{row.get('arxiv')}") or meta.get(f"doi:{row.get('doi')}")
        if not found:
            out.append(row)
            continue
        new = dict(row, page_title=row["title"], enriched=True)
        for field in ("title", "year", "venue", "primary_class"):
            if found.get(field):
                new[field] = found[field]
        if found.get("authors"):
            new["authors"], new["et_al"] = list(found["authors"]), False
        if found.get("doi") and not new.get("doi"):
            new["doi"] = found["doi"]
        out.append(new)
    return out


__all__ = ["ARXIV_API", "CROSSREF_API", "enrich_rows", "fetch_metadata", "parse_arxiv_feed",
           "parse_crossref"]
