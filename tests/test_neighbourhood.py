"""dlgraph.neighbourhood: the node-link picture around an entity, on ``small_graph``."""

from __future__ import annotations

from dlgraph.neighbourhood import focus_options, layout, neighbourhood
from dlgraph.vocab import lecture_iri, person_iri

SP20 = str(lecture_iri("SP20", "02-1"))
FR = "https://atcold.github.io/NYU-DLSP20/fr/week02/02-1/"


def test_neighbourhood_of_a_lecture(small_graph):
    nb = neighbourhood(small_graph, SP20)
    kinds = {n["label"]: n["kind"] for n in nb["nodes"]}
    assert kinds["Toy gradients and backprop (SP20)"] == "lecture"
    # a video is named after the item that shows it, not by its YouTube ID
    assert kinds["video: Toy gradients and backprop"] == "video"
    assert kinds["Yann LeCun"] == "person"
    ids = {n["id"] for n in nb["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in nb["edges"])
    # notes pages, translations and sections fold into the lecture, moments into the video
    assert not any(n["kind"] == "notes page" or "/t/" in n["id"] for n in nb["nodes"])
    labels = {(e["source"], e["target"]): e["label"] for e in nb["edges"]}
    assert "translator" in labels[(SP20, str(person_iri("chloe exemple")))]


def test_a_shared_video_is_named_after_its_oldest_item(small_graph):
    # SP21 "History of toy networks" and FL22 "History" show VIDtoy0101
    nb = neighbourhood(small_graph, str(lecture_iri("FL22", "01")))
    labels = {n["label"] for n in nb["nodes"] if n["kind"] == "video"}
    assert labels == {"video: History of toy networks"}


def test_translations_are_not_drawn_on_their_own(small_graph):
    nb = neighbourhood(small_graph, str(person_iri("yann lecun")), depth=2)
    assert not any(n["id"] == FR for n in nb["nodes"])


def test_neighbourhood_of_a_person_names_roles(small_graph):
    nb = neighbourhood(small_graph, str(person_iri("yann lecun")))
    labels = {e["label"] for e in nb["edges"]}
    assert "instructor" in labels
    assert any("lecturer" in label for label in labels)


def test_neighbourhood_depth_and_cap(small_graph):
    one = neighbourhood(small_graph, SP20, depth=1)
    two = neighbourhood(small_graph, SP20, depth=2)
    assert len(two["nodes"]) > len(one["nodes"])
    capped = neighbourhood(small_graph, SP20, depth=2, max_nodes=5)
    assert len(capped["nodes"]) == 5 and capped["truncated"]


def test_neighbourhood_of_unknown_is_empty(small_graph):
    assert neighbourhood(small_graph, "https://example.org/x")["nodes"] == []


def test_layout_is_deterministic_with_the_centre_fixed(small_graph):
    nb = neighbourhood(small_graph, SP20)
    pos = layout(nb)
    assert set(pos) == {n["id"] for n in nb["nodes"]}
    assert pos[SP20] == (0.0, 0.0)
    assert layout(nb) == pos


def test_focus_options_cover_lectures_topics_people(small_graph):
    kinds = {o["kind"] for o in focus_options(small_graph)}
    assert kinds == {"lecture", "topic", "person"}


def test_no_drawn_resource_shows_a_raw_drive_or_youtube_id(small_graph):
    # SP20 toy lecture 01 links Drive slides DRIVEtoy01: the node says whose slides they are
    nb = neighbourhood(small_graph, SP20)
    slides = [n["label"] for n in nb["nodes"] if n["kind"] == "slides"]
    assert slides == ["slides: Toy gradients and backprop"]
    for iri in {n["id"] for n in nb["nodes"]} | {SP20}:
        for n in neighbourhood(small_graph, iri)["nodes"]:
            if n["kind"] in ("video", "slides", "notebook"):
                assert "DRIVE" not in n["label"] and "VIDtoy" not in n["label"], n
