"""The real graph's exports in the real tools: bibtex warns of nothing, keys never move."""

from __future__ import annotations

import re

import pytest
from test_export_readers import bibtex_warnings

from dlgraph.bibliography import lecture_resources, readings_table
from dlgraph.export import format_readings

pytestmark = pytest.mark.integration


def _rows(g, **filters):
    return readings_table(g, **filters) + lecture_resources(g, **filters)


def _keys(bib: str) -> dict[str, str]:
    """Entry key → the entry's URL (what identifies the work)."""
    out = {}
    for entry in re.split(r"^@", bib, flags=re.M)[1:]:
        key = entry[entry.index("{") + 1: entry.index(",")]
        url = re.search(r"^\s*url = \{(.*)\},?$", entry, re.M)
        out[key] = url.group(1) if url else key
    return out


def test_full_export_gives_no_bibtex_warnings(real_graph, tmp_path):
    bib = format_readings(_rows(real_graph), "bibtex")
    assert bibtex_warnings(bib, tmp_path) == []


@pytest.mark.parametrize("edition", ["SP20", "SP21", "FL22", "FL23"])
def test_keys_are_the_same_in_every_filtered_export(real_graph, edition):
    everything = {url: key for key, url in _keys(format_readings(_rows(real_graph), "bibtex")).items()}
    one = _keys(format_readings(_rows(real_graph, edition=edition), "bibtex"))
    assert one
    moved = {key: everything.get(url) for key, url in one.items() if everything.get(url) != key}
    assert moved == {}
