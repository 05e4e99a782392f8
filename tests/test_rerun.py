"""Re-runs: nothing rebuilt when nothing changed, only changed pages parsed again."""

from __future__ import annotations

import dataclasses
import gc
import json

import pytest
from test_cli_ingest import SITE  # the invented mirror of the ingest tests

import dlgraph.pipeline
from dlgraph import records_store, store
from dlgraph.pipeline import after_ingest
from ingest import crawl as crawl_module
from ingest import notes
from ingest.memo import ParseMemo
from ingest.mirror import MirrorFetcher
from ingest.pipeline import ingest


@pytest.fixture
def saved(small_records, tmp_path):
    store.save_records(small_records, tmp_path)
    return tmp_path


def _forbid_build(monkeypatch):
    def build(records):
        raise AssertionError("rebuilt although nothing changed")

    monkeypatch.setattr(dlgraph.pipeline, "build", build)


def test_unchanged_records_rebuild_nothing(saved, monkeypatch):
    first = after_ingest(saved)
    assert first["unchanged"] is False and first["triples"] > 0
    _forbid_build(monkeypatch)
    again = after_ingest(saved)
    assert again["unchanged"] is True
    assert {k: again[k] for k in ("editions", "triples", "indexed")} == {
        k: first[k] for k in ("editions", "triples", "indexed")}


def test_changed_records_are_rebuilt(saved, small_records):
    after_ingest(saved, with_index=False)
    changed = dataclasses.replace(small_records[0], lectures=small_records[0].lectures[:-1])
    store.save_records([changed], saved)
    assert after_ingest(saved, with_index=False)["unchanged"] is False


def test_a_missing_index_or_graph_is_rebuilt(saved):
    after_ingest(saved, with_index=False)
    # built without an index: asking for one builds it
    assert after_ingest(saved)["unchanged"] is False
    (saved / store.GRAPH_TTL).write_text("# edited\n", encoding="utf-8")
    assert after_ingest(saved)["unchanged"] is False


def test_force_rebuilds(saved):
    after_ingest(saved, with_index=False)
    assert after_ingest(saved, with_index=False, force=True)["unchanged"] is False


def test_fetch_times_alone_keep_the_records_file(saved, small_records):
    path = store.records_dir(saved) / f"{small_records[0].edition}.json"
    before = path.read_bytes()
    later = dataclasses.replace(small_records[0], fetches=tuple(
        dataclasses.replace(f, fetched_at="2031-01-01T00:00:00+00:00", from_cache=True)
        for f in small_records[0].fetches))
    assert later.fetches  # the fixture has fetches, or this test proves nothing
    store.save_records([later], saved)
    assert path.read_bytes() == before
    fewer = dataclasses.replace(later, lectures=later.lectures[:-1])
    store.save_records([fewer], saved)
    assert path.read_bytes() != before


def test_records_equal_to_the_previous_ones_are_not_serialised(saved, small_records, monkeypatch):
    previous = {r.edition: r for r in store.load_records(saved)}
    later = [dataclasses.replace(r, fetches=tuple(
        dataclasses.replace(f, fetched_at="2031-01-01T00:00:00+00:00") for f in r.fetches))
        for r in small_records]
    serialised = []
    real = records_store.to_json
    monkeypatch.setattr(records_store, "to_json", lambda rec: serialised.append(rec.edition) or real(rec))
    store.save_records(later, saved, previous)
    assert serialised == []
    fewer = dataclasses.replace(later[0], lectures=later[0].lectures[:-1])
    path = store.records_dir(saved) / f"{fewer.edition}.json"
    store.save_records([fewer], saved, previous)
    assert serialised == [fewer.edition]
    assert records_store.from_json(path.read_text(encoding="utf-8")) == fewer


@pytest.fixture
def mirror(tmp_path):
    root = tmp_path / "sites"
    for rel, html in SITE.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(html, encoding="utf-8")
    return root


@pytest.fixture
def parses(monkeypatch):
    calls = []
    real = notes.parse_page

    def counting(html, url, edition):
        calls.append(url)
        return real(html, url, edition)

    monkeypatch.setattr(notes, "parse_page", counting)
    return calls


def _strip_times(records):
    return [dataclasses.replace(r, fetches=tuple(
        dataclasses.replace(f, fetched_at="") for f in r.fetches)) for r in records]


def test_a_rerun_parses_only_the_changed_page(mirror, parses):
    memo = ParseMemo()
    first = ingest(["SP20"], MirrorFetcher(mirror), None, memo=memo)
    assert len(parses) == 3
    memo = ParseMemo.from_json(memo.to_json())  # as the next run reads it back
    parses.clear()
    again = ingest(["SP20"], MirrorFetcher(mirror), None, memo=memo)
    assert parses == [] and memo.hits == 4  # the home page and three notes pages
    assert _strip_times(again) == _strip_times(first)
    page = mirror / "NYU-DLSP20/en/week01/01-1/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Opening", "Overture"), encoding="utf-8")
    changed = ingest(["SP20"], MirrorFetcher(mirror), None, memo=memo)
    assert parses == ["https://atcold.github.io/NYU-DLSP20/en/week01/01-1/"]
    assert _strip_times(changed) == _strip_times(ingest(["SP20"], MirrorFetcher(mirror), None))


@pytest.fixture
def link_reads(monkeypatch):
    calls = []
    real = crawl_module.page_links

    def counting(html, url):
        calls.append(url)
        return real(html, url)

    monkeypatch.setattr(crawl_module, "page_links", counting)
    return calls


def test_a_rerun_reads_the_links_of_changed_pages_only(mirror, link_reads):
    memo = ParseMemo()
    first = ingest(["SP20"], MirrorFetcher(mirror), None, memo=memo)
    pages = len(link_reads)
    assert pages >= 4  # the home page and three notes pages at least
    memo = ParseMemo.from_json(memo.to_json())
    link_reads.clear()
    again = ingest(["SP20"], MirrorFetcher(mirror), None, memo=memo)
    assert link_reads == []
    assert _strip_times(again) == _strip_times(first)
    home = mirror / "NYU-DLSP20/index.html"
    # the home page links to one more notes page: the crawl must find and follow it
    extra = mirror / "NYU-DLSP20/en/week01/01-9/index.html"
    extra.parent.mkdir(parents=True)
    extra.write_text((mirror / "NYU-DLSP20/en/week01/01-1/index.html").read_text(encoding="utf-8"),
                     encoding="utf-8")
    home.write_text(home.read_text(encoding="utf-8").replace(
        "</body>", '<a href="en/week01/01-9/">more</a></body>'), encoding="utf-8")
    changed = ingest(["SP20"], MirrorFetcher(mirror), None, memo=memo)
    assert link_reads == ["https://atcold.github.io/NYU-DLSP20/",
                          "https://atcold.github.io/NYU-DLSP20/en/week01/01-9/"]
    fresh = ingest(["SP20"], MirrorFetcher(mirror), None)
    assert _strip_times(changed) == _strip_times(fresh)
    assert "https://atcold.github.io/NYU-DLSP20/en/week01/01-9/" in {
        f.url for f in changed[0].fetches}


def test_a_memo_of_other_parsing_code_is_ignored(mirror, parses, monkeypatch):
    memo = ParseMemo()
    ingest(["SP20"], MirrorFetcher(mirror), None, memo=memo)
    text = memo.to_json()
    monkeypatch.setattr("ingest.memo.fingerprint", lambda: "another parser")
    parses.clear()
    ingest(["SP20"], MirrorFetcher(mirror), None, memo=ParseMemo.from_json(text))
    assert len(parses) == 3


@pytest.mark.parametrize("damage", ["", "{", "[]", '{"fingerprint": 1, "entries": []}'])
def test_a_damaged_memo_is_empty(damage):
    assert ParseMemo.from_json(damage).get("u", "<html>", "SP20", object) is None


@pytest.mark.parametrize("links", [None, [], {"urls": "x", "pages": {}},
                                   {"urls": ["a"], "pages": {"u": ["d", [0, 7]]}},
                                   {"urls": ["a"], "pages": {"u": 3}}])
def test_damaged_links_in_a_memo_are_read_again(links):
    from ingest.memo import fingerprint

    text = json.dumps({"fingerprint": fingerprint(), "entries": {}, "links": links})
    found = ParseMemo.from_json(text).site_links(lambda html, url, base: ["fresh"])
    assert found("<html>", "u", "b") == ["fresh"]


def test_the_build_pauses_the_garbage_collector_and_restores_it(saved, monkeypatch):
    seen = []
    real_build = dlgraph.pipeline.build

    def build(records, repaired=None):
        seen.append(gc.isenabled())
        return real_build(records, repaired)

    monkeypatch.setattr(dlgraph.pipeline, "build", build)
    assert gc.isenabled()
    after_ingest(saved, with_index=False, force=True)
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        after_ingest(saved, with_index=False, force=True)
        assert not gc.isenabled()  # a caller's own choice is kept
    finally:
        gc.enable()
