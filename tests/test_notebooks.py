"""Notebooks: cells in order, headings, the APIs code cells use; outputs ignored."""

from __future__ import annotations

import pytest
from conftest import FIXTURES_DIR

from ingest.notebooks import NotebookError, notebook_title, parse_notebook

REPO = FIXTURES_DIR / "repos" / "Prof" / "course-repo"


@pytest.fixture(scope="module")
def cells():
    return parse_notebook((REPO / "widgets.ipynb").read_text(encoding="utf-8"))


def test_markdown_and_code_cells_in_order_raw_and_empty_dropped(cells):
    assert [(c.position, c.kind) for c in cells] == [
        (1, "markdown"), (2, "markdown"), (3, "code"), (4, "markdown"), (5, "code")]


def test_headings(cells):
    assert [c.heading for c in cells if c.kind == "markdown"] == [
        "⚠️ An old banner ⚠️", "Widget training", "The model"]


def test_title_skips_the_banner(cells):
    assert notebook_title(cells, "widgets.ipynb") == "Widget training"


def test_apis_follow_the_imports_across_cells(cells):
    assert {"torch.nn.LSTM", "torch.optim.SGD", "torch.zeros"} <= set(cells[4].apis)
    assert "model.parameters" not in " ".join(cells[4].apis)


def test_magics_do_not_hide_the_imports(cells):
    assert "torch.nn" in cells[2].apis


def test_outputs_are_ignored(cells):
    assert all("outputonlyword" not in c.text for c in cells)


def test_damaged_notebook_raises():
    with pytest.raises(NotebookError):
        parse_notebook((REPO / "broken.ipynb").read_text(encoding="utf-8"))
