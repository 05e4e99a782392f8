"""``dlgraph search`` and ``dlgraph index`` (rebuild the search index)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dlgraph.cli.datafolder import writing
from dlgraph.cli.options import Context, complete_edition, complete_topic, pass_ctx
from dlgraph.cli.output import emit, json_option


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


@click.command()
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


@click.command("index")
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

    with writing(ctx.data_dir, "dlgraph index"):
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
