"""Readings: which lecture a citing place is, how notes name it, and what a citing sentence
adds (invented week pages, translations and a reading list)."""

from __future__ import annotations

import pytest
from rdflib import Graph

from dlgraph.build import build_graph
from dlgraph.citation_text import cited_after, describe_link, named_in
from dlgraph.readings import add_readings, readings_table
from dlgraph.records import Document, EditionRecords, Lecture, Link, NotesPage, Reading, Section
from dlgraph.vocab import lecture_iri

SITE = "https://atcold.github.io/NYU-DLSP20/"
HOME = SITE
TRUCK = "http://toy.example.org/papers/toy-truck.pdf"
TUTORIAL = "http://toy.example.org/papers/toy-energy-07.pdf"
EXTRA = "https://distill.pub/2019/toy-extra/"


def _week(lang: str, sections: list[tuple[str, str, tuple[Link, ...]]], title: str) -> NotesPage:
    secs = tuple(Section(f"s{i}", heading, 2, i, text, links=links)
                 for i, (heading, text, links) in enumerate(sections, 1))
    return NotesPage(f"{SITE}{lang}/week07/07/", "SP20", lang, "week", title, 7, "07",
                     translation_of=None if lang == "en" else f"{SITE}en/week07/07/",
                     sections=secs)


def _notes(lang: str, sections: list[tuple[str, str, tuple[Link, ...]]]) -> NotesPage:
    secs = tuple(Section(f"n{i}", heading, 2, i, text, links=links)
                 for i, (heading, text, links) in enumerate(sections, 1))
    return NotesPage(f"{SITE}{lang}/week08/08-1/", "SP20", lang, "notes", f"Toy notes {lang}", 8,
                     "08-1", translation_of=None if lang == "en" else f"{SITE}en/week08/08-1/",
                     sections=secs)


def _records(zh_sections, *, extra_en=()) -> list[EditionRecords]:
    lectures = tuple(
        Lecture("SP20", f"07-{k}", k, title, "lecture", HOME, week=7,
                notes_urls=(f"{SITE}en/week07/07-{k}/",))
        for k, title in ((1, "Toy energies"), (2, "Toy latents"), (3, "Toy control"))
    ) + (Lecture("SP20", "08-1", 4, "Toy structures", "lecture", HOME, week=8,
                 notes_urls=(f"{SITE}en/week08/08-1/",)),)
    sentence = "This week we drive the Toy Truck (Ada Toy & Bo Example, ‘89)."
    truck = Link(TRUCK, "Toy Truck", sentence)
    en = _week("en", [("Lecture part A", "Energies.", ()), ("Lecture part B", "Latents.", ()),
                      ("Practicum", sentence, (truck,)), *extra_en], "Week 7")
    zh = _week("zh", zh_sections(truck), "第七周")
    tutorial = ("A Toy Tutorial on Energies (Ada Toy, Cy Test, and Di Other 2007):\n"
                "Learning and inference with toys. Another Toy Study (Ed Else 2007) differs.")
    en_notes = _notes("en", [("Toy intro", "Intro.", ()), ("Toy inference", tutorial, ())])
    fr_sentence = "Un tutoriel est disponible ici (Toy et al."
    fr_notes = _notes("fr", [
        ("Intro jouet", "Intro.", ()),
        ("Inférence jouet", f"{fr_sentence} (2007)).\nL’apprentissage des jouets.",
         (Link(TUTORIAL, "ici", fr_sentence),)),
    ])
    doc = Document("FL23", "course-page", "Toy FL23", None, "x.txt", "",
                   readings=(Reading("toy-energy-07", TUTORIAL, kind="pdf", lecture="Toy energies"),
                             Reading("Toy Deep Learning", detail="Section 6.5",
                                     lecture="Toy backprop", context="Optionally")))
    return [EditionRecords("SP20", lectures=lectures, pages=(en, zh, en_notes, fr_notes)),
            EditionRecords("FL23", documents=(doc,))]


def _graph(records) -> Graph:
    g = build_graph(records)
    add_readings(g, records)
    return g


def _row(g: Graph, url: str) -> dict:
    (row,) = [r for r in readings_table(g) if r["url"] == url]
    return row


def _zh_with_empty_headings(truck: Link):
    # Translations keep the English heading as an HTML comment under an empty <h2>.
    return [("", "", ()), ("讲座A部分", "能量。", ()), ("", "", ()), ("讲座B部分", "潜变量。", ()),
            ("", "", ()), ("实践", "卡车。", (Link(truck.url, truck.text, "卡车。"),))]


def _zh_merged(truck: Link):
    # Two parts in one section: the outline no longer says which part the practicum is.
    return [("讲座", "能量与潜变量。", ()), ("实践", "卡车。", (Link(truck.url, truck.text, "卡车。"),))]


@pytest.mark.parametrize("zh_sections", [_zh_with_empty_headings, _zh_merged])
def test_translated_week_section_maps_to_the_lecture_of_its_original(zh_sections):
    g = _graph(_records(zh_sections))
    row = _row(g, TRUCK)
    assert [x["iri"] for x in row["lectures"]] == [str(lecture_iri("SP20", "07-3"))]
    assert row["note"] == "DS-GA 1008 — SP20: Toy control"


def test_unmapped_translated_page_is_named_by_its_original():
    # The original has a fourth section, so neither page maps to the three parts.
    records = _records(_zh_merged, extra_en=[("Summary", "All.", ())])
    row = _row(_graph(records), TRUCK)
    assert row["lectures"] == []
    assert row["note"] == "DS-GA 1008 — SP20: Week 7"


def test_optional_list_entry_stays_optional_in_the_note():
    row = _row(_graph(_records(_zh_with_empty_headings)), "")
    assert row["note"] == "DS-GA 1008 — FL23: optional reading for Toy backprop (Section 6.5)"


def test_names_and_year_after_the_link_are_the_authors():
    row = _row(_graph(_records(_zh_with_empty_headings)), TRUCK)
    assert (row["title"], row["authors"], row["year"]) == ("Toy Truck", ["Ada Toy", "Bo Example"], 1989)


def test_a_file_name_title_gives_way_to_the_name_the_original_page_gives():
    row = _row(_graph(_records(_zh_with_empty_headings)), TUTORIAL)
    assert row["title"] == "A Toy Tutorial on Energies"
    assert row["authors"] == ["Ada Toy", "Cy Test", "Di Other"] and row["year"] == 2007
    assert row["editions"] == ["SP20", "FL23"]


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        ("Toy Truck", "we drive the Toy Truck (Ada Toy & Bo Example, ‘89).",
         (("Ada Toy", "Bo Example"), 1989, False, "Ada Toy & Bo Example, ‘89")),
        ("ici", "disponible ici (Toy et al. (2007)).", (("Toy",), 2007, True, "Toy et al. (2007)")),
        ("GLO", "see GLO (2017) for more.", ((), 2017, False, None)),
        # A bracket without a year, or not right after the link, cites nothing.
        ("GLO", "see GLO (see below) in 2017.", None),
        ("Toy Truck", "the Toy Truck of Ada Toy (1989).", None),
        ("Toy Truck", "el Toy Truck (Ada Toy y Bo Example, 1989).", None),
    ],
)
def test_cited_after(text, context, expected):
    assert cited_after(text, context) == expected


def test_describe_link_reads_the_bracket_after_a_pointer():
    d = describe_link("here", "A toy tutorial is here (Toy et al. (2007)).")
    assert (d.title, d.authors, d.year, d.et_al) == (None, ("Toy",), 2007, True)


def test_named_in_needs_agreement_and_one_match():
    text = "A Toy Tutorial on Energies (Ada Toy, Cy Test 2007):\nOther Toy Work (Ada Toy 2009)."
    assert named_in(text, ("Toy",), 2007).title == "A Toy Tutorial on Energies"
    assert named_in(text, ("Toy",), None) is None  # two works by Toy: no way to choose
    assert named_in(text, ("Else",), 2007) is None
    assert named_in(text, (), None) is None
