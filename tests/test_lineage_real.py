"""Lineage, topics and comparison on the real editions (needs DLGRAPH_MIRROR / DLGRAPH_DOCUMENTS).

Expected figures were counted by hand in the mirror's home pages, and each test recounts
them from the HTML so a parser or lineage regression fails here:

* FL22's home page greys out 7 items (``<span class="missing">`` inside a list item): 01,
  02, 04, 08, 09, 11 and 13; each links at least one YouTube video that SP21's home page
  also links.
* SP20's and SP21's home pages share 2 videos: SP20's week 5 lecture (Optimisation I and
  II, one recording) and its week 13 lecture (GCNs I and II), which SP21 lists "from last
  year".
"""

from __future__ import annotations

import re
from itertools import permutations

import pytest
from bs4 import BeautifulSoup
from rdflib import Literal, URIRef

from dlgraph.analyses import learning_path, untagged
from dlgraph.compare import compare_editions
from dlgraph.lineage import THRESHOLD, edition_items, editions, similarity, videos
from dlgraph.topics import topics_of
from dlgraph.vocab import DCTERMS, DLG, SDO, lecture_iri

pytestmark = pytest.mark.integration

_YT = re.compile(r"(?:youtu\.be/|youtube\.com/watch\?v=)([\w-]{11})")
FL22_REUSED = 7
SP20_SP21_SHARED = 2


def _ids(node) -> set[str]:
    return {m.group(1) for a in node.find_all("a", href=True) for m in [_YT.search(a["href"])] if m}


def _home(mirror_dir, site: str) -> BeautifulSoup:
    return BeautifulSoup((mirror_dir / site / "index.html").read_text(encoding="utf-8"), "lxml")


@pytest.fixture(scope="module")
def fl22_reused(mirror_dir) -> dict[str, set[str]]:
    """FL22 item number → YouTube IDs, for the greyed-out list items of the home page."""
    out = {}
    for li in _home(mirror_dir, "NYU-DLFL22").find_all("li"):
        if li.find("span", class_="missing"):
            number = re.match(r"\s*(\d+)", li.get_text(" ", strip=True)).group(1)
            out[number] = _ids(li)
    return out


@pytest.fixture(scope="module")
def sp21_ids(mirror_dir) -> set[str]:
    return _ids(_home(mirror_dir, "NYU-DLSP21").find("main"))


@pytest.fixture(scope="module")
def sp20_ids(mirror_dir) -> set[str]:
    return _ids(_home(mirror_dir, "NYU-DLSP20").find("main"))


def _video_ids(g, item) -> set[str]:
    return {str(g.value(v, SDO.identifier)) for v in videos(g, item)}


# -- FL22 re-uses SP21 recordings ------------------------------------------------------------


def test_fl22_reused_items_in_the_source(fl22_reused, sp21_ids):
    assert len(fl22_reused) == FL22_REUSED
    assert all(ids & sp21_ids for ids in fl22_reused.values())


def test_fl22_reused_items_in_the_graph(real_graph, fl22_reused):
    reused = {
        i for i in edition_items(real_graph, "FL22") if (i, DLG.reused, Literal(True)) in real_graph
    }
    assert reused == {lecture_iri("FL22", n) for n in fl22_reused}


def test_every_fl22_reused_item_links_its_sp21_recording(real_graph, fl22_reused, sp21_ids):
    sp21 = set(edition_items(real_graph, "SP21"))
    for number, ids in fl22_reused.items():
        item = lecture_iri("FL22", number)
        partners = set(real_graph.objects(item, DLG.sameRecordingAs)) & sp21
        assert partners, f"FL22 {number} has no SP21 recording"
        shared = ids & sp21_ids
        assert all(_video_ids(real_graph, p) & shared for p in partners)
        # A re-used recording is the same recording, never a re-recording of SP21's item.
        assert not set(real_graph.objects(item, DLG.reRecordingOf)) & sp21


# -- SP20 → SP21 ---------------------------------------------------------------------------


def test_sp20_sp21_shared_recordings_found(real_graph, sp20_ids, sp21_ids):
    shared = sp20_ids & sp21_ids
    assert len(shared) == SP20_SP21_SHARED
    sp20, sp21 = edition_items(real_graph, "SP20"), edition_items(real_graph, "SP21")
    for vid in shared:
        olds = [i for i in sp20 if vid in _video_ids(real_graph, i)]
        news = [i for i in sp21 if vid in _video_ids(real_graph, i)]
        assert olds and news, vid
        for a in olds:
            for b in news:
                assert (b, DLG.sameRecordingAs, a) in real_graph


def test_known_re_recordings(real_graph):
    g = real_graph
    assert (lecture_iri("SP21", "t3.2"), DLG.reRecordingOf, lecture_iri("SP20", "15-1")) in g
    assert (lecture_iri("FL22", "14"), DLG.reRecordingOf, lecture_iri("SP21", "t4.4")) in g
    # An SP21 lecture on a different subject is not a re-recording of SP20's optimisation.
    assert (lecture_iri("SP21", "t7.1"), DLG.reRecordingOf, None) not in g


def test_re_recordings_meet_the_threshold_and_share_a_topic(real_graph):
    g = real_graph
    pairs = list(g.subject_objects(DLG.reRecordingOf))
    assert len(pairs) >= 20
    for newer, older in pairs:
        assert similarity(str(g.value(newer, SDO.name)), str(g.value(older, SDO.name))) >= THRESHOLD
        assert set(g.objects(newer, DCTERMS.subject)) & set(g.objects(older, DCTERMS.subject))


# -- topics ----------------------------------------------------------------------------------


def test_every_lecture_has_a_topic_or_is_reported(real_graph):
    report = untagged(real_graph)
    listed = {i["iri"] for i in report["lectures"]}
    for code in editions(real_graph):
        for item in edition_items(real_graph, code):
            assert (item, DCTERMS.subject, None) in real_graph or str(item) in listed
    # The scheme should leave almost nothing untagged (0 of 93 when written).
    assert len(listed) <= 3, report["lectures"]
    assert report["counts"]["lecture"]["total"] == 93


# -- compare and paths -----------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b"), [p for p in permutations(["SP20", "SP21", "FL22", "FL23"], 2) if p[0] < p[1]])
def test_compare_is_symmetric(real_graph, a, b):
    ab = compare_editions(real_graph, a, b)["summary"]
    ba = compare_editions(real_graph, b, a)["summary"]
    assert ab["same_recording"] == ba["same_recording"]
    assert ab["re_recorded"] == ba["re_recorded"]
    assert (ab["new"], ab["dropped"]) == (ba["dropped"], ba["new"])


def test_sp21_fl22_compare_has_the_reused_recordings(real_graph, fl22_reused):
    result = compare_editions(real_graph, "SP21", "FL22")
    assert result["summary"]["same_recording"] == len(fl22_reused)
    same_b = {i["iri"] for r in result["rows"] if r["status"] == "same-recording" for i in r["b"]}
    assert same_b == {str(lecture_iri("FL22", n)) for n in fl22_reused}


def test_learning_paths_never_repeat_a_recording(real_graph):
    all_topics = topics_of(real_graph)
    for topic in (t for t in all_topics.values() if not t.broader):
        seen: set = set()
        for step in learning_path(real_graph, topic.iri):
            vids = videos(real_graph, URIRef(step["iri"]))
            assert not vids & seen, (topic.slug, step["title"])
            seen |= vids
