"""Readings of the real editions (mirror + saved documents). Expected figures were counted
by hand from ``../shared/sites`` (the ``href``s of the notes and week pages) and from the
FL23 class page capture (``../shared/seeds/001_*.txt``, "Reading materials")."""

from __future__ import annotations

import csv
import io

import bibtexparser
import pyoxigraph as ox
import pytest
import rispy
from rdflib import URIRef

from dlgraph.export import export_graph, export_readings
from dlgraph.readings import readings_table
from dlgraph.vocab import BIBO, DCTERMS, DLG, RDF, SDO, document_iri, iri

pytestmark = pytest.mark.integration

#: arXiv papers linked from SP20 notes pages (13 from English pages, 1706.02677 only from a
#: French one) and from SP21 notes pages (2005.14165 only from a French one).
ARXIV = {
    "SP20": {"1207.0580", "1406.1078", "1409.0473", "1410.3916", "1410.5401", "1503.08895",
             "1504.08083", "1609.04309", "1706.03762", "1707.05776", "1805.01978", "2003.00982",
             "math/0503066", "1706.02677"},
    "SP21": {"2010.01003", "2005.14165"},
}
#: Papers linked from notes and week pages that are not on arXiv (PDFs, proceedings, Distill).
OTHER_PAPERS = {
    "SP20": {"https://www.bioinf.jku.at/publications/older/2604.pdf",
             "https://distill.pub/2017/momentum/",
             "https://papers.nips.cc/paper/293-handwritten-digit-recognition-with-a-back-propagation-network.pdf",
             "https://papers.nips.cc/paper/5346-sequence-to-sequence-learning-with-neural-networks.pdf",
             "http://yann.lecun.com/exdb/publis/pdf/lecun-98b.pdf",
             "http://yann.lecun.com/exdb/publis/pdf/lecun-88.pdf",
             "http://neuro.bstu.by/ai/To-dom/My_research/Papers-2.1-done/RL-sparce-reward/9/Ref/truckbackerupper.pdf",
             # fr/week14/14-1 writes this href without its "http://".
             "http://yann.lecun.com/exdb/publis/pdf/lecun-06.pdf"},
    "SP21": {"https://www.cs.toronto.edu/~graves/icml_2006.pdf",
             "https://distill.pub/2017/ctc/",
             "http://vision.stanford.edu/cs598_spring07/papers/Lecun98.pdf",
             "http://yann.lecun.com/exdb/publis/pdf/bottou-lecun-bengio-97.pdf"},
}
#: FL23's reading list: four general entries and three per-lecture ones, naming five works.
#: The list gives lecun-06.pdf by its URL only; the title is the one SP20's English 14-1
#: page gives the work its French translation links.
LECUN_06 = "A Tutorial on Energy-Based Learning"
FL23_ENTRIES = 7
FL23_WORKS = {"3blue1brown Essence of Linear Algebra", "Mathematics for Machine Learning",
              "Deep Learning", "Pattern Classification", LECUN_06}
FL23_PER_LECTURE = {("Backpropagation", "Mathematics for Machine Learning", "Chapter 5"),
                    ("Backpropagation", "Deep Learning", "Section 6.5"),
                    ("Energy models", LECUN_06, "")}


@pytest.fixture(scope="module")
def rows(real_graph):
    return readings_table(real_graph)


def test_fl23_reading_list_is_complete(real_graph, rows):
    g = real_graph
    page = document_iri("FL23", "course-page")
    cites = [c for c in g.subjects(DLG.citedIn, page) if (c, RDF.type, DLG.Citation) in g]
    assert len(cites) == FL23_ENTRIES
    fl23 = readings_table(g, edition="FL23")
    assert {r["title"] for r in fl23} == FL23_WORKS
    per_lecture = {
        (str(g.value(c, DLG.readingFor)), str(g.value(g.value(c, DLG.reading), DCTERMS.title)),
         str(g.value(c, BIBO.chapter) or ""))
        for c in cites if g.value(c, DLG.readingFor) is not None
    }
    assert per_lecture == FL23_PER_LECTURE


def test_fl23_books_carry_their_authors(rows):
    by_title = {r["title"]: r for r in rows if "FL23" in r["editions"]}
    assert by_title["Deep Learning"]["kind"] == "book"
    assert by_title["Deep Learning"]["authors"] == ["Ian Goodfellow", "Yoshua Bengio", "Aaron Courville"]
    assert by_title["Mathematics for Machine Learning"]["authors"] == ["Deisenroth"]
    assert by_title[LECUN_06]["url"] == "http://yann.lecun.com/exdb/publis/pdf/lecun-06.pdf"


def test_lecun_06_is_one_reading_cited_by_sp20_and_fl23(rows):
    (row,) = [r for r in rows if r["url"].endswith("/lecun-06.pdf")]
    assert set(row["editions"]) == {"SP20", "FL23"}
    assert row["title"] == LECUN_06 and row["year"] == 2006
    assert row["authors"][0] == "Yann LeCun" and len(row["authors"]) == 5
    assert [x["iri"] for x in row["lectures"]] == [str(iri("edition", "SP20", "lecture", "14-1"))]


def test_optional_lecture_reading_says_so_in_the_note(rows):
    (row,) = [r for r in rows if r["title"] == "Deep Learning" and "FL23" in r["editions"]]
    assert "optional reading for Backpropagation (Section 6.5)" in row["note"]


def test_goodreads_link_cut_by_the_capture_keeps_the_book_number(rows):
    (row,) = [r for r in rows if r["title"] == "Pattern Classification"]
    assert row["url"] == "https://www.goodreads.com/book/show/85020"


@pytest.mark.parametrize("edition", ["SP20", "SP21"])
def test_every_arxiv_paper_is_one_reading(rows, edition):
    found = {r["arxiv"] for r in rows if r["arxiv"] and edition in r["editions"]}
    assert found == ARXIV[edition]


def test_arxiv_ids_are_unique(rows):
    ids = [r["arxiv"] for r in rows if r["arxiv"]]
    assert len(ids) == len(set(ids)) == sum(len(v) for v in ARXIV.values())


@pytest.mark.parametrize("edition", ["SP20", "SP21"])
def test_other_papers(rows, edition):
    found = {r["url"] for r in rows if not r["arxiv"] and edition in r["editions"]}
    assert found == OTHER_PAPERS[edition]


def test_translations_cite_the_same_reading(real_graph):
    g = real_graph
    paper = iri("reading", "arxiv", "1706.03762")
    citing = {str(g.value(c, DLG.citedIn)) for c in g.subjects(DLG.reading, paper)}
    langs = {u.split("/")[4] for u in citing}
    assert {"en", "fr"} <= langs
    assert str(g.value(paper, DCTERMS.title)) == "Attention Is All You Need"


def test_neurips_paper_number_folds_a_misspelt_slug(real_graph, rows):
    (row,) = [r for r in rows if "papers.nips.cc/paper/293" in r["url"]]
    langs = {URIRef(s["page"]).split("/")[4] for s in row["sections"]}
    assert "zh" in langs and "en" in langs  # zh writes "handwriting-digit", en "handwritten-digit"


def test_damaged_translated_link_is_no_reading(rows):
    assert not any(" " in r["url"] or "le%20cun" in r["url"].lower() for r in rows)


def test_citations_point_at_graph_entities(real_graph):
    g = real_graph
    for c in g.subjects(RDF.type, DLG.Citation):
        citing = g.value(c, DLG.citedIn)
        assert next(g.objects(citing, RDF.type), None) is not None, citing
        assert (citing, SDO.citation, g.value(c, DLG.reading)) in g


def test_week_page_citation_maps_to_its_practicum(real_graph, rows):
    (row,) = [r for r in rows if r["url"].endswith("truckbackerupper.pdf")]
    assert [x["iri"] for x in row["lectures"]] == [str(iri("edition", "SP20", "lecture", "10-3"))]
    # zh/week10/10 keeps the English headings as empty ones; it is the practicum all the same.
    zh = [s for s in row["sections"] if "/zh/" in s["page"]]
    assert len(zh) == 1
    assert row["note"] == "DS-GA 1008 — SP20: Predictive Control"


def test_week_page_citation_names_its_authors_and_year(rows):
    (row,) = [r for r in rows if r["url"].endswith("truckbackerupper.pdf")]
    assert (row["authors"], row["year"]) == (["Nguyen", "Widrow"], 1990)


def test_every_shown_url_is_live(rows):
    for r in rows:
        assert r["url"] == "" or r["url"].startswith(("https://", "http://")), r["url"]
        assert "127.0.0.1" not in r["url"] and "localhost" not in r["url"]


@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csv"])
def test_full_export_parses_back(real_graph, rows, fmt):
    text = export_readings(real_graph, fmt)
    if fmt == "bibtex":
        lib = bibtexparser.parse_string(text)
        assert not lib.failed_blocks and len(lib.entries) == len(rows)
    elif fmt == "ris":
        assert len(rispy.loads(text)) == len(rows)
    else:
        assert len(list(csv.DictReader(io.StringIO(text)))) == len(rows)


def test_real_graph_exports_as_strict_ntriples(real_graph):
    text = export_graph(real_graph, "nt")
    assert len(list(ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES))) == len(real_graph)


def test_energy_topic_selects_the_energy_reading(real_graph):
    titles = {r["title"] for r in readings_table(real_graph, topic="energy-based-models")}
    assert LECUN_06 in titles
