"""Every command has help text that ends with an example (sqlite-utils' test_docs style)."""

import click
import pytest
from click.testing import CliRunner

from dlgraph.cli import cli


def _commands(group: click.Group, prefix=()):
    for name, cmd in sorted(group.commands.items()):
        yield (*prefix, name), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*prefix, name))


COMMANDS = list(_commands(cli))


def test_there_are_commands():
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"ingest", "search", "stats", "sparql", "compare", "export"} <= names


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p))
def test_help_has_text_and_example(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    cmd = dict(COMMANDS)[path]
    assert (cmd.help or "").strip(), f"{' '.join(path)} has no help text"
    if not isinstance(cmd, click.Group):
        assert "dlgraph " in cmd.help, f"{' '.join(path)}: docstring should end with an example"


LEAVES = [p for p, c in COMMANDS if not isinstance(c, click.Group)]


@pytest.mark.parametrize("path", LEAVES, ids=lambda p: " ".join(p))
def test_data_dir_is_taken_after_the_command_too(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert "--data-dir" in result.output


def test_data_dir_after_the_command_wins(tmp_path):
    before, after = tmp_path / "before", tmp_path / "after"
    result = CliRunner().invoke(cli, ["--data-dir", str(before), "stats", "--data-dir", str(after)])
    assert result.exit_code == 1
    assert str(after) in result.output and str(before) not in result.output
