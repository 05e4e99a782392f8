"""``dlgraph export readings`` (BibTeX, RIS, CSV, JSON-LD, Markdown) and
``dlgraph export graph`` (Turtle, JSON-LD, N-Triples)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from dlgraph.cli.datafolder import stored_graph
from dlgraph.cli.options import Context, complete_edition, complete_topic, pass_ctx


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


@click.group("export")
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

    g = stored_graph(ctx.data_dir)
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

    _export_write(export_graph(stored_graph(ctx.data_dir), fmt), output)
