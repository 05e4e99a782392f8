"""The data folder as commands see it: the stored graph to read, the lock to write."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click


@contextlib.contextmanager
def writing(data_dir: Path, command: str):
    """Hold the data folder's lock while a command writes it (one line if another does)."""
    from dlgraph.datadir import DataDirBusy, lock

    held = lock(data_dir, command)
    try:
        held.__enter__()
    except DataDirBusy as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write to {data_dir}: {exc.strerror or exc}") from None
    try:
        yield
    finally:
        held.__exit__(None, None, None)


def stored_graph(data_dir: Path):
    """The stored graph, or a one-line error naming the command that creates it."""
    from dlgraph.store import load_graph

    try:
        return load_graph(data_dir)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
