"""``dlgraph ingest`` (crawl, parse, save records, rebuild) and ``dlgraph build``
(rebuild the graph and index from the saved records)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from dlgraph.cli.datafolder import writing
from dlgraph.cli.ingest_summary import summary_footnote, summary_note, summary_table
from dlgraph.cli.options import Context, editions_file_option, pass_ctx
from dlgraph.cli.output import emit, json_option
from dlgraph.cli.progress import progress_display


def _ingest_fetcher(mirror: str | None, cache_dir: Path):
    """The fetcher ``--mirror`` asks for: a folder, a loopback server, or the live host."""
    from ingest.fetch import LIVE_ROOT, HttpFetcher, cached_client
    from ingest.mirror import MirrorFetcher

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


def _note_repaired(built: dict) -> None:
    """Say on stderr which links had to be percent-encoded to be written as IRIs."""
    fixed = built.get("repaired_iris") or []
    if fixed:
        first = fixed[0]
        click.echo(f"repaired {len(fixed)} link{'s' * (len(fixed) > 1)} that could not be "
                   f"written as IRIs (percent-encoded), e.g. {first['was']!r} → {first['now']}",
                   err=True)


@click.command()
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
        with writing(ctx.data_dir, "dlgraph ingest"):
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
    bars = progress_display()
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
        save_records(to_save, ctx.data_dir, previous)
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
        row["note"] = summary_note(rec)
    # A re-run that found nothing new rebuilt nothing: say so, the files are those of before.
    same = " (unchanged)" if built.get("unchanged") else ""
    rewritten = rewrites(run.records)
    reports = [{"edition": rec.edition, **dataclasses.asdict(r)}
               for rec in run.records for r in rec.repo_reports]
    text = "\n".join(filter(None, [
        summary_table(rows) if rows else "",
        summary_footnote() if rows else "",
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


@click.command("build")
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

    bars = progress_display()
    try:
        with writing(ctx.data_dir, "dlgraph build"):
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
