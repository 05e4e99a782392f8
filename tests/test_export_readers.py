"""What the readers of each export make of it: names split, arXiv identity, types, cells.

Each test runs a real reader (bibtexparser v2 and pybtex with their name splitting, rispy,
pandas, pyld; bibtex and pandoc where installed) on exports of hand-written rows and
asserts what it read, not only that it parsed.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess

import bibtexparser
import pandas as pd
import pybtex.database
import pytest
import rispy
from bibtexparser.middlewares import (
    LatexDecodingMiddleware,
    SeparateCoAuthors,
    SplitNameParts,
)
from conftest import skip_or_fail
from pyld import jsonld

from dlgraph.export import format_readings
from dlgraph.names import split_name


def _row(**over) -> dict:
    row = {"iri": "https://w3id.org/dlgraph/id/reading/x", "key": "x", "title": "A toy",
           "authors": [], "et_al": False, "year": None, "kind": "paper", "url": "",
           "arxiv": None, "doi": None, "isbn": None, "editions": ["SP20"], "lectures": [],
           "sections": [], "listed_for": [], "details": [], "topics": [], "contexts": [],
           "citations": 1, "courses": ["DS-GA 1008"], "note": ""}
    return {**row, **over}


PAPER = _row(key="lecun2015fast", title="Fast R-CNN for PyTorch — a toy’s guide",
             authors=["Yann Le Cun", "Martin Luther King Jr.", "Laurens van der Maaten",
                      "Hochreiter"],
             year=2015, arxiv="1504.08083", url="https://arxiv.org/abs/1504.08083")
BOOK = _row(key="toybook", kind="book", title="The Toy Book", authors=["Ada Toy"],
            isbn="9781234567897")
ANONYMOUS = _row(key="anon2017", title="Attention toys", year=2017, arxiv="1706.00001")
ROWS = [PAPER, BOOK, ANONYMOUS]


# -- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "given", "family", "suffix"), [
    ("Yann LeCun", "Yann", "LeCun", ""),
    ("Yann Le Cun", "Yann", "Le Cun", ""),
    ("Laurens van der Maaten", "Laurens", "van der Maaten", ""),
    ("Martin Luther King Jr.", "Martin Luther", "King", "Jr."),
    ("Hochreiter", "", "Hochreiter", ""),  # one token is a family name
    ("LeCun, Yann", "Yann", "LeCun", ""),
])
def test_split_name(name, given, family, suffix):
    assert split_name(name) == (split_name(name).__class__(given, family, suffix))


def _bib_names(text: str) -> dict[str, list]:
    lib = bibtexparser.parse_string(text, append_middleware=[
        LatexDecodingMiddleware(), SeparateCoAuthors(), SplitNameParts()])
    assert not lib.failed_blocks
    return {e.key: e["author"] for e in lib.entries if "author" in e.fields_dict}


def test_bibtexparser_splits_family_and_given_names():
    names = _bib_names(format_readings([PAPER], "bibtex"))["lecun2015fast"]
    assert [(n.first, n.von, n.last, n.jr) for n in names] == [
        (["Yann"], [], ["Le", "Cun"], []),
        (["Martin", "Luther"], [], ["King"], ["Jr."]),
        (["Laurens"], ["van", "der"], ["Maaten"], []),
        ([], [], ["Hochreiter"], []),
    ]


def test_pybtex_splits_family_and_given_names():
    entry = pybtex.database.parse_string(format_readings([PAPER], "bibtex"), "bibtex").entries[
        "lecun2015fast"]
    people = entry.persons["author"]
    assert [" ".join(p.last_names) for p in people] == ["Le Cun", "King", "Maaten", "Hochreiter"]
    assert [" ".join(p.prelast_names) for p in people][2] == "van der"
    assert people[1].lineage_names == ["Jr."]
    assert people[0].first_names == ["Yann"]


def test_ris_authors_are_family_comma_given():
    (ref,) = rispy.loads(format_readings([PAPER], "ris"))
    assert ref["authors"] == ["Le Cun, Yann", "King, Martin Luther, Jr.",
                              "van der Maaten, Laurens", "Hochreiter"]


def test_jsonld_people_have_given_and_family_names():
    doc = json.loads(format_readings([PAPER], "jsonld"))
    expanded = jsonld.expand(doc)
    authors = jsonld.compact(expanded, {"@vocab": "https://schema.org/"})["author"]
    assert [(a.get("givenName"), a["familyName"]) for a in authors] == [
        ("Yann", "Le Cun"), ("Martin Luther", "King"), ("Laurens", "van der Maaten"),
        (None, "Hochreiter")]
    assert authors[1]["honorificSuffix"] == "Jr."


# -- arXiv identity, types ------------------------------------------------------------------


def test_bibtex_arxiv_fields_and_doi():
    lib = bibtexparser.parse_string(format_readings([PAPER], "bibtex"))
    entry = lib.entries[0]
    assert entry["eprint"] == "1504.08083"
    assert entry["eprinttype"] == "arxiv"
    assert entry["archivePrefix"] == "arXiv"
    assert entry["doi"] == "10.48550/arXiv.1504.08083"
    assert entry.entry_type == "misc"  # no journal: a preprint, not an @article


def test_ris_preprint_is_a_report_from_arxiv():
    (ref,) = rispy.loads(format_readings([PAPER], "ris"))
    assert ref["type_of_reference"] == "RPRT"
    assert ref["publisher"] == "arXiv"
    assert ref["issn"] == "arXiv:1504.08083"  # SN: the report number
    assert ref["doi"] == "10.48550/arXiv.1504.08083"
    assert "journal_name" not in ref


def test_jsonld_has_the_arxiv_doi():
    (node,) = json.loads(format_readings([PAPER], "jsonld"))["@graph"]
    assert "https://doi.org/10.48550/arXiv.1504.08083" in node["sameAs"]
    assert {"@type": "PropertyValue", "propertyID": "DOI",
            "value": "10.48550/arXiv.1504.08083"} in node["identifier"]


def test_book_without_publisher_is_misc():
    entry = bibtexparser.parse_string(format_readings([BOOK], "bibtex")).entries[0]
    assert entry.entry_type == "misc"
    complete = dict(BOOK, year=2001, publisher="Toy Press")
    assert bibtexparser.parse_string(format_readings([complete], "bibtex")).entries[0].entry_type == "book"


# -- titles ---------------------------------------------------------------------------------


def test_title_protects_acronyms_and_inner_capitals():
    raw = pybtex.database.parse_string(format_readings([PAPER], "bibtex"), "bibtex").entries[
        "lecun2015fast"].fields["title"]
    assert "{R-CNN}" in raw and "{PyTorch}" in raw
    assert "textemdash" not in raw and "---" in raw
    decoded = bibtexparser.parse_string(format_readings([PAPER], "bibtex"),
                                        append_middleware=[LatexDecodingMiddleware()])
    assert decoded.entries[0]["title"] == PAPER["title"]


def test_pybtex_lower_cases_only_unprotected_words():
    from pybtex.richtext import Text

    raw = pybtex.database.parse_string(format_readings([PAPER], "bibtex"), "bibtex").entries[
        "lecun2015fast"].fields["title"]
    assert Text.from_latex(raw).lower().render_as("text").startswith("fast R-CNN for PyTorch")


# -- CSV --------------------------------------------------------------------------------------


def test_csv_year_is_an_integer_column_in_pandas():
    rows = [PAPER, dict(ANONYMOUS, key="b")]
    frame = pd.read_csv(io.StringIO(format_readings(rows, "csv")))
    assert frame["year"].dtype.kind == "i"
    assert list(frame["year"]) == [2015, 2017]


@pytest.mark.parametrize("evil", ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-2+3", "@SUM(A1)"])
def test_csv_neutralises_formulas(evil):
    frame = pd.read_csv(io.StringIO(format_readings([_row(title=evil, note=evil)], "csv")))
    assert frame["title"][0] == "'" + evil
    assert frame["note"][0] == "'" + evil


def test_csv_excel_starts_with_a_bom_and_reads_as_utf8_sig():
    text = format_readings([dict(PAPER, title="Énergie")], "csv", excel=True)
    assert text.startswith("\ufeff")
    frame = pd.read_csv(io.BytesIO(text.encode("utf-8")), encoding="utf-8-sig")
    assert frame.columns[0] == "key" and frame["title"][0] == "Énergie"


# -- the standard tools ------------------------------------------------------------------------


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        skip_or_fail(f"{name} is not installed (.ci/run installs it with apt)")
    return path


def bibtex_warnings(bib: str, tmp_path) -> list[str]:
    """Run plain.bst over every entry of ``bib`` (a generated .aux) and return its warnings."""
    keys = re.findall(r"^@\w+\{([^,]+),", bib, re.M)
    (tmp_path / "refs.bib").write_text(bib, encoding="utf-8")
    (tmp_path / "doc.aux").write_text(
        "\\relax\n\\bibstyle{plain}\n\\bibdata{refs}\n"
        + "".join(f"\\citation{{{k}}}\n" for k in keys), encoding="utf-8")
    run = subprocess.run([_tool("bibtex"), "doc"], cwd=tmp_path, capture_output=True, text=True,
                         timeout=60)
    assert (tmp_path / "doc.bbl").exists(), run.stdout + run.stderr
    return [line for line in run.stdout.splitlines() if line.startswith("Warning--")]


def test_bibtex_plain_gives_no_warnings(tmp_path):
    slides = _row(key="slidestoy", kind="slides", title="Slides: Toy", authors=["Ann Toy"],
                  year=2020, url="https://example.org/s.pdf")
    assert bibtex_warnings(format_readings([*ROWS, slides], "bibtex"), tmp_path) == []


def test_pandoc_reads_names_dois_and_titles(tmp_path):
    (tmp_path / "refs.bib").write_text(format_readings(ROWS, "bibtex"), encoding="utf-8")
    out = subprocess.run([_tool("pandoc"), str(tmp_path / "refs.bib"), "-t", "csljson"],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    items = {i["id"]: i for i in json.loads(out)}
    paper = items["lecun2015fast"]
    assert paper["author"][0] == {"family": "Le Cun", "given": "Yann"}
    assert paper["DOI"] == "10.48550/arXiv.1504.08083"
    assert paper["title"] == "Fast R-CNN for PyTorch — a toy’s guide"


def test_keywords_say_why_a_topic_filter_kept_an_entry():
    row = _row(topics=["Backpropagation"], context_topics=["Energy-based models"])
    (ref,) = rispy.loads(format_readings([row], "ris"))
    assert ref["keywords"] == ["DS-GA 1008", "SP20", "Backpropagation", "Energy-based models"]


def test_oxigraph_reads_the_jsonld_names_and_doi():
    import pyoxigraph as ox

    text = format_readings([PAPER], "jsonld")
    quads = list(ox.parse(text.encode(), format=ox.RdfFormat.JSON_LD))
    sdo = "https://schema.org/"
    values = {(q.predicate.value, q.object.value) for q in quads}
    assert (f"{sdo}familyName", "Le Cun") in values
    assert (f"{sdo}givenName", "Yann") in values
    assert (f"{sdo}value", "10.48550/arXiv.1504.08083") in values
    assert (f"{sdo}sameAs", "https://doi.org/10.48550/arXiv.1504.08083") in values
