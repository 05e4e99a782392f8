"""ingest_edition / ingest / summary, with the parsers replaced by stand-ins.

The parsers have their own tests; here they are stubs that record what they were given,
so these tests pin down the pipeline's own decisions: which parser reads which page, what
a failure does, which documents an edition gets, and what the summary counts.
"""

from __future__ import annotations

import json

import pytest

from dlgraph.records import (
    Document,
    EditionRecords,
    HomePage,
    Lecture,
    NotesPage,
    PageFetch,
    PersonRef,
    Resource,
    Section,
    Theme,
)
from ingest import pipeline
from ingest.fetched import Fetched
from ingest.pipeline import IngestError, ingest, ingest_edition, summary
from ingest.registry import EditionSpec

LIVE = "https://atcold.github.io/"
BASE = LIVE + "DEMO/"
SPEC = EditionSpec(code="SP20", term="Spring", year=2020, title="Demo", course_code="X",
                   base_url=BASE)
T = "2030-01-01T00:00:00+00:00"

SITE = {
    BASE: '<a href="en/week01/01-1/">n</a><a href="fr/week01/01-1/">f</a>'
          '<a href="en/week01/01/">w</a><a href="en/about/">about</a><a href="en/week09/09-9/">x</a>'
          '<a href="en/week01/01-2/">bad</a>',
    BASE + "en/week01/01-1/": "notes",
    BASE + "fr/week01/01-1/": "notes fr",
    BASE + "en/week01/01/": "week",
    BASE + "en/about/": "about",
    BASE + "en/week01/01-2/": "unparseable",
}


class DictFetcher:
    """Serves ``SITE``; anything else is a 404."""

    concurrency = 2

    def __init__(self, site=SITE):
        self.site = site

    def get(self, url):
        if url in self.site:
            return Fetched(url, 200, self.site[url], fetched_at=T)
        return Fetched(url, 404, error="HTTP 404", fetched_at=T)


ALF = PersonRef("Alfredo Invented", "alfredo-invented", "instructor")


@pytest.fixture
def stubs(monkeypatch):
    """Stand-in parsers that record their calls."""
    calls = {"home": [], "notes": []}

    def parse_home(html, url, edition):
        calls["home"].append(url)
        lec = Lecture(edition, "01-1", 1, "An invented lecture", "lecture", url, week=1,
                      resources=(Resource("video", "https://youtu.be/AAAAAAAAAAA", "AAAAAAAAAAA"),))
        return HomePage(edition, url, themes=(Theme(edition, 1, "Basics"),), lectures=(lec,),
                        people=(ALF,))

    def parse_page(html, url, edition):
        calls["notes"].append(url)
        if html == "unparseable":
            raise ValueError("no title")
        lang = url[len(BASE):].split("/")[0]
        kind = "week" if url.endswith("/01/") else "notes"
        return NotesPage(url, edition, lang, kind, "t", 1, "01-1")

    monkeypatch.setattr(pipeline, "parse_home", parse_home)
    monkeypatch.setattr(pipeline.notes, "parse_page", parse_page)
    return calls


DOCS = [
    Document("SP20", "course-page", "Old page", None, "a.txt", "text"),
    Document("FL23", "course-page", "Class page", None, "b.txt", "text"),
]


@pytest.fixture
def records(stubs):
    return ingest_edition(SPEC, DictFetcher(), DOCS)


def test_home_page_goes_to_the_home_parser(records, stubs):
    assert stubs["home"] == [BASE]
    assert records.lectures[0].title == "An invented lecture"
    assert records.themes == (Theme("SP20", 1, "Basics"),)


def test_people_are_the_home_pages(records):
    assert records.people == (ALF,)


def test_notes_and_week_pages_are_parsed_other_pages_are_not(records, stubs):
    assert sorted(stubs["notes"]) == sorted(
        BASE + p for p in ("en/week01/01-1/", "fr/week01/01-1/", "en/week01/01/", "en/week01/01-2/")
    )
    assert sorted((p.url, p.kind) for p in records.pages) == [
        (BASE + "en/week01/01-1/", "notes"),
        (BASE + "en/week01/01/", "week"),
        (BASE + "fr/week01/01-1/", "notes"),
    ]


def test_a_page_that_fails_to_parse_is_reported_and_skipped(records):
    bad = {f.url: f for f in records.fetches}[BASE + "en/week01/01-2/"]
    assert bad.status == 200
    assert bad.error == "parse failed: ValueError: no title"


def test_every_fetch_is_kept(records):
    assert {f.url: f.status for f in records.fetches} == {
        **{u: 200 for u in SITE},
        BASE + "en/week09/09-9/": 404,
    }


def test_only_the_editions_documents_are_attached(records):
    assert [d.file for d in records.documents] == ["a.txt"]


def test_links_are_repaired(stubs, monkeypatch):
    fixed = Resource("video", "https://youtu.be/BBBBBBBBBBB", "BBBBBBBBBBB", repaired_from="x")
    dead = Resource("other", BASE + "nowhere/", BASE + "nowhere/", broken=True)
    monkeypatch.setattr(pipeline.repair, "repair_links", lambda pages: (pages[:1], [fixed], [dead]))
    rec = ingest_edition(SPEC, DictFetcher(), [])
    assert (len(rec.pages), rec.repaired_links, rec.broken_links) == (1, (fixed,), (dead,))


def test_unreachable_home_page_is_an_error(stubs):
    with pytest.raises(IngestError, match=r"SP20: home page https://atcold.github.io/DEMO/ could not be fetched \(HTTP 404\)"):
        ingest_edition(SPEC, DictFetcher({}), DOCS)


def test_home_page_that_fails_to_parse_fails_the_edition(stubs, monkeypatch):
    def broken(html, url, edition):
        raise KeyError("table")

    monkeypatch.setattr(pipeline, "parse_home", broken)
    # an edition without its home page's items is not saved over its previous records
    with pytest.raises(IngestError, match=r"SP20: home page https://atcold.github.io/DEMO/ "
                                          r"could not be parsed \(KeyError: 'table'\)"):
        ingest_edition(SPEC, DictFetcher(), [])


def test_a_crashing_edition_does_not_stop_the_others(stubs, monkeypatch):
    from ingest.pipeline import ingest_each

    other = EditionSpec("SU31", "Summer", 2031, "Another", "X", BASE)

    def crash(spec, *args):
        if spec.code == "SP20":
            raise RuntimeError("boom")
        return EditionRecords(spec.code)

    monkeypatch.setattr(pipeline, "ingest_edition", crash)
    run = ingest_each([SPEC, other], DictFetcher(), [])
    assert [r.edition for r in run.records] == ["SU31"]
    assert run.failed == {"SP20": "SP20: RuntimeError: boom"}


NO_SITE = EditionSpec("FL23", "Fall", 2023, "Demo", "X", None)


def test_edition_without_site_comes_from_documents():
    rec = ingest_edition(NO_SITE, DictFetcher(), DOCS)
    assert rec == EditionRecords("FL23", documents=(DOCS[1],), info=rec.info)
    assert (rec.info.title, rec.info.site) == ("Demo", None)


def test_edition_without_site_or_documents_is_an_error():
    with pytest.raises(IngestError, match="FL23 has no site and no saved documents"):
        ingest_edition(NO_SITE, DictFetcher(), DOCS[:1])


def test_a_new_edition_with_a_known_theme_needs_only_a_spec(stubs, monkeypatch):
    spec = EditionSpec("SU31", "Summer", 2031, "Another", "X", BASE)
    rec = ingest_edition(spec, DictFetcher(), [])
    assert rec.edition == "SU31" and len(rec.lectures) == 1


# -- ingest() ---------------------------------------------------------------------------------


def test_ingest_unknown_edition():
    with pytest.raises(IngestError, match="unknown edition 'XX99'"):
        ingest(["XX99"], DictFetcher(), None)


def test_ingest_bad_documents_folder(tmp_path):
    with pytest.raises(IngestError, match="no manifest.json") as err:
        ingest(["FL23"], DictFetcher(), tmp_path)
    assert "\n" not in str(err.value)


def test_ingest_unreadable_manifest(tmp_path):
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(IngestError, match="unreadable manifest"):
        ingest(["FL23"], DictFetcher(), tmp_path)


def test_ingest_reads_documents_once_for_every_edition(tmp_path, monkeypatch):
    seen = []

    def load(folder):
        seen.append(folder)
        return DOCS

    monkeypatch.setattr("ingest.documents.load_documents", load)
    recs = ingest(["fl23"], DictFetcher(), tmp_path)
    assert seen == [tmp_path] and [r.edition for r in recs] == ["FL23"]


def test_ingest_hand_written_documents(tmp_path):
    (tmp_path / "page.txt").write_text("# An invented class page\n\nNothing real here.\n")
    (tmp_path / "manifest.json").write_text(json.dumps({"documents": [
        {"file": "page.txt", "edition": "FL23", "kind": "course-page", "title": "Invented",
         "url": None, "format": "text"}]}))
    [rec] = ingest(["FL23"], DictFetcher(), tmp_path)
    assert [(d.edition, d.file) for d in rec.documents] == [("FL23", "page.txt")]


# -- summary ----------------------------------------------------------------------------------


def _vid(key, broken=False):
    return Resource("video", f"https://youtu.be/{key}", key, broken=broken)


def test_summary_counts():
    bob = PersonRef("Bob", "bob", "notes-author")
    rec = EditionRecords(
        edition="SP20",
        lectures=(
            Lecture("SP20", "01-1", 1, "a", "lecture", BASE, resources=(_vid("V1"), _vid("V2"))),
            Lecture("SP20", "01-2", 2, "b", "practicum", BASE, resources=(_vid("V2"),)),
        ),
        pages=(
            NotesPage(BASE + "en/a/", "SP20", "en", "notes", "a", 1, "01-1", authors=(bob,),
                      sections=(Section("s", "S", 2, 1, "", video=_vid("V3")),
                                Section("t", "T", 2, 2, "", video=_vid("v3", broken=True)))),
            NotesPage(BASE + "fr/a/", "SP20", "fr", "notes", "a", 1, "01-1", translators=(bob,)),
            NotesPage(BASE + "en/w/", "SP20", "en", "week", "w", 1, "01"),
        ),
        documents=(Document("SP20", "course-page", "d", None, "d.txt", "", people=(ALF,)),),
        people=(ALF,),
        fetches=(
            PageFetch(BASE, T, 200),
            PageFetch(BASE + "en/a/", T, 200, from_cache=True),
            PageFetch(BASE + "gone/", T, 404, error="HTTP 404"),
            PageFetch(BASE + "slow/", T, 0, error="timed out (ReadTimeout) (after 4 attempts)"),
            PageFetch(BASE + "bad/", T, 200, error="parse failed: ValueError: x"),
        ),
        repaired_links=(_vid("V4"),),
        broken_links=(_vid("v3", broken=True), _vid("zz", broken=True)),
    )
    assert summary([rec]) == [{
        "edition": "SP20", "pages_fetched": 2, "from_cache": 1, "failed": 2, "not_found": 1,
        "lectures": 2, "notes_pages": 2, "week_pages": 1, "languages": 2, "resources": 3,
        "people": 2, "documents": 1, "repaired_links": 1, "broken_links": 2, "left_out": 0,
        "transcripts": 0, "notebooks_read": 0, "slides_read": 0, "repo_reports": 0,
    }]


def test_summary_keys_are_in_print_order():
    [row] = summary([EditionRecords("FL23")])
    assert tuple(row) == pipeline.SUMMARY_KEYS
    assert row["edition"] == "FL23" and not any(v for k, v in row.items() if k != "edition")
