"""``--json`` and printing a command's result: one JSON object, or the human text."""

from __future__ import annotations

import functools
import json

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
