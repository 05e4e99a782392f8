"""Cross-edition links: same recording, same slides, same notebook (symmetric, never within one edition)."""

from types import SimpleNamespace

import pytest
from rdflib import URIRef

from dlgraph.build import build_graph
from dlgraph.links import add_cross_edition_links
from dlgraph.records import EditionRecords, Lecture, Resource
from dlgraph.vocab import DLG, SDO, edition_iri, lecture_iri

LINKS = (DLG.sameRecordingAs, DLG.sameSlidesAs, DLG.sameNotebookAs)


def test_reused_recording_is_linked_both_ways(small_graph):
    fl22, sp21 = lecture_iri("FL22", "01"), lecture_iri("SP21", "t1.1")
    assert (fl22, DLG.sameRecordingAs, sp21) in small_graph
    assert (sp21, DLG.sameRecordingAs, fl22) in small_graph


def test_shared_notebook_is_linked(small_graph):
    sp20, sp21 = lecture_iri("SP20", "02-3"), lecture_iri("SP21", "t1.2")
    assert (sp20, DLG.sameNotebookAs, sp21) in small_graph
    assert (sp21, DLG.sameNotebookAs, sp20) in small_graph


def test_only_the_fixture_links(small_graph):
    # The fixture shares one video (SP21 t1.1 / FL22 01) and one notebook (SP20 02-3 / SP21
    # t1.2); every slide deck is used once.
    found = {(str(s).rsplit("/edition/")[1], p.split("#")[1], str(o).rsplit("/edition/")[1])
             for p in LINKS for s, o in small_graph.subject_objects(p)}
    assert found == {
        ("FL22/lecture/01", "sameRecordingAs", "SP21/lecture/t1.1"),
        ("SP21/lecture/t1.1", "sameRecordingAs", "FL22/lecture/01"),
        ("SP20/lecture/02-3", "sameNotebookAs", "SP21/lecture/t1.2"),
        ("SP21/lecture/t1.2", "sameNotebookAs", "SP20/lecture/02-3"),
    }


@pytest.mark.parametrize("link", LINKS, ids=lambda p: p.split("#")[1])
def test_links_are_symmetric_and_cross_editions(small_graph, link):
    for a, b in small_graph.subject_objects(link):
        assert (b, link, a) in small_graph
        assert small_graph.value(a, DLG.edition) != small_graph.value(b, DLG.edition)


SPEC = SimpleNamespace(title="Toy", course_code="DS-GA 1008", term="Spring", year=2020, base_url=None)
SITE = "https://atcold.github.io/NYU-DLSP20/"


def _video(vid: str, start: int | None = None) -> Resource:
    return Resource("video", f"https://youtu.be/{vid}", vid, start)


def _item(ed: str, key: str, pos: int, *resources: Resource) -> Lecture:
    return Lecture(ed, key, pos, f"Toy {key}", "lecture", SITE, resources=resources)


def _graph(*records: EditionRecords):
    return build_graph(list(records), {r.edition: SPEC for r in records})


def test_a_timestamped_link_shares_the_whole_recording():
    g = _graph(
        EditionRecords("SP20", lectures=(_item("SP20", "a", 1, _video("VIDtoyAAAAA")),)),
        EditionRecords("SP21", lectures=(_item("SP21", "b", 1, _video("VIDtoyAAAAA", 600)),)),
    )
    assert add_cross_edition_links(g) == 2
    assert (lecture_iri("SP21", "b"), DLG.sameRecordingAs, lecture_iri("SP20", "a")) in g


def test_items_of_one_edition_are_not_linked():
    # SP20 gives two parts of one lecture the same video: that is not a cross-edition reuse.
    g = _graph(EditionRecords("SP20", lectures=(
        _item("SP20", "01-1", 1, _video("VIDtoyBBBBB")),
        _item("SP20", "01-2", 2, _video("VIDtoyBBBBB")),
    )))
    assert add_cross_edition_links(g) == 0
    assert not any((None, link, None) in g for link in LINKS)


def test_three_editions_give_every_pair():
    g = _graph(*(EditionRecords(ed, lectures=(_item(ed, "x", 1, _video("VIDtoyCCCCC")),))
                 for ed in ("SP20", "SP21", "FL22")))
    assert add_cross_edition_links(g) == 6


def test_adding_twice_adds_nothing_new(small_graph):
    g = small_graph + small_graph  # a copy: the session graph is shared
    assert add_cross_edition_links(g) == 0


def test_only_lecture_items_are_linked():
    # A notes section showing the same video is not a lecture item: no link from it.
    g = _graph(
        EditionRecords("SP20", lectures=(_item("SP20", "a", 1, _video("VIDtoyDDDDD")),)),
        EditionRecords("SP21"),
    )
    section = URIRef(f"{SITE}en/week01/01-1/#toy")
    g.add((section, DLG.edition, edition_iri("SP21")))
    g.add((section, SDO.video, next(g.objects(lecture_iri("SP20", "a"), SDO.video))))
    assert add_cross_edition_links(g) == 0
