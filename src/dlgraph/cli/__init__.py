"""The ``dlgraph`` command line: a thin layer over the library.

Each command parses its arguments, calls one library function, and formats the result.
Environment variables are read here (and in ``app.py``) only.

The package is split by job: ``root`` is the group and the entry point, ``*_commands``
hold the commands of one kind, and ``output``/``options``/``progress``/``datafolder``/
``ingest_summary`` the helpers they share. The command modules do not import the group:
this module attaches them to it, so importing ``dlgraph.cli`` (the console script,
``python -m dlgraph``, the tests' ``from dlgraph.cli import cli``) gives the whole CLI.
"""

from __future__ import annotations

from dlgraph.cli.analysis_commands import (
    compare_command,
    path_command,
    people_command,
    topics_command,
)
from dlgraph.cli.edition_commands import editions_command
from dlgraph.cli.export_commands import export_graph_command, export_group, export_readings_command
from dlgraph.cli.graph_commands import sparql_command, stats_command, validate_command
from dlgraph.cli.ingest_commands import build_command, ingest
from dlgraph.cli.ingest_summary import SUMMARY_COLUMNS
from dlgraph.cli.options import (
    ConfigError,
    Context,
    complete_edition,
    complete_topic,
    configure_editions,
    editions_file_option,
    pass_ctx,
)
from dlgraph.cli.output import emit, json_option
from dlgraph.cli.root import cli, main
from dlgraph.cli.search_commands import index_command, search

for _command in (
    ingest, build_command, editions_command, search, index_command, compare_command,
    path_command, people_command, topics_command, export_group, stats_command,
    sparql_command, validate_command,
):
    cli.add_command(_command)
del _command

__all__ = [
    "SUMMARY_COLUMNS",
    "ConfigError",
    "Context",
    "build_command",
    "cli",
    "compare_command",
    "complete_edition",
    "complete_topic",
    "configure_editions",
    "editions_command",
    "editions_file_option",
    "emit",
    "export_graph_command",
    "export_group",
    "export_readings_command",
    "index_command",
    "ingest",
    "json_option",
    "main",
    "pass_ctx",
    "path_command",
    "people_command",
    "search",
    "sparql_command",
    "stats_command",
    "topics_command",
    "validate_command",
]
