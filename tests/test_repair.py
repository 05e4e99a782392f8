"""Repairing the damaged copies of English links on translated pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from dlgraph.records import Link, NotesPage, Resource, Section
from ingest.notes import parse_page
from ingest.repair import loose, repair_links

SITES = Path(__file__).parent / "fixtures" / "sites"
BASE = "https://atcold.github.io/NYU-DLSP20/"
EN = BASE + "en/week02/02-1/"
FR = BASE + "fr/week02/02-1/"
OLDER = BASE + "en/week01/01-3/"


def _stub(url: str) -> NotesPage:
    return NotesPage(url=url, edition="SP20", language="en", kind="notes", title="Stub",
                     week=1, part="01-3")


@pytest.fixture(scope="module")
def result():
    en = parse_page((SITES / "notes_en.html").read_text(encoding="utf-8"), EN, "SP20")
    fr = parse_page((SITES / "notes_fr.html").read_text(encoding="utf-8"), FR, "SP20")
    return repair_links([en, fr, _stub(OLDER)])


@pytest.fixture(scope="module")
def fr_page(result):
    pages, _, _ = result
    return next(p for p in pages if p.url == FR)


def test_arabic_question_mark_video_repaired(fr_page):
    video = fr_page.sections[0].video
    assert (video.key, video.start, video.broken) == ("AbCdEfGhIj1", 29, False)
    assert video.url == "https://www.youtube.com/watch?v=AbCdEfGhIj1&t=29s"
    assert "؟" in video.repaired_from


def test_case_lost_video_repaired(fr_page):
    video = fr_page.sections[2].video
    assert (video.key, video.start) == ("AbCdEfGhIj1", 1036)
    assert video.repaired_from == "https://www.youtube.com/watch?v=abcdefghij1&t=1036S"


def test_space_damaged_link_repaired(fr_page):
    assert "http://example.level.org/paper.pdf" in [link.url for link in fr_page.links]


def test_localised_folder_repaired_to_english_target(fr_page):
    # fr/week01/01-3/ is not among the pages, so the English page it names is the target.
    assert OLDER in [link.url for link in fr_page.links]


def test_section_links_repaired_too(fr_page):
    assert [link.url for link in fr_page.sections[1].links] == [
        "https://arxiv.org/abs/0000.00001", OLDER, BASE + "fr/week02/02-1/0/"]


def test_unrepairable_link_kept_and_reported(result, fr_page):
    _, _, broken = result
    assert [r.url for r in broken] == [BASE + "fr/week02/02-1/0/"]
    assert broken[0].broken


def test_repaired_list(result):
    _, repaired, _ = result
    assert sorted(r.key for r in repaired) == sorted([
        "AbCdEfGhIj1", "AbCdEfGhIj1", OLDER, "http://example.level.org/paper.pdf"])
    assert all(r.repaired_from for r in repaired)


def test_english_page_untouched(result):
    pages, _, _ = result
    en_in = parse_page((SITES / "notes_en.html").read_text(encoding="utf-8"), EN, "SP20")
    assert next(p for p in pages if p.url == EN) == en_in


def test_genuine_unknown_video_left_alone():
    en = NotesPage(url=EN, edition="SP20", language="en", kind="notes", title="E", week=2,
                   part="02-1")
    video = Resource(kind="video", url="https://youtu.be/ZZZZZZZZZZ9?t=5", key="ZZZZZZZZZZ9",
                     start=5)
    fr = NotesPage(url=FR, edition="SP20", language="fr", kind="notes", title="F", week=2,
                   part="02-1", translation_of=EN,
                   sections=(Section(anchor="a", heading="A", level=2, position=1, text="",
                                     video=video),))
    pages, repaired, broken = repair_links([en, fr])
    assert pages[1].sections[0].video == video
    assert (repaired, broken) == ([], [])


def test_ambiguous_case_match_is_broken_not_guessed():
    def en_video(vid):
        return Section(anchor=vid, heading=vid, level=2, position=1, text="",
                       video=Resource(kind="video", url=f"https://youtu.be/{vid}", key=vid))

    en = NotesPage(url=EN, edition="SP20", language="en", kind="notes", title="E", week=2,
                   part="02-1", sections=(en_video("AbCdEfGhIj1"), en_video("ABCDEFGHIJ1")))
    damaged = Resource(kind="video", url="https://youtu.be/abcdefghij1", key="abcdefghij1")
    fr = NotesPage(url=FR, edition="SP20", language="fr", kind="notes", title="F", week=2,
                   part="02-1", translation_of=EN,
                   sections=(Section(anchor="a", heading="A", level=2, position=1, text="",
                                     video=damaged),))
    pages, repaired, broken = repair_links([en, fr])
    assert repaired == []
    assert [r.key for r in broken] == ["abcdefghij1"]
    assert pages[1].sections[0].video.broken


def test_old_site_address_folded():
    target = BASE + "en/week01/01-3/"
    page = NotesPage(url=EN, edition="SP20", language="en", kind="notes", title="E", week=2,
                     part="02-1", links=(Link(
                         url="https://atcold.github.io/pytorch-Deep-Learning/en/week01/01-3/"),))
    pages, repaired, broken = repair_links([page, _stub(target)])
    assert pages[0].links[0].url == target
    assert repaired[0].repaired_from.startswith("https://atcold.github.io/pytorch-Deep-Learning/")
    assert broken == []


@pytest.mark.parametrize(
    ("damaged", "original"),
    [
        ("https://www.youtube.com/watch؟v=AbC&t=1s", "https://www.youtube.com/watch?v=AbC&t=1s"),
        ("http://yann.le cun.com/x/Le Cun-98.pdf", "http://yann.lecun.com/x/lecun-98.pdf"),
        (BASE + "es/week13/13-3/(https:/docs.example.org/g.html)/", "https://docs.example.org/g.html"),
        (BASE + "fr/week14/14-1/example.org/a.pdf", "http://example.org/a.pdf"),
        ("Https://WWW.Example.org/a/", "https://example.org/a"),
    ],
)
def test_loose_form(damaged, original):
    assert loose(damaged) == loose(original)


def test_loose_keeps_different_urls_apart():
    assert loose("https://example.org/a.pdf") != loose("https://example.org/b.pdf")


# -- a dash lost from a video ID (the shape of SP20 ja/week05/05-2) ---------------------------

_DASHED = """<main><div class="page"><h1 class="page-title">T</h1>
<h2 id="a"><a href="https://www.youtube.com/watch?v=--AbCdEfGhI&amp;t=100s">A</a></h2><p>x</p>
<h2 id="b"><a href="https://www.youtube.com/watch?v=--AbCdEfGhI&amp;t=200s">B</a></h2><p>y</p>
</div></main>"""
_LOST_DASH = """<main><div class="page"><h1 class="page-title">T</h1>
<h2 id="a"><a href="https://www.youtube.com/watch?v=--AbCdEfGhI&amp;t=100s">A</a></h2><p>x</p>
<h2 id="b">[B]（https://www.youtube.com/watch?v=-AbCdEfGhI&amp;t=200s）</h2><p>y</p>
</div></main>"""


def _dash_pages(translated: str, start: int = 200):
    en = parse_page(_DASHED.replace("t=200s", f"t={start}s"), BASE + "en/week05/05-2/", "SP20")
    ja = parse_page(translated, BASE + "ja/week05/05-2/", "SP20")
    return repair_links([en, ja])


def test_lost_dash_in_video_id_repaired_from_the_english_page():
    pages, repaired, broken = _dash_pages(_LOST_DASH)
    video = next(p for p in pages if p.language == "ja").sections[1].video
    assert (video.key, video.start, video.broken) == ("--AbCdEfGhI", 200, False)
    assert video.repaired_from == "https://www.youtube.com/watch?v=-AbCdEfGhI&t=200s"
    assert [r.key for r in repaired] == ["--AbCdEfGhI"] and broken == []


def test_lost_dash_not_repaired_when_the_english_moment_differs():
    pages, repaired, broken = _dash_pages(_LOST_DASH, start=300)
    video = next(p for p in pages if p.language == "ja").sections[1].video
    assert video.broken and repaired == [] and len(broken) == 1
