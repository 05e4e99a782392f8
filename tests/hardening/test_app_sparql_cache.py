"""The app keeps small SPARQL answers for reuse, never large ones, never errors."""

from __future__ import annotations

import pytest

pytest.importorskip("streamlit")

from app_pages import cache  # noqa: E402
from dlgraph.sparql import QueryError  # noqa: E402


@pytest.fixture
def app_cache(monkeypatch, small_graph, tmp_path):
    monkeypatch.setattr(cache, "data_dir", lambda: tmp_path)
    monkeypatch.setattr(cache, "graph", lambda: small_graph)
    monkeypatch.setattr(cache, "_sparql_answers", {})
    return cache._sparql_answers


def test_small_answers_are_kept_large_ones_are_not(app_cache, monkeypatch):
    small = cache.sparql("SELECT ?p WHERE { ?p a schema:Person } LIMIT 3")
    assert small["count"] == 3 and len(app_cache) == 1
    monkeypatch.setattr(cache, "SPARQL_CACHE_CELLS", 10)
    big = cache.sparql("SELECT ?s ?o WHERE { ?s ?p ?o } LIMIT 50")
    assert big["count"] == 50 and len(app_cache) == 1  # shown, not kept


def test_errors_are_not_kept(app_cache):
    with pytest.raises(QueryError):
        cache.sparql("SELECT ?x WHERE { ?x ?y }")
    assert app_cache == {}
