"""The ``dlgraph`` group itself (global options, version, epilog) and the console-script
entry point that turns any error into one line."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from dlgraph.cli.options import DATA_DIR_HELP, DATA_DIR_TYPE, Context


def _version() -> str:
    from dlgraph import __version__

    return __version__


_EPILOG = ("The app: pip install 'dlgraph[app]' (or -e '.[app]' in the repository), then "
           "streamlit run app.py. Shell completion: eval \"$(_DLGRAPH_COMPLETE=bash_source "
           "dlgraph)\" (zsh_source, fish_source for other shells).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=_EPILOG)
@click.option("--data-dir", type=DATA_DIR_TYPE, default=None, help=DATA_DIR_HELP)
@click.version_option(version=_version(), prog_name="dlgraph", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None) -> None:
    """dlgraph: one graph of every edition of a course: lectures, notes, videos, readings, people.

    Example: dlgraph ingest --mirror ../shared/sites --documents ../shared/seeds --repos ../shared/repos
    """
    if data_dir is None:
        data_dir = Path(os.environ.get("DLGRAPH_DATA") or "data")
    # https://no-color.org: any non-empty NO_COLOR turns styling off; the commands' contexts
    # inherit this one's setting.
    if os.environ.get("NO_COLOR"):
        ctx.color = False
    ctx.obj = Context(data_dir)


def main() -> None:
    """Console-script entry point: library errors become one line and exit status 1.

    Ctrl-C stops at once (exit status 130): every write is atomic, so the previous data is
    intact, and waiting for fetches in flight (a server dripping a byte at a time) would
    make the first Ctrl-C look ignored. An unexpected error is one line too;
    ``DLGRAPH_DEBUG=1`` shows its traceback.
    """
    import signal

    # Ctrl-C ends the process there and then: Python's KeyboardInterrupt would unwind into
    # shutting down the crawl's threads, each waiting on its socket. Every file is written
    # to a temporary and renamed, the lock dies with the process, and the next run removes
    # the temporaries and sees (generation marker) what was left half-done.
    signal.signal(signal.SIGINT, _interrupted)
    from dlgraph import collector

    collector.process_ends_with_command()
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        _interrupted()
    except Exception as exc:
        if os.environ.get("DLGRAPH_DEBUG"):
            raise
        click.echo(f"Error: {type(exc).__name__}: {' '.join(str(exc).split())[:300]} "
                   "(unexpected; DLGRAPH_DEBUG=1 shows where)", err=True)
        sys.exit(1)
    finally:
        collector.at_exit()


def _interrupted(*_signal) -> None:
    sys.stdout.flush()
    sys.stderr.write("\ninterrupted\n")
    sys.stderr.flush()
    os._exit(130)
