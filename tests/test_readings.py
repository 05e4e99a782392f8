"""Readings: URL identities, what link texts say, one node per work, and the readings table."""

from __future__ import annotations

import pytest
from fixtures.small_records import SP20, SP21_NOTES, SPECIAL_TITLE, reading_records
from rdflib import Graph, Literal, URIRef

from dlgraph.citation_text import describe_link
from dlgraph.identifiers import arxiv_year, clean_url, live_url, reading_kind
from dlgraph.readings import (
    UnknownFilter,
    add_readings,
    cite_keys,
    lecture_resources,
    normalize_url,
    reading_iri,
    readings_table,
)
from dlgraph.vocab import BIBO, DCTERMS, DLG, RDF, SDO, document_iri, iri, lecture_iri, section_iri

ARXIV_NODE = iri("reading", "arxiv", "1234.56789")
DOI_NODE = iri("reading", "doi", "10.9999/toy.2020.abc")


@pytest.fixture(scope="module")
def rich_graph() -> Graph:
    """The full pipeline over ``reading_records()`` (small_records plus a citing SP21 page)."""
    from dlgraph.pipeline import build

    return build(reading_records())


def _by_iri(rows):
    return {r["iri"]: r for r in rows}


# -- identities -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://arxiv.org/abs/1706.03762", ("arxiv", "1706.03762")),
        ("https://arxiv.org/abs/1706.03762v5", ("arxiv", "1706.03762")),
        ("https://arxiv.org/pdf/1706.03762.pdf", ("arxiv", "1706.03762")),
        ("https://arxiv.org/pdf/1706.03762v2.pdf", ("arxiv", "1706.03762")),
        ("https://arxiv.org/pdf/2003.00982.pdf/", ("arxiv", "2003.00982")),
        ("http://www.arxiv.org/abs/1207.0580", ("arxiv", "1207.0580")),
        ("https://export.arxiv.org/abs/1409.0473v7", ("arxiv", "1409.0473")),
        ("https://arxiv.org/pdf/math/0503066.pdf", ("arxiv", "math/0503066")),
        ("https://arxiv.org/abs/cs.LG/0102001v1", ("arxiv", "cs.LG/0102001")),
        ("arXiv:1706.03762v3", ("arxiv", "1706.03762")),
        ("https://doi.org/10.1145/3065386", ("doi", "10.1145/3065386")),
        ("https://dx.doi.org/10.1109/5.726791", ("doi", "10.1109/5.726791")),
        ("https://doi.org/10.9999/TOY.2020.ABC", ("doi", "10.9999/toy.2020.abc")),
        ("https://dl.acm.org/doi/pdf/10.1145/3065386", ("doi", "10.1145/3065386")),
        ("https://link.springer.com/chapter/10.1007/978-3-642-35289-8_3",
         ("doi", "10.1007/978-3-642-35289-8_3")),
        ("doi:10.1038/NATURE14539", ("doi", "10.1038/nature14539")),
        ("https://openreview.net/pdf?id=ToyXYZ", ("url", "https://openreview.net/forum?id=ToyXYZ")),
        ("https://openreview.net/forum?id=ToyXYZ&noteId=1", ("url", "https://openreview.net/forum?id=ToyXYZ")),
        ("https://proceedings.neurips.cc/paper_files/paper/2017/file/"
         "3f5ee243547dee91fbd053c1c4a845aa-Paper.pdf",
         ("url", "https://proceedings.neurips.cc/paper/2017/hash/3f5ee243547dee91fbd053c1c4a845aa-Abstract.html")),
        ("https://papers.nips.cc/paper/2017/hash/3f5ee243547dee91fbd053c1c4a845aa-Abstract.html",
         ("url", "https://proceedings.neurips.cc/paper/2017/hash/3f5ee243547dee91fbd053c1c4a845aa-Abstract.html")),
        ("https://papers.nips.cc/paper/293-handwritten-digit-recognition.pdf",
         ("url", "https://papers.nips.cc/paper/293")),
        ("https://proceedings.mlr.press/v37/ioffe15.pdf", ("url", "https://proceedings.mlr.press/v37/ioffe15.html")),
        ("http://proceedings.mlr.press/v37/ioffe15/ioffe15.pdf",
         ("url", "https://proceedings.mlr.press/v37/ioffe15.html")),
        ("https://openaccess.thecvf.com/content_cvpr_2016/papers/He_Deep_CVPR_2016_paper.pdf",
         ("url", "https://openaccess.thecvf.com/content_cvpr_2016/html/He_Deep_CVPR_2016_paper.html")),
        ("https://www.aclweb.org/anthology/N19-1423.pdf", ("url", "https://aclanthology.org/N19-1423/")),
        ("https://www.example-press.fr/livres/x_9781234567897.php", ("isbn", "9781234567897")),
        ("https://www.goodreads.com/book/show/85020.Pattern_Classification",
         ("url", "https://www.goodreads.com/book/show/85020")),
        ("http://www.Example.org/a/b/?utm_source=x#frag", ("url", "https://example.org/a/b")),
    ],
)
def test_normalize_url(url, expected):
    assert normalize_url(url) == expected


def test_same_paper_spellings_share_one_identity():
    spellings = ["https://arxiv.org/abs/1234.56789v2", "https://arxiv.org/pdf/1234.56789.pdf",
                 "http://arxiv.org/abs/1234.56789", "https://arxiv.org/pdf/1234.56789v1"]
    assert {normalize_url(u) for u in spellings} == {("arxiv", "1234.56789")}


@pytest.mark.parametrize(
    "url, kind",
    [
        ("https://arxiv.org/abs/1706.03762", "paper"),
        ("https://doi.org/10.1145/3065386", "paper"),
        ("https://openreview.net/forum?id=x", "paper"),
        ("https://papers.nips.cc/paper/293-x.pdf", "paper"),
        ("https://distill.pub/2017/momentum/", "paper"),
        ("http://yann.lecun.com/exdb/publis/pdf/lecun-06.pdf", "paper"),
        ("https://www.goodreads.com/book/show/85020", "book"),
        ("https://www.example-press.fr/livres/x_9781234567897.php", "book"),
        ("https://github.com/Atcold/NYU-DLSP20/blob/master/slides/02%20-%20CNN.pdf", None),
        ("https://atcold.github.io/NYU-DLSP20/en/week02/02-1/", None),
        ("https://www.youtube.com/watch?v=abc", None),
        ("https://openai.com/blog/dall-e/", None),
        ("https://distill.pub/", None),
        ("http://yann.le cun.com/exdb/publis/pdf/le cun-98b.pdf", None),
    ],
)
def test_reading_kind(url, kind):
    assert reading_kind(url) == kind


def test_clean_url_rejects_a_damaged_host_and_encodes_path_spaces():
    assert clean_url("http://yann.Le Cun.com/x.pdf") is None
    assert clean_url("https://a.org/book/show/1.Pattern Classification") == (
        "https://a.org/book/show/1.Pattern%20Classification")
    assert clean_url("file:///tmp/x.pdf") is None


def test_live_url_prefers_resolvers_and_canonical_pages():
    assert live_url("arxiv", "1234.56789", "https://arxiv.org/pdf/1234.56789v2.pdf") == (
        "https://arxiv.org/abs/1234.56789")
    assert live_url("doi", "10.1/x", "https://dx.doi.org/10.1/X") == "https://doi.org/10.1/x"
    # An old NeurIPS number is an identity, not a page: the cited URL stays.
    cited = "https://papers.nips.cc/paper/293-handwritten.pdf"
    assert live_url(*normalize_url(cited), cited) == cited


def test_arxiv_year():
    assert arxiv_year("1207.0580") == 2012
    assert arxiv_year("math/0503066") == 2005
    assert arxiv_year("9912.1234") == 1999


# -- what a link's text says ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, context, title, authors, year, et_al",
    [
        ("Attention Is All You Need", "", "Attention Is All You Need", (), None, False),
        ("Hochreiter, Schmidhuber, 1997", "", None, ("Hochreiter", "Schmidhuber"), 1997, False),
        ("Hinton et al (2012)", "", None, ("Hinton",), 2012, True),
        ("Sutskever NIPS 2014", "", None, ("Sutskever",), 2014, False),
        ("(Lecun88)", "", None, ("Lecun",), 1988, False),
        ("Toy Modeling with CTC, Toyson. 2017, Distill", "", "Toy Modeling with CTC", ("Toyson",), 2017, False),
        ("Toy Flows, Lee, et al. 2019, NeurIPS", "", "Toy Flows", ("Lee",), 2019, True),
        ("Ada Example", "work started by Ada Example in 2014 and", None, ("Ada Example",), 2014, False),
        ("here", "", None, (), None, False),
        ("One of the good paper", "", None, (), None, False),
        ("distill.pub", "", None, (), None, False),
        ("https://example.org/x", "", None, (), None, False),
    ],
)
def test_describe_link(text, context, title, authors, year, et_al):
    d = describe_link(text, context)
    assert (d.title, d.authors, d.year, d.et_al) == (title, authors, year, et_al)


# -- the graph (small_graph: an arXiv paper cited by SP20, the SP21 review and FL23) -----------


def test_arxiv_paper_cited_in_two_editions_is_one_reading(small_graph):
    papers = [r for r in small_graph.subjects(DLG.arxivId, Literal("1234.56789"))]
    assert papers == [ARXIV_NODE]
    cites = set(small_graph.subjects(DLG.reading, ARXIV_NODE))
    editions = {small_graph.value(c, DLG.edition) for c in cites}
    assert iri("edition", "SP20") in editions and iri("edition", "SP21") in editions
    assert len(cites) == 3  # the SP20 section, the SP21 review, FL23's list


def test_reading_node_shape(small_graph):
    g = small_graph
    assert {BIBO.Document, SDO.ScholarlyArticle, BIBO.AcademicArticle} <= set(g.objects(ARXIV_NODE, RDF.type))
    assert g.value(ARXIV_NODE, DCTERMS.title) == Literal("Gradient Tricks for Toy Networks", lang="en")
    assert g.value(ARXIV_NODE, SDO.url) == URIRef("https://arxiv.org/abs/1234.56789")


def test_citation_in_a_section_keeps_its_sentence(small_graph):
    g = small_graph
    sec = section_iri(f"{SP20}en/week02/02-1/", "toy-gradients")
    cites = [c for c in g.subjects(DLG.citedIn, sec) if g.value(c, DLG.reading) == ARXIV_NODE]
    assert len(cites) == 1  # the page-level copy of the same link is not a second citation
    c = cites[0]
    assert (c, RDF.type, DLG.Citation) in g
    assert str(g.value(c, DLG.context)).startswith("The trick is described")
    assert g.value(c, DLG.edition) == iri("edition", "SP20")
    assert (sec, SDO.citation, ARXIV_NODE) in g


def test_fl23_list_book_with_chapter(small_graph):
    g = small_graph
    book = iri("reading", "book", "toy-deep-learning")
    assert (book, RDF.type, SDO.Book) in g and (book, RDF.type, BIBO.Book) in g
    from dlgraph.bibliography import reading_authors

    assert set(reading_authors(g, book)) == {"I. Author", "Y. Author"}
    # Names are an ordered bibo:authorList; dcterms:creator takes agents, never a literal.
    assert not any(isinstance(o, Literal) for o in g.objects(None, DCTERMS.creator))
    (c,) = g.subjects(DLG.reading, book)
    assert g.value(c, DLG.citedIn) == document_iri("FL23", "course-page")
    assert str(g.value(c, DLG.readingFor)) == "Lecture 2: Backprop"
    assert str(g.value(c, BIBO.chapter)) == "Chapter 6, Section 6.5"


def test_add_readings_is_idempotent(small_graph, small_records):
    g = Graph()
    for t in small_graph:
        g.add(t)
    assert add_readings(g, small_records) == 0


def test_add_readings_counts_triples(small_records):
    from dlgraph.build import build_graph

    g = build_graph(small_records)
    before = len(g)
    added = add_readings(g, small_records)
    assert added > 0 and len(g) == before + added


# -- many spellings (rich_graph) ------------------------------------------------------------


def test_doi_in_two_cases_is_one_reading_with_the_special_title(rich_graph):
    g = rich_graph
    assert str(g.value(DOI_NODE, DCTERMS.title)) == SPECIAL_TITLE
    assert g.value(DOI_NODE, BIBO.doi) == Literal("10.9999/toy.2020.abc")
    assert not list(g.subjects(BIBO.doi, Literal("10.9999/TOY.2020.ABC")))


def test_openreview_pdf_and_forum_are_one_reading(rich_graph):
    rows = [r for r in readings_table(rich_graph) if "openreview" in r["url"]]
    assert [(r["title"], r["url"]) for r in rows] == [
        ("Joint Toy Embeddings", "https://openreview.net/forum?id=ToyXYZ")]


def test_links_that_are_no_readings_are_left_out(rich_graph):
    urls = {r["url"] for r in readings_table(rich_graph)}
    assert not any("blog.example.org" in u or "github.com" in u for u in urls)


def test_isbn_link_is_a_book(rich_graph):
    row = _by_iri(readings_table(rich_graph))[str(iri("reading", "book", "9781234567897"))]
    assert row["kind"] == "book" and row["isbn"] == "9781234567897"
    assert row["title"] == "Quand le jouet apprend"


def test_translated_link_text_does_not_rename_an_english_cited_paper(rich_graph):
    row = _by_iri(readings_table(rich_graph))[str(ARXIV_NODE)]
    assert row["title"] == "Gradient Tricks for Toy Networks"
    assert row["citations"] == 5  # SP20 section, SP21 review, SP21 en + fr sections, FL23 list
    assert row["editions"] == ["SP20", "SP21", "FL23"]


def test_neurips_citation_text_gives_title_authors_year(rich_graph):
    (row,) = [r for r in readings_table(rich_graph) if "neurips" in r["url"]]
    assert (row["title"], row["authors"], row["year"], row["et_al"]) == ("Toy Flows", ["Lee"], 2019, True)


def test_authors_keep_their_order(rich_graph):
    row = _by_iri(readings_table(rich_graph))[str(DOI_NODE)]
    assert row["authors"] == ["Dupont", "Müller"] and row["year"] == 2020


# -- readings_table -------------------------------------------------------------------------


def test_table_row_lists_lectures_sections_and_note(rich_graph):
    row = _by_iri(readings_table(rich_graph))[str(ARXIV_NODE)]
    lectures = {(x["iri"], x["title"]) for x in row["lectures"]}
    assert (str(lecture_iri("SP20", "02-1")), "Toy gradients and backprop") in lectures
    assert (str(lecture_iri("SP21", "t2.3")), "Toy joint embeddings") in lectures
    assert str(section_iri(f"{SP20}en/week02/02-1/", "toy-gradients")) in {s["iri"] for s in row["sections"]}
    assert row["listed_for"] == ["Lecture 2: Backprop"]
    assert row["arxiv"] == "1234.56789" and row["kind"] == "paper"
    assert row["note"].startswith("DS-GA 1008") and "SP20: Toy gradients and backprop" in row["note"]


def test_filter_by_edition(rich_graph):
    fl23 = {r["title"] for r in readings_table(rich_graph, edition="fl23")}
    assert fl23 == {"Gradient Tricks for Toy Networks", "Toy Deep Learning"}


def test_filter_by_lecture_iri_or_short_form(rich_graph):
    by_iri = readings_table(rich_graph, lecture=str(lecture_iri("SP20", "02-1")))
    assert [r["iri"] for r in by_iri] == [str(ARXIV_NODE)]
    assert readings_table(rich_graph, lecture="SP20/02-1") == by_iri
    # arXiv, DOI (two spellings), OpenReview (two), NeurIPS, a PDF, an ISBN book
    assert len(readings_table(rich_graph, lecture="SP21/t2.3")) == 6


def _with_toy_topics():
    """The reading graph plus a toy topic (with a narrower one) in the curated scheme."""
    from dlgraph.pipeline import build
    from dlgraph.vocab import SKOS, TOPIC_SCHEME, TOPICS

    g = build(reading_records())
    topic, narrow = TOPICS["toy-topic"], TOPICS["toy-subtopic"]
    for t, label in ((topic, "Toy topic"), (narrow, "Toy subtopic")):
        g.add((t, RDF.type, SKOS.Concept))
        g.add((t, SKOS.inScheme, TOPIC_SCHEME))
        g.add((t, SKOS.prefLabel, Literal(label, lang="en")))
    g.add((narrow, SKOS.broader, topic))
    g.add((topic, SKOS.narrower, narrow))
    return g, topic, narrow


def test_topic_filter_keeps_what_the_citing_section_is_about():
    g, topic, narrow = _with_toy_topics()
    section = section_iri(f"{SP20}en/week02/02-1/", "toy-gradients")
    g.add((section, DCTERMS.subject, narrow))
    for name in ("toy-topic", "Toy topic", "toy subtopic"):
        rows = readings_table(g, topic=name)
        assert str(ARXIV_NODE) in [r["iri"] for r in rows]
    (row,) = [r for r in readings_table(g, topic="toy-topic") if r["iri"] == str(ARXIV_NODE)]
    assert "Toy subtopic" in row["context_topics"]  # the reason it is in the list


def test_topic_filter_does_not_spread_a_lectures_topic_to_every_link():
    g, topic, _ = _with_toy_topics()
    g.add((lecture_iri("SP20", "02-1"), DCTERMS.subject, topic))  # the lecture, not the section
    assert [r["iri"] for r in readings_table(g, topic="toy-topic")] == []
    g.add((ARXIV_NODE, DCTERMS.subject, topic))  # the reading's own tag
    assert [r["iri"] for r in readings_table(g, topic="toy-topic")] == [str(ARXIV_NODE)]


def test_misspelt_topic_suggests_the_close_one():
    g, _, _ = _with_toy_topics()
    with pytest.raises(UnknownFilter) as exc:
        readings_table(g, topic="toy-topik")
    assert "close matches:" in str(exc.value) and "toy-topic" in str(exc.value)


@pytest.mark.parametrize("kw", [{"edition": "SP99"}, {"topic": "no-such-topic"},
                                {"lecture": "SP20/99-9"}])
def test_unknown_filters_raise_one_line(rich_graph, kw):
    with pytest.raises(UnknownFilter) as exc:
        readings_table(rich_graph, **kw)
    assert "\n" not in str(exc.value) and "unknown" in str(exc.value)


def test_cite_keys_are_unique_and_stable(rich_graph):
    keys = cite_keys(rich_graph)
    assert len(set(keys.values())) == len(keys)
    assert keys == cite_keys(rich_graph)
    assert keys[DOI_NODE] == "dupont2020toy"
    assert all(k.isascii() and k.isalnum() for k in keys.values())


def test_reading_iri_shapes():
    assert reading_iri("arxiv", "1234.56789") == ARXIV_NODE
    assert str(reading_iri("url", "https://x.org/a")).startswith(str(iri("reading", "url")))
    assert reading_iri("isbn", "9781234567897") == iri("reading", "book", "9781234567897")


def test_every_reading_url_is_live(rich_graph):
    for row in readings_table(rich_graph):
        assert row["url"] == "" or row["url"].startswith(("https://", "http://"))
        assert "127.0.0.1" not in row["url"] and "localhost" not in row["url"]


def test_lecture_resources_group_a_shared_notebook(small_graph):
    rows = lecture_resources(small_graph, kinds=("notebook",))
    (nb,) = [r for r in rows if "04-toy_training" in r["url"]]
    assert nb["editions"] == ["SP20", "SP21"] and nb["kind"] == "notebook"
    assert len(nb["lectures"]) == 2
    assert lecture_resources(small_graph, edition="FL22", kinds=("notebook",)) == []


def test_readings_for_a_page_without_sections():
    from dlgraph.records import EditionRecords, Link, NotesPage

    page = NotesPage(SP21_NOTES, "SP21", "en", "notes", "Toy", 5, "05-1",
                     links=(Link("https://arxiv.org/abs/2101.00001", "Toy Paper Title", "See it."),))
    g = Graph()
    add_readings(g, [EditionRecords("SP21", pages=(page,))])
    (c,) = g.subjects(RDF.type, DLG.Citation)
    assert g.value(c, DLG.citedIn) == URIRef(SP21_NOTES)
