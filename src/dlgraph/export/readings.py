"""The readings export: ``readings_table`` rows (optionally with the lecture items' slides
and notebooks) in one of :data:`READING_FORMATS`, each written by its own module."""

from __future__ import annotations

from rdflib import Graph

from dlgraph.bibliography import lecture_resources, readings_table
from dlgraph.export.bibtex import to_bibtex
from dlgraph.export.csv_file import to_csv
from dlgraph.export.jsonld import to_jsonld
from dlgraph.export.markdown_list import to_markdown
from dlgraph.export.ris import to_ris

READING_FORMATS = ("bibtex", "ris", "csv", "jsonld", "markdown")


def export_readings(
    g: Graph,
    fmt: str,
    edition: str | None = None,
    topic: str | None = None,
    lecture: str | None = None,
    include_resources: bool = False,
) -> str:
    """The readings of ``g`` (filtered as in ``readings_table``) in format ``fmt``.

    ``fmt`` is one of :data:`READING_FORMATS`. With ``include_resources``, the slides and
    notebooks of the selected lecture items follow the readings.
    """
    rows = readings_table(g, edition=edition, topic=topic, lecture=lecture)
    if include_resources:
        rows += lecture_resources(g, edition=edition, topic=topic, lecture=lecture)
    return format_readings(rows, fmt)


def format_readings(rows: list[dict], fmt: str, excel: bool = False) -> str:
    """Rows of ``readings_table`` (or ``lecture_resources``) in format ``fmt``.

    ``excel`` (CSV only) starts the file with a UTF-8 byte-order mark for Excel.
    """
    writers = {"bibtex": to_bibtex, "ris": to_ris, "csv": to_csv, "jsonld": to_jsonld,
               "markdown": to_markdown}
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(READING_FORMATS)})")
    if fmt == "csv":
        return to_csv(rows, excel=excel)
    return writers[fmt](rows)
