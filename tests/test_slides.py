"""Slide decks: text and title per page, from a two-page PDF made here."""

from __future__ import annotations

import pytest
from fixtures.pdf import make_pdf

from ingest.slides import SlidesError, deck_title, parse_pdf


@pytest.fixture(scope="module")
def pages():
    return parse_pdf(make_pdf([["Widget basics", "a knob and a lever"],
                               ["Gears (and more)", "only-on-slide zorblax"]]))


def test_pages_are_numbered_from_one(pages):
    assert [p.number for p in pages] == [1, 2]


def test_title_is_the_first_line(pages):
    assert [p.title for p in pages] == ["Widget basics", "Gears (and more)"]


def test_text_per_page(pages):
    assert "zorblax" in pages[1].text and "zorblax" not in pages[0].text


@pytest.mark.parametrize("data", [b"", b"%PDF-1.4 garbage", b"not a pdf"])
def test_damaged_pdf_raises(data):
    with pytest.raises(SlidesError):
        parse_pdf(data)


def test_deck_title_from_the_file_name():
    assert deck_title("slides/05 - Generative models.pdf") == "Generative models"
