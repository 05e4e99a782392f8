"""Rows as a CSV table (one column per row field, formula-safe cells)."""

from __future__ import annotations

from dlgraph.spreadsheet import csv_table

CSV_COLUMNS = ("key", "title", "authors", "year", "kind", "url", "arxiv", "doi", "isbn",
               "editions", "lectures", "sections", "listed_for", "details", "topics",
               "citations", "note", "iri")


def to_csv(rows: list[dict], excel: bool = False) -> str:
    """A CSV table with a header row; list cells are joined with ``"; "``; ``year`` is an
    integer column. ``excel`` starts the text with a byte-order mark so Excel reads UTF-8."""
    table = []
    for row in rows:
        cells = []
        for col in CSV_COLUMNS:
            value = row.get(col)
            if col in ("lectures", "sections"):
                value = "; ".join(x["title"] for x in value)
            elif isinstance(value, list):
                value = "; ".join(str(x) for x in value)
            elif col == "year" and value is not None:
                value = int(value)
            cells.append(value)
        table.append(cells)
    text = csv_table(CSV_COLUMNS, table)
    return "\ufeff" + text if excel else text
