"""The saved documents of ../shared/seeds (``DLGRAPH_DOCUMENTS``), checked against the sources.

Expected figures were counted by hand in the seed files: FL23 names 2 instructors, 1 TA and
4 graders, two grading schemes of 5 and 3 lines, 5 deadline rows, 4 general readings and a
"Per Lecture Materials" list of 2 lectures holding 3 readings; the early SP20 page lists 3
staff and 4 graders and 3 homework rows. The FL22 home seed is compared with the clean site
page of the mirror (``DLGRAPH_MIRROR``).
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from dlgraph.records import Document
from ingest.article import block_text
from ingest.documents import load_documents, load_manifest, read_text, to_html
from ingest.home_themes import parse_home

pytestmark = pytest.mark.integration

FL22 = "https://atcold.github.io/NYU-DLFL22/"


@pytest.fixture(scope="module")
def docs(documents_dir) -> dict[tuple[str, str], Document]:
    return {(d.edition, d.kind): d for d in load_documents(documents_dir)}


def test_manifest(documents_dir):
    entries = load_manifest(documents_dir)
    assert sorted((e.edition, e.kind) for e in entries) == [
        ("FL22", "faq"), ("FL22", "home"), ("FL23", "course-page"), ("SP20", "course-page"),
        ("SP21", "review"),
    ]
    assert [e.url for e in entries if e.edition == "FL23"] == [None]


# -- FL23 class page ---------------------------------------------------------------------------


def test_fl23_people(docs):
    people = docs["FL23", "course-page"].people
    assert [(p.role, p.email) for p in people] == [
        ("instructor", "yann@cs.nyu.edu"),
        ("instructor", "canziani@nyu.edu"),
        ("teaching-assistant", "jz3224@nyu.edu"),
        ("grader", "ca2719@nyu.edu"),
        ("grader", "ad6489@nyu.edu"),
        ("grader", "sg7729@nyu.edu"),
        ("grader", "sdm8499@nyu.edu"),
    ]
    assert [p.key for p in people[:3]] == ["yann-lecun", "alfredo-canziani", "jiachen-zhu"]


def test_fl23_grading(docs):
    grading = docs["FL23", "course-page"].grading
    percents = [(line.split(": ", 1)[0].split()[0], line.split(": ", 1)[1].split("%")[0])
                for line in grading]
    assert percents == [("undergraduates", "30"), ("undergraduates", "30"),
                        ("undergraduates", "30"), ("undergraduates", "10"),
                        ("undergraduates", "5"), ("doctorate", "60"), ("doctorate", "30"),
                        ("doctorate", "10")]


def test_fl23_policies_and_schedule(docs):
    doc = docs["FL23", "course-page"]
    assert [p.split(":")[0] for p in doc.policies] == [
        "Collaboration policy", "How to fail this course", "Communication", "Late submission"]
    assert "10%" in doc.policies[-1]
    assert doc.schedule == ("Homework 1", "Homework 2", "Homework 3", "Homework 4",
                            "Final Competition")


def test_fl23_per_lecture_readings(docs):
    per_lecture = [r for r in docs["FL23", "course-page"].readings if r.lecture]
    assert [(r.lecture, r.title, r.kind, r.detail) for r in per_lecture] == [
        ("Backpropagation", "Mathematics for Machine Learning", "book", "Chapter 5"),
        ("Backpropagation", "Deep Learning", "book", "Section 6.5"),
        ("Energy models", "lecun-06", "pdf", ""),
    ]
    assert per_lecture[0].authors == ("Deisenroth",)
    assert len(per_lecture[1].authors) == 3
    assert per_lecture[2].url == "http://yann.lecun.com/exdb/publis/pdf/lecun-06.pdf"


def test_fl23_general_readings(docs):
    general = [r for r in docs["FL23", "course-page"].readings if not r.lecture]
    assert [r.kind for r in general] == ["video", "book", "book", "book"]
    assert [r.title for r in general][1:] == [
        "Mathematics for Machine Learning", "Deep Learning", "Pattern Classification"]


def test_fl23_links_to_earlier_editions(docs):
    urls = [link.url for link in docs["FL23", "course-page"].links]
    assert urls[:3] == ["https://atcold.github.io/NYU-DLSP20/",
                        "https://atcold.github.io/NYU-DLSP21/", FL22]


# -- SP20 early class page --------------------------------------------------------------------


def test_sp20_people_and_graders(docs):
    people = docs["SP20", "course-page"].people
    graders = [p for p in people if p.role == "grader"]
    assert [p.email for p in graders] == [
        "sk7685@nyu.edu", "rj1408@nyu.edu", "pp1953@nyu.edu", "chw371@nyu.edu"]
    assert [p.name for p in graders][-1] == "Chiao-Hsun Wang"
    staff = [(p.key, p.role) for p in people if p.role != "grader"]
    assert staff == [("yann-lecun", "instructor"), ("alfredo-canziani", "instructor"),
                     ("mark-goldstein", "teaching-assistant")]


def test_obfuscated_and_plain_emails_are_one_person(docs):
    sp20 = {p.email: p.key for p in docs["SP20", "course-page"].people}
    fl23 = {p.email: p.key for p in docs["FL23", "course-page"].people}
    for email in ("yann@cs.nyu.edu", "canziani@nyu.edu"):
        assert sp20[email] == fl23[email]


def test_sp20_grading_schedule_policies(docs):
    doc = docs["SP20", "course-page"]
    assert len(doc.grading) == 8
    assert not any("$" in line or "purpletext" in line for line in doc.grading)
    assert len(doc.schedule) == 3
    assert [p.split(":")[0] for p in doc.policies] == [
        "Lecture Notes", "Writer Instructions", "Editor Instructions", "Late submission"]


# -- FAQ, review, mojibake ----------------------------------------------------------------------


def test_faq_front_matter(docs):
    faq = docs["FL22", "faq"]
    assert (faq.author_key, faq.date) == ("alfredo-canziani", "17 Dec 2022")
    assert len(faq.links) == 3


def test_review_kept_as_document(docs):
    review = docs["SP21", "review"]
    assert review.url.startswith("https://dimgeo.com/") and review.text
    assert review.author is None


def test_mojibake_repaired(docs):
    assert {k for k, d in docs.items() if d.repaired} == {("FL22", "home")}
    for doc in docs.values():
        assert not any(bad in doc.text for bad in ("Ã", "â€", "ğŸ", "Â·"))


def test_clean_seeds_come_back_unchanged(documents_dir):
    for entry in load_manifest(documents_dir):
        if entry.kind == "home":
            continue
        data = (documents_dir / entry.file).read_bytes()
        assert read_text(data) == (data.decode("utf-8"), False), entry.file


# -- the mojibake seed against the clean FL22 home page -----------------------------------------


@pytest.fixture(scope="module")
def fl22_home(documents_dir, mirror_dir) -> tuple[str, str]:
    """(rendered HTML of the repaired seed, the mirror's FL22 home page)."""
    (entry,) = [e for e in load_manifest(documents_dir) if e.kind == "home"]
    text, repaired = read_text((documents_dir / entry.file).read_bytes())
    assert repaired
    html, front = to_html(text)
    assert front["lang-ref"] == "home"
    return html, (mirror_dir / "NYU-DLFL22" / "index.html").read_text(encoding="utf-8")


def _summary(home) -> list[tuple]:
    return [(lec.title, lec.number, lec.reused, tuple(r.key for r in lec.resources))
            for lec in home.lectures]


def test_mojibake_seed_reads_the_same_as_the_clean_fl22_home(fl22_home):
    seed_html, site_html = fl22_home
    seed, site = parse_home(seed_html, FL22, "FL22"), parse_home(site_html, FL22, "FL22")
    assert len(site.lectures) == 13
    assert sum(lec.reused for lec in site.lectures) == 7
    assert _summary(seed) == _summary(site)
    assert seed.themes == site.themes
    assert seed.lectures == site.lectures  # footnotes too (kramdown's smart quotes)


def test_mojibake_seed_has_the_site_links_and_emoji(fl22_home):
    seed_html, site_html = fl22_home
    seed = BeautifulSoup(seed_html, "lxml")
    site = BeautifulSoup(site_html, "lxml").select_one("main div.page")
    anchors = [(a["href"], a.get_text().strip()) for a in seed.find_all("a")]
    assert anchors == [(a["href"], a.get_text().strip()) for a in site.find_all("a")]
    assert len(anchors) == 34
    # Same visible text, line for line, but the site's title heading (front matter there).
    assert block_text(seed).splitlines() == block_text(site).splitlines()[1:]
