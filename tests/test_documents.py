"""ingest.documents and ingest.article on the hand-written toy documents."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import FIXTURES_DIR

from dlgraph.records import Document, Link
from ingest.documents import (
    ManifestEntry,
    load_documents,
    load_manifest,
    parse_document,
    read_text,
    to_html,
)

DOCS = FIXTURES_DIR / "documents"


@pytest.fixture(scope="module")
def documents() -> dict[str, Document]:
    return {d.file: d for d in load_documents(DOCS)}


# -- manifest ----------------------------------------------------------------------------------


def test_manifest_entries():
    entries = load_manifest(DOCS)
    assert [e.file for e in entries] == [
        "faq.md", "class_page.txt", "early_class_page.md", "home_mojibake.md", "review.txt",
    ]
    fl23 = entries[1]
    assert (fl23.edition, fl23.kind, fl23.format, fl23.url) == ("FL23", "course-page", "text", None)
    assert entries[0].url == "https://atcold.github.io/NYU-DLFL22/en/faq/"


def _copy(tmp_path, mutate):
    shutil.copytree(DOCS, tmp_path / "docs")
    path = tmp_path / "docs" / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    mutate(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    return tmp_path / "docs"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["documents"][0].update(file="nope.md"), "'nope.md' not found"),
        (lambda d: d["documents"][0].update(edition="XX99"), "unknown edition 'XX99'"),
        (lambda d: d["documents"][0].update(kind="poster"), "unknown kind 'poster'"),
        (lambda d: d["documents"][0].update(format="pdf"), "unknown format 'pdf'"),
        (lambda d: d["documents"][0].pop("title"), "missing title"),
        (lambda d: d.pop("documents"), "no 'documents' list"),
    ],
)
def test_manifest_errors_are_one_line(tmp_path, mutate, message):
    with pytest.raises(ValueError, match=message) as err:
        load_manifest(_copy(tmp_path, mutate))
    assert "\n" not in str(err.value)


def test_manifest_missing(tmp_path):
    with pytest.raises(ValueError, match="no manifest.json"):
        load_manifest(tmp_path)


def test_manifest_not_json(tmp_path):
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="unreadable manifest"):
        load_manifest(tmp_path)


# -- read_text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["faq.md", "class_page.txt", "early_class_page.md",
                                  "home_clean.md", "review.txt"])
def test_clean_files_come_back_unchanged(name):
    data = (DOCS / name).read_bytes()
    assert read_text(data) == (data.decode("utf-8"), False)


@pytest.mark.parametrize("text", [
    "It’s “quoted” — ±10%, café, naïve…",
    "🎥 🖥️ 📓 📝 🎙️ ① ½ ﬁ ｗｉｄｅ",
    "Ã is a letter too, and so is ğ",
    "NÃO, IRMÃ É",
])
def test_clean_strings_come_back_unchanged(text):
    assert read_text(text.encode("utf-8")) == (text, False)


def test_mojibake_repaired_exactly():
    text, repaired = read_text((DOCS / "home_mojibake.md").read_bytes())
    assert repaired
    assert text == (DOCS / "home_clean.md").read_text(encoding="utf-8")


def test_mojibake_windows_1252():
    damaged = "café · naïve – 🎥".encode().decode("cp1252", errors="ignore")
    assert read_text(damaged.encode("utf-8")) == ("café · naïve – 🎥", True)


def test_undecidable_dropped_bytes_are_left_as_written():
    # 🐝 (F0 9F 90 9D) loses two bytes under Windows-1254: nothing can say what they were.
    damaged = "· and 🐝".encode().decode("cp1254", errors="ignore")
    text, repaired = read_text(damaged.encode("utf-8"))
    assert repaired
    assert text.startswith("· and ")
    assert "🐝" not in text


def test_bom_and_non_utf8_bytes():
    assert read_text(b"\xef\xbb\xbfplain") == ("plain", False)
    assert read_text("café".encode("cp1252"))[0] == "café"


# -- to_html -----------------------------------------------------------------------------------


def test_front_matter():
    html, front = to_html("---\ntitle: T\nauthor: A B\ndate: 2022-12-17\nlang-ref: faq\n---\n\n# H\n")
    assert front == {"title": "T", "author": "A B", "date": "2022-12-17", "lang-ref": "faq"}
    assert html.strip() == "<h1>H</h1>"


def test_no_front_matter():
    html, front = to_html("Just text --- with dashes.\n\n---\n")
    assert front == {}
    assert "<p>Just text --- with dashes.</p>" in html


def test_invalid_front_matter():
    with pytest.raises(ValueError, match="front matter"):
        to_html("---\n- a list\n---\ntext\n")
    with pytest.raises(ValueError, match="invalid YAML"):
        to_html("---\ntitle: [unclosed\n---\ntext\n")


def test_raw_html_kept():
    html, _ = to_html('- <span class="missing"> 01 – T [🎥](https://youtu.be/x) </span>\n'
                      '- <u>under</u> and <a href="here">here</a>\n')
    assert '<li><span class="missing"> 01 – T <a href="https://youtu.be/x">🎥</a> </span></li>' in html
    assert '<u>under</u>' in html and '<a href="here">here</a>' in html


def test_smart_quotes_as_kramdown():
    html, _ = to_html("It's the \"toy\" repo's `code's`\n")
    assert html.strip() == "<p>It’s the “toy” repo’s <code>code's</code></p>"


def test_tables():
    html, _ = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<th>a</th>" in html and "<td>2</td>" in html


def test_headerless_table_as_kramdown_renders_it():
    html, _ = to_html("Intro\n\n| KEY | [v](https://x.org/) |\n| K2  | w |\n\nAfter\n")
    assert "<table>\n<tbody>\n<tr><td>KEY</td><td><a href=\"https://x.org/\">v</a></td></tr>" in html
    assert "<tr><td>K2</td><td>w</td></tr>" in html
    assert "<p>After</p>" in html


def test_pipes_in_code_are_not_tables():
    html, _ = to_html("```\n| a | b |\n```\n")
    assert "<table>" not in html and "| a | b |" in html


# -- dispatch and articles ---------------------------------------------------------------------


def test_manifest_fields_kept(documents):
    for entry in load_manifest(DOCS):
        doc = documents[entry.file]
        assert (doc.edition, doc.kind, doc.title, doc.url) == (
            entry.edition, entry.kind, entry.title, entry.url)


def test_repaired_flag(documents):
    assert {f for f, d in documents.items() if d.repaired} == {"home_mojibake.md"}


def test_faq_author_and_date(documents):
    faq = documents["faq.md"]
    assert (faq.author, faq.author_key, faq.date) == ("Ada Example", "ada-example", "3 Mar 2022")


def test_faq_links(documents):
    faq = documents["faq.md"]
    assert [link.url for link in faq.links] == [
        "https://example.org/algebra/",
        "https://atcold.github.io/NYU-DLFL22/en/about/",  # relative, resolved on the stated URL
        "https://forum.example.org/toy",
    ]
    assert faq.links[0] == Link("https://example.org/algebra/", "toy algebra",
                                "A toy course about toy networks. You should know toy algebra first.")


def test_faq_text(documents):
    text = documents["faq.md"].text
    assert text.splitlines()[0] == "Foreword"
    assert "lang-ref" not in text and "Ada Example" not in text


def test_review_without_front_matter(documents):
    review = documents["review.txt"]
    assert review.author is None and review.date is None and review.links == ()
    assert "Toy course SP21" in review.text.splitlines()


def test_home_document(documents):
    home = documents["home_mojibake.md"]
    assert home.author == "Ada Example"
    assert "opacity" not in home.text  # <style> is not text
    assert "Legend: 🖥 slides, 📝 notes, 📓 Jupyter notebook, 🎥 YouTube video." in home.text
    assert [link.text for link in home.links if "youtu.be" in link.url] == ["🎥"] * 4
    notes = [link for link in home.links if link.text == "📝"]
    assert [link.url for link in notes] == ["https://drive.google.com/file/d/TOYnotes09/"]
    assert "https://atcold.github.io/NYU-DLSP21/" in [link.url for link in home.links]


def test_parse_document_is_pure_and_dispatches():
    entry = ManifestEntry("x.txt", "FL23", "course-page", "T", None, "text")
    doc = parse_document(entry, "#### Graders\n\n- 1. Gia Grader <gg@toy.edu>\n")
    assert [(p.name, p.role, p.email) for p in doc.people] == [("Gia Grader", "grader", "gg@toy.edu")]
    assert doc.file == "x.txt" and doc.repaired is False


def test_unknown_shape():
    with pytest.raises(ValueError, match="no parser"):
        parse_document(ManifestEntry("x", "FL23", "poster", "T", None, "text"), "")
