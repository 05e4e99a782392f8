"""A list-shaped home page (lectures as a numbered list, no themes), on a hand-written fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import home
from ingest.home_list import parse_home

SITES = Path(__file__).parent / "fixtures" / "sites"
URL = "https://atcold.github.io/ZZ-Robotics/"


@pytest.fixture(scope="module")
def page():
    return parse_home((SITES / "list_home.html").read_text(encoding="utf-8"), URL, "ZR24")


@pytest.fixture(scope="module")
def items(page):
    return {lec.key: lec for lec in page.lectures}


def test_the_shape_is_recognised_as_a_list():
    assert home.recognise((SITES / "list_home.html").read_text(encoding="utf-8")) == "list"


def test_every_item_of_the_list_is_a_lecture(page):
    assert [lec.key for lec in page.lectures] == ["01", "02", "03"]
    assert [lec.position for lec in page.lectures] == [1, 2, 3]
    assert {lec.format for lec in page.lectures} == {"lecture"}
    assert page.themes == ()


def test_titles_come_from_the_items_own_text(items):
    # nested readings, extra links and the words after the markers are not the title
    assert [lec.title for lec in items.values()] == [
        "Made-up history of machines", "Imaginary inference for robots", "Planning in a toy world"]


def test_marked_links_are_the_items_resources(items):
    kinds = [(r.kind, r.key) for r in items["03"].resources]
    assert kinds == [("video", "ZZZZZZZZZZ3"), ("slides", "drive:FAKEslidesZ3"),
                     ("notes", "drive:FAKEnotesZ3")]
    assert ("notebook", "github:Atcold/NYU-DLSP20/02-made_up.ipynb") in [
        (r.kind, r.key) for r in items["02"].resources]


def test_unmarked_youtube_links_are_not_the_recording(items):
    for key, extra in (("01", "ANIMATION01"), ("02", "DEMOVIDEO02")):
        videos = [r.key for r in items[key].resources if r.kind == "video"]
        others = [r.key for r in items[key].resources if r.kind == "other"]
        assert extra not in videos and extra in others
    assert [r.key for r in items["01"].resources if r.kind == "video"] == ["BBBBBBBBBB1"]


def test_nested_book_places_are_readings_of_the_item(items):
    readings = items["01"].readings
    assert [(r.title, r.detail, r.kind) for r in readings] == [
        ("Artificial Intelligence: An Invented Approach", "chapter 1", "book"),
        ("Deep Learning", "chapter 6", "book"),
    ]
    assert readings[1].url == "https://www.deeplearningbook.org/"
    assert readings[0].authors == ("Russell", "Norvig")
    assert {r.lecture for r in readings} == {"Made-up history of machines"}


def test_a_nested_paper_link_is_an_extra_resource_of_the_item(items):
    assert "https://arxiv.org/abs/2101.00001" in [r.url for r in items["02"].resources]
    assert items["02"].readings == ()  # sub-topics are not readings


def test_suggested_readings_are_the_courses_books(page):
    assert [(r.title, r.authors) for r in page.readings] == [
        ("Artificial Intelligence: An Invented Approach", ("Russell", "Norvig")),
        ("Deep Learning", ("Goodfellow", "Bengio", "Courville")),
    ]


def test_several_instructors(page):
    assert [(p.name, p.role) for p in page.people] == [
        ("Ada Lovelace", "instructor"), ("Quentin Quill", "instructor"), ("Rosa Riveter", "instructor")]


def test_a_home_page_without_lectures_yet():
    html = (SITES / "empty_home.html").read_text(encoding="utf-8")
    assert home.recognise(html) is None and not home.has_markers(html)
    page = home.parse_home(html, URL, "ZR25")
    assert page.lectures == () and [p.name for p in page.people] == ["Quentin Quill", "Rosa Riveter"]


def test_the_themed_fixture_is_not_taken_for_a_list():
    assert home.recognise((SITES / "themes_home.html").read_text(encoding="utf-8")) == "themes"
