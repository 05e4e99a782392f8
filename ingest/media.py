"""The repository stage of an ingest: transcripts, notebooks and slides of one edition.

:func:`read_repository` reads an edition's repository (``ingest.repos``), parses each
caption file, notebook and PDF with its own parser, attaches transcripts to recordings
(``ingest.recordings``), and reports what it could not use: the repository itself, a
damaged file, a transcript it could not attach, a file a page links that is not there.
A linked file spelled with '-' where the repository's has '_' (or the reverse) is the
existing file when exactly one in its folder matches: a note, not a missing file.
Nothing here fails the ingest: the pages stay whatever the repository does.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections import defaultdict
from collections.abc import Callable

from dlgraph.records import (
    EditionRecords,
    Notebook,
    NotebookCell,
    RepoReport,
    SlideDeck,
    SlidePage,
    Transcript,
)
from dlgraph.records_json import from_dict, plain
from dlgraph.relink import rekeyed
from ingest import notebooks, recordings, slides, transcripts
from ingest.memo import ParseMemo
from ingest.repos import RepoError, Repository, blob_url, file_url, tree_url

__all__ = ["read_repository", "resolve_path"]

Progress = Callable[[str, int, int], None]


def _kind(path: str) -> str | None:
    lower = path.lower()
    if lower.endswith(".sbv") and lower.startswith("docs/"):
        return "transcript"
    if lower.endswith(".ipynb"):
        return "notebook"
    if lower.endswith(".pdf"):
        return "slides"
    return None


def read_repository(rec: EditionRecords, site_url: str | None, repo: Repository,
                    progress: Progress | None = None,
                    memo: ParseMemo | None = None) -> EditionRecords:
    """``rec`` with the transcripts, notebooks and slide decks of ``repo``, and its reports.
    A file whose bytes ``memo`` has seen parsed is not parsed again."""
    ref = repo.ref
    name = ref.full_name
    try:
        files = repo.files()
    except RepoError as exc:
        report = RepoReport(name, "", "unreadable-repository", f"{exc}; pages ingested without it",
                            tree_url(ref))
        return dataclasses.replace(rec, repo_reports=(*rec.repo_reports, report))

    cuts: dict[str, set[int]] = defaultdict(set)
    for page in rec.pages:
        for sec in page.sections:
            if sec.video is not None and sec.video.start is not None and not sec.video.broken:
                cuts[sec.video.key].add(sec.video.start)

    wanted = [(p, k) for p in files if (k := _kind(p))]
    found: dict[str, list] = {"transcript": [], "notebook": [], "slides": []}
    reports: list[RepoReport] = []
    for done, (path, kind) in enumerate(wanted, start=1):
        url = file_url(ref, path, site_url) if kind == "transcript" else blob_url(ref, path)
        try:
            data = repo.read(path)
            item = _READERS[kind](rec, ref, path, url, data, site_url, cuts, reports, memo)
        except RepoError as exc:
            reports.append(RepoReport(name, path, "damaged", f"could not be read: {exc}", url))
            item = None
        except ValueError as exc:  # the parsers' own errors: a damaged file
            reports.append(RepoReport(name, path, "damaged", str(exc), url))
            item = None
        if item is not None:
            found[kind].append(item)
        if progress:
            progress(f"repository {rec.edition}", done, len(wanted))
    rec, notes = _resolve_links(rec, name, set(files))
    reports += _missing(rec, name, set(files))
    return dataclasses.replace(
        rec,
        notes=(*rec.notes, *notes),
        transcripts=(*rec.transcripts, *found["transcript"]),
        notebooks=(*rec.notebooks, *found["notebook"]),
        slides=(*rec.slides, *found["slides"]),
        repo_reports=(*rec.repo_reports, *reports),
    )


def _parsed(memo: ParseMemo | None, url: str, data: bytes, parse, dump, load):
    return parse(data) if memo is None else memo.parsed_file(url, data, parse, dump, load)


def _cues(data: bytes) -> list[transcripts.Cue]:
    return transcripts.parse_sbv(data.decode("utf-8-sig", errors="replace"))


def _records(cls: type):
    """(dump, load) of a tuple of ``cls`` records, for the memo."""
    return plain, (lambda rows: tuple(from_dict(cls, row) for row in rows))


def _transcript(rec, ref, path, url, data, site_url, cuts, reports, memo) -> Transcript:
    # webvtt-py's reader is most of a warm re-run's time: cues are remembered by file bytes,
    # as bare rows (tens of thousands of them: from_dict's typed rebuild would cost as much)
    cues = _parsed(memo, url, data, _cues,
                   lambda cues: [[c.start, c.end, c.text] for c in cues],
                   lambda rows: [transcripts.Cue(*row) for row in rows])
    words = " ".join(c.text for c in cues)
    found = recordings.attach(path, words, rec, site_url or "")
    lang = (recordings.transcript_place(path) or ("en", 0))[0]
    if found.video is None:
        reports.append(RepoReport(ref.full_name, path, "unattached", found.how, url))
    parts = transcripts.passages(cues, cuts.get(found.video or "", ()))
    return Transcript(rec.edition, url, ref.full_name, path, lang, parts, len(cues),
                      found.video, found.lectures, found.how if found.video else None)


def _notebook(rec, ref, path, url, data, site_url, cuts, reports, memo) -> Notebook:
    cells = _parsed(memo, url, data,
                    lambda d: notebooks.parse_notebook(d.decode("utf-8", errors="replace")),
                    *_records(NotebookCell))
    return Notebook(rec.edition, f"github:{ref.full_name}/{path}", url, ref.full_name, path,
                    notebooks.notebook_title(cells, path), cells)


def _slides(rec, ref, path, url, data, site_url, cuts, reports, memo) -> SlideDeck:
    pages = _parsed(memo, url, data, slides.parse_pdf, *_records(SlidePage))
    return SlideDeck(rec.edition, f"github:{ref.full_name}/{path}", url, ref.full_name, path,
                     slides.deck_title(path), pages)


_READERS = {"transcript": _transcript, "notebook": _notebook, "slides": _slides}


def _linked(rec: EditionRecords, name: str, files: set[str]) -> dict[str, list[str]]:
    """Repository paths of notebooks and slides the lecture items link but ``files`` lacks."""
    prefix = f"github:{name}/"
    linked: dict[str, list[str]] = {}
    for lec in rec.lectures:
        for res in lec.resources:
            if res.kind in ("notebook", "slides") and res.key.startswith(prefix) and not res.broken:
                path = res.key[len(prefix):]
                if path not in files and _kind(path):
                    linked.setdefault(path, []).append(lec.key)
    return linked


def _spelled_alike(name: str) -> str:
    # Only '-' for '_': the home pages' one slip (14-truck_backer-upper for the repository's
    # 14-truck_backer_upper). Anything fuzzier could pick another lecture's file.
    return name.replace("-", "_")


def resolve_path(path: str, files: set[str]) -> str | None:
    """The one file of ``path``'s folder spelled like it up to '-'/'_', else ``None``."""
    folder, _, base = path.rpartition("/")
    found = [f for f in files
             if f.rpartition("/")[0] == folder
             and _spelled_alike(f.rpartition("/")[2]) == _spelled_alike(base)]
    return found[0] if len(found) == 1 else None


def _resolve_links(rec: EditionRecords, name: str,
                   files: set[str]) -> tuple[EditionRecords, list[str]]:
    """``rec`` with each linked-but-absent file that :func:`resolve_path` resolves keyed by
    the existing one (its node, with the content read), the pairs kept for the other
    editions that link it (``dlgraph.relink``), and a note per resolution."""
    prefix = f"github:{name}/"
    moved = {p: found for p in _linked(rec, name, files) if (found := resolve_path(p, files))}
    if not moved:
        return rec, []
    pairs = {prefix + p: prefix + found for p, found in moved.items()}
    notes = [f"{name}: linked as {path!r}, resolved to {found!r} ('-' and '_' alike; "
             "the only such file in its folder)" for path, found in sorted(moved.items())]
    rec = rekeyed(rec, pairs)
    return dataclasses.replace(rec, resolved_files=(*rec.resolved_files, *sorted(pairs.items()))), notes


def _missing(rec: EditionRecords, name: str, files: set[str]) -> list[RepoReport]:
    """Notebooks and slides this edition's home page links in its own repository but absent."""
    prefix = f"github:{name}/"
    linked = _linked(rec, name, files)
    urls = {r.key[len(prefix):]: r.url for lec in rec.lectures for r in lec.resources
            if r.key.startswith(prefix)}
    reports = []
    for path, items in sorted(linked.items()):
        close = difflib.get_close_matches(path, sorted(files), n=1, cutoff=0.9)
        hint = f"; the repository has {close[0]!r}" if close else ""
        detail = (f"linked from the home page ({', '.join(dict.fromkeys(items))}) "
                  f"but not in the repository{hint}")
        reports.append(RepoReport(name, path, "missing", detail, urls[path]))
    return reports
