"""From sources to records: crawl an edition's site, parse its pages, attach its documents.

The home page's parser is chosen by what the page holds (``ingest.home``), so another
edition built with the same site theme needs only an entry in the editions file. Notes and
week pages share one parser whatever the edition or language.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from dlgraph.records import Document, EditionRecords, HomePage, NotesPage, PageFetch
from ingest import notes, repair
from ingest.common import classify_url
from ingest.crawl import Progress, crawl, normalize_url
from ingest.fetch import Fetcher, now_iso
from ingest.home import parse_home
from ingest.memo import ParseMemo
from ingest.registry import EditionSpec, get

__all__ = ["PAGE_CAP_ERROR", "IngestError", "ingest", "ingest_edition", "left_out", "summary"]


#: The start of the error recorded when a crawl reaches its page cap (see :func:`left_out`).
PAGE_CAP_ERROR = "crawl stopped at its page cap"


class IngestError(Exception):
    """An edition could not be ingested; the message is one line for the user."""


def ingest_edition(
    spec: EditionSpec,
    fetcher: Fetcher,
    documents: Iterable[Document],
    progress: Progress | None = None,
    memo: ParseMemo | None = None,
) -> EditionRecords:
    """Everything one edition's site and saved documents hold, as records.

    ``documents`` may hold every edition's documents; only ``spec``'s are attached. A page
    that cannot be fetched or parsed is recorded in ``fetches`` (with its error) and
    skipped. A page whose HTML ``memo`` has seen parsed is not parsed again. Raises :class:`IngestError` when the edition yields nothing: its site has no
    page that could be fetched, or it has no site and no documents.
    """
    docs = tuple(d for d in documents if d.edition == spec.code)
    if spec.base_url is None:
        if not docs:
            raise IngestError(f"{spec.code} has no site and no saved documents (give --documents)")
        return EditionRecords(edition=spec.code, documents=docs)

    result = crawl(spec, fetcher, progress)
    home_url = normalize_url(spec.base_url)
    if not result.html:
        why = next((f.error for f in result.fetches if f.url == home_url), None) or "no pages"
        raise IngestError(f"{spec.code}: home page {spec.base_url} could not be fetched ({why})")

    fetches = {f.url: f for f in result.fetches}
    if result.left_out:
        # Recorded as one failure of the site itself, so the summary and the exit status tell.
        fetches[spec.base_url + "#page-cap"] = PageFetch(
            spec.base_url + "#page-cap", now_iso(), 0,
            error=f"{PAGE_CAP_ERROR}: {result.left_out} in-site links left out")
    home = HomePage(spec.code, spec.base_url)
    pages: list[NotesPage] = []
    for url, html in result.html.items():
        kind = classify_url(url, spec.base_url)
        try:
            if url == home_url:
                home = _parsed(memo, parse_home, HomePage, html, url, spec.code)
            elif kind in ("notes", "week"):
                pages.append(_parsed(memo, notes.parse_page, NotesPage, html, url, spec.code))
        except IngestError:
            raise
        except Exception as exc:  # one bad page is reported, not fatal
            fetches[url] = dataclasses.replace(
                fetches[url], error=f"parse failed: {type(exc).__name__}: {exc}"
            )

    fixed, repaired, broken = repair.repair_links(pages)
    return EditionRecords(
        edition=spec.code,
        themes=tuple(home.themes),
        lectures=tuple(home.lectures),
        pages=tuple(fixed),
        documents=docs,
        people=tuple(home.people),
        fetches=tuple(fetches[u] for u in sorted(fetches)),
        broken_links=tuple(broken),
        repaired_links=tuple(repaired),
    )


def _parsed(memo: ParseMemo | None, parse, kind: type, html: str, url: str, edition: str):
    """``parse(html, url, edition)``, or what ``memo`` remembers of it (then remembered)."""
    if memo is None:
        return parse(html, url, edition)
    found = memo.get(url, html, edition, kind)
    if found is None:
        found = parse(html, url, edition)
        memo.put(url, html, edition, found)
    return found


def ingest(
    codes: Iterable[str],
    fetcher: Fetcher,
    documents_dir: Path | None,
    progress: Progress | None = None,
    memo: ParseMemo | None = None,
) -> list[EditionRecords]:
    """Ingest the editions named by ``codes`` (``["SP20", "FL23"]``), in that order.

    ``documents_dir`` is a folder with a ``manifest.json`` (``None``: no saved documents);
    ``memo`` (``ingest.memo``) spares re-parsing pages seen before.
    Raises :class:`IngestError` for an unknown edition, an unusable documents folder, or
    an edition that yields nothing.
    """
    try:
        specs = [get(code) for code in codes]
    except KeyError as exc:
        raise IngestError(exc.args[0]) from None
    documents: list[Document] = []
    if documents_dir is not None:
        from ingest.documents import load_documents

        try:
            documents = load_documents(Path(documents_dir))
        except (OSError, ValueError) as exc:
            raise IngestError(f"documents folder {documents_dir}: {exc}") from None
    return [ingest_edition(spec, fetcher, documents, progress, memo) for spec in specs]


# -- summary --------------------------------------------------------------------------------

#: Keys of one :func:`summary` row, in the order the CLI prints them.
SUMMARY_KEYS = (
    "edition",
    "pages_fetched",
    "from_cache",
    "failed",
    "not_found",
    "lectures",
    "notes_pages",
    "week_pages",
    "languages",
    "resources",
    "people",
    "documents",
    "repaired_links",
    "broken_links",
    "left_out",
)


def summary(records: Iterable[EditionRecords]) -> list[dict[str, object]]:
    """Per edition: what was fetched, what it held, and which links were repaired or broken.

    ``pages_fetched`` counts pages that arrived and parsed; ``from_cache`` those of them
    the HTTP cache answered; ``not_found`` in-site links that answered 404 (broken in the
    sources themselves); ``failed`` every other failure (errors, timeouts, robots.txt,
    pages that did not parse). ``resources`` and ``people`` count distinct keys.
    ``left_out`` counts in-site links never fetched because the crawl reached its page cap.
    """
    return [_summary_row(rec) for rec in records]


def _summary_row(rec: EditionRecords) -> dict[str, object]:
    ok = [f for f in rec.fetches if f.error is None]
    kinds = Counter(p.kind for p in rec.pages)
    resources = {r.key for lec in rec.lectures for r in lec.resources if not r.broken}
    resources |= {s.video.key for p in rec.pages for s in p.sections if s.video and not s.video.broken}
    people = {p.key for p in rec.people}
    for page in rec.pages:
        people |= {p.key for p in (*page.lecturers, *page.authors, *page.translators)}
    for doc in rec.documents:
        people |= {p.key for p in doc.people}
    row = {
        "edition": rec.edition,
        "pages_fetched": len(ok),
        "from_cache": sum(f.from_cache for f in ok),
        "failed": sum(1 for f in rec.fetches if f.error is not None and not _not_found(f)),
        "not_found": sum(1 for f in rec.fetches if _not_found(f)),
        "lectures": len(rec.lectures),
        "notes_pages": kinds["notes"],
        "week_pages": kinds["week"],
        "languages": len({p.language for p in rec.pages}),
        "resources": len(resources),
        "people": len(people),
        "documents": len(rec.documents),
        "repaired_links": len(rec.repaired_links),
        "broken_links": len(rec.broken_links),
        "left_out": left_out(rec),
    }
    return {key: row[key] for key in SUMMARY_KEYS}


def left_out(rec: EditionRecords) -> int:
    """How many in-site links the crawl of ``rec``'s site did not fetch (its page cap)."""
    for f in rec.fetches:
        if f.error and f.error.startswith(PAGE_CAP_ERROR):
            return int(f.error.rsplit(": ", 1)[1].split()[0])
    return 0


def _not_found(fetch: PageFetch) -> bool:
    return fetch.status in (404, 410) and (fetch.error or "").startswith("HTTP")
