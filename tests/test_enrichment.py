"""Online enrichment, offline: arXiv and Crossref answers come from httpx.MockTransport."""

from __future__ import annotations

import httpx
import pytest

from dlgraph.enrichment import (
    enrich_rows,
    fetch_metadata,
    parse_arxiv_feed,
    parse_crossref,
)

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <entry>
    <id>http://arxiv.org/abs/1234.56789v3</id>
    <published>2012-07-03T00:00:00Z</published>
    <title>Gradient Tricks for
      Toy Networks</title>
    <author><name>Ada Example</name></author>
    <author><name>Bo Sample</name></author>
    <arxiv:primary_category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <arxiv:doi>10.9999/TOY.1</arxiv:doi>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/math/0503066v2</id>
    <published>2005-03-03T00:00:00Z</published>
    <title>Toy Sensing</title>
    <author><name>Cy Toy</name></author>
    <arxiv:primary_category term="math.NA"/>
  </entry>
</feed>"""

CROSSREF = {"message": {"title": ["Toy Énergie & Co"], "author": [
    {"given": "Ann", "family": "Dupont"}, {"given": "Max", "family": "Müller"}],
    "issued": {"date-parts": [[2020, 5]]}, "container-title": ["Journal of Toys"]}}


def _row(**kw):
    base = {"iri": "x", "key": "k", "title": "page title", "authors": ["Page"], "et_al": True,
            "year": None, "kind": "paper", "url": "", "arxiv": None, "doi": None, "isbn": None}
    return base | kw


def _client(calls: list):
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url)
        if request.url.host == "export.arxiv.org":
            return httpx.Response(200, text=FEED)
        if request.url.host == "api.crossref.org":
            if "missing" in request.url.path:
                return httpx.Response(404)
            return httpx.Response(200, json=CROSSREF)
        raise AssertionError(f"unexpected request {request.url}")

    return httpx.Client(transport=httpx.MockTransport(handler))


def test_parse_arxiv_feed():
    meta = parse_arxiv_feed(FEED)
    assert set(meta) == {"1234.56789", "math/0503066"}
    assert meta["1234.56789"]["title"] == "Gradient Tricks for Toy Networks"
    assert meta["1234.56789"]["authors"] == ["Ada Example", "Bo Sample"]
    assert (meta["1234.56789"]["year"], meta["1234.56789"]["primary_class"]) == (2012, "cs.LG")
    assert meta["1234.56789"]["doi"] == "10.9999/toy.1"


def test_parse_crossref():
    meta = parse_crossref(CROSSREF["message"])
    assert meta == {"title": "Toy Énergie & Co", "authors": ["Ann Dupont", "Max Müller"],
                    "year": 2020, "venue": "Journal of Toys"}


def test_enrich_rows_overlays_metadata_and_keeps_the_page_title():
    calls: list = []
    rows = [_row(arxiv="1234.56789"), _row(doi="10.9999/toy.2020.abc"), _row(title="a book")]
    out = enrich_rows(rows, _client(calls), cache={})
    assert out[0]["title"] == "Gradient Tricks for Toy Networks"
    assert out[0]["page_title"] == "page title"
    assert out[0]["authors"] == ["Ada Example", "Bo Sample"] and out[0]["et_al"] is False
    assert out[0]["primary_class"] == "cs.LG" and out[0]["doi"] == "10.9999/toy.1"
    assert out[1]["venue"] == "Journal of Toys" and out[1]["year"] == 2020
    assert out[2] == rows[2]
    assert rows[0]["title"] == "page title"  # the input rows are not modified


def test_cache_avoids_second_fetch():
    calls: list = []
    cache: dict = {}
    rows = [_row(arxiv="1234.56789"), _row(doi="10.9999/x")]
    fetch_metadata(rows, _client(calls), cache)
    assert len(calls) == 2 and set(cache) == {"arxiv:1234.56789", "arxiv:math/0503066", "doi:10.9999/x"}
    fetch_metadata(rows, _client(calls), cache)
    assert len(calls) == 2


def test_failed_lookup_leaves_the_row_and_is_not_cached():
    calls: list = []
    cache: dict = {}
    rows = [_row(doi="10.9999/missing")]
    assert enrich_rows(rows, _client(calls), cache) == rows
    assert cache == {}


def test_network_error_is_not_fatal():
    def handler(request):
        raise httpx.ConnectError("offline", request=request)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    rows = [_row(arxiv="1234.56789"), _row(doi="10.1/x")]
    assert enrich_rows(rows, client, cache={}) == rows


def test_large_batches_pause_between_arxiv_calls():
    waits: list = []
    calls: list = []
    rows = [_row(arxiv=f"2101.{n:05d}") for n in range(120)]
    fetch_metadata(rows, _client(calls), cache={}, sleep=waits.append)
    assert len(calls) == 3 and waits == [3.0, 3.0]


@pytest.mark.parametrize("fmt", ["bibtex", "ris"])
def test_enriched_rows_export(fmt):
    from dlgraph.export import format_readings

    rows = enrich_rows([_row(arxiv="1234.56789", key="k1", editions=["SP20"], lectures=[],
                             sections=[], listed_for=[], details=[], topics=[], contexts=[],
                             citations=1, note="DS-GA 1008 — SP20: Toy")],
                       _client([]), cache={})
    text = format_readings(rows, fmt)
    assert "Gradient Tricks for Toy Networks" in text
    if fmt == "bibtex":
        assert "primaryClass = {cs.LG}" in text
