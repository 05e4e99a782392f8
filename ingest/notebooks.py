"""Jupyter notebooks → ordered markdown and code cells, and the APIs the code calls.

Pure: :func:`parse_notebook` takes the notebook's text. Outputs are ignored (they are
results, not what was written). The APIs of a code cell are the dotted names it reaches
through its imports (``import torch.nn as nn`` then ``nn.LSTM(…)`` is ``torch.nn.LSTM``),
read with :mod:`ast`; a cell that is not plain Python (IPython magics, shell escapes) is
read with those lines blanked out.
"""

from __future__ import annotations

import ast
import html
import re

from dlgraph.records import NotebookCell

__all__ = ["NotebookError", "notebook_title", "parse_notebook"]

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.M)
_MAGIC = re.compile(r"^\s*[%!?].*$", re.M)


class NotebookError(ValueError):
    """A file that nbformat cannot read as a notebook; the message says why."""


def parse_notebook(text: str) -> tuple[NotebookCell, ...]:
    """The markdown and code cells of a notebook, in order, each with its heading and APIs."""
    import nbformat

    try:
        # nbformat.reads would also check the notebook against its JSON schema, only to log
        # what it finds: the schema's compilation and the check were nine tenths of reading
        # the 25 notebooks (0.3 s), and a cell this reader cannot use is skipped below anyway
        nb = nbformat.convert(nbformat.reader.reads(text), 4)
    except Exception as exc:  # nbformat raises JSON, validation and version errors alike
        raise NotebookError(f"not a notebook ({type(exc).__name__})") from None
    aliases: dict[str, str] = {}
    cells = []
    for cell in nb.cells:
        kind = cell.get("cell_type")
        if kind not in ("markdown", "code"):
            continue
        source = cell.get("source") or ""
        if isinstance(source, list):
            source = "".join(source)
        if not source.strip():
            continue
        heading, apis = "", ()
        if kind == "markdown":
            m = _HEADING.search(source)
            heading = _plain(m.group(1)) if m else ""
        else:
            apis = code_apis(source, aliases)
        cells.append(NotebookCell(len(cells) + 1, kind, source.strip(), heading, apis))
    return tuple(cells)


_H1 = re.compile(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", re.M)


def notebook_title(cells: tuple[NotebookCell, ...], path: str) -> str:
    """The notebook's first top-level heading, else its first heading, else its file name.

    A heading that opens with a symbol is skipped: several SP20 notebooks open with a
    "⚠️ See NYU-DLSP21 for an updated version ⚠️" banner rather than with their title.
    """
    for cell in cells:
        m = _H1.search(cell.text) if cell.kind == "markdown" else None
        if m and _plain(m.group(1))[:1].isalnum():
            return _plain(m.group(1))
    for cell in cells:
        if cell.heading[:1].isalnum():
            return cell.heading
    return path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def code_apis(source: str, aliases: dict[str, str]) -> tuple[str, ...]:
    """Dotted names a code cell uses through its imports; ``aliases`` carries over cells."""
    try:
        tree = ast.parse(_MAGIC.sub("", source))
    except SyntaxError:
        return ()
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
                found.append(a.name)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for a in node.names:
                if a.name != "*":
                    aliases[a.asname or a.name] = f"{node.module}.{a.name}"
                    found.append(f"{node.module}.{a.name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and not isinstance(getattr(node, "_parent", None), ast.Attribute):
            dotted = _dotted(node)
            if dotted:
                root, _, rest = dotted.partition(".")
                if root in aliases:
                    found.append(f"{aliases[root]}.{rest}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in aliases:
            found.append(aliases[node.func.id])
        for child in ast.iter_child_nodes(node):
            child._parent = node  # so only the longest attribute chain is kept
    return tuple(dict.fromkeys(found))


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _plain(text: str) -> str:
    """A markdown heading as plain text: links, emphasis and code marks removed."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\xa0", " ").replace("¶", "")
    return re.sub(r"\s+", " ", re.sub(r"[*_`]+", "", text)).strip()
