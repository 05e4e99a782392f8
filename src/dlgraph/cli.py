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
