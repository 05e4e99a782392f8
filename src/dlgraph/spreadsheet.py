"""CSV for spreadsheets: cells that cannot run as formulas, numbers that stay numbers.

The readings export and the SPARQL page's download both write tables people open in Excel,
LibreOffice or Google Sheets, which run a cell starting with ``= + - @`` as a formula (CSV
injection). A leading apostrophe, OWASP's advice, makes them show the text as written.
"""

from __future__ import annotations

import csv
import io

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str | int | float:
    """A value as a CSV cell: numbers stay numbers, a would-be formula gets a ``'`` first."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_table(header, rows) -> str:
    """A header and rows of cells as CSV text, every cell through :func:`csv_cell`."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(c) for c in row])
    return out.getvalue()


__all__ = ["FORMULA_START", "csv_cell", "csv_table"]
