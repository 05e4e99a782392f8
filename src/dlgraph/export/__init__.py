"""Exports: the readings as BibTeX, RIS, CSV, JSON-LD or Markdown, and the whole graph as RDF.

Every function returns a string; the CLI decides where it goes. Readings come from
:func:`dlgraph.bibliography.readings_table` (optionally with the lecture items' slides and
notebooks); each entry says which editions and lectures cite it, in a ``note`` and in
``keywords``, so a reference manager keeps that context after import.

One module per format (``bibtex``, ``ris``, ``csv_file``, ``jsonld``, ``markdown_list``),
the fields they share in ``rows``, the dispatch in ``readings`` and the RDF export in
``graph``; everything public is imported from here (``from dlgraph.export import …``).
"""

from __future__ import annotations

from dlgraph.export.bibtex import latex_escape, to_bibtex
from dlgraph.export.csv_file import CSV_COLUMNS, to_csv
from dlgraph.export.graph import GRAPH_FORMATS, export_graph
from dlgraph.export.jsonld import JSONLD_CONTEXT, to_jsonld
from dlgraph.export.markdown_list import to_markdown
from dlgraph.export.readings import READING_FORMATS, export_readings, format_readings
from dlgraph.export.ris import to_ris

__all__ = [
    "CSV_COLUMNS",
    "GRAPH_FORMATS",
    "JSONLD_CONTEXT",
    "READING_FORMATS",
    "export_graph",
    "export_readings",
    "format_readings",
    "latex_escape",
    "to_bibtex",
    "to_csv",
    "to_jsonld",
    "to_markdown",
    "to_ris",
]
