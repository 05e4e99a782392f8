"""Exports parse back with independent parsers, with every entry and every special character."""

from __future__ import annotations

import csv
import io
import json

import bibtexparser
import pybtex.database
import pyoxigraph as ox
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from fixtures.small_records import SPECIAL_TITLE, reading_records
from pyld import jsonld
from rdflib import Graph, URIRef

from dlgraph.export import (
    CSV_COLUMNS,
    READING_FORMATS,
    export_graph,
    export_readings,
    format_readings,
    latex_escape,
)
from dlgraph.readings import readings_table
from dlgraph.vocab import RDF, SDO, edition_iri, lecture_iri


@pytest.fixture(scope="module")
def rich_graph() -> Graph:
    from dlgraph.pipeline import build

    return build(reading_records())


@pytest.fixture(scope="module")
def rows(rich_graph) -> list[dict]:
    return readings_table(rich_graph)


def _bib(text: str):
    return bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])


# -- every format parses back with the same number of entries --------------------------------


def test_bibtex_parses_in_bibtexparser_and_pybtex(rich_graph, rows):
    text = export_readings(rich_graph, "bibtex")
    lib = _bib(text)
    assert not lib.failed_blocks
    assert len(lib.entries) == len(rows) == 7
    assert len(pybtex.database.parse_string(text, "bibtex").entries) == len(rows)
    assert len({e.key for e in lib.entries}) == len(rows)


def test_ris_parses_in_rispy(rich_graph, rows):
    text = export_readings(rich_graph, "ris")
    refs = rispy.loads(text)
    assert len(refs) == len(rows)
    assert text.startswith("TY  - ")  # no counter line before the first record
    assert {r["id"] for r in refs} == {r["key"] for r in rows}


def test_csv_has_a_header_and_one_line_per_reading(rich_graph, rows):
    table = list(csv.DictReader(io.StringIO(export_readings(rich_graph, "csv"))))
    assert len(table) == len(rows)
    assert tuple(table[0]) == CSV_COLUMNS


def test_jsonld_expands_offline_in_pyld_and_parses_in_rdflib(rich_graph, rows):
    text = export_readings(rich_graph, "jsonld")
    doc = json.loads(text)
    assert doc["@context"]["@vocab"] == "https://schema.org/"
    expanded = jsonld.expand(doc)
    assert len(expanded) == len(rows)
    g = Graph().parse(data=text, format="json-ld")
    readings = {s for t in (SDO.ScholarlyArticle, SDO.Book, SDO.CreativeWork)
                for s in g.subjects(RDF.type, t)}
    assert len(readings) == len(rows)


def test_jsonld_says_who_cites_each_reading(rich_graph):
    g = Graph().parse(data=export_readings(rich_graph, "jsonld"), format="json-ld")
    paper = URIRef("https://w3id.org/dlgraph/id/reading/arxiv/1234.56789")
    citing = set(g.subjects(SDO.citation, paper))
    assert lecture_iri("SP20", "02-1") in citing
    assert len(list(g.subjects(SDO.workFeatured, paper))) == 3  # SP20, SP21, FL23


def test_jsonld_editions_are_the_graphs_edition_nodes(rich_graph):
    g = Graph().parse(data=export_readings(rich_graph, "jsonld"), format="json-ld")
    paper = URIRef("https://w3id.org/dlgraph/id/reading/arxiv/1234.56789")
    editions = set(g.subjects(SDO.workFeatured, paper))
    assert editions == {edition_iri(code) for code in ("SP20", "SP21", "FL23")}
    assert str(g.value(edition_iri("SP20"), SDO.identifier)) == "SP20"
    assert (edition_iri("SP20"), RDF.type, SDO.CourseInstance) in g
    assert (edition_iri("SP20"), SDO.workFeatured, lecture_iri("SP20", "02-1")) in g


def test_markdown_has_one_item_per_reading(rich_graph, rows):
    text = export_readings(rich_graph, "markdown")
    assert sum(line.startswith("- ") for line in text.splitlines()) == len(rows)


@pytest.mark.parametrize("fmt", READING_FORMATS)
def test_empty_selection_still_parses(fmt):
    text = format_readings([], fmt)
    assert isinstance(text, str)


def test_unknown_format_raises():
    with pytest.raises(ValueError):
        format_readings([], "docx")


# -- special characters survive ---------------------------------------------------------------


def _special(entries, key="title"):
    return [e for e in entries if "Robust" in str(e.get(key, ""))]


def test_bibtex_round_trip_keeps_accents_and_specials(rich_graph):
    text = export_readings(rich_graph, "bibtex")
    (entry,) = [e for e in _bib(text).entries if "Robust" in e["title"]]
    assert entry["title"] == SPECIAL_TITLE
    assert entry["author"] == "Dupont and Müller"
    raw = pybtex.database.parse_string(text, "bibtex").entries[entry.key].fields["title"]
    assert r"{\&}" in raw and r"{\%}" in raw and r"{\_}" in raw and r"{\$}" in raw
    assert r"M{\"u}ller" in raw and r"Caf" not in raw


@pytest.mark.parametrize("text", ["Café & Co", "100% sure", "snake_case", "{braces}", "#1 $5",
                                  "naïve Ångström Łukasz", "a -- b", "back\\slash"])
def test_latex_escape_round_trips(text):
    entry = _bib("@misc{k, title = {" + latex_escape(text) + "}}").entries[0]
    assert entry["title"] == text


@pytest.mark.parametrize("text", ['the "toy" model', '"Quoted" at the start', 'ends "quoted"',
                                  '"{x}" -- "y"'])
def test_straight_quotes_round_trip_in_bibtexparser_and_pybtex(text):
    from pybtex.richtext import Text

    bib = "@misc{k, title = {" + latex_escape(text) + "}}"
    assert _bib(bib).entries[0]["title"] == text
    raw = pybtex.database.parse_string(bib, "bibtex").entries["k"].fields["title"]
    # Text only: pybtex's LaTeX reader does not know the brace commands used for "{x}".
    plain = text.replace("{", "").replace("}", "")
    assert Text.from_latex(raw).render_as("text").replace("\\", "") == plain


def test_bibtex_export_keeps_an_opening_quote(rich_graph, rows):
    row = dict(rows[0], title='The "toy" model', key="toyquote")
    entry = _bib(format_readings([row], "bibtex")).entries[0]
    assert entry["title"] == 'The "toy" model'


@pytest.mark.parametrize("title", ["a { b", "x}{y"])
def test_an_unbalanced_brace_does_not_break_the_file(title):
    field = latex_escape(title)
    depth = 0
    for ch in field:  # what BibTeX itself does: count braces, backslash or not
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0
    text = "@misc{k, title = {" + field + "}}\n@misc{j, title = {next}}"
    assert len(_bib(text).entries) == 2
    assert len(pybtex.database.parse_string(text, "bibtex").entries) == 2


def test_ris_csv_jsonld_keep_the_title_verbatim(rich_graph):
    (ris,) = _special(rispy.loads(export_readings(rich_graph, "ris")))
    assert ris["title"] == SPECIAL_TITLE
    (row,) = _special(list(csv.DictReader(io.StringIO(export_readings(rich_graph, "csv")))))
    assert row["title"] == SPECIAL_TITLE
    (node,) = [n for n in json.loads(export_readings(rich_graph, "jsonld"))["@graph"]
               if "Robust" in n["name"]]
    assert node["name"] == SPECIAL_TITLE


def test_markdown_escapes_its_own_specials(rows):
    text = format_readings([r for r in rows if "Robust" in r["title"]], "markdown")
    assert r"\{Robust\}" in text and r"models\_v2" in text and r"\#1" in text


# -- fields a reference manager needs ---------------------------------------------------------


def test_bibtex_arxiv_doi_url_note_keywords(rich_graph):
    entries = {e.fields_dict["url"].value if "url" in e.fields_dict else e.key: e
               for e in _bib(export_readings(rich_graph, "bibtex")).entries}
    arxiv = entries["https://arxiv.org/abs/1234.56789"]
    assert (arxiv["eprint"], arxiv["archivePrefix"]) == ("1234.56789", "arXiv")
    assert arxiv.entry_type == "misc"
    assert "SP20" in arxiv["keywords"] and "FL23" in arxiv["keywords"]
    assert "SP20: Toy gradients and backprop" in arxiv["note"]
    doi = entries["https://doi.org/10.9999/toy.2020.abc"]
    assert doi["doi"] == "10.9999/toy.2020.abc" and doi["year"] == "2020"
    # A book without a publisher is @misc (plain.bst would warn of the empty field).
    book = [e for e in entries.values() if e.fields_dict.get("howpublished")
            and e["howpublished"] == "Book"]
    assert [e["isbn"] for e in book if "isbn" in e.fields_dict] == ["9781234567897"]
    assert {e.entry_type for e in book} == {"misc"}


def test_bibtex_et_al_becomes_and_others(rich_graph):
    (entry,) = [e for e in _bib(export_readings(rich_graph, "bibtex")).entries
                if e["title"] == "Toy Flows"]
    assert entry["author"] == "Lee and others"


def test_et_al_is_never_an_author(rich_graph, rows):
    (ris,) = [r for r in rispy.loads(export_readings(rich_graph, "ris")) if r["title"] == "Toy Flows"]
    assert ris["authors"] == ["Lee"]
    # A list that spells the cut as a name gets the same treatment in every format.
    row = dict(rows[0], authors=["Ada Toy", "et al."], et_al=False, key="toyetal")
    (ris,) = rispy.loads(format_readings([row], "ris"))
    assert ris["authors"] == ["Toy, Ada"]
    (entry,) = _bib(format_readings([row], "bibtex")).entries
    assert entry["author"] == "Toy, Ada and others"
    (node,) = json.loads(format_readings([row], "jsonld"))["@graph"]
    assert [a["name"] for a in node["author"]] == ["Ada Toy"]
    assert "Ada Toy et al." in format_readings([row], "markdown")


def test_bibtex_keys_are_stable_across_filters(rich_graph):
    everything = {e["title"]: e.key for e in _bib(export_readings(rich_graph, "bibtex")).entries}
    fl23 = {e["title"]: e.key for e in _bib(export_readings(rich_graph, "bibtex", edition="FL23")).entries}
    assert fl23 and all(everything[t] == k for t, k in fl23.items())


def test_filters_pass_through(rich_graph):
    text = export_readings(rich_graph, "ris", lecture="SP20/02-1")
    assert [r["title"] for r in rispy.loads(text)] == ["Gradient Tricks for Toy Networks"]


def test_include_resources_adds_slides_and_notebooks(small_graph):
    plain = rispy.loads(export_readings(small_graph, "ris", edition="SP20"))
    full = rispy.loads(export_readings(small_graph, "ris", edition="SP20", include_resources=True))
    extra = [r for r in full if r["type_of_reference"] in ("SLIDE", "COMP")]
    assert len(full) == len(plain) + len(extra)
    assert {r["type_of_reference"] for r in extra} == {"SLIDE", "COMP"}
    assert all(r["urls"][0].startswith("https://") for r in extra)
    bib = _bib(export_readings(small_graph, "bibtex", edition="SP20", include_resources=True))
    assert len(bib.entries) == len(full)


# -- the whole graph --------------------------------------------------------------------------

_OX = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}


@pytest.mark.parametrize("fmt", sorted(_OX))
def test_graph_export_parses_in_pyoxigraph_with_every_triple(small_graph, fmt):
    text = export_graph(small_graph, fmt)
    assert len(list(ox.parse(text.encode(), format=_OX[fmt]))) == len(small_graph)


def test_graph_turtle_parses_back_isomorphic(small_graph):
    from rdflib.compare import isomorphic

    back = Graph().parse(data=export_graph(small_graph, "turtle"), format="turtle")
    assert isomorphic(back, small_graph)


def test_graph_export_percent_encodes_a_damaged_iri():
    g = Graph()
    bad = URIRef("https://atcold.github.io/NYU-DLSP20/ko/week01/01-1/[https:/www.youtube.com/watch/")
    g.add((bad, RDF.type, SDO.WebPage))
    text = export_graph(g, "nt")
    assert len(list(ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES))) == 1
    assert "%5Bhttps:" in text


def test_graph_export_unknown_format():
    with pytest.raises(ValueError):
        export_graph(Graph(), "rdfxml")
