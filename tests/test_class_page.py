"""ingest.class_page on the hand-written FL23-shaped capture (``fixtures/documents``)."""

from __future__ import annotations

import pytest
from conftest import FIXTURES_DIR

from dlgraph.records import Document, Link, PersonRef, Reading
from ingest.class_page import (
    captured_url,
    grading_scheme,
    heading_role,
    inline,
    late_policy,
    parse_class_page,
    person_from_line,
    readings_from_text,
    sections,
)

TEXT = (FIXTURES_DIR / "documents" / "class_page.txt").read_text(encoding="utf-8")
BASE = Document("FL23", "course-page", "Toy FL23", None, "class_page.txt", "")


@pytest.fixture(scope="module")
def page() -> Document:
    return parse_class_page(TEXT, BASE)


def test_manifest_fields_untouched(page):
    assert (page.edition, page.kind, page.title, page.url, page.file) == (
        "FL23", "course-page", "Toy FL23", None, "class_page.txt")


def test_people(page):
    assert page.people == (
        PersonRef("Ada Example", "ada-example", "instructor", "ada@toy.edu"),
        PersonRef("Yann LeCun", "yann-lecun", "instructor", "yann@cs.nyu.edu"),
        PersonRef("Tee Assistant", "tee-assistant", "teaching-assistant", "ta123@toy.edu"),
        PersonRef("Gia Grader", "gia-grader", "grader", "gg1@toy.edu"),
        PersonRef("Hal Marker", "hal-marker", "grader", "hm2@toy.edu"),
    )


def test_grading_both_schemes(page):
    assert page.grading == (
        "undergraduates and masters (default): 40% Homework - toy theory",
        "undergraduates and masters (default): 50% Final toy competition",
        "undergraduates and masters (default): 10% Class participation",
        "doctorate candidates (REQUIRES APPROVAL): 70% Individual toy research",
        "doctorate candidates (REQUIRES APPROVAL): 20% Homework – toy theory",
        "doctorate candidates (REQUIRES APPROVAL): 10% Class participation",
    )


def test_policies(page):
    assert [p.split(":")[0] for p in page.policies] == ["Collaboration policy", "Late submission"]
    assert page.policies[0].endswith("reported to the Integrity office.")  # <u>, ** gone
    # The office-hours "come late" is not a late-work rule; the homework's extra days are.
    assert page.policies[1] == "Late submission: Every extra day (max 2 days) will cost 5% of the grade."


def test_schedule(page):
    assert page.schedule == ("Homework 1: Release date 1 Feb; Due date 10 Feb", "Homework 2",
                             "Final Competition")


def test_general_readings(page):
    general = [r for r in page.readings if r.lecture is None]
    assert general == [
        Reading("Toy Channel Essence of Toy Algebra", kind="video", context="Toy maths"),
        Reading("Toy Mathematics", authors=("Grossman",), detail="the first 3 chapters",
                context="Toy maths"),
        Reading("Toy Learning", authors=("Ann Author", "Bob Writer"), context="Toy Learning"),
        Reading("Toy Patterns", "https://www.goodreads.com/book/show/12345",
                context="Toy Classics"),
    ]


def test_per_lecture_readings(page):
    per_lecture = [r for r in page.readings if r.lecture is not None]
    assert per_lecture == [
        Reading("Toy Mathematics", authors=("Grossman",), detail="Chapter 4",
                lecture="Toy backprop"),
        Reading("Toy Learning", authors=("Ann Author", "Bob Writer"), detail="Section 2.3",
                lecture="Toy backprop", context="Optionally"),
        Reading("toy-energy-07", "http://toy.example.org/papers/toy-energy-07.pdf", kind="pdf",
                lecture="Toy energies"),
        Reading("Toy Learning", authors=("Ann Author", "Bob Writer"), detail="Chapters 9-10",
                lecture="Toy convnets"),
    ]


def test_links(page):
    line = "Spring 2020 toy website here. Fall 2022 here."
    assert page.links == (
        Link("https://atcold.github.io/NYU-DLSP20/", "Spring 2020", line),
        Link("https://atcold.github.io/NYU-DLFL22/", "Fall 2022", line),
        Link("https://editor.example.org/edu", "https://editor.example.org/edu",
             "Toy editor for everyone at https://editor.example.org/edu."),
        Link("https://www.goodreads.com/book/show/12345", "",
             "https://www.goodreads.com/book/show/12345.Toy Patterns"),
        Link("http://toy.example.org/papers/toy-energy-07.pdf", "",
             "Toy energies http://toy.example.org/papers/toy-energy-07.pdf"),
    )


def test_text_is_plain(page):
    lines = page.text.splitlines()
    assert lines[0] == "Toy Deep Learning – FL23"
    assert "Ada Example ada@toy.edu" in lines
    assert "Toy energies | http://toy.example.org/papers/toy-energy-07.pdf" in lines
    assert not any(mark in page.text for mark in ("#", "<u>", "<a ", "**"))


# -- helpers -----------------------------------------------------------------------------------


def test_sections():
    secs = sections("intro\n# A\none\n#### **B** ##\ntwo\n\nthree\n")
    assert [(s.level, s.heading) for s in secs] == [(0, ""), (1, "A"), (4, "B")]
    assert secs[2].paragraphs() == ["two", "three"]


def test_inline():
    item = inline('Spring 2021 <a href="here">here</a> and <u>Toy Repo</u> <b>bold</b>')
    assert item.text == "Spring 2021 here and Toy Repo bold"
    assert item.anchors == ((12, "here", "here"),)
    assert item.underlined == ("Toy Repo",)


@pytest.mark.parametrize(
    ("heading", "role"),
    [("Instructors", "instructor"), ("Teaching Assistant (TA)", "teaching-assistant"),
     ("TAs", "teaching-assistant"), ("Graders", "grader"), ("Data tables", None),
     ("Office hours", None)],
)
def test_heading_role(heading, role):
    assert heading_role(heading) == role


@pytest.mark.parametrize(
    ("line", "name", "key", "email"),
    [
        ("- 2. Gia Grader <gg1@toy.edu>", "Gia Grader", "gia-grader", "gg1@toy.edu"),
        ("Yann LeCun - yann [ at ] cs.nyu.edu", "Yann LeCun", "yann-lecun", "yann@cs.nyu.edu"),
        ("Hal  Marker  - hm2 [ at ] toy.edu", "Hal Marker", "hal-marker", "hm2@toy.edu"),
        ("Ada Example", "Ada Example", "ada-example", None),
    ],
)
def test_person_from_line(line, name, key, email):
    assert person_from_line(line, "grader") == PersonRef(name, key, "grader", email)


def test_person_from_sentence_is_none():
    assert person_from_line("There might be changes to the schedule in some weeks", "grader") is None


def test_grading_scheme():
    assert grading_scheme("Grading, doctorate candidates") == "doctorate candidates"
    assert grading_scheme("Grading") == "default"
    assert grading_scheme("Doctorate candidates grading") is None


def test_late_policy():
    assert late_policy(["Come late if you must. No late work. Be kind."]) == (
        "Late submission: No late work.")
    assert late_policy(["Come late to office hours."]) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Toy Book Section 1.2 and more", [Reading("Toy", detail="Section 1.2"),
                                           Reading("more")]),
        ("Toy Algebra Chapters 2, 3 Optionally - Toy Calculus Sec. 4",
         [Reading("Toy Algebra", detail="Chapters 2, 3"),
          Reading("Toy Calculus", detail="Sec. 4", context="Optionally")]),
        ("Toy Algebra book by Ann Author, Bob Writer and C. D. Third (chapter 2)",
         [Reading("Toy Algebra", authors=("Ann Author", "Bob Writer", "C. D. Third"),
                  detail="chapter 2")]),
        ("https://arxiv.org/abs/1234.56789", [Reading("1234.56789", "https://arxiv.org/abs/1234.56789",
                                                      kind="paper")]),
        ("YouTube playlist Toy Lectures.", [Reading("Toy Lectures", kind="video")]),
        ("http://t.org/a.pdf and http://t.org/b.pdf.",
         [Reading("a", "http://t.org/a.pdf", kind="pdf"), Reading("b", "http://t.org/b.pdf", kind="pdf")]),
    ],
)
def test_readings_from_text(text, expected):
    assert readings_from_text(text) == expected


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        # The capture cut the slug at a space that was a "_": the book number still finds it.
        ("https://www.goodreads.com/book/show/12345.Toy", "https://www.goodreads.com/book/show/12345"),
        ("https://www.goodreads.com/book/show/12345", "https://www.goodreads.com/book/show/12345"),
        ("https://www.goodreads.com/author/show/9.Ann", "https://www.goodreads.com/author/show/9.Ann"),
        ("http://toy.example.org/a.pdf", "http://toy.example.org/a.pdf"),
    ],
)
def test_captured_url_keeps_what_still_points_at_the_work(url, kept):
    assert captured_url(url) == kept


def test_a_goodreads_slug_cut_at_a_space_keeps_its_title_and_a_whole_url():
    (book,) = readings_from_text("https://www.goodreads.com/book/show/12345.Toy Pattern Things")
    assert (book.title, book.url, book.kind) == (
        "Toy Pattern Things", "https://www.goodreads.com/book/show/12345", "book")
