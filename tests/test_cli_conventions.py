"""CLI conventions: --version, -o -, NO_COLOR, shell completion, SPARQL results formats, stdin."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner
from rdflib.query import Result

from dlgraph import __version__
from dlgraph.cli import cli

PEOPLE = "SELECT ?p ?n WHERE { ?p a schema:Person ; schema:name ?n } ORDER BY ?n"


@pytest.fixture(scope="module")
def data_dir(small_graph, tmp_path_factory):
    from dlgraph.search import build_index, index_path
    from dlgraph.store import save_graph

    folder = tmp_path_factory.mktemp("data")
    save_graph(small_graph, folder)
    build_index(small_graph, index_path(folder))
    return folder


def run(data_dir, *args, **kwargs):
    return CliRunner().invoke(cli, ["--data-dir", str(data_dir), *args], **kwargs)


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"dlgraph {__version__}\n"


def test_dash_output_is_stdout(data_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(data_dir, "export", "readings", "--format", "ris", "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("TY  - ")
    assert not (tmp_path / "-").exists()


def test_no_color_turns_styling_off(data_dir, monkeypatch):
    styled = run(data_dir, "search", "gradient", color=True)
    assert "\x1b[" in styled.output  # bold match marks on a colour terminal
    monkeypatch.setenv("NO_COLOR", "1")
    plain = run(data_dir, "search", "gradient", color=True)
    assert plain.exit_code == 0 and "\x1b[" not in plain.output


def _complete(words: str) -> list[str]:
    """What bash completion offers after ``words`` (click's own completion protocol)."""
    env = {"_DLGRAPH_COMPLETE": "bash_complete", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    out = CliRunner().invoke(cli, [], prog_name="dlgraph", env=env).output
    return [line.split(",", 1)[1] for line in out.splitlines() if "," in line]


def test_completion_offers_edition_codes():
    assert _complete("dlgraph search --edition S") == ["SP20", "SP21"]
    assert set(_complete("dlgraph compare ")) >= {"SP20", "SP21", "FL22", "FL23"}


def test_completion_offers_topic_keys():
    assert "energy-based-models" in _complete("dlgraph path energy")
    assert "energy-based-models" in _complete("dlgraph export readings --topic ener")


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "xml"])
def test_sparql_formats_parse_in_rdflib(data_dir, fmt):
    result = run(data_dir, "sparql", PEOPLE, "--format", fmt)
    assert result.exit_code == 0, result.output
    parsed = Result.parse(io.StringIO(result.output), format=fmt)
    names = [str(row[1]) for row in parsed]
    assert "Yann LeCun" in names
    assert str(next(iter(parsed))[0]).startswith("https://w3id.org/dlgraph/id/person/")


def test_sparql_json_is_the_w3c_shape(data_dir):
    out = json.loads(run(data_dir, "sparql", PEOPLE, "--format", "json").output)
    assert out["head"]["vars"] == ["p", "n"]
    assert out["results"]["bindings"][0]["p"]["type"] == "uri"
    ask = json.loads(run(data_dir, "sparql", "ASK { ?s ?p ?o }", "--format", "json").output)
    assert ask["boolean"] is True


def test_sparql_ask_as_csv_is_one_line_error(data_dir):
    result = run(data_dir, "sparql", "ASK { ?s ?p ?o }", "--format", "csv")
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and "ASK" in result.output


def test_sparql_query_from_stdin(data_dir):
    result = run(data_dir, "sparql", "-", "--format", "csv", input=PEOPLE)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "p,n"
    empty = run(data_dir, "sparql", "-", input="  ")
    assert empty.exit_code == 1 and "standard input" in empty.output


def test_help_says_how_to_get_the_app():
    result = CliRunner().invoke(cli, ["--help"])
    assert "dlgraph[app]" in result.output and "streamlit run app.py" in result.output


_WITHOUT_APP = """
import sys
for name in ("streamlit", "pandas", "pyarrow", "altair"):
    sys.modules[name] = None  # importing it now raises ImportError, as without the extra
from click.testing import CliRunner
from dlgraph.cli import cli
data = sys.argv[1]
for args in (["stats"], ["search", "gradient"], ["compare", "SP20", "SP21"], ["topics"],
             ["people"], ["path", "energy-based-models"], ["validate"],
             ["sparql", "ASK { ?s ?p ?o }"], ["export", "readings", "--format", "csv"],
             ["export", "graph", "--format", "nt"]):
    result = CliRunner().invoke(cli, ["--data-dir", data, *args])
    assert result.exit_code == 0, (args, result.output, result.exception)
print("ok")
"""


def test_every_command_works_without_the_app_extra(data_dir):
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-c", _WITHOUT_APP, str(data_dir)],
                         capture_output=True, text=True, timeout=300)
    assert run.stdout.strip() == "ok", run.stderr[-2000:]
