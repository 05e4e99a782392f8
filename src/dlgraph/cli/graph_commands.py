"""Questions to the stored graph as a whole: ``stats``, ``sparql`` and ``validate``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dlgraph.cli.datafolder import stored_graph
from dlgraph.cli.options import Context, editions_file_option, pass_ctx
from dlgraph.cli.output import emit, json_option


@click.command("stats")
@json_option
@pass_ctx
def stats_command(ctx: Context, as_json: bool) -> None:
    """Count lectures, notes pages, videos, slides, people, readings… per edition.

    videos counts distinct YouTube IDs; notes_pages counts pages in every language.

    Example: dlgraph stats --json
    """
    from dlgraph.stats import format_stats, graph_stats

    result = graph_stats(stored_graph(ctx.data_dir))
    emit(result, as_json, format_stats(result))


def _timeout_option(ctx, param, value: float) -> float:
    """``--timeout``: finite, positive and at most a day (``nan``, ``inf``, ``1e300`` refused)."""
    from dlgraph.sparql import QueryError, check_timeout

    try:
        return check_timeout(value)
    except QueryError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command("sparql")
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
    g = stored_graph(ctx.data_dir)
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


@click.command("validate")
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
        conforms, report, violations = validate(stored_graph(ctx.data_dir))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    result = {"conforms": conforms, "violations": violations, "report": report}
    text = report.rstrip() if not conforms else "conforms: 0 violations"
    emit(result, as_json, text)
    if not conforms:
        raise click.ClickException(f"the graph does not conform: {violations} violation(s)")
