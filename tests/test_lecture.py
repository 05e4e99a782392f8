"""dlgraph.lecture: one lecture's view, on ``small_graph``."""

from __future__ import annotations

import json

import pytest

from dlgraph.lecture import as_lecture, lecture_list, lecture_view
from dlgraph.vocab import lecture_iri

SP20 = str(lecture_iri("SP20", "02-1"))
EN = "https://atcold.github.io/NYU-DLSP20/en/week02/02-1/"
FR = "https://atcold.github.io/NYU-DLSP20/fr/week02/02-1/"


@pytest.fixture(scope="module")
def view(small_graph):
    return lecture_view(small_graph, SP20)


def test_lecture_list_is_in_course_order(small_graph):
    rows = lecture_list(small_graph)
    assert [r["edition"] for r in rows] == ["SP20"] * 2 + ["SP21"] * 4 + ["FL22"] * 2
    assert rows[0] == {"iri": SP20, "title": "Toy gradients and backprop", "edition": "SP20",
                       "format": "lecture", "position": 1}
    assert [r["title"] for r in lecture_list(small_graph, "FL22")] == [
        "History", "Toy energy based models, again"]


def test_view_is_plain_json(view):
    assert json.loads(json.dumps(view)) == view


def test_view_edition_and_place(view):
    assert view["title"] == "Toy gradients and backprop"
    assert view["edition"] == "SP20"
    assert view["edition_url"] == "https://atcold.github.io/NYU-DLSP20/"
    assert (view["week"], view["format"], view["reused"]) == (2, "lecture", False)
    assert view["theme"] is None


def test_view_theme(small_graph):
    v = lecture_view(small_graph, str(lecture_iri("SP21", "t2.1")))
    assert v["theme"] == {"iri": "https://w3id.org/dlgraph/id/edition/SP21/theme/2",
                          "label": "Toy energy models", "number": 2}


def test_view_resources(view):
    kinds = {r["kind"]: r["url"] for r in view["resources"]}
    assert kinds == {"video": "https://www.youtube.com/watch?v=VIDtoy0001",
                     "slides": "https://drive.google.com/file/d/DRIVEtoy01/"}


def test_view_pages_english_first_with_timestamped_sections(view):
    assert [p["url"] for p in view["pages"]] == [EN, FR]
    assert view["languages"] == ["en", "fr"]
    first = view["pages"][0]["sections"][0]
    assert first["heading"] == "Toy gradients"
    assert (first["start"], first["video_url"]) == (
        29, "https://www.youtube.com/watch?v=VIDtoy0001&t=29s")
    assert view["pages"][0]["sections"][1]["level"] == 3
    assert view["pages"][1]["translation_of"] == EN


def test_view_people(view):
    assert [p["name"] for p in view["lecturers"]] == ["Yann LeCun"]
    assert [p["name"] for p in view["notes_authors"]] == ["Ada Example", "Bo Sample"]
    assert [p["name"] for p in view["translators"]] == ["Chloé Exemple"]


def test_view_readings(view):
    assert [r["title"] for r in view["readings"]] == ["Gradient Tricks for Toy Networks"]


def test_view_same_lecture_elsewhere(small_graph):
    v = lecture_view(small_graph, str(lecture_iri("FL22", "01")))
    assert {"iri": str(lecture_iri("SP21", "t1.1")), "title": "History of toy networks",
            "edition": "SP21", "relation": "same recording"} in v["other_editions"]
    assert v["reused"] is True


def test_view_from_notes_page_or_section(small_graph):
    assert lecture_view(small_graph, FR)["iri"] == SP20
    assert str(as_lecture(small_graph, EN + "#chain-rule")) == SP20
    assert lecture_view(small_graph, "https://example.org/nothing") is None
