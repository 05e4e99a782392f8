"""Spellings of names: all kept with where they were seen, the fullest shown, merges reported."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Literal, URIRef

from dlgraph.pipeline import build
from dlgraph.records import EditionRecords, NotesPage, PersonRef
from dlgraph.spellings import Spellings, collect, display_name, merges
from dlgraph.vocab import DLG, RDFS, SDO, person_iri

BASE = "https://atcold.github.io/NYU-DLSP20/"


def _sp(key: str, **seen: int) -> Spellings:
    sp = Spellings(key)
    sp.seen = Counter({name.replace("_", " "): n for name, n in seen.items()})
    return sp


def test_spelling_the_key_was_made_from_wins_even_when_rarer():
    # As "ChoongHee" folds into "choonghee lee": the full form is the name, seen once or not.
    assert display_name(_sp("ada-lovelace", Ada=5, Ada_Lovelace=1)) == "Ada Lovelace"


def test_tie_between_two_spellings_goes_to_the_key_not_the_alphabet():
    assert display_name(_sp("matt-tso", Matt_Taso=1, Matt_Tso=1)) == "Matt Tso"


def test_case_and_accents_aside_the_most_frequent_wins():
    assert display_name(_sp("eva-traductrice", Éva_Traductrice=3, Eva_traductrice=1)) == (
        "Éva Traductrice")


def test_fullest_form_when_no_spelling_is_the_key():
    assert display_name(_sp("email-x-y-edu", Bo=4, Bo_Chen=1)) == "Bo Chen"


def test_merges_of_other_letters_are_reported_spacing_is_not():
    spellings = {
        "yann-lecun": _sp("yann-lecun", Yann_LeCun=9, Yann_Le_Cun=2),
        "mike-lewis": _sp("mike-lewis", Mike_Lewis=9, Matt_Lewis=1),
    }
    spellings["mike-lewis"].sources["Matt Lewis"].add(BASE + "zh/week12/12-1/")
    found = [(m.spelling, m.name, m.sources) for m in merges(spellings)]
    assert found == [("Matt Lewis", "Mike Lewis", (BASE + "zh/week12/12-1/",))]


PAGE_A, PAGE_B = BASE + "en/week01/01-1/", BASE + "fr/week01/01-1/"


@pytest.fixture(scope="module")
def records():
    a = NotesPage(PAGE_A, "SP20", "en", "notes", "A", 1, "01-1",
                  authors=(PersonRef("Ada", "ada-lovelace", "notes-author"),
                           PersonRef("Bo Chen", "bo-chen", "notes-author")))
    b = NotesPage(PAGE_B, "SP20", "fr", "notes", "B", 1, "01-1",
                  translators=(PersonRef("Ada Lovelace", "ada-lovelace", "translator"),))
    return [EditionRecords("SP20", pages=(a, b))]


def test_collect_records_where_each_spelling_was_seen(records):
    sp = collect(records)["ada-lovelace"]
    assert dict(sp.sources) == {"Ada": {PAGE_A}, "Ada Lovelace": {PAGE_B}}


def test_graph_keeps_every_spelling_with_its_pages(records):
    g = build(records)
    person = person_iri("ada-lovelace")
    assert g.value(person, SDO.name) == Literal("Ada Lovelace")
    assert set(g.objects(person, SDO.alternateName)) == {Literal("Ada")}
    seen = {str(g.value(s, RDFS.label)): set(g.objects(s, DLG.seenIn))
            for s in g.objects(person, DLG.spelling)}
    assert seen == {"Ada": {URIRef(PAGE_A)}, "Ada Lovelace": {URIRef(PAGE_B)}}


def test_one_spelling_adds_nothing(records):
    g = build(records)
    person = person_iri("bo-chen")
    assert (person, SDO.alternateName, None) not in g
    assert (person, DLG.spelling, None) not in g


def test_ingest_summary_reports_merges_and_spellings():
    from ingest.pipeline import format_rewrites, rewrites

    page = NotesPage(PAGE_A, "SP20", "zh", "notes", "A", 12, "12-1",
                     lecturers=(PersonRef("Mike Lewis", "mike-lewis", "lecturer"),
                                PersonRef("Matt Lewis", "mike-lewis", "lecturer")))
    rw = rewrites([EditionRecords("SP20", pages=(page,))])
    assert rw["spellings_kept"] == 1
    assert rw["merges"] == [{"spelling": "Matt Lewis", "name": "Mike Lewis", "seen_in": [PAGE_A]}]
    assert "Matt Lewis → Mike Lewis" in format_rewrites(rw)
