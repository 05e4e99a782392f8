"""Aligned syllabus of two editions and the topic × edition timeline (dlgraph.compare)."""

from __future__ import annotations

from itertools import permutations

import pytest
from fixtures.lineage_records import lineage_records

from dlgraph.compare import STATUSES, CompareError, compare_editions, timeline
from dlgraph.lineage import edition_items, editions
from dlgraph.pipeline import build
from dlgraph.vocab import lecture_iri

EDITIONS = ["SP20", "SP21", "FL22", "FL23"]


@pytest.fixture(scope="module")
def graph():
    return build(lineage_records())


@pytest.fixture(scope="module")
def sp21_fl22(graph):
    return compare_editions(graph, "SP21", "FL22")


def _row_of(result, iri):
    rows = [r for r in result["rows"] if any(i["iri"] == str(iri) for i in r["a"] + r["b"])]
    assert rows, iri
    return rows


def test_json_shape(sp21_fl22):
    assert {"a", "b", "rows", "summary"} <= set(sp21_fl22)
    assert (sp21_fl22["a"], sp21_fl22["b"]) == ("SP21", "FL22")
    assert {"same_recording", "re_recorded", "new", "dropped"} <= set(sp21_fl22["summary"])
    for row in sp21_fl22["rows"]:
        assert {"topic", "status", "a", "b"} <= set(row)
        assert row["status"] in STATUSES
        for item in row["a"] + row["b"]:
            assert {"iri", "title", "video"} <= set(item)


def test_reused_item_is_a_same_recording_row(sp21_fl22):
    (row,) = _row_of(sp21_fl22, lecture_iri("FL22", "01"))
    assert row["status"] == "same-recording"
    assert [i["iri"] for i in row["a"]] == [str(lecture_iri("SP21", "t1.1"))]
    assert row["b"][0]["video"] == "https://www.youtube.com/watch?v=VIDtoy0101"
    assert row["topic"] == "History and motivation"


def test_re_recorded_row_pairs_the_two_titles(sp21_fl22):
    (row,) = _row_of(sp21_fl22, lecture_iri("FL22", "05"))
    assert row["status"] == "re-recorded"
    assert [i["title"] for i in row["a"]] == ["Toy energy based models"]
    assert row["similarity"] == 1.0
    assert row["resources"]["added"] == [
        {"kind": "slides", "url": "https://drive.google.com/file/d/DRIVEtoy05/"}
    ]


def test_new_and_dropped_rows_have_one_side(graph):
    result = compare_editions(graph, "SP20", "SP21")
    for row in result["rows"]:
        if row["status"] == "new":
            assert not row["a"] and len(row["b"]) == 1
        if row["status"] == "dropped":
            assert len(row["a"]) == 1 and not row["b"]


def test_every_item_of_both_editions_is_in_a_row(graph):
    for a, b in permutations(EDITIONS, 2):
        result = compare_editions(graph, a, b)
        shown = {i["iri"] for r in result["rows"] for i in r["a"] + r["b"]}
        assert shown == {str(i) for i in edition_items(graph, a) + edition_items(graph, b)}


def test_summary_counts_rows(graph):
    result = compare_editions(graph, "SP20", "SP21")
    s = result["summary"]
    assert s["same_recording"] == 1  # SP20's two toy graph-net parts, one video, re-used
    # Toy energy-based models (title), and toy training (SP21 t1.2 uses SP20's notebook).
    assert s["re_recorded"] == 2
    assert s["a_items"] == 5 and s["b_items"] == 6
    assert sum(s[k] for k in ("same_recording", "re_recorded", "new", "dropped")) == len(
        result["rows"]
    )


@pytest.mark.parametrize(("a", "b"), [p for p in permutations(EDITIONS, 2) if p[0] < p[1]])
def test_compare_is_symmetric(graph, a, b):
    ab, ba = compare_editions(graph, a, b)["summary"], compare_editions(graph, b, a)["summary"]
    assert ab["same_recording"] == ba["same_recording"]
    assert ab["re_recorded"] == ba["re_recorded"]
    assert (ab["new"], ab["dropped"]) == (ba["dropped"], ba["new"])
    assert (ab["resources_added"], ab["resources_removed"]) == (
        ba["resources_removed"],
        ba["resources_added"],
    )


def test_rows_are_grouped_topic_by_topic(graph):
    rows = compare_editions(graph, "SP20", "SP21")["rows"]
    seen, last = set(), object()
    for row in rows:
        if row["topic_iri"] != last:
            assert row["topic_iri"] not in seen, "a topic's rows must be contiguous"
            seen.add(row["topic_iri"])
            last = row["topic_iri"]


@pytest.mark.parametrize(("a", "b"), [("SP21", "SP21"), ("SP21", "XX99")])
def test_bad_editions_raise(graph, a, b):
    with pytest.raises(CompareError):
        compare_editions(graph, a, b)


# -- timeline ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def matrix(graph):
    return timeline(graph, EDITIONS)


def test_timeline_shape(matrix, graph):
    assert matrix["editions"] == EDITIONS
    assert matrix["hours_known"] is False
    for row in matrix["topics"]:
        assert set(row["cells"]) == set(EDITIONS)
        for cell in row["cells"].values():
            assert cell["hours"] is None
            assert set(cell) == {"items", "videos", "hours", "readings", "lecture_readings"}
    assert {e: t["items"] for e, t in matrix["totals"].items()} == {
        e: len(edition_items(graph, e)) for e in editions(graph)
    }


def test_timeline_counts_items_and_videos(matrix):
    ebm = next(r for r in matrix["topics"] if r["slug"] == "energy-based-models")
    # SP21: toy EBMs, plus the homework, the graph-net re-use and the planning item under
    # the "Toy energy models" theme; the homework has no video.
    assert ebm["cells"]["SP21"] == {
        "items": 4, "videos": 3, "hours": None, "readings": 0, "lecture_readings": 0
    }
    assert ebm["cells"]["FL22"]["items"] == 1
    gnn = next(r for r in matrix["topics"] if r["slug"] == "graph-neural-nets")
    assert gnn["cells"]["SP20"] == {
        "items": 2, "videos": 1, "hours": None, "readings": 0, "lecture_readings": 0
    }


def test_timeline_counts_readings_per_edition(matrix):
    backprop = next(r for r in matrix["topics"] if r["slug"] == "gradient-based-learning")
    assert backprop["cells"]["FL23"]["readings"] >= 1
    assert backprop["cells"]["FL23"]["items"] == 0


def test_timeline_all_levels_has_narrower_rows(graph):
    rows = timeline(graph, ["SP20", "SP21", "FL22"], level="all")["topics"]
    depths = {r["slug"]: r["depth"] for r in rows}
    assert depths["energy-based-models"] == 0 and depths["latent-variable-ebms"] == 1


# -- an edition that lists only part of its syllabus ----------------------------------------


def test_items_missing_from_a_partial_edition_are_not_listed_not_dropped(graph, sp21_fl22):
    # The fixture's FL22 greys out its re-used items, as the real FL22 home page does: its
    # site lists only part of the syllabus, so an SP21 item it lacks is "not listed".
    s = sp21_fl22["summary"]
    gone = [r for r in sp21_fl22["rows"] if r["a"] and not r["b"]]
    assert gone and {r["status"] for r in gone} == {"not-listed"}
    assert s["not_listed"] == len(gone) and s["dropped"] == 0
    assert set(sp21_fl22["partial"]) == {"FL22"}
    assert "re-used" in sp21_fl22["partial"]["FL22"]
    # seen from FL22's side, SP21's extra items are not "new" either
    back = compare_editions(graph, "FL22", "SP21")
    assert back["summary"]["new"] == 0 and back["summary"]["not_listed"] == s["not_listed"]


def test_editions_listing_their_whole_syllabus_keep_real_drops(graph):
    result = compare_editions(graph, "SP20", "SP21")
    assert result["partial"] == {}
    assert result["summary"]["not_listed"] == 0 and result["summary"]["dropped"] > 0
    assert sum(result["summary"][k] for k in ("same_recording", "re_recorded", "new",
                                              "dropped", "not_listed")) == len(result["rows"])


def test_a_home_page_saying_it_lists_only_new_lessons_makes_it_partial(graph):
    from rdflib import Graph, Literal

    from dlgraph.listing import partial_listing
    from dlgraph.vocab import DLG, SDO, document_iri, edition_iri

    g = Graph()
    g += graph
    assert partial_listing(g, "SP21") is None
    doc = document_iri("SP21", "home")
    g.add((doc, DLG.documentKind, Literal("home")))
    g.add((doc, DLG.edition, edition_iri("SP21")))
    g.add((doc, SDO.text, Literal("Toy course\nOnly the new lectures of the toy term are online. "
                                  "Older ones are greyed.")))
    why = partial_listing(g, "SP21")
    assert why and "“Only the new lectures of the toy term are online.”" in why
    assert compare_editions(g, "SP20", "SP21")["summary"]["dropped"] == 0


def test_same_titled_items_are_told_apart(graph):
    from rdflib import Graph, Literal

    from dlgraph.vocab import SDO, lecture_iri

    g = Graph()
    g += graph
    # Two SP21 items with one title, as the real SP21 lists "Energy based models (V)" twice
    for key in ("t2.2", "t3.2"):
        g.set((lecture_iri("SP21", key), SDO.name, Literal("Toy twins", lang="en")))
    result = compare_editions(g, "SP20", "SP21")
    twins = [i for r in result["rows"] for i in r["b"] if i["title"] == "Toy twins"]
    assert len(twins) == 2 and len({i["label"] for i in twins}) == 2
    assert all(i["key"] in i["label"] for i in twins)
    others = [i for r in result["rows"] for i in r["a"] + r["b"] if i["title"] != "Toy twins"]
    assert all(i["label"] == i["title"] for i in others)
