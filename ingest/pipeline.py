"""From sources to records: crawl an edition's site, parse its pages, attach its documents.

The home page's parser is chosen by what the page holds (``ingest.home``), so another
edition built with the same site theme needs only an entry in the editions file. Notes and
week pages share one parser whatever the edition or language.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dlgraph.records import Document, EditionRecords, HomePage, NotesPage, PageFetch, SitePage
from ingest import notes, repair, site_page
from ingest.common import classify_url
from ingest.crawl import Progress, crawl, normalize_url, site_links
from ingest.fetched import Fetcher, now_iso
from ingest.home import has_markers, parse_home
from ingest.media import read_repository
from ingest.memo import ParseMemo
from ingest.registry import EditionSpec, edition_info, get
from ingest.repos import RepoRef, Repository

__all__ = ["PAGE_CAP_ERROR", "IngestError", "IngestRun", "format_rewrites", "ingest", "ingest_each",
           "ingest_edition", "left_out", "load_documents_for", "rewrites", "run", "summary"]


#: The start of the error recorded when a crawl reaches its page cap (see :func:`left_out`).
PAGE_CAP_ERROR = "crawl stopped at its page cap"


class IngestError(Exception):
    """An edition could not be ingested; the message is one line for the user."""


#: Opens the repository an edition names (``ingest.repos``): a folder or GitHub.
RepoOpener = Callable[[RepoRef], Repository]


def ingest_edition(
    spec: EditionSpec,
    fetcher: Fetcher,
    documents: Iterable[Document],
    progress: Progress | None = None,
    memo: ParseMemo | None = None,
    repos: RepoOpener | None = None,
) -> EditionRecords:
    """Everything one edition's site and saved documents hold, as records.

    ``documents`` may hold every edition's documents; only ``spec``'s are attached. A page
    that cannot be fetched or parsed is recorded in ``fetches`` (with its error) and
    skipped. A page whose HTML ``memo`` has seen parsed is not parsed again. With ``repos``,
    the edition's repository (``spec.repository``) adds its transcripts, notebooks and slides
    (``ingest.media``); one that cannot be read is reported in ``repo_reports``. Raises :class:`IngestError` when the edition yields nothing: its site has no
    page that could be fetched, or it has no site and no documents.
    """
    docs = tuple(d for d in documents if d.edition == spec.code)
    if spec.base_url is None:
        if not docs:
            raise IngestError(f"{spec.code} has no site and no saved documents (give --documents)")
        return EditionRecords(edition=spec.code, documents=docs, info=edition_info(spec))

    result = crawl(spec, fetcher, progress,
                   links=memo.site_links(site_links) if memo is not None else None)
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
    warnings: list[str] = []
    site_pages: list[SitePage] = []
    for url, html in result.html.items():
        kind = classify_url(url, spec.base_url)
        try:
            if url == home_url:
                home = _parsed(memo, parse_home, HomePage, html, url, spec.code)
                if not home.lectures and has_markers(html):
                    # links announced as recordings or slides, but no item around them: a
                    # layout the parsers do not know, not an edition without lectures
                    warnings.append(EMPTY_WITH_MARKERS)
            elif kind in ("notes", "week"):
                pages.append(_parsed(memo, notes.parse_page, NotesPage, html, url, spec.code))
            if kind in ("home", "other") and (found := site_page.parse_site_page(html, url, spec.code)):
                site_pages.append(found)
        except IngestError:
            raise
        except Exception as exc:  # one bad page is reported, not fatal
            if url == home_url:
                # without its home page an edition has no items: failed, its previous
                # records are kept rather than replaced by an empty edition
                raise IngestError(f"{spec.code}: home page {spec.base_url} could not be parsed "
                                  f"({type(exc).__name__}: {exc})") from None
            fetches[url] = dataclasses.replace(
                fetches[url], error=f"parse failed: {type(exc).__name__}: {exc}"
            )

    fixed, repaired, broken = repair.repair_links(pages)
    rec = EditionRecords(
        edition=spec.code,
        themes=tuple(home.themes),
        lectures=tuple(home.lectures),
        pages=tuple(fixed),
        documents=docs,
        people=tuple(home.people),
        fetches=tuple(fetches[u] for u in sorted(fetches)),
        broken_links=tuple(broken),
        repaired_links=tuple(repaired),
        readings=tuple(home.readings),
        info=edition_info(spec),
        warnings=tuple(warnings),
        site_pages=tuple(site_pages),
    )
    if repos is not None and spec.repository:
        rec = read_repository(rec, spec.base_url, repos(spec.repo), progress, memo)
    return rec


def _parsed(memo: ParseMemo | None, parse, kind: type, html: str, url: str, edition: str):
    """``parse(html, url, edition)``, or what ``memo`` remembers of it (then remembered)."""
    if memo is None:
        return parse(html, url, edition)
    found = memo.get(url, html, edition, kind)
    if found is None:
        found = parse(html, url, edition)
        memo.put(url, html, edition, found)
    return found


#: The warning for a home page with resource markers but no lecture items.
EMPTY_WITH_MARKERS = ("home page has resource links (🎥 🖥 📓 📝) but no lecture items were "
                      "recognised in it")


@dataclass
class IngestRun:
    """What one ingest run produced: the editions that worked, and why the others failed."""

    records: list[EditionRecords] = field(default_factory=list)
    #: edition code → the one-line reason it failed (its records are not to be saved)
    failed: dict[str, str] = field(default_factory=dict)
    #: one line each, ``"CODE: what"``, for editions that were ingested
    warnings: list[str] = field(default_factory=list)
    #: plain facts worth saying, ``"CODE: what"`` (a home page that lists no lectures yet)
    notes: list[str] = field(default_factory=list)
    #: codes of the editions the data folder already held before the run
    stored: frozenset[str] = frozenset()

    @property
    def kept(self) -> list[str]:
        """Failed editions whose previous records stay in the data folder."""
        return [code for code in self.failed if code in self.stored]

    @property
    def failures(self) -> list[dict[str, object]]:
        """``{"edition", "reason", "kept_previous"}`` per failed edition (the JSON summary's)."""
        return [{"edition": code, "reason": why, "kept_previous": code in self.stored}
                for code, why in self.failed.items()]


def run(
    codes: Iterable[str],
    fetcher: Fetcher,
    documents_dir: Path | None,
    allow_empty: bool = False,
    progress: Progress | None = None,
    stored: Iterable[str] = (),
    memo: ParseMemo | None = None,
    repos: RepoOpener | None = None,
) -> IngestRun:
    """The ``dlgraph ingest`` run: every edition on its own, then what may be saved.

    ``stored`` names the editions the data folder already holds (their records stay when
    the edition fails). An edition whose home page has resource links but no items is held
    back as failed unless ``allow_empty``. Raises :class:`IngestError` only for what sinks
    every edition: an unknown code or an unusable documents folder.
    """
    try:
        specs = [get(code) for code in codes]
    except KeyError as exc:
        raise IngestError(exc.args[0]) from None
    result = ingest_each(specs, fetcher, load_documents_for(documents_dir), progress, memo, repos)
    result.stored = frozenset(stored)
    for rec in list(result.records):
        if EMPTY_WITH_MARKERS in rec.warnings and not allow_empty:
            result.records.remove(rec)
            result.failed[rec.edition] = (f"{rec.edition}: {EMPTY_WITH_MARKERS}; not saved "
                                          "(give --allow-empty to save it)")
            continue
        result.warnings += [f"{rec.edition}: {w}" for w in rec.warnings]
        result.notes += [f"{rec.edition}: {n}" for n in rec.notes]
        if rec.info is not None and rec.info.site and not rec.lectures and not rec.warnings:
            result.notes.append(f"{rec.edition}: its home page lists no lectures yet")
    order = {spec.code: n for n, spec in enumerate(specs)}
    result.failed = dict(sorted(result.failed.items(), key=lambda kv: order.get(kv[0], 0)))
    return result


def ingest(
    codes: Iterable[str],
    fetcher: Fetcher,
    documents_dir: Path | None,
    progress: Progress | None = None,
    memo: ParseMemo | None = None,
    repos: RepoOpener | None = None,
) -> list[EditionRecords]:
    """Ingest the editions named by ``codes`` (``["SP20", "FL23"]``), in that order.

    ``documents_dir`` is a folder with a ``manifest.json`` (``None``: no saved documents);
    ``memo`` (``ingest.memo``) spares re-parsing pages seen before; ``repos`` opens each
    edition's repository (``None``: pages and documents only).
    Raises :class:`IngestError` for an unknown edition, an unusable documents folder, or
    an edition that yields nothing.
    """
    try:
        specs = [get(code) for code in codes]
    except KeyError as exc:
        raise IngestError(exc.args[0]) from None
    documents = load_documents_for(documents_dir)
    run = ingest_each(specs, fetcher, documents, progress, memo, repos)
    if run.failed:
        raise IngestError("; ".join(run.failed.values()))
    return run.records


def ingest_each(
    specs: Iterable[EditionSpec],
    fetcher: Fetcher,
    documents: Iterable[Document],
    progress: Progress | None = None,
    memo: ParseMemo | None = None,
    repos: RepoOpener | None = None,
) -> IngestRun:
    """Ingest each edition on its own: one that fails is reported, the others still land.

    Any error inside one edition (its site cannot be fetched, a parser crashes) becomes
    that edition's entry in :attr:`IngestRun.failed`; the caller keeps its previous data.
    """
    documents = list(documents)
    run = IngestRun()
    for spec in specs:
        try:
            extra = {k: v for k, v in (("memo", memo), ("repos", repos)) if v is not None}
            run.records.append(ingest_edition(spec, fetcher, documents, progress, **extra))
        except IngestError as exc:
            run.failed[spec.code] = str(exc)
        except Exception as exc:  # one broken edition never sinks the rest
            run.failed[spec.code] = f"{spec.code}: {type(exc).__name__}: {exc}"
    return run


def load_documents_for(documents_dir: Path | None) -> list[Document]:
    """The saved documents of ``documents_dir`` (``[]`` for ``None``); :class:`IngestError` if unusable."""
    if documents_dir is None:
        return []
    from ingest.documents import load_documents

    try:
        return load_documents(Path(documents_dir))
    except (OSError, ValueError) as exc:
        raise IngestError(f"documents folder {documents_dir}: {exc}") from None


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
    "transcripts",
    "notebooks_read",
    "slides_read",
    "repo_reports",
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
        "transcripts": sum(1 for t in rec.transcripts if t.video),
        "notebooks_read": len(rec.notebooks),
        "slides_read": len(rec.slides),
        "repo_reports": len(rec.repo_reports),
    }
    return {key: row[key] for key in SUMMARY_KEYS}


def left_out(rec: EditionRecords) -> int:
    """How many in-site links the crawl of ``rec``'s site did not fetch (its page cap)."""
    for f in rec.fetches:
        if f.error and f.error.startswith(PAGE_CAP_ERROR):
            return int(f.error.rsplit(": ", 1)[1].split()[0])
    return 0


def rewrites(records: Iterable[EditionRecords]) -> dict[str, object]:
    """What ingest wrote otherwise than the pages: repaired links, canonical URLs, names.

    ``links_repaired`` counts the damaged links mended from the pages they translate;
    ``urls_rewritten`` the resource URLs the graph names by a canonical form (each keeps
    the original as ``dlg:linkedAs``); ``spellings_kept`` the spellings of names kept as
    ``schema:alternateName`` beside the display name; ``merges`` each spelling joined to a
    person whose name has other letters ("Matt Lewis" → Mike Lewis), with where it was seen.
    """
    from dlgraph.resource_nodes import canonical_url
    from dlgraph.spellings import collect, merges

    records = list(records)
    urls = set()
    for rec in records:
        resources = [r for lec in rec.lectures for r in lec.resources]
        resources += [s.video for p in rec.pages for s in p.sections if s.video]
        urls |= {r.url for r in resources if not r.broken and r.url != str(canonical_url(r))}
    spellings = collect(records)
    return {
        "links_repaired": sum(len(rec.repaired_links) for rec in records),
        "urls_rewritten": len(urls),
        "spellings_kept": sum(len(sp.seen) - 1 for sp in spellings.values()),
        "merges": [{"spelling": m.spelling, "name": m.name, "seen_in": list(m.sources)}
                   for m in merges(spellings)],
    }


def format_rewrites(rw: dict[str, object]) -> str:
    """The ingest summary's line on rewrites and merges."""
    joined = "; ".join(f"{m['spelling']} → {m['name']}" for m in rw["merges"]) or "none"
    return (f"rewrites: {rw['links_repaired']} damaged links repaired, {rw['urls_rewritten']} "
            f"resource URLs named canonically (originals kept), {rw['spellings_kept']} other "
            f"spellings of names kept; names merged across different spellings: {joined}")


def _not_found(fetch: PageFetch) -> bool:
    return fetch.status in (404, 410) and (fetch.error or "").startswith("HTTP")
