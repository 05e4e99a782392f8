"""The options and arguments several commands share: the data folder, shell completion
of editions and topics, and ``--editions-file``."""

from __future__ import annotations

import functools
from pathlib import Path

import click


class Context:
    """What every command needs: where the data folder is."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir


DATA_DIR_TYPE = click.Path(file_okay=False, path_type=Path)
DATA_DIR_HELP = "Data folder (default: $DLGRAPH_DATA or ./data)."
_pass_context = click.make_pass_decorator(Context)


def pass_ctx(fn):
    """Pass the :class:`Context` first; ``--data-dir`` is taken after the command name too."""

    @click.option("--data-dir", "command_data_dir", type=DATA_DIR_TYPE, default=None,
                  help=DATA_DIR_HELP)
    @_pass_context
    @functools.wraps(fn)
    def wrapper(ctx: Context, *args, command_data_dir: Path | None = None, **kwargs):
        if command_data_dir is not None:
            ctx.data_dir = command_data_dir
        return fn(ctx, *args, **kwargs)

    return wrapper


def complete_edition(ctx, param, incomplete: str):
    """Shell completion: the edition codes of the registry."""
    from click.shell_completion import CompletionItem

    from ingest.registry import EDITIONS

    return [CompletionItem(code, help=getattr(spec, "title", None))
            for code, spec in EDITIONS.items() if code.startswith(incomplete.upper())]


def complete_topic(ctx, param, incomplete: str):
    """Shell completion: the topic keys (slugs) of the shipped topic scheme."""
    from click.shell_completion import CompletionItem

    from dlgraph.topics import scheme_graph, topics_of

    topics = topics_of(scheme_graph()).values()
    return [CompletionItem(t.slug, help=t.label) for t in sorted(topics, key=lambda t: t.slug)
            if t.slug.startswith(incomplete.lower())]


class ConfigError(click.ClickException):
    """A bad editions file: one line, exit status 2."""

    exit_code = 2


_EDITIONS_FILE_HELP = ("TOML file of [[course]] / [[edition]] tables adding to or overriding the "
                       "shipped editions (default: $DLGRAPH_EDITIONS_FILE).")


def editions_file_option(fn):
    """Add ``--editions-file FILE`` (env ``DLGRAPH_EDITIONS_FILE``), loaded before the command runs."""

    @click.option("--editions-file", "editions_file", envvar="DLGRAPH_EDITIONS_FILE", default=None,
                  metavar="FILE", help=_EDITIONS_FILE_HELP)
    @functools.wraps(fn)
    def wrapper(*args, editions_file: str | None = None, **kwargs):
        configure_editions(editions_file)
        return fn(*args, **kwargs)

    return wrapper


def configure_editions(editions_file: str | None):
    """Put the shipped editions, plus ``editions_file``'s, in force; a bad file exits 2."""
    from ingest import registry

    try:
        return registry.configure(registry.load(editions_file or None))
    except registry.RegistryError as exc:
        raise ConfigError(str(exc)) from None
