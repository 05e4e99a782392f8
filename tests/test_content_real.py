"""Nothing the pages say is lost, checked on the real graph against figures counted here.

Each figure is counted straight from the mirrored HTML with lxml (independently of the
BeautifulSoup parsers of ``ingest/``) and each test names the pages it comes from: lead text
before the first heading, ``<pre>`` blocks, comment-only headings, the links of SP20's note
bodies, SP20's languages and Webmaster row, the ja/week05/05-2 repair, FL22 item 08's second
video, SP21's "Miscellaneous" group and the spellings of names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import lxml.html
import pytest
from rdflib import Literal, URIRef

from dlgraph.records import LEAD_ANCHOR
from dlgraph.stats import graph_stats
from dlgraph.vocab import DLG, RDF, RDFS, SDO, lecture_iri, person_iri, resource_iri, section_iri
from ingest.common import live_url, resource_from_url

pytestmark = pytest.mark.integration

LIVE = "https://atcold.github.io/"
SITES = {"SP20": "NYU-DLSP20", "SP21": "NYU-DLSP21", "FL22": "NYU-DLFL22"}
NOTES_OR_WEEK = re.compile(r"^[a-z]{2}(?:-[a-z]{2})?/week(\d\d)/\1(?:-\d+)?/index\.html$")
HEADINGS = ("h1", "h2", "h3", "h4")


@pytest.fixture(scope="module")
def mirror(mirror_dir) -> Path:
    return mirror_dir


@cache
def _content(path: Path):
    """The page's content ``div.page`` inside ``<main>``, macro definitions removed."""
    doc = lxml.html.parse(str(path)).getroot()
    page = doc.xpath('//main//div[contains(concat(" ", @class, " "), " page ")]')[0]
    unseen = './/div[contains(translate(@style, " ", ""), "display:none")] | .//*[@hidden]'
    for hidden in page.xpath(unseen):
        hidden.drop_tree()
    return page


def notes_pages(mirror: Path, edition: str) -> Iterator[tuple[str, object]]:
    """``(live URL, content)`` of every notes and week page of an edition's mirror."""
    root = mirror / SITES[edition]
    for path in sorted(root.rglob("index.html")):
        rel = path.relative_to(root).as_posix()
        if NOTES_OR_WEEK.match(rel):
            yield f"{LIVE}{SITES[edition]}/{rel[: -len('index.html')]}", _content(path)


def _is_section_heading(el) -> bool:
    if el.tag not in HEADINGS or "page-title" in (el.get("class") or ""):
        return False
    return bool(el.text_content().strip()) or bool(el.xpath(".//a[@href]"))


def lead_paragraphs(page) -> list[str]:
    """The paragraphs before a page's first heading (credits aside), whitespace collapsed."""
    out = []
    for el in page.iter():
        if not isinstance(el.tag, str):
            continue
        if _is_section_heading(el):
            break
        if el.tag == "p":
            text = " ".join(el.text_content().split())
            if text and not re.search("[🎙📝]", text) and not re.match(r"^lang:", text):
                out.append(text)
    return out


def _sections(g, page_url: str) -> list[URIRef]:
    return list(g.objects(URIRef(page_url), SDO.hasPart))


# -- lead text ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def leads(mirror) -> dict[str, list[str]]:
    found = {}
    for edition in ("SP20", "SP21"):
        for url, page in notes_pages(mirror, edition):
            if paragraphs := lead_paragraphs(page):
                found[url] = paragraphs
    return found


def test_lead_text_figures(leads):
    # SP20 tr/week01/01-2, es/week10/10-2, es/week11/11-3, fa/week02/02-2 and SP21
    # en/week10/10-1, en/week12/12-2, fr/week10/10-1, fr/week12/12-2.
    short = sorted(u.replace(LIVE, "") for u in leads)
    assert short == [
        "NYU-DLSP20/es/week10/10-2/", "NYU-DLSP20/es/week11/11-3/", "NYU-DLSP20/fa/week02/02-2/",
        "NYU-DLSP20/tr/week01/01-2/", "NYU-DLSP21/en/week10/10-1/", "NYU-DLSP21/en/week12/12-2/",
        "NYU-DLSP21/fr/week10/10-1/", "NYU-DLSP21/fr/week12/12-2/",
    ]


def test_every_lead_paragraph_is_in_the_lead_section(real_graph, leads):
    for url, paragraphs in leads.items():
        lead = section_iri(url, LEAD_ANCHOR)
        assert (URIRef(url), SDO.hasPart, lead) in real_graph, url
        text = " ".join(str(real_graph.value(lead, SDO.text)).split())
        for paragraph in paragraphs:
            assert paragraph in text, (url, paragraph[:60])


def test_no_lead_section_where_the_page_has_no_lead_text(real_graph, leads):
    with_lead = {str(p) for p, s in real_graph.subject_objects(SDO.hasPart)
                 if str(s).endswith(f"#{LEAD_ANCHOR}")}
    assert with_lead == set(leads)


# -- code blocks -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def code_blocks(mirror) -> list[tuple[str, str]]:
    """``(page URL, code as written)`` of every ``<pre>`` of every notes and week page."""
    out = []
    for edition in SITES:
        for url, page in notes_pages(mirror, edition):
            for pre in page.iter("pre"):
                if not any(a.tag in HEADINGS for a in pre.iterancestors()):
                    out.append((url, pre.text_content().rstrip("\n")))
    return out


def test_code_block_figure(code_blocks):
    assert len(code_blocks) == 463  # SP20 and SP21 notes and week pages
    indented = [c for _, c in code_blocks if re.search(r"^[ \t]+\S", c, re.M)]
    assert len(indented) == 307


def test_every_code_block_verbatim_in_the_graph(real_graph, code_blocks):
    missing = []
    for url, code in code_blocks:
        secs = _sections(real_graph, url)
        blocks = {str(c) for s in secs for c in real_graph.objects(s, DLG.code)}
        texts = [str(real_graph.value(s, SDO.text) or "") for s in secs]
        if code not in blocks or not any(code in t for t in texts):
            missing.append(url)
    assert missing == []


# -- comment-only headings ------------------------------------------------------------------


def test_comment_only_headings_are_not_sections(real_graph, mirror):
    # 28 headings on SP20 pages (zh/week06/06-3 has seven) hold only an HTML comment.
    empty = [url for edition in SITES for url, page in notes_pages(mirror, edition)
             for h in page.iter(*HEADINGS)
             if "page-title" not in (h.get("class") or "") and not _is_section_heading(h)]
    assert len(empty) == 28
    # the parts of notes pages (transcripts, notebooks and slide decks have parts of their own)
    pages = set(real_graph.subjects(RDF.type, DLG.NotesPage))
    sections = {s for p in pages for s in real_graph.objects(p, SDO.hasPart)}
    assert len(sections) > 1000
    assert [s for s in sections if str(s).endswith("#")] == []
    assert [s for s in sections if not str(real_graph.value(s, SDO.name) or "").strip()] == []


# -- body links -----------------------------------------------------------------------------


def body_links(mirror: Path, edition: str) -> Iterator[tuple[str, str]]:
    """``(page URL, target URL)`` of every outgoing link in the notes' text."""
    for url, page in notes_pages(mirror, edition):
        for a in page.iter("a"):
            href = (a.get("href") or "").strip()
            if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
                continue
            in_heading = any(x.tag in HEADINGS for x in a.iterancestors())
            if in_heading and "youtu" in href.lower():
                continue  # the section's own moment
            if any(x.tag == "i" and not x.get("class") for x in a.iterancestors()):
                continue  # credits
            yield url, live_url(href, url)


def _graph_targets(g, edition: str, kind: str) -> set:
    ed = URIRef(f"https://w3id.org/dlgraph/id/edition/{edition}")
    return {g.value(bl, DLG.linkTo) for bl in g.subjects(DLG.linkKind, Literal(kind))
            if g.value(g.value(bl, DLG.linkFrom), DLG.edition) == ed}


def test_sp20_body_link_figures(real_graph, real_records, mirror):
    # a link spelled '-' for the file's '_' is the existing file's node (ingest.media)
    moved = {a: b for rec in real_records for a, b in rec.resolved_files}
    notebooks, code = set(), set()
    for _, target in body_links(mirror, "SP20"):
        res = resource_from_url(target)
        if res.kind == "notebook":
            notebooks.add(moved.get(res.key, res.key))
        elif res.key.startswith("github:") and res.kind != "slides":
            code.add(res.key)
    # 28 distinct notebooks (13 of Atcold/NYU-DLSP20, 2 of the Minicourse, 13 French ones)
    # and 8 other GitHub files.
    assert (len(notebooks), len(code)) == (28, 8)
    assert _graph_targets(real_graph, "SP20", "notebook") == {
        resource_iri("notebook", k) for k in notebooks}
    assert _graph_targets(real_graph, "SP20", "code") == {resource_iri("code", k) for k in code}
    linked_from_items = set(real_graph.objects(None, DLG.notebook))
    only_in_notes = {resource_iri("notebook", k) for k in notebooks} - linked_from_items
    assert len(only_in_notes) == 15  # the Minicourse and French ones, 08, 09, 14, 15, 16


def test_every_body_link_is_in_the_graph(real_graph, mirror):
    for edition in ("SP20", "SP21"):
        pages = {}
        for page, _ in body_links(mirror, edition):
            pages[page] = pages.get(page, 0) + 1
        for page, n in pages.items():
            links = {bl for s in _sections(real_graph, page)
                     for bl in real_graph.subjects(DLG.linkFrom, s)}
            broken = [o for s in _sections(real_graph, page)
                      for o in real_graph.objects(s, DLG.brokenLink)]
            # One node per section and URL: a page linking the same URL twice in one
            # section has fewer nodes than links.
            assert 0 < len(links) + len(broken) <= n, page
            assert all(real_graph.value(bl, DLG.linkKind) is not None for bl in links)


def test_lenet_demo_is_a_mentioned_video_not_a_recording(real_graph, mirror):
    page = f"{LIVE}NYU-DLSP20/fr/week01/01-2/"
    targets = {t for p, t in body_links(mirror, "SP20") if p == page}
    assert any("FwFduRA_L6Q" in t for t in targets)
    video = resource_iri("video", "FwFduRA_L6Q")
    assert (video, RDF.type, SDO.VideoObject) in real_graph
    assert real_graph.value(video, DLG.courseRecording) == Literal(False)
    assert any((s, SDO.mentions, video) in real_graph for s in _sections(real_graph, page))


def test_stats_keep_29_sp20_recordings_and_count_mentions_apart(real_graph):
    sp20 = graph_stats(real_graph)["editions"]["SP20"]
    assert (sp20["videos"], sp20["mentioned_videos"]) == (29, 1)


# -- languages, staff ---------------------------------------------------------------------


def test_sp20_languages(real_graph, mirror):
    root = mirror / "NYU-DLSP20"
    published = {"en"} | {p.parent.name for p in root.glob("*/index.html")}  # en: the root
    with_notes = {p.parts[-4] for p in root.glob("*/week*/*/index.html")}
    assert (len(published), len(with_notes)) == (16, 14)  # hu and sr: home and README only
    sp20 = graph_stats(real_graph)["editions"]["SP20"]
    assert set(sp20["site_languages"]) == published
    assert set(sp20["languages"]) == with_notes
    for lang in ("hu", "sr"):
        readme = URIRef(f"{LIVE}NYU-DLSP20/{lang}/README-{lang.upper()}/")
        assert (readme, RDF.type, DLG.SitePage) in real_graph
        assert str(real_graph.value(readme, SDO.inLanguage)) == lang


def test_sp20_webmaster_row(real_graph, mirror):
    home = lxml.html.parse(str(mirror / "NYU-DLSP20" / "index.html")).getroot()
    (row,) = [tr for tr in home.iter("tr")
              if tr.xpath("string(td[1])").strip() == "Webmaster"]
    name = row.xpath("string(td[3]/a)").strip()
    email = row.xpath("td[3]/br")[0].tail.strip()
    roles = [r for r in real_graph.subjects(SDO.roleName, Literal("webmaster"))]
    assert len(roles) == 1
    person = real_graph.value(roles[0], DLG.person)
    assert str(real_graph.value(person, SDO.name)) == name
    assert str(real_graph.value(person, SDO.email)) == email


# -- repair, home-page items ----------------------------------------------------------------


def test_ja_05_2_lost_dash_repaired(real_graph, real_records, mirror):
    page = mirror / "NYU-DLSP20" / "ja" / "week05" / "05-2" / "index.html"
    assert "v=-NZb480zlg&amp;t=4817s" in page.read_text(encoding="utf-8")
    url = f"{LIVE}NYU-DLSP20/ja/week05/05-2/"
    clips = {c for s in _sections(real_graph, url) for c in real_graph.objects(s, SDO.video)}
    assert URIRef("https://w3id.org/dlgraph/id/video/--NZb480zlg/t/4817") in clips
    sp20 = next(r for r in real_records if r.edition == "SP20")
    assert any(r.key == "--NZb480zlg" and "-NZb480zlg&" in (r.repaired_from or "")
               and not r.repaired_from.startswith("https://www.youtube.com/watch?v=--")
               for r in sp20.repaired_links)


def test_fl22_item_08_both_videos(real_graph, mirror):
    home = lxml.html.parse(str(mirror / "NYU-DLFL22" / "index.html")).getroot()
    (li,) = [li for li in home.iter("li") if re.match(r"^\s*08\s*–", li.text_content())]
    ids = {resource_from_url(a.get("href")).key for a in li.iter("a")
           if a.text_content().strip() == "🎥"}
    assert ids == {"KvvNkE2vQVk", "d2GixptaHjk"}
    shown = set()
    for node in real_graph.objects(lecture_iri("FL22", "08"), SDO.video):
        video = real_graph.value(node, SDO.isPartOf) or node
        shown.add(str(real_graph.value(video, SDO.identifier)))
    assert shown == ids


def test_sp21_miscellaneous_group(real_graph, mirror):
    home = lxml.html.parse(str(mirror / "NYU-DLSP21" / "index.html")).getroot()
    (heading,) = home.xpath('//h3[@id="miscellaneous"]')
    items = heading.getnext().findall("li")
    assert len(items) == 3
    grouped = set(real_graph.subjects(DLG.group, Literal("Miscellaneous", lang="en")))
    assert len(grouped) == 3
    assert all(str(g).rsplit("/", 1)[-1].startswith("misc.") for g in grouped)


# -- spellings of names -------------------------------------------------------------------


def _credited(mirror: Path, name: str) -> set[str]:
    """Pages of SP20 whose credits write ``name`` exactly."""
    out = set()
    for url, page in notes_pages(mirror, "SP20"):
        if any(" ".join(i.text_content().split()) == name for i in page.iter("i")):
            out.add(url)
    return out


@pytest.mark.parametrize(("key", "name", "variant"), [
    ("choonghee-lee", "ChoongHee Lee", "ChoongHee"),
    ("matt-tso", "Matt Tso", "Matt Taso"),
    ("mike-lewis", "Mike Lewis", "Matt Lewis"),
])
def test_spellings_kept_with_where_seen(real_graph, mirror, key, name, variant):
    person = person_iri(key)
    assert str(real_graph.value(person, SDO.name)) == name
    assert Literal(variant) in set(real_graph.objects(person, SDO.alternateName))
    seen = {str(real_graph.value(s, RDFS.label)): {str(p) for p in real_graph.objects(s, DLG.seenIn)}
            for s in real_graph.objects(person, DLG.spelling)}
    assert seen[variant] == _credited(mirror, variant)


def test_ingest_summary_reports_the_merges(real_records):
    from ingest.pipeline import rewrites

    merged = {(m["spelling"], m["name"]) for m in rewrites(real_records)["merges"]}
    assert {("Matt Lewis", "Mike Lewis"), ("Matt Taso", "Matt Tso"),
            ("Ishan Mishra", "Ishan Misra"), ("ChoongHee", "ChoongHee Lee")} <= merged
