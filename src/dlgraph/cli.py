"""The ``dlgraph`` command line: a thin layer over the library.

Each command parses its arguments, calls one library function, and formats the result.
Environment variables are read here (and in ``app.py``) only.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import os
import sys
import time
from pathlib import Path

import click


def json_option(fn):
    """Add ``--json``: print the command's result as one JSON object instead of text."""

    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return wrapper


def emit(obj, as_json: bool, text: str | None = None) -> None:
    """Print ``obj`` as JSON when asked, otherwise the human text."""
    if as_json:
        click.echo(json.dumps(obj, ensure_ascii=False, indent=2))
    else:
        click.echo(text if text is not None else json.dumps(obj, ensure_ascii=False, indent=2))


class Context:
    """What every command needs: where the data folder is."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir


_DATA_DIR = click.Path(file_okay=False, path_type=Path)
_DATA_DIR_HELP = "Data folder (default: $DLGRAPH_DATA or ./data)."
_pass_context = click.make_pass_decorator(Context)


def pass_ctx(fn):
    """Pass the :class:`Context` first; ``--data-dir`` is taken after the command name too."""

    @click.option("--data-dir", "command_data_dir", type=_DATA_DIR, default=None,
                  help=_DATA_DIR_HELP)
    @_pass_context
    @functools.wraps(fn)
    def wrapper(ctx: Context, *args, command_data_dir: Path | None = None, **kwargs):
        if command_data_dir is not None:
            ctx.data_dir = command_data_dir
        return fn(ctx, *args, **kwargs)

    return wrapper


def complete_edition(ctx, param, incomplete: str):
    """Shell completion: the edition codes of the registry."""
    from click.shell_completion import CompletionItem

    from ingest.registry import EDITIONS

    return [CompletionItem(code, help=getattr(spec, "title", None))
            for code, spec in EDITIONS.items() if code.startswith(incomplete.upper())]


def complete_topic(ctx, param, incomplete: str):
    """Shell completion: the topic keys (slugs) of the shipped topic scheme."""
    from click.shell_completion import CompletionItem

    from dlgraph.topics import scheme_graph, topics_of

    topics = topics_of(scheme_graph()).values()
    return [CompletionItem(t.slug, help=t.label) for t in sorted(topics, key=lambda t: t.slug)
            if t.slug.startswith(incomplete.lower())]


def _version() -> str:
    from dlgraph import __version__

    return __version__


_EPILOG = ("The app: pip install 'dlgraph[app]' (or -e '.[app]' in the repository), then "
           "streamlit run app.py. Shell completion: eval \"$(_DLGRAPH_COMPLETE=bash_source "
           "dlgraph)\" (zsh_source, fish_source for other shells).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=_EPILOG)
@click.option("--data-dir", type=_DATA_DIR, default=None, help=_DATA_DIR_HELP)
@click.version_option(version=_version(), prog_name="dlgraph", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None) -> None:
    """dlgraph: one graph of every edition of a course: lectures, notes, videos, readings, people.

    Example: dlgraph ingest --mirror ../shared/sites --documents ../shared/seeds --repos ../shared/repos
    """
    if data_dir is None:
        data_dir = Path(os.environ.get("DLGRAPH_DATA") or "data")
    # https://no-color.org: any non-empty NO_COLOR turns styling off; the commands' contexts
    # inherit this one's setting.
    if os.environ.get("NO_COLOR"):
        ctx.color = False
    ctx.obj = Context(data_dir)


def main() -> None:
    """Console-script entry point: library errors become one line and exit status 1.

    Ctrl-C stops at once (exit status 130): every write is atomic, so the previous data is
    intact, and waiting for fetches in flight (a server dripping a byte at a time) would
    make the first Ctrl-C look ignored. An unexpected error is one line too;
    ``DLGRAPH_DEBUG=1`` shows its traceback.
    """
    import signal

    # Ctrl-C ends the process there and then: Python's KeyboardInterrupt would unwind into
    # shutting down the crawl's threads, each waiting on its socket. Every file is written
    # to a temporary and renamed, the lock dies with the process, and the next run removes
    # the temporaries and sees (generation marker) what was left half-done.
    signal.signal(signal.SIGINT, _interrupted)
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        _interrupted()
    except Exception as exc:
        if os.environ.get("DLGRAPH_DEBUG"):
            raise
        click.echo(f"Error: {type(exc).__name__}: {' '.join(str(exc).split())[:300]} "
                   "(unexpected; DLGRAPH_DEBUG=1 shows where)", err=True)
        sys.exit(1)


def _interrupted(*_signal) -> None:
    sys.stdout.flush()
    sys.stderr.write("\ninterrupted\n")
    sys.stderr.flush()
    os._exit(130)


# --- commands (one section per command; each calls one library function) ----------------


# --- ingest --------------------------------------------------------------------------------


def _ingest_fetcher(mirror: str | None, cache_dir: Path):
    """The fetcher ``--mirror`` asks for: a folder, a loopback server, or the live host."""
    from ingest.fetch import LIVE_ROOT, HttpFetcher, MirrorFetcher, cached_client

    if mirror and not mirror.startswith(("http://", "https://")):
        folder = Path(mirror)
        if not folder.is_dir():
            raise click.ClickException(f"mirror folder not found: {mirror}")
        return MirrorFetcher(folder)
    if mirror:
        from urllib.parse import urlsplit

        try:
            parts = urlsplit(mirror)
            parts.port  # noqa: B018 - parsing the port is what raises for ``:abc``
        except ValueError as exc:
            raise click.ClickException(f"mirror URL {mirror!r} is not a URL: {exc}") from None
        if not parts.hostname:
            raise click.ClickException(f"mirror URL has no host: {mirror}")
        served = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}/"
        # Our own loopback server needs no politeness delay; a remote one does.
        local = parts.hostname in ("127.0.0.1", "localhost", "::1")
        return HttpFetcher(
            cached_client(cache_dir), origin={LIVE_ROOT: served}, delay=0.0 if local else 0.25
        )
    return HttpFetcher(cached_client(cache_dir))


class _Lines:
    """One line on stderr per stage and edition, as each ends: what a log or CI shows
    instead of a bar (a bar off a terminal prints nothing for minutes)."""

    def __init__(self):
        self.label: str | None = None
        self.done = self.total = 0
        self.started = 0.0

    def __call__(self, label: str, done: int, total: int) -> None:
        if label != self.label:
            self.close()
            self.label, self.started = label, time.perf_counter()
        self.done, self.total = done, total

    def close(self) -> None:
        if self.label is None:
            return
        took = f"{time.perf_counter() - self.started:.1f} s"
        if self.label == "graph":
            line = f"graph: built in {took}"
        elif self.label == "index":
            line = f"index: {self.done:,} documents in {took}"
        else:  # an edition's crawl (every link followed, 404s too), then parsing its pages
            line = f"{self.label}: {self.done:,} links crawled and their pages parsed in {took}"
        click.echo(line, err=True)
        self.label = None


def _progress():
    """Bars on a terminal; plain lines when output goes to a file, a pipe or CI."""
    return _Bars() if sys.stdout.isatty() and sys.stderr.isatty() else _Lines()


def _repo_opener(repos: str | None, cache_dir: Path):
    """How ``--repos`` opens an edition's repository: a folder, none, or live GitHub."""
    from ingest import repos as repo_files

    if repos and repos.lower() == "none":
        return None, None
    if repos:
        folder = Path(repos)
        if not folder.is_dir():
            raise click.ClickException(f"repos folder not found: {repos}")
        return (lambda ref: repo_files.FolderRepository(folder, ref)), None
    from ingest.fetch import HttpFetcher, cached_client

    # The live repositories go through the crawl's polite, cached client (robots.txt too).
    fetcher = HttpFetcher(cached_client(cache_dir))
    return (lambda ref: repo_files.GitHubRepository(fetcher, ref)), fetcher


class _Bars:
    """tqdm bars on stderr, one per label, shown only on a terminal."""

    def __init__(self):
        self.bars = {}

    def __call__(self, label: str, done: int, total: int) -> None:
        from tqdm import tqdm

        bar = self.bars.get(label)
        if bar is None:
            self.close()  # one stage at a time: finish the previous bar first
            bar = self.bars[label] = tqdm(desc=label, total=total, unit="page", file=sys.stderr,
                                          disable=None, leave=True)
        bar.total = total
        bar.n = done
        bar.refresh()

    def close(self) -> None:
        while self.bars:
            self.bars.popitem()[1].close()


#: What each column of the ingest summary counts (``dlgraph ingest --help`` and the footnote).
SUMMARY_COLUMNS = {
    "pages": "pages fetched and parsed",
    "cached": "of them, answered by the HTTP cache",
    "failed": "pages that failed (errors, timeouts, robots.txt, pages that did not parse)",
    "404": "linked pages the site does not have (broken in the site itself)",
    "lectures": "lecture items", "notes": "notes pages", "weeks": "week pages",
    "langs": "languages of the notes", "resources": "distinct videos, slides and notebooks",
    "people": "distinct people", "docs": "saved documents",
    "repaired": "damaged links on the pages that were repaired",
    "broken": "links that lead nowhere (kept and flagged)",
}


def _summary_note(rec) -> str | None:
    """A row's note: an edition with no site pages and no lectures, only saved documents."""
    if rec.lectures or rec.pages or not rec.documents:
        return None
    kinds = sorted({d.kind.replace("-", " ") for d in rec.documents})
    return f"only a {' and a '.join(kinds)}: no lecture list"


def _summary_footnote() -> str:
    """The columns explained, wrapped under the table."""
    import textwrap

    text = "; ".join(f"{k}: {v}" for k, v in SUMMARY_COLUMNS.items()
                     if k in ("cached", "failed", "404", "repaired", "broken"))
    return "\n".join(textwrap.wrap(text + ".", width=96))


def _summary_table(rows: list[dict]) -> str:
    heads = {"edition": "edition", "pages_fetched": "pages", "from_cache": "cached",
             "failed": "failed", "not_found": "404", "lectures": "lectures",
             "notes_pages": "notes", "week_pages": "weeks", "languages": "langs",
             "resources": "resources", "people": "people", "documents": "docs",
             "repaired_links": "repaired", "broken_links": "broken",
             "transcripts": "transcripts", "notebooks_read": "notebooks", "slides_read": "slides",
             "repo_reports": "repo-reports"}
    keys = [k for k in heads if not rows or k in rows[0]]
    table = [[heads[k] for k in keys]] + [[str(row[k]) for k in keys] for row in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(keys))]
    notes = [""] + [f"  ({row['note']})" if row.get("note") else "" for row in rows]
    return "\n".join(
        "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
        + note
        for r, note in zip(table, notes, strict=True)
    )


class ConfigError(click.ClickException):
    """A bad editions file: one line, exit status 2."""

    exit_code = 2


_EDITIONS_FILE_HELP = ("TOML file of [[course]] / [[edition]] tables adding to or overriding the "
                       "shipped editions (default: $DLGRAPH_EDITIONS_FILE).")


def editions_file_option(fn):
    """Add ``--editions-file FILE`` (env ``DLGRAPH_EDITIONS_FILE``), loaded before the command runs."""

    @click.option("--editions-file", "editions_file", envvar="DLGRAPH_EDITIONS_FILE", default=None,
                  metavar="FILE", help=_EDITIONS_FILE_HELP)
    @functools.wraps(fn)
    def wrapper(*args, editions_file: str | None = None, **kwargs):
        configure_editions(editions_file)
        return fn(*args, **kwargs)

    return wrapper


def configure_editions(editions_file: str | None):
    """Put the shipped editions, plus ``editions_file``'s, in force; a bad file exits 2."""
    from ingest import registry

    try:
        return registry.configure(registry.load(editions_file or None))
    except registry.RegistryError as exc:
        raise ConfigError(str(exc)) from None


def _note_repaired(built: dict) -> None:
    """Say on stderr which links had to be percent-encoded to be written as IRIs."""
    fixed = built.get("repaired_iris") or []
    if fixed:
        first = fixed[0]
        click.echo(f"repaired {len(fixed)} link{'s' * (len(fixed) > 1)} that could not be "
                   f"written as IRIs (percent-encoded), e.g. {first['was']!r} → {first['now']}",
                   err=True)


@contextlib.contextmanager
def _writing(data_dir: Path, command: str):
    """Hold the data folder's lock while a command writes it (one line if another does)."""
    from dlgraph.datadir import DataDirBusy, lock

    held = lock(data_dir, command)
    try:
        held.__enter__()
    except DataDirBusy as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write to {data_dir}: {exc.strerror or exc}") from None
    try:
        yield
    finally:
        held.__exit__(None, None, None)


@cli.command()
@click.option("--editions", default=None, metavar="CODES",
              help="Comma-separated edition codes, e.g. SP20,FL22 (default: every edition).")
@click.option("--mirror", envvar="DLGRAPH_MIRROR", default=None, metavar="DIR_OR_URL",
              help="Mirror folder, or http://127.0.0.1:PORT/ serving one "
                   "(default: $DLGRAPH_MIRROR, else the live site).")
@click.option("--documents", "documents", envvar="DLGRAPH_DOCUMENTS", default=None, metavar="DIR",
              help="Saved documents folder with manifest.json (default: $DLGRAPH_DOCUMENTS).")
@click.option("--repos", "repos", envvar="DLGRAPH_REPOS", default=None, metavar="DIR",
              help="Course repositories folder laid out owner/name/path, for transcripts, notebooks "
                   "and slides (default: $DLGRAPH_REPOS, else the live GitHub repositories; "
                   "'none' skips them).")
@click.option("--allow-empty", is_flag=True,
              help="Save an edition whose home page has resource links but no recognised items.")
@editions_file_option
@click.option("--accept-shrink", is_flag=True,
              help="Save an edition even when it lost more than half of its lectures or pages.")
@json_option
@pass_ctx
def ingest(ctx: Context, editions: str | None, mirror: str | None, documents: str | None,
           repos: str | None, allow_empty: bool, accept_shrink: bool, as_json: bool) -> None:
    """Crawl the course sites, parse them and save one records file per edition.

    Pages come from the live site, a mirror folder (--mirror DIR) or a server of one
    (--mirror http://127.0.0.1:8000/); HTTP responses are cached in DATA_DIR/cache/http.
    Without --editions every edition is ingested, except those that only have saved
    documents when no --documents is given. Records are written to DATA_DIR/records.
    --editions-file adds editions (or another course of the same site theme) without a
    code change; `dlgraph editions` lists them. Each edition ingests on its own: one that
    cannot be fetched or parsed keeps its previous records, is reported, and makes the
    exit status 1 while the others are saved.
    An edition that comes back with less than half of the lectures, notes pages, week
    pages or documents it had keeps its previous records (the exit status is then 1)
    unless --accept-shrink is given. One ingest at a time may write a data folder.

    It ends with one row per edition. Off a terminal (a log, a pipe, CI) each stage and
    edition prints one line on stderr as it ends, instead of a progress bar. The columns:

    \b
    pages      pages fetched and parsed
    cached     of them, answered by the HTTP cache
    failed     pages that failed (errors, timeouts, robots.txt, did not parse)
    404        linked pages the site does not have (broken in the site itself)
    lectures   lecture items; notes, weeks: notes and week pages
    langs      languages of the notes
    resources  distinct videos, slides and notebooks
    people     distinct people; docs: saved documents
    repaired   damaged links on the pages that were repaired
    broken     links that lead nowhere (kept and flagged)

    An edition with only saved documents (a class page, say) says so in its row.

    Example: dlgraph ingest --editions SP20,FL22 --mirror ../shared/sites --documents ../shared/seeds


    Example: dlgraph ingest --editions SP20,FL22 --mirror ../shared/sites --documents ../shared/seeds --repos ../shared/repos
    """
    from ingest.registry import EDITIONS

    documents_dir = Path(documents) if documents else None
    if documents_dir is not None and not documents_dir.is_dir():
        raise click.ClickException(f"documents folder not found: {documents}")
    if editions is not None:
        codes = [c.strip().upper() for c in editions.split(",") if c.strip()]
        unknown = [c for c in codes if c not in EDITIONS]
        if unknown or not codes:
            names = ", ".join(unknown) if unknown else repr(editions)
            raise click.ClickException(f"unknown edition {names} (known: {', '.join(EDITIONS)})")
        skipped = []
    else:
        codes = [c for c, spec in EDITIONS.items() if spec.base_url or documents_dir is not None]
        skipped = [c for c in EDITIONS if c not in codes]
    # The fetcher checks --mirror first, so a bad folder is the only line printed.
    try:
        fetcher = _ingest_fetcher(mirror, ctx.data_dir / "cache" / "http")
        opener, repo_fetcher = _repo_opener(repos, ctx.data_dir / "cache" / "http-repos")
    except OSError as exc:  # the HTTP cache lives in the data folder
        raise click.ClickException(f"cannot write to {ctx.data_dir}: {exc.strerror or exc}") from None
    try:
        with _writing(ctx.data_dir, "dlgraph ingest"):
            _ingest_locked(ctx, codes, skipped, fetcher, documents_dir, accept_shrink,
                           allow_empty, as_json, opener)
    finally:
        for used in (fetcher, repo_fetcher):
            client = getattr(used, "client", None)
            if client is not None:
                client.close()


def _ingest_locked(ctx: Context, codes: list[str], skipped: list[str], fetcher,
                   documents_dir: Path | None, accept_shrink: bool, allow_empty: bool,
                   as_json: bool, opener=None) -> None:
    from dlgraph.store import load_parse_memo, load_records, save_parse_memo, save_records
    from ingest.guard import keep_previous
    from ingest.pipeline import IngestError, format_rewrites, rewrites, summary
    from ingest.pipeline import run as run_ingest

    if skipped:
        click.echo(f"skipping {', '.join(skipped)}: only saved documents hold it "
                   "(give --documents)", err=True)
    previous = {rec.edition: rec for rec in load_records(ctx.data_dir, skip_damaged=True)}
    bars = _progress()
    memo = load_parse_memo(ctx.data_dir)
    try:
        run = run_ingest(codes, fetcher, documents_dir, allow_empty, progress=bars,
                         stored=previous, memo=memo, repos=opener)
    except IngestError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        bars.close()
    # an edition that failed is not saved at all (its previous records stay); one that
    # shrank is held back by the guard
    to_save, kept = keep_previous(run.records, previous, accept_shrink=accept_shrink)
    try:
        save_records(to_save, ctx.data_dir)
        save_parse_memo(memo, ctx.data_dir)
    except OSError as exc:
        raise click.ClickException(f"cannot write records to {ctx.data_dir}: {exc}") from None
    from dlgraph.pipeline import after_ingest

    built = {"triples": 0, "graph": None, "indexed": 0}
    if to_save or previous:
        try:
            built = after_ingest(ctx.data_dir, bars)
        except Exception as exc:  # the records are saved; say what failed after them
            raise click.ClickException(f"records saved, but the next step failed: {exc}") from None
        finally:
            bars.close()
        _note_repaired(built)
    rows = summary(run.records)
    why = {k.edition: k.message for k in kept}
    for row, rec in zip(rows, run.records, strict=True):
        row["kept_previous"] = why.get(row["edition"])
        row["note"] = _summary_note(rec)
    # A re-run that found nothing new rebuilt nothing: say so, the files are those of before.
    same = " (unchanged)" if built.get("unchanged") else ""
    rewritten = rewrites(run.records)
    reports = [{"edition": rec.edition, **dataclasses.asdict(r)}
               for rec in run.records for r in rec.repo_reports]
    text = "\n".join(filter(None, [
        _summary_table(rows) if rows else "",
        _summary_footnote() if rows else "",
        format_rewrites(rewritten) if run.records else "",
        *(f"{r['edition']} {r['problem']}: {r['path'] or r['repository']}: {r['detail']}"
          for r in reports),
        *(f"note: {n}" for n in run.notes),
        *(f"warning: {w}" for w in run.warnings),
        *(f"failed: {f['reason']} ({_kept_text(f)})" for f in run.failures),
        f"graph: {built['triples']:,} triples → {built['graph']}{same}" if built["graph"] else "",
        f"index: {built['indexed']:,} documents → {ctx.data_dir / 'index'}{same}" if built["graph"] else "",
    ]))
    emit({"data_dir": str(ctx.data_dir), "editions": rows, "repo_reports": reports,
          "failed": run.failures,
          "warnings": run.warnings, "notes": run.notes, "rewrites": rewritten,
          "triples": built["triples"],
          "indexed": built["indexed"]}, as_json, text)
    capped = [row for row in rows if row.get("left_out")]
    for row in capped:
        click.echo(f"{row['edition']}: the crawl stopped at its page cap; "
                   f"{row['left_out']:,} in-site links were left out", err=True)
    for k in kept:
        click.echo(k.message, err=True)
    if len(run.failures) == 1 and not kept and not capped:
        raise click.ClickException(run.failures[0]["reason"])
    problems = []
    if run.failures:
        names = ", ".join(f["edition"] for f in run.failures)
        problems.append(f"{len(run.failures)} of {len(codes)} editions not ingested: {names}")
    if kept:
        problems.append(f"{len(kept)} edition{'s' * (len(kept) > 1)} not saved")
    if capped:
        problems.append(f"{len(capped)} crawl{'s' * (len(capped) > 1)} cut at the page cap")
    if problems:
        raise click.ClickException("; ".join(problems))


def _kept_text(failure: dict) -> str:
    return ("its previous records are kept" if failure["kept_previous"]
            else "nothing of it was ingested before")


# --- editions ------------------------------------------------------------------------------


def _editions_text(result: dict) -> str:
    rows = [["edition", "course", "term", "year", "site", "ingested"]]
    for e in result["editions"]:
        rows.append([e["code"], e["course"], e["term"], str(e["year"]),
                     e["site"] or "(none: saved documents only)", "yes" if e["ingested"] else "no"])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    for c in result["courses"]:
        lines.append(f"course {c['code']}: {c['title']}" + (f" ({c['institution']})" if c["institution"] else ""))
    stray = result["ingested_not_configured"]
    if stray:
        lines.append(f"ingested but not configured: {', '.join(stray)} (their records are kept)")
    return "\n".join(lines)


@cli.command("editions")
@editions_file_option
@json_option
@pass_ctx
def editions_command(ctx: Context, as_json: bool) -> None:
    """List the configured courses and editions, and which of them DATA_DIR holds.

    The shipped editions come from the package's editions.toml; --editions-file (or
    $DLGRAPH_EDITIONS_FILE) adds or overrides entries.

    Example: dlgraph editions --editions-file my-course.toml --json
    """
    from dlgraph.store import stored_editions
    from ingest.registry import current

    reg = current()
    ingested = stored_editions(ctx.data_dir)
    result = {
        "courses": [{"code": c.code, "title": c.title, "institution": c.institution}
                    for c in reg.courses.values()],
        "editions": [{"code": e.code, "course": e.course_code, "title": e.title, "term": e.term,
                      "year": e.year, "site": e.base_url, "repository": e.repository,
                      "documents": list(e.documents), "ingested": e.code in ingested}
                     for e in reg.editions.values()],
        "ingested_not_configured": [c for c in ingested if c not in reg.editions],
    }
    emit(result, as_json, _editions_text(result))


# --- search / index ------------------------------------------------------------------------


def _open_search_index(data_dir: Path):
    from dlgraph.datadir import DataOutOfDate, check
    from dlgraph.search import SearchError, index_path, open_index

    try:
        check(data_dir, "index")
        return open_index(index_path(data_dir))
    except (SearchError, DataOutOfDate) as exc:
        raise click.ClickException(str(exc)) from None
    except Exception as exc:  # Whoosh's own errors for a damaged file: any of a dozen kinds
        raise click.ClickException(_damaged_index(data_dir, exc)) from None


def _damaged_index(data_dir: Path, exc: Exception) -> str:
    return (f"the search index in {data_dir / 'index'} is damaged ({type(exc).__name__}): "
            "rebuild it with `dlgraph index`")


def _marks(snippet: str) -> str:
    """``[[match]]`` marks as bold on a terminal (click drops the styling when piped)."""
    import re

    return re.sub(r"\[\[(.*?)\]\]", lambda m: click.style(m.group(1), bold=True), snippet)


def _search_text(result: dict, page: int, limit: int) -> str:
    lines = []
    if result["suggestion"]:
        lines.append(f"Showing results for: {result['suggestion']}")
    total, hits = result["total"], result["hits"]
    for c in result.get("cards") or ():
        where = " · ".join(x for x in (c["edition"], c["kind"]) if x)
        lines.append(f"  ◆ [{where}] {c['title']}" + (f" — {c['url']}" if c["url"] else ""))
    if not hits:
        lines.append(f"No results for {result['query']!r}." if total == 0 else
                     f"No results on page {page} ({total} in all).")
        return "\n".join(lines)
    first = (page - 1) * limit + 1
    lines.append(f"{total} result{'s' * (total != 1)}; {first}–{first + len(hits) - 1}:")
    for n, h in enumerate(hits, first):
        where = " · ".join(x for x in (h["edition"], h["kind"], h["language"]) if x)
        title = h["title"] + (f" › {h['heading']}" if h.get("heading") else "")
        lines.append(f"{n:>3}. [{where}] {title}")
        if h["url"]:
            lines.append(f"     {h['url']}")
        if h["snippet"]:
            lines.append(f"     {_marks(h['snippet'])}")
        if h.get("moment"):
            mo = h["moment"]
            lines.append(f"     best moment: {mo['heading']} — {mo['url']}")
        if h.get("also_in"):
            also = ", ".join(f"{a['edition']} {a['title']!r}" for a in h["also_in"])
            lines.append(f"     same video in: {also}")
        if h.get("collapsed"):
            lines.append(f"     (+{h['collapsed']} more in this group)")
    for name, counts in result["facets"].items():
        if counts:
            top = " · ".join(f"{k} {v}" for k, v in list(counts.items())[:8])
            lines.append(f"{name}: {top}")
    return "\n".join(lines)


@cli.command()
@click.argument("query", required=False, default="")
@click.option("--edition", "editions", multiple=True, metavar="E", shell_complete=complete_edition,
              help="Only this edition (repeat for several), e.g. --edition SP21.")
@click.option("--kind", default=None, metavar="K",
              help="lecture, section, transcript, notes, week, notebook, slides, theme, reading, "
                   "person or document.")
@click.option("--lang", default=None, metavar="L", help="Only pages in this language, e.g. fr.")
@click.option("--topic", default=None, metavar="T", shell_complete=complete_topic,
              help="Only things tagged with this topic.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100),
              help="Results per page.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1, None),
              help="Page of results.")
@click.option("--no-correct", "no_correct", is_flag=True,
              help="Search the words as typed: no spelling correction.")
@json_option
@pass_ctx
def search(ctx: Context, query: str, editions: tuple[str, ...], kind: str | None,
           lang: str | None, topic: str | None, limit: int, page: int, no_correct: bool,
           as_json: bool) -> None:
    """Search lectures, notes, readings and people across every edition.

    QUERY takes plain words (pages with more of them first), "a phrase", AND/OR/NOT,
    parentheses and fields such as edition:SP21, kind:section, lang:fr or title:convolution.
    A hit from a timestamped notes section links to the video at that second. Misspelled
    words are corrected ("Showing results for: …") unless --no-correct.

    Example: dlgraph search "energy based models" --edition SP21 --edition FL22 --json
    """
    from dlgraph.search import SearchError
    from dlgraph.search import search as run_search

    ix = _open_search_index(ctx.data_dir)
    try:
        result = run_search(ix, query, editions=editions, kind=kind, lang=lang, topic=topic,
                            limit=limit, page=page, correct=not no_correct)
    except SearchError as exc:
        raise click.ClickException(str(exc)) from None
    except Exception as exc:  # a damaged segment shows only when it is read
        raise click.ClickException(_damaged_index(ctx.data_dir, exc)) from None
    finally:
        ix.close()
    emit(result, as_json, _search_text(result, page, limit))


@cli.command("index")
@json_option
@pass_ctx
def index_command(ctx: Context, as_json: bool) -> None:
    """Rebuild the search index from the stored graph (DATA_DIR/graph.ttl).

    The new index is built beside the old one and swapped in when complete, so searches
    keep working meanwhile. `dlgraph ingest` does this for you.

    Example: dlgraph index
    """
    from tqdm import tqdm

    from dlgraph.datadir import mark, read_marker
    from dlgraph.search import build_index, index_path
    from dlgraph.store import load_graph

    with _writing(ctx.data_dir, "dlgraph index"):
        try:
            g = load_graph(ctx.data_dir)
        except FileNotFoundError as exc:
            raise click.ClickException(str(exc)) from None
        built_from = (read_marker(ctx.data_dir) or {}).get("graph")
        target = index_path(ctx.data_dir)
        with tqdm(desc="indexing", unit="doc", file=sys.stderr, disable=None) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            try:
                count = build_index(g, target, progress=progress)
            except OSError as exc:
                raise click.ClickException(f"cannot write the index to {target}: {exc}") from None
        if built_from is not None:
            mark(ctx.data_dir, "index", built_from)
    emit({"documents": count, "index": str(target)}, as_json,
         f"indexed {count} documents into {target}")


# --- compare / path / people / topics ------------------------------------------------------


def _analysis_graph(data_dir: Path):
    """The stored graph, or a one-line error naming the command that creates it."""
    from dlgraph.store import load_graph

    try:
        return load_graph(data_dir)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _item_cell(item: dict, width: int) -> str:
    """An item's title cut to ``width``; a same-titled twin keeps its key visible
    (SP21 lists "Energy based models (V)" as t4.5 and t5.1)."""
    if item.get("label", item["title"]) == item["title"]:
        return _cut(item["title"], width)
    tag = f" [{item['key']}]"
    return _cut(item["title"], width - len(tag)) + tag


def _compare_text(result: dict) -> str:
    a, b, s = result["a"], result["b"], result["summary"]
    head = (
        f"{a} → {b}: {s['same_recording']} same recording · {s['re_recorded']} re-recorded · "
        f"{s['new']} new in {b} · {s['dropped']} dropped from {a} · "
        + (f"{s['not_listed']} not listed · " if s.get("not_listed") else "")
        + f"resources +{s['resources_added']} −{s['resources_removed']}"
    )
    widths = (28, 14, 40, 40)
    # Why "not listed" is not "dropped": the edition's own words, before the table.
    notes = [f"not listed: {why}" for why in result.get("partial", {}).values()]
    lines = [head, *notes, "",
             "  ".join(h.ljust(w) for h, w in zip(("TOPIC", "STATUS", a, b), widths, strict=True))]
    last_topic = object()
    for row in result["rows"]:
        left = [_item_cell(i, widths[2]) for i in row["a"]] or [""]
        right = [_item_cell(i, widths[3]) for i in row["b"]] or [""]
        topic = row["topic"] or "(untagged)"
        shown = topic if topic != last_topic else ""
        last_topic = topic
        for n in range(max(len(left), len(right))):
            cells = (
                _cut(shown, widths[0]) if n == 0 else "",
                row["status"] if n == 0 else "",
                left[n] if n < len(left) else "",
                right[n] if n < len(right) else "",
            )
            lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _timeline_text(result: dict) -> str:
    eds = result["editions"]
    width = max([len("TOPIC")] + [len("  " * r["depth"] + r["topic"]) for r in result["topics"]])
    lines = ["items (videos) per topic and edition; " + result["hours_note"], ""]
    lines.append("TOPIC".ljust(width) + "".join(e.rjust(10) for e in eds))
    for row in result["topics"]:
        cells = "".join(
            f"{c['items']} ({c['videos']})".rjust(10) for c in (row["cells"][e] for e in eds)
        )
        lines.append(("  " * row["depth"] + row["topic"]).ljust(width) + cells)
    totals = "".join(
        f"{result['totals'][e]['items']} ({result['totals'][e]['videos']})".rjust(10) for e in eds
    )
    lines.append("all items".ljust(width) + totals)
    lines.extend(["", *result.get("notes", {}).values()] if result.get("notes") else [])
    return "\n".join(lines)


@cli.command("compare")
@click.argument("editions", nargs=-1, required=True, shell_complete=complete_edition)
@click.option("--all-topics", is_flag=True,
              help="Timeline only: one row per topic, not only the top concepts.")
@json_option
@pass_ctx
def compare_command(ctx: Context, editions: tuple[str, ...], all_topics: bool,
                    as_json: bool) -> None:
    """Compare editions: two give an aligned syllabus, three or more a topic timeline.

    With two editions A B: rows topic by topic, each with a status (same-recording,
    re-recorded, new in B, dropped from A, or not-listed when the other edition's site lists
    only part of its syllabus, as FL22's lists only its new lessons), plus resources added
    or removed. With three
    or more: a topic × edition matrix of item and video counts (hours are unknown: the
    pages give no durations).

    Example: dlgraph compare SP21 FL22
    """
    from dlgraph.compare import CompareError, compare_editions, timeline

    codes = [e.upper() for e in editions]
    if len(codes) < 2:
        raise click.ClickException("give two editions to compare, or three or more for a timeline")
    g = _analysis_graph(ctx.data_dir)
    try:
        if len(codes) == 2:
            result = compare_editions(g, *codes)
            text = _compare_text(result)
        else:
            result = timeline(g, codes, level="all" if all_topics else "top")
            text = _timeline_text(result)
    except CompareError as exc:
        raise click.ClickException(str(exc)) from None
    emit(result, as_json, text)


@cli.command("path")
@click.argument("topic", shell_complete=complete_topic)
@json_option
@pass_ctx
def path_command(ctx: Context, topic: str, as_json: bool) -> None:
    """Which lectures to watch for TOPIC, across editions, each recording once.

    TOPIC is a topic's label, alternative label or slug (see `dlgraph topics`). The newest
    recording of each subject is kept; older ones it re-records or re-uses are listed
    under it.

    Example: dlgraph path "energy-based models"
    """
    from dlgraph.analyses import learning_path

    g = _analysis_graph(ctx.data_dir)
    try:
        steps = learning_path(g, topic)
    except LookupError as exc:
        raise click.ClickException(str(exc.args[0] if exc.args else exc)) from None
    lines = []
    for s in steps:
        lines.append(f"{s['step']:>2}. {s['edition']}  {s['title']}  {s['video'] or ''}".rstrip())
        if s["replaces"]:
            older = "; ".join(f"{o['edition']} {o['title']}" for o in s["replaces"])
            lines.append(f"    instead of {older}")
    emit({"topic": topic, "steps": steps}, as_json, "\n".join(lines) or f"no lecture on {topic}")


@cli.command("people")
@click.option("--role", default=None, metavar="ROLE",
              help="Only people with this role (instructor, lecturer, teaching-assistant, "
                   "grader, notes-author, translator, webmaster).")
@click.option("--edition", default=None, metavar="CODE", shell_complete=complete_edition,
              help="Only people with a role in this edition (with --role: that role there).")
@json_option
@pass_ctx
def people_command(ctx: Context, role: str | None, edition: str | None, as_json: bool) -> None:
    """Who taught, lectured, assisted, graded, wrote notes or translated, by edition.

    Example: dlgraph people --role translator --edition SP21
    """
    from dlgraph.analyses import ROLE_VERBS, people_roles

    if role is not None and role not in ROLE_VERBS:
        raise click.ClickException(f"unknown role {role!r} (known: {', '.join(ROLE_VERBS)})")
    people = people_roles(_analysis_graph(ctx.data_dir))
    if edition is not None:
        edition = edition.upper()
        known = sorted({e for p in people for e in p["editions"]})
        if edition not in known:
            raise click.ClickException(f"unknown edition {edition!r} (known: {', '.join(known)})")
    if role is not None or edition is not None:
        people = [p for p in people
                  if any((role is None or r == role) and (edition is None or edition in eds)
                         for r, eds in p["roles"].items())]
    lines = [
        f"{p['name']}: "
        + "; ".join(f"{ROLE_VERBS.get(r, r)} {', '.join(e)}" for r, e in p["roles"].items())
        for p in people
    ]
    emit({"people": people}, as_json, "\n".join(lines) or "nobody")


@cli.command("topics")
@json_option
@pass_ctx
def topics_command(ctx: Context, as_json: bool) -> None:
    """The topic scheme as a tree, with how many lecture items each topic tags per edition.

    Counts include narrower topics; the last columns count notes sections and readings.

    Example: dlgraph topics --json
    """
    from dlgraph.analyses import scheme_counts, untagged

    g = _analysis_graph(ctx.data_dir)
    rows = scheme_counts(g)
    report = untagged(g)
    eds = list(rows[0]["lectures"]) if rows else []
    width = max([len("TOPIC")] + [len("  " * r["depth"] + r["label"]) for r in rows])
    lines = ["TOPIC".ljust(width) + "".join(e.rjust(6) for e in eds) + "sections".rjust(10)
             + "readings".rjust(10)]
    for r in rows:
        lines.append(("  " * r["depth"] + r["label"]).ljust(width)
                     + "".join(str(r["lectures"][e]).rjust(6) for e in eds)
                     + str(r["sections"]).rjust(10) + str(r["readings"]).rjust(10))
    lec = report["counts"].get("lecture", {"total": 0, "untagged": 0})
    lines.append(f"\nuntagged lecture items: {lec['untagged']} of {lec['total']}")
    lines += [f"  {i['edition']} {i['title']}" for i in report["lectures"]]
    emit({"topics": rows, "untagged": report}, as_json, "\n".join(lines))


# --- export (readings and the whole graph) -------------------------------------------------


def _export_graph_source(data_dir: Path):
    """The stored graph for an export, or a one-line error."""
    from dlgraph.store import load_graph

    try:
        return load_graph(data_dir)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None


def _export_write(text: str, output: Path | None) -> None:
    """Print to stdout (no ``-o``, or ``-o -``), or write ``output`` atomically (a failed
    run leaves the old file)."""
    from dlgraph.store import atomic_write

    if output is None or str(output) == "-":
        click.echo(text, nl=not text.endswith("\n"))
        return
    try:
        atomic_write(output, text)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from None
    click.echo(f"wrote {output}", err=True)


@cli.group("export")
def export_group() -> None:
    """Export the readings (BibTeX, RIS, CSV, JSON-LD, Markdown) or the whole graph (RDF).

    Example: dlgraph export readings --topic energy-based-models --format bibtex -o ebm.bib
    """


@export_group.command("readings")
@click.option("--edition", default=None, metavar="E", shell_complete=complete_edition,
              help="Only readings cited in this edition (SP20, …).")
@click.option("--topic", default=None, metavar="T", shell_complete=complete_topic,
              help="Only readings about this topic (slug or label), or cited by lectures on it.")
@click.option("--lecture", default=None, metavar="IRI",
              help="Only readings cited by this lecture item (IRI, or EDITION/KEY like SP20/02-1).")
@click.option("--format", "fmt", required=True,
              type=click.Choice(["bibtex", "ris", "csv", "jsonld", "markdown"]), help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              default=None, help="Write to this file; - or none: standard output.")
@click.option("--include-resources", is_flag=True,
              help="Also export the slides and notebooks of the selected lecture items.")
@click.option("--enrich", is_flag=True,
              help="Look up titles and authors on arXiv and Crossref (online; cached in the data folder).")
@click.option("--excel", is_flag=True,
              help="CSV only: start with a UTF-8 byte-order mark, so Excel reads accents right.")
@pass_ctx
def export_readings_command(ctx: Context, edition: str | None, topic: str | None,
                            lecture: str | None, fmt: str, output: Path | None,
                            include_resources: bool, enrich: bool, excel: bool) -> None:
    """Export the readings the editions cite, each saying which lectures and editions cite it.

    Import the .bib or .ris file into Zotero with File → Import….

    Example: dlgraph export readings --edition FL23 --format ris -o fl23.ris
    """
    from dlgraph.bibliography import UnknownFilter, lecture_resources, readings_table
    from dlgraph.export import format_readings

    g = _export_graph_source(ctx.data_dir)
    try:
        rows = readings_table(g, edition=edition, topic=topic, lecture=lecture)
        if include_resources:
            rows += lecture_resources(g, edition=edition, topic=topic, lecture=lecture)
    except UnknownFilter as exc:
        raise click.ClickException(str(exc)) from None
    if enrich:
        rows = _export_enrich(rows, ctx.data_dir)
    if excel and fmt != "csv":
        raise click.ClickException("--excel applies to --format csv only")
    _export_write(format_readings(rows, fmt, excel=excel), output)


def _export_enrich(rows: list[dict], data_dir: Path) -> list[dict]:
    """Rows with arXiv/Crossref metadata; the cache lives in ``data_dir/cache``."""
    import httpx

    from dlgraph.enrichment import enrich_rows
    from dlgraph.store import atomic_write

    cache_path = data_dir / "cache" / "reading-metadata.json"
    try:
        cache = json.loads(cache_path.read_text(encoding="utf-8")) if cache_path.is_file() else {}
    except (OSError, ValueError):
        cache = {}  # a damaged cache only costs fetching again
    from dlgraph import __version__

    headers = {"User-Agent": f"dlgraph/{__version__}"}
    with httpx.Client(timeout=30, follow_redirects=True, headers=headers) as client:
        rows = enrich_rows(rows, client, cache)
    atomic_write(cache_path, json.dumps(cache, ensure_ascii=False, indent=1))
    return rows


@export_group.command("graph")
@click.option("--format", "fmt", required=True, type=click.Choice(["turtle", "jsonld", "nt"]),
              help="RDF serialisation.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              default=None, help="Write to this file; - or none: standard output.")
@pass_ctx
def export_graph_command(ctx: Context, fmt: str, output: Path | None) -> None:
    """Export the whole graph as Turtle, JSON-LD or N-Triples.

    Example: dlgraph export graph --format nt -o graph.nt
    """
    from dlgraph.export import export_graph

    _export_write(export_graph(_export_graph_source(ctx.data_dir), fmt), output)


# --- build / stats / sparql / validate (the graph) ----------------------------------------


def _stored_graph(data_dir: Path):
    """The stored graph, or a one-line error naming the command that creates it."""
    from dlgraph.store import load_graph

    try:
        return load_graph(data_dir)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command("build")
@click.option("--index/--no-index", "with_index", default=True, show_default=True,
              help="Also rebuild the search index from the new graph.")
@editions_file_option
@json_option
@pass_ctx
def build_command(ctx: Context, with_index: bool, as_json: bool) -> None:
    """Rebuild the graph (and the search index) from the records saved by `dlgraph ingest`.

    Reads DATA_DIR/records, builds the complete graph and writes DATA_DIR/graph.ttl (the
    Turtle export) and DATA_DIR/graph.oxigraph (the store commands open), each atomically.
    Always rebuilds; `dlgraph ingest` skips the rebuild when the records did not change.

    Example: dlgraph build --no-index
    """
    from dlgraph.pipeline import after_ingest

    bars = _progress()
    try:
        with _writing(ctx.data_dir, "dlgraph build"):
            result = after_ingest(ctx.data_dir, bars, with_index=with_index, force=True)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write to {ctx.data_dir}: {exc}") from None
    finally:
        bars.close()
    _note_repaired(result)
    text = f"built {result['triples']:,} triples from {', '.join(result['editions'])} → {result['graph']}"
    if result["indexed"] is not None:
        text += f"\nindexed {result['indexed']:,} documents"
    emit(result, as_json, text)


@cli.command("stats")
@json_option
@pass_ctx
def stats_command(ctx: Context, as_json: bool) -> None:
    """Count lectures, notes pages, videos, slides, people, readings… per edition.

    videos counts distinct YouTube IDs; notes_pages counts pages in every language.

    Example: dlgraph stats --json
    """
    from dlgraph.stats import format_stats, graph_stats

    result = graph_stats(_stored_graph(ctx.data_dir))
    emit(result, as_json, format_stats(result))


def _timeout_option(ctx, param, value: float) -> float:
    """``--timeout``: finite, positive and at most a day (``nan``, ``inf``, ``1e300`` refused)."""
    from dlgraph.sparql import QueryError, check_timeout

    try:
        return check_timeout(value)
    except QueryError as exc:
        raise click.BadParameter(str(exc)) from None


@cli.command("sparql")
@click.argument("query")
@click.option("--timeout", default=30.0, show_default=True, type=float, callback=_timeout_option,
              metavar="S", help="Stop the query after S seconds (at most a day).")
@click.option("--format", "results_format", default=None,
              type=click.Choice(["json", "csv", "tsv", "xml"]),
              help="Write the W3C SPARQL results format (JSON, CSV, TSV or XML).")
@click.option("--max-rows", default=100_000, show_default=True, type=click.IntRange(min=1),
              metavar="N", help="Keep at most N rows (CONSTRUCT: triples); a note on stderr "
                                "says when more were cut off.")
@json_option
@pass_ctx
def sparql_command(ctx: Context, query: str, timeout: float, results_format: str | None,
                   max_rows: int, as_json: bool) -> None:
    """Run a read-only SPARQL query over the graph (QUERY, @file.rq to read it from a file,
    or - to read it from standard input).

    The prefixes schema:, dlg:, id:, skos:, dcterms:, prov:, bibo:, rdf:, rdfs: and xsd: are
    predeclared. Updates, SERVICE and FROM are refused; nothing is fetched from the network.
    Example queries ship in dlgraph/data/queries (see docs/sparql.md). Text output of a
    SELECT is tab-separated with a header line; --format writes the W3C results formats
    that other SPARQL tools read (--format json|xml of a CONSTRUCT: JSON-LD, RDF/XML).

    Example: dlgraph sparql 'SELECT ?name WHERE { ?p a schema:Person ; schema:name ?name }' --json
    """
    from dlgraph.sparql import QueryError, format_result, run_query

    if results_format and as_json:
        raise click.ClickException("give --json or --format, not both")
    if query == "-":
        query = sys.stdin.read()
        if not query.strip():
            raise click.ClickException("no query on standard input")
    elif query.startswith("@"):
        path = Path(query[1:])
        try:
            query = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot read query file {path}: {exc.strerror or exc}") from None
    g = _stored_graph(ctx.data_dir)
    try:
        result = run_query(g, query, timeout=timeout, results_format=results_format,
                           max_rows=max_rows)
    except QueryError as exc:
        raise click.ClickException(" ".join(str(exc).split())) from None
    if results_format:
        click.echo(result["text"], nl=not result["text"].endswith("\n"))
    else:
        emit(result, as_json, format_result(result))
    if result.get("truncated"):
        click.echo(f"note: the answer was cut off ({result['truncated_because']}; "
                   "see --max-rows)", err=True)


@cli.command("validate")
@editions_file_option
@json_option
@pass_ctx
def validate_command(ctx: Context, as_json: bool) -> None:
    """Check the stored graph against the SHACL shapes shipped with dlgraph.

    Prints the validation report and exits with status 1 when there are violations.

    Example: dlgraph validate
    """
    from dlgraph.validate import validate

    try:
        conforms, report, violations = validate(_stored_graph(ctx.data_dir))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    result = {"conforms": conforms, "violations": violations, "report": report}
    text = report.rstrip() if not conforms else "conforms: 0 violations"
    emit(result, as_json, text)
    if not conforms:
        raise click.ClickException(f"the graph does not conform: {violations} violation(s)")
