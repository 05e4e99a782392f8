"""ingest.early_class_page on the hand-written SP20-shaped page (``fixtures/documents``)."""

from __future__ import annotations

import pytest
from conftest import FIXTURES_DIR

from dlgraph.records import Document, PersonRef
from ingest import registry
from ingest.documents import ManifestEntry, parse_document, to_html
from ingest.early_class_page import parse_early_class_page

URL = "https://atcold.github.io/pytorch-Deep-Learning-Minicourse/"
BASE = Document("SP20", "course-page", "Toy SP20", URL, "early_class_page.md", "")


@pytest.fixture(scope="module")
def page() -> Document:
    text = (FIXTURES_DIR / "documents" / "early_class_page.md").read_text(encoding="utf-8")
    html, front = to_html(text)
    return parse_early_class_page(html, BASE, front, instructors=("Yann LeCun", "Alfredo Canziani"))


def _roles(doc: Document) -> dict[str, str]:
    return {p.key: p.role for p in doc.people if p.role != "grader"}


def test_the_instructors_are_the_course_s_not_the_code_s():
    text = (FIXTURES_DIR / "documents" / "early_class_page.md").read_text(encoding="utf-8")
    html, front = to_html(text)
    doc = parse_early_class_page(html, BASE, front, instructors=("Tee Helper",))
    assert _roles(doc) == {"yann-lecun": "teaching-assistant",
                           "alfredo-canziani": "teaching-assistant", "tee-helper": "instructor"}


def test_a_saved_course_page_takes_its_instructors_from_the_editions_registry():
    text = (FIXTURES_DIR / "documents" / "early_class_page.md").read_text(encoding="utf-8")
    entry = ManifestEntry("early_class_page.md", "SP20", "course-page", "Toy SP20", URL,
                          "jekyll-markdown")
    assert _roles(parse_document(entry, text))["yann-lecun"] == "instructor"
    try:
        registry.configure(registry.parse(
            '[[course]]\ncode = "DS-GA 1008"\ninstructors = ["Tee Helper"]\n', "o.toml",
            registry.shipped()))
        assert _roles(parse_document(entry, text))["tee-helper"] == "instructor"
    finally:
        registry.configure(registry.shipped())


def test_people_roles_and_obfuscated_emails(page):
    assert page.people == (
        PersonRef("Yann LeCun", "yann-lecun", "instructor", "yann@cs.nyu.edu"),
        PersonRef("Alfredo Canziani", "alfredo-canziani", "instructor", "canziani@nyu.edu"),
        PersonRef("Tee Helper", "tee-helper", "teaching-assistant", "th9@toy.edu"),
        PersonRef("Gia Grader", "gia-grader", "grader", "gg1@toy.edu"),
        PersonRef("Hal Marker", "hal-marker", "grader", "hm2@toy.edu"),
    )


def test_grading(page):
    assert page.grading == (
        "undergraduates and masters (default): 60% Toy homework.",
        # the KaTeX colour macro is unwrapped to its words
        "undergraduates and masters (default): 30% Toy test on a date to be decided.",
        "undergraduates and masters (default): ±10% toy write-up.",
        "doctorate candidates (requires approval): 90% Toy research.",
        "doctorate candidates (requires approval): ±10% toy write-up.",
    )


def test_schedule(page):
    assert page.schedule == ("Homework Assignment 1: TBA; Due ~ mid toy month",
                             "Homework Assignment 2: TBA; Due ~ end of toy month")


def test_scribing_and_late_policies(page):
    assert [p.split(":")[0] for p in page.policies] == [
        "Lecture Notes", "Writer Instructions", "Late submission"]
    assert page.policies[1] == "Writer Instructions: Annotate a toy subsection. Write ~100 toy words."
    assert page.policies[2] == "Late submission: No late submissions will be accepted."


def test_links(page):
    assert [link.url for link in page.links] == [
        "https://bit.ly/TOYSP20",
        URL,
        "https://qa.example.org/toy",
        "https://pad.example.org/",
        "https://github.com/Atcold/pytorch-Deep-Learning-Minicourse/tree/master/docs",
    ]
    assert page.links[2].context == "Toy questions here."


def test_text(page):
    assert page.text.splitlines()[0] == "A toy course page from early toy times."
    assert "gdef" not in page.text and "$" not in page.text
    assert page.author is None and page.date is None
