"""The ``dlgraph`` command line: a thin layer over the library.

Each command parses its arguments, calls one library function, and formats the result.
Environment variables are read here (and in ``app.py``) only.
"""

from __future__ import annotations

import functools
import json
import os
import sys
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


pass_ctx = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data folder (default: $DLGRAPH_DATA or ./data).",
)
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None) -> None:
    """dlgraph: one graph of the NYU Deep Learning course across SP20, SP21, FL22 and FL23.

    Example: dlgraph ingest --mirror ../shared/sites --documents ../shared/seeds
    """
    if data_dir is None:
        data_dir = Path(os.environ.get("DLGRAPH_DATA") or "data")
    ctx.obj = Context(data_dir)


def main() -> None:
    """Console-script entry point: library errors become one line and exit status 1."""
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)


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

        parts = urlsplit(mirror)
        if not parts.hostname:
            raise click.ClickException(f"mirror URL has no host: {mirror}")
        served = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}/"
        # Our own loopback server needs no politeness delay; a remote one does.
        local = parts.hostname in ("127.0.0.1", "localhost", "::1")
        return HttpFetcher(
            cached_client(cache_dir), origin={LIVE_ROOT: served}, delay=0.0 if local else 0.25
        )
    return HttpFetcher(cached_client(cache_dir))


class _Bars:
    """tqdm bars on stderr, one per label, shown only on a terminal."""

    def __init__(self):
        self.bars = {}

    def __call__(self, label: str, done: int, total: int) -> None:
        from tqdm import tqdm

        bar = self.bars.get(label)
        if bar is None:
            bar = self.bars[label] = tqdm(desc=label, total=total, unit="page", file=sys.stderr,
                                          disable=None, leave=True)
        bar.total = total
        bar.n = done
        bar.refresh()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


def _summary_table(rows: list[dict]) -> str:
    heads = {"edition": "edition", "pages_fetched": "pages", "from_cache": "cached",
             "failed": "failed", "not_found": "404", "lectures": "lectures",
             "notes_pages": "notes", "week_pages": "weeks", "languages": "langs",
             "resources": "resources", "people": "people", "documents": "docs",
             "repaired_links": "repaired", "broken_links": "broken"}
    keys = [k for k in heads if not rows or k in rows[0]]
    table = [[heads[k] for k in keys]] + [[str(row[k]) for k in keys] for row in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(keys))]
    return "\n".join(
        "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
        for r in table
    )


@cli.command()
@click.option("--editions", default=None, metavar="CODES",
              help="Comma-separated edition codes, e.g. SP20,FL22 (default: every edition).")
@click.option("--mirror", envvar="DLGRAPH_MIRROR", default=None, metavar="DIR_OR_URL",
              help="Mirror folder, or http://127.0.0.1:PORT/ serving one "
                   "(default: $DLGRAPH_MIRROR, else the live site).")
@click.option("--documents", "documents", envvar="DLGRAPH_DOCUMENTS", default=None, metavar="DIR",
              help="Saved documents folder with manifest.json (default: $DLGRAPH_DOCUMENTS).")
@json_option
@pass_ctx
def ingest(ctx: Context, editions: str | None, mirror: str | None, documents: str | None,
           as_json: bool) -> None:
    """Crawl the course sites, parse them and save one records file per edition.

    Pages come from the live site, a mirror folder (--mirror DIR) or a server of one
    (--mirror http://127.0.0.1:8000/); HTTP responses are cached in DATA_DIR/cache/http.
    Without --editions every edition is ingested, except those that only have saved
    documents when no --documents is given. Records are written to DATA_DIR/records.

    Example: dlgraph ingest --editions SP20,FL22 --mirror ../shared/sites --documents ../shared/seeds
    """
    from dlgraph.store import save_records
    from ingest.pipeline import IngestError, summary
    from ingest.pipeline import ingest as run_ingest
    from ingest.registry import EDITIONS

    documents_dir = Path(documents) if documents else None
    if documents_dir is not None and not documents_dir.is_dir():
        raise click.ClickException(f"documents folder not found: {documents}")
    if editions:
        codes = [c.strip().upper() for c in editions.split(",") if c.strip()]
        unknown = [c for c in codes if c not in EDITIONS]
        if unknown or not codes:
            names = ", ".join(unknown) if unknown else repr(editions)
            raise click.ClickException(f"unknown edition {names} (known: {', '.join(EDITIONS)})")
    else:
        codes = [c for c, spec in EDITIONS.items() if spec.base_url or documents_dir is not None]
        skipped = [c for c in EDITIONS if c not in codes]
        if skipped:
            click.echo(f"skipping {', '.join(skipped)}: only saved documents hold it "
                       "(give --documents)", err=True)
    fetcher = _ingest_fetcher(mirror, ctx.data_dir / "cache" / "http")
    bars = _Bars()
    try:
        records = run_ingest(codes, fetcher, documents_dir, progress=bars)
    except IngestError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        bars.close()
        client = getattr(fetcher, "client", None)
        if client is not None:
            client.close()
    try:
        save_records(records, ctx.data_dir)
    except OSError as exc:
        raise click.ClickException(f"cannot write records to {ctx.data_dir}: {exc}") from None
    try:
        from dlgraph.pipeline import after_ingest
    except ImportError:
        after_ingest = None
    if after_ingest is not None:
        try:
            after_ingest(ctx.data_dir, bars)
        except Exception as exc:  # the records are saved; say what failed after them
            raise click.ClickException(f"records saved, but the next step failed: {exc}") from None
        finally:
            bars.close()
    rows = summary(records)
    emit({"data_dir": str(ctx.data_dir), "editions": rows}, as_json, _summary_table(rows))


# --- search / index ------------------------------------------------------------------------


def _open_search_index(data_dir: Path):
    from dlgraph.index import SearchError, index_path, open_index

    try:
        return open_index(index_path(data_dir))
    except SearchError as exc:
        raise click.ClickException(str(exc)) from None


def _marks(snippet: str) -> str:
    """``[[match]]`` marks as bold on a terminal (click drops the styling when piped)."""
    import re

    return re.sub(r"\[\[(.*?)\]\]", lambda m: click.style(m.group(1), bold=True), snippet)


def _search_text(result: dict, page: int, limit: int) -> str:
    lines = []
    if result["suggestion"]:
        lines.append(f"Showing results for: {result['suggestion']}")
    total, hits = result["total"], result["hits"]
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
        if h.get("collapsed"):
            lines.append(f"     (+{h['collapsed']} more in this group)")
    for name, counts in result["facets"].items():
        if counts:
            top = " · ".join(f"{k} {v}" for k, v in list(counts.items())[:8])
            lines.append(f"{name}: {top}")
    return "\n".join(lines)


@cli.command()
@click.argument("query", required=False, default="")
@click.option("--edition", "editions", multiple=True, metavar="E",
              help="Only this edition (repeat for several), e.g. --edition SP21.")
@click.option("--kind", default=None, metavar="K",
              help="lecture, section, notes, week, theme, reading, person or document.")
@click.option("--lang", default=None, metavar="L", help="Only pages in this language, e.g. fr.")
@click.option("--topic", default=None, metavar="T", help="Only things tagged with this topic.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100),
              help="Results per page.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1, None),
              help="Page of results.")
@json_option
@pass_ctx
def search(ctx: Context, query: str, editions: tuple[str, ...], kind: str | None,
           lang: str | None, topic: str | None, limit: int, page: int, as_json: bool) -> None:
    """Search lectures, notes, readings and people across every edition.

    QUERY takes plain words (all must match), "a phrase", AND/OR/NOT, parentheses and
    fields such as edition:SP21, kind:section, lang:fr or title:convolution. A hit from a
    timestamped notes section links to the video at that second. Misspelled words are
    corrected ("Showing results for: …").

    Example: dlgraph search "energy based models" --edition SP21 --edition FL22 --json
    """
    from dlgraph.index import SearchError
    from dlgraph.index import search as run_search

    ix = _open_search_index(ctx.data_dir)
    try:
        result = run_search(ix, query, editions=editions, kind=kind, lang=lang, topic=topic,
                            limit=limit, page=page)
    except SearchError as exc:
        raise click.ClickException(str(exc)) from None
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

    from dlgraph.index import build_index, index_path
    from dlgraph.store import load_graph

    try:
        g = load_graph(ctx.data_dir)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    target = index_path(ctx.data_dir)
    with tqdm(desc="indexing", unit="doc", file=sys.stderr, disable=None) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            count = build_index(g, target, progress=progress)
        except OSError as exc:
            raise click.ClickException(f"cannot write the index to {target}: {exc}") from None
    emit({"documents": count, "index": str(target)}, as_json,
         f"indexed {count} documents into {target}")
