"""The code's layout rules: editions are data, and the modules import one another without circles."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CODE_DIRS = ("src", "ingest", "app_pages")
_SHIPPED = tomllib.loads((ROOT / "ingest" / "editions.toml").read_text(encoding="utf-8"))
_INSTRUCTORS = [name for course in _SHIPPED["course"] for name in course.get("instructors", ())]
#: What only the editions file may name: the course code, the edition codes it ships and the
#: course's instructors.
NAMES = re.compile("|".join([r"DS-GA\s*1008|SP20|SP21|FL22|FL23|Deep Learning|NYU-DL",
                             *map(re.escape, _INSTRUCTORS)]))


def _modules() -> list[Path]:
    return sorted(p for d in CODE_DIRS for p in (ROOT / d).rglob("*.py")) + [ROOT / "app.py"]


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (help text and documentation)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def _help_texts(tree: ast.AST) -> set[int]:
    """ids of the string constants given as a ``help=`` argument (a CLI option's example)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg == "help":
                    out.update(id(c) for c in ast.walk(kw.value) if isinstance(c, ast.Constant))
    return out


def named_in_code(source: str) -> list[tuple[int, str]]:
    """``(line, text)`` of every string or name in ``source`` naming a course or edition."""
    tree = ast.parse(source)
    allowed = _docstrings(tree) | _help_texts(tree)
    hits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in allowed:
            text = node.value
        elif isinstance(node, ast.Name):
            text = node.id
        elif isinstance(node, ast.Attribute):
            text = node.attr
        else:
            continue
        if NAMES.search(text):
            hits.append((node.lineno, text))
    return hits


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_names_a_course_or_an_edition(path):
    hits = named_in_code(path.read_text(encoding="utf-8"))
    assert not hits, f"{path.relative_to(ROOT)} names {hits}: put it in ingest/editions.toml"


def test_the_check_can_fail():
    source = 'X = "DS-GA 1008"\ndef f():\n    """About SP20."""\n    return {"FL22": 1}\n'
    assert named_in_code(source) == [(1, "DS-GA 1008"), (4, "FL22")]
    assert named_in_code('click.option("--e", help="e.g. SP21")\n') == []
    assert _INSTRUCTORS and named_in_code(f"WHO = {_INSTRUCTORS[0]!r}\n") == [(1, _INSTRUCTORS[0])]


def _imports(path: Path, known: set[str]) -> set[str]:
    """The project modules ``path`` imports when it runs, at the top or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        out.update(n for n in names if n in known)
    return out


def _runtime_nodes(tree: ast.AST):
    """Every node but those under ``if TYPE_CHECKING:`` (imports for annotations only)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT / "src") if path.is_relative_to(ROOT / "src") else path.relative_to(ROOT)
    parts = list(rel.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def test_no_import_circles():
    import networkx as nx

    paths = {_module_name(p): p for p in _modules() if p.name != "__init__.py"}
    G = nx.DiGraph()
    for name, path in paths.items():
        for target in _imports(path, set(paths)):
            if target != name:
                G.add_edge(name, target)
    cycles = sorted(sorted(c) for c in nx.simple_cycles(G))
    assert not cycles, f"import circles: {cycles}"
