"""Themed home pages (SP21 and FL22 shapes), on hand-written fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.home_themes import parse_home

SITES = Path(__file__).parent / "fixtures" / "sites"
SP21 = "https://atcold.github.io/NYU-DLSP21/"
FL22 = "https://atcold.github.io/NYU-DLFL22/"


@pytest.fixture(scope="module")
def sp21():
    return parse_home((SITES / "themes_home.html").read_text(encoding="utf-8"), SP21, "SP21")


@pytest.fixture(scope="module")
def fl22():
    return parse_home((SITES / "fl22_home.html").read_text(encoding="utf-8"), FL22, "FL22")


def _by_key(home):
    return {lec.key: lec for lec in home.lectures}


# -- SP21 shape ---------------------------------------------------------------------------


def test_themes(sp21):
    assert [(t.number, t.title) for t in sp21.themes] == [(1, "Beginnings"), (2, "Shapes")]


def test_items_in_order_with_keys(sp21):
    assert [lec.key for lec in sp21.lectures] == ["t1.1", "t1.2", "t1.3", "t2.1", "t2.2", "misc.1"]
    assert [lec.position for lec in sp21.lectures] == [1, 2, 3, 4, 5, 6]


def test_list_before_themes_is_not_an_item(sp21):
    assert all("Not an item" not in lec.title for lec in sp21.lectures)


def test_item_theme(sp21):
    items = _by_key(sp21)
    assert (items["t1.2"].theme, items["t2.1"].theme, items["misc.1"].theme) == (1, 2, None)


def test_group_label_of_items_under_no_theme(sp21):
    items = _by_key(sp21)
    assert items["misc.1"].group == "Miscellaneous"
    assert {items[k].group for k in ("t1.1", "t2.1")} == {None}


def test_titles_leave_out_emoji_and_part_links(sp21):
    items = _by_key(sp21)
    assert items["t1.1"].title == "Made-up history"
    assert items["t2.1"].title == "Fictional nets"


def test_resources_by_emoji(sp21):
    assert [(r.kind, r.key) for r in _by_key(sp21)["t2.1"].resources] == [
        ("video", "BBBBBBBBBB3"),
        ("slides", "drive:FAKEslidesB3"),
        ("notes", "drive:FAKEnotesB3"),
    ]


def test_notes_urls_with_parts(sp21):
    assert _by_key(sp21)["t2.1"].notes_urls == (
        SP21 + "en/week11/11/",
        SP21 + "en/week11/11-1/",
        SP21 + "en/week11/11-2/",
    )


def test_relative_notes_link_resolved(sp21):
    assert _by_key(sp21)["t2.2"].notes_urls == (SP21 + "en/week15/15-1/",)


def test_homework_item(sp21):
    hw = _by_key(sp21)["t1.3"]
    assert hw.format == "homework"
    assert hw.title == "Homework 1: invented"
    assert [(r.kind, r.key) for r in hw.resources] == [("homework", "drive:FAKEfolderHW1")]


def test_lecture_format(sp21):
    assert _by_key(sp21)["t1.1"].format == "lecture"


def test_instructors(sp21):
    assert [(p.key, p.role) for p in sp21.people] == [
        ("ada-lovelace", "instructor"),
        ("emile-zola", "instructor"),
    ]


def test_nothing_reused_without_missing_spans(sp21):
    assert not any(lec.reused for lec in sp21.lectures)


# -- FL22 shape ---------------------------------------------------------------------------


def test_numbered_keys(fl22):
    assert [lec.key for lec in fl22.lectures] == ["00", "01", "08", "09", "14"]
    assert [lec.number for lec in fl22.lectures] == [0, 1, 8, 9, 14]


def test_reused_flag_from_missing_span(fl22):
    assert [lec.reused for lec in fl22.lectures] == [False, True, True, True, False]


def test_see_wrapper_removed_from_title(fl22):
    items = _by_key(fl22)
    assert items["08"].title == "Old signals talk"
    assert items["00"].title == "Fresh opening talk"


def test_resources_inside_see_wrapper(fl22):
    assert [(r.kind, r.key, r.start) for r in _by_key(fl22)["08"].resources] == [
        ("video", "BBBBBBBBBB2", None),
        ("notebook", "github:Atcold/NYU-DLSP20/06-made_up.ipynb", None),
        ("video", "CCCCCCCCCC8", 3723),
    ]


def test_footnote_text(fl22):
    items = _by_key(fl22)
    assert items["09"].footnotes == (
        "A made-up footnote about future diagrams (see post).",
    )
    assert items["09"].title == "Old recurrent talk"
    assert items["14"].footnotes == ()


def test_fl22_themes_and_instructors(fl22):
    assert [t.number for t in fl22.themes] == [1, 2]
    assert [p.key for p in fl22.people] == ["emile-zola", "ada-lovelace"]


@pytest.mark.parametrize("home_name", ["sp21", "fl22"])
def test_every_item_has_edition_and_live_urls(home_name, request):
    home = request.getfixturevalue(home_name)
    for lec in home.lectures:
        assert lec.edition == home.edition
        for url in (*lec.notes_urls, *(r.url for r in lec.resources)):
            assert url.startswith("https://"), url
