"""Integration: crawl the real mirror over loopback HTTP and check it against the sources.

The mirror (``DLGRAPH_MIRROR``) is served by a threaded ``http.server`` on 127.0.0.1,
port 0, and mapped onto ``https://atcold.github.io/``; the saved documents come from
``DLGRAPH_DOCUMENTS``. Every edition is ingested once for the module. Expected figures are
counted from the mirror's files (by the helpers below, or, where written as numbers, by
a breadth-first walk of the files' links done while writing these tests).
"""

from __future__ import annotations

import functools
import re
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from dlgraph.records_json import to_json
from ingest.fetch import LIVE_ROOT, HttpFetcher, cached_client
from ingest.pipeline import ingest, summary
from ingest.registry import EDITIONS

pytestmark = pytest.mark.integration

SITES = {"SP20": "NYU-DLSP20", "SP21": "NYU-DLSP21", "FL22": "NYU-DLFL22"}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(mirror_dir):
    handler = functools.partial(_Quiet, directory=str(mirror_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def crawled(served, documents_dir, tmp_path_factory):
    cache = tmp_path_factory.mktemp("http-cache")
    fetcher = HttpFetcher(cached_client(cache, timeout=10), origin={LIVE_ROOT: served},
                          delay=0.0, retries=1, backoff=0.05, concurrency=4)
    started = time.monotonic()
    records = ingest(list(EDITIONS), fetcher, documents_dir)
    elapsed = time.monotonic() - started
    fetcher.client.close()
    return {r.edition: r for r in records}, elapsed


@pytest.fixture(scope="module")
def by_edition(crawled):
    return crawled[0]


def pages_in_mirror(mirror_dir: Path, site: str) -> set[str]:
    """Live URLs of the site's HTML files, less ``404.html`` that nothing links to.

    The ``README-XX/`` pages (rendered by jekyll-readme-index) are linked only as their
    Markdown source on GitHub (``…/blob/master/docs/hu/README-HU.md``), which the crawl
    reads as the published page.
    """
    return {f"{LIVE_ROOT}{path.parent.relative_to(mirror_dir).as_posix()}/"
            for path in (mirror_dir / site).rglob("index.html")}


def test_every_edition_is_ingested(by_edition):
    assert list(by_edition) == ["SP20", "SP21", "FL22", "FL23"]


@pytest.mark.parametrize("code", list(SITES))
def test_every_linked_page_is_fetched(by_edition, mirror_dir, code):
    fetched = {f.url for f in by_edition[code].fetches if f.error is None}
    assert fetched == pages_in_mirror(mirror_dir, SITES[code])


@pytest.mark.parametrize(
    ("code", "pages", "not_found"),
    # 564/66/3 files less 404.html (the README-XX pages, 15 in SP20 and 1 in SP21, are
    # reached through their GitHub links); not-found are the sources' own broken in-site
    # links (e.g. translated home pages linking ``zh/zh/week01/01-1``, SP21's
    # ``images/week8/08-3``).
    [("SP20", 563, 488), ("SP21", 65, 1), ("FL22", 2, 0)],
)
def test_page_counts(by_edition, code, pages, not_found):
    row = {r["edition"]: r for r in summary(by_edition.values())}[code]
    assert (row["pages_fetched"], row["not_found"], row["failed"]) == (pages, not_found, 0)


def test_all_15_sp20_weeks(by_edition):
    sp20 = by_edition["SP20"]
    assert {lec.week for lec in sp20.lectures} == set(range(1, 16))
    assert {p.week for p in sp20.pages if p.language == "en" and p.kind == "notes"} == set(range(1, 16))


def _english_notes(by_edition):
    return [p for p in by_edition["SP20"].pages if p.language == "en" and p.kind == "notes"]


def test_every_sp20_english_notes_page(by_edition, mirror_dir):
    pages = _english_notes(by_edition)
    assert len(pages) == len(list((mirror_dir / "NYU-DLSP20" / "en").glob("week*/*-*/index.html"))) == 42
    assert all(p.lecturers for p in pages)


def test_sp20_english_notes_authors_match_the_source(by_edition, mirror_dir):
    # One page (en/week02/02-3) names no 📝 scribes in its source; the other 41 do.
    for page in _english_notes(by_edition):
        html = (mirror_dir / page.url[len(LIVE_ROOT):] / "index.html").read_text(encoding="utf-8")
        assert bool(page.authors) == ("📝" in html), page.url
    assert sum(bool(p.authors) for p in _english_notes(by_edition)) == 41


def test_every_language_is_present(by_edition, mirror_dir):
    folders = {p.name for p in (mirror_dir / "NYU-DLSP20").iterdir() if p.is_dir()}
    fetched = {f.url.split("/")[4] for f in by_edition["SP20"].fetches if f.error is None}
    assert folders <= fetched and len(folders) == 16
    with_notes = {p.parts[-4] for p in (mirror_dir / "NYU-DLSP20").glob("*/week*/*-*/index.html")}
    assert {p.language for p in by_edition["SP20"].pages} == with_notes
    assert len(with_notes) == 14  # hu and sr hold only a home and a README page
    assert {p.language for p in by_edition["SP21"].pages} == {"en", "fr"}


def test_fl22_reused_items_are_flagged(by_edition, mirror_dir):
    html = (mirror_dir / "NYU-DLFL22" / "index.html").read_text(encoding="utf-8")
    greyed = {int(n) for n in re.findall(r'<span class="missing">\s*(\d{2}) –', html)}
    assert greyed == {1, 2, 4, 8, 9, 11, 13}
    assert {lec.number for lec in by_edition["FL22"].lectures if lec.reused} == greyed


def test_documents_are_attached_to_their_editions(by_edition, documents_dir):
    import json

    manifest = json.loads((documents_dir / "manifest.json").read_text(encoding="utf-8"))
    for code, rec in by_edition.items():
        expected = sorted(d["file"] for d in manifest["documents"] if d["edition"] == code)
        assert sorted(d.file for d in rec.documents) == expected


def test_fl23_comes_only_from_its_document(by_edition):
    fl23 = by_edition["FL23"]
    assert fl23.fetches == () and fl23.pages == () and len(fl23.documents) == 1


@pytest.mark.parametrize("code", list(EDITIONS))
def test_no_loopback_address_is_recorded(by_edition, served, code):
    text = to_json(by_edition[code])
    assert "127.0.0.1" not in text and served not in text


@pytest.mark.parametrize("code", list(SITES))
def test_every_fetch_is_a_live_url_of_its_site(by_edition, code):
    base = EDITIONS[code].base_url
    assert all(f.url.startswith(base) for f in by_edition[code].fetches)
