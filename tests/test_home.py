"""A home page's parser is picked by what the page holds, never by its edition code."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import home

SITES = Path(__file__).parent / "fixtures" / "sites"


@pytest.mark.parametrize(
    ("fixture", "shape"),
    [("sp20_home.html", "week-table"), ("themes_home.html", "themes"), ("fl22_home.html", "themes")],
)
def test_shape_is_recognised_by_content(fixture, shape):
    assert home.recognise((SITES / fixture).read_text(encoding="utf-8")) == shape


def test_the_same_page_parses_the_same_under_any_edition_code():
    html = (SITES / "themes_home.html").read_text(encoding="utf-8")
    a = home.parse_home(html, "https://atcold.github.io/X/", "AA11")
    b = home.parse_home(html, "https://atcold.github.io/X/", "BB22")
    assert [lec.title for lec in a.lectures] == [lec.title for lec in b.lectures]
    assert a.lectures


def test_a_page_of_no_known_shape_has_no_items_and_no_error():
    page = home.parse_home("<main><div class='page'><h2>Lectures</h2><p>Soon.</p></div></main>",
                           "https://atcold.github.io/X/", "XX")
    assert page.lectures == () and page.themes == ()
