"""SP20's week-table home page, on a hand-written fixture of the same shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.home_table import parse_home

SITES = Path(__file__).parent / "fixtures" / "sites"
URL = "https://atcold.github.io/NYU-DLSP20/"


@pytest.fixture(scope="module")
def home():
    return parse_home((SITES / "sp20_home.html").read_text(encoding="utf-8"), URL, "SP20")


@pytest.fixture(scope="module")
def rows(home):
    return {lec.key: lec for lec in home.lectures}


def test_one_lecture_per_row_in_order(home):
    assert [lec.key for lec in home.lectures] == ["01-1", "01-2", "01-3", "02-1", "02-2"]
    assert [lec.position for lec in home.lectures] == [1, 2, 3, 4, 5]


def test_week_from_rowspan_cell(rows):
    assert [rows[k].week for k in ("01-1", "01-2", "01-3", "02-1", "02-2")] == [1, 1, 1, 2, 2]


def test_format_spans_rows(rows):
    assert rows["01-1"].format == rows["01-2"].format == "lecture"
    assert rows["01-3"].format == "practicum"
    assert rows["02-2"].format == "practicum"


def test_title(rows):
    assert rows["01-2"].title == "Invented topic two"


def test_notes_url_is_live(rows):
    assert rows["01-3"].notes_urls == (URL + "en/week01/01-3/",)


def test_shared_resource_cell_serves_both_lectures(rows):
    assert rows["01-1"].resources == rows["01-2"].resources
    assert [(r.kind, r.key) for r in rows["01-2"].resources] == [
        ("slides", "drive:FAKEdriveSLIDES01"),
        ("video", "AAAAAAAAAA1"),
    ]


def test_resources_by_emoji_with_old_repo_folded(rows):
    assert [(r.kind, r.key) for r in rows["01-3"].resources] == [
        ("slides", "github:Atcold/NYU-DLSP20/slides/01 - Made up.pdf"),
        ("notebook", "github:Atcold/NYU-DLSP20/01-made_up.ipynb"),
        ("video", "AAAAAAAAAA2"),
    ]


def test_own_resource_cells_when_format_spans(rows):
    assert [r.key for r in rows["02-1"].resources] == ["drive:FAKEdriveSLIDES02", "AAAAAAAAAA3"]
    assert [r.key for r in rows["02-2"].resources] == ["AAAAAAAAAA4"]


def test_instructors(home):
    instructors = {p.key: p for p in home.people if p.role == "instructor"}
    assert set(instructors) == {"ada-lovelace", "emile-zola"}
    assert instructors["ada-lovelace"].email == "ada@example.edu"


def test_assistant_and_webmaster_kept_commented_rows_ignored(home):
    people = {(p.key, p.role): p for p in home.people if p.role != "instructor"}
    assert set(people) == {("bob-builder", "teaching-assistant"), ("cy-webb", "webmaster")}
    assert (people[("cy-webb", "webmaster")].name, people[("cy-webb", "webmaster")].email) == (
        "Cy Webb", "cy@example.edu")


def test_page_fields(home):
    assert (home.edition, home.url, home.themes) == ("SP20", URL, ())


@pytest.mark.parametrize("i", range(5))
def test_every_lecture_has_edition_and_live_urls(home, i):
    lec = home.lectures[i]
    assert lec.edition == "SP20"
    assert lec.source_url == URL
    for url in (*lec.notes_urls, *(r.url for r in lec.resources)):
        assert url.startswith("https://") and "127.0.0.1" not in url
