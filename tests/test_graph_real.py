"""The real graph (built from ../shared): SHACL, independent parsers, SPARQL answers and stats
checked against figures counted straight from the mirrored HTML and the saved documents.

The expected figures are computed here from the sources with plain regular expressions and
BeautifulSoup, independently of the ingest parsers, so a parser or builder bug shows up as a
difference.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox
import pytest
from bs4 import BeautifulSoup

from dlgraph.sparql import run_query
from dlgraph.stats import graph_stats
from dlgraph.store import load_graph, save_graph
from dlgraph.validate import validate

pytestmark = pytest.mark.integration

LIVE = "https://atcold.github.io/"
SITES = {"SP20": "NYU-DLSP20", "SP21": "NYU-DLSP21", "FL22": "NYU-DLFL22"}
QUERIES = files("dlgraph") / "data" / "queries"
YOUTUBE = re.compile(r"(?:youtube\.com/watch\?v=|youtu\.be/)([A-Za-z0-9_-]{11})", re.I)
NOTES_DIR = re.compile(r"^week\d\d/(\d\d-\d)$")
WEEK_DIR = re.compile(r"^week\d\d/(\d\d)$")
HEADING = re.compile(r"<h[1-6][^>]*>.*?</h[1-6]>", re.S)
HREF = re.compile(r'href="([^"]*)"')


def _query(g, name: str) -> list[dict]:
    return run_query(g, (QUERIES / name).read_text(encoding="utf-8"), timeout=120)["rows"]


def _key(iri: str) -> str:
    return iri.rsplit("/", 1)[1]


# -- figures counted from the sources ------------------------------------------------------


def _pages(mirror: Path, site: str, pattern: re.Pattern) -> dict[str, set[str]]:
    """``{language: {part}}`` of a site's rendered pages whose ``weekNN/part`` matches."""
    found = defaultdict(set)
    for index in (mirror / site).glob("*/week*/*/index.html"):
        lang, week, part = index.parent.relative_to(mirror / site).parts
        m = pattern.match(f"{week}/{part}")
        if m:
            found[lang].add(m.group(1))
    return found


def _home(mirror: Path, site: str) -> str:
    return (mirror / site / "index.html").read_text(encoding="utf-8")


def _home_items(mirror: Path, edition: str) -> int:
    """Items listed on a home page: SP20's table rows, the themed lists' entries."""
    soup = BeautifulSoup(_home(mirror, SITES[edition]), "lxml")
    if edition == "SP20":
        table = next(t for t in soup.find_all("table") if "Format" in t.get_text())
        return sum(1 for tr in table.find_all("tr") if tr.find("td"))
    if edition == "SP21":  # one list under each theme heading (and "Miscellaneous")
        return sum(len(h.find_next_sibling(["ul", "ol"]).find_all("li", recursive=False))
                   for h in soup.find_all("h3"))
    # FL22 numbers its items: "05 – Notation and introduction"
    return sum(1 for li in soup.find_all("li") if re.match(r"\d\d\s+–", li.get_text(" ", strip=True)))


def _videos_and_clips(mirror: Path, site: str) -> tuple[set[str], set[tuple[str, int]]]:
    """YouTube IDs linked from the home page and from notes headings, and the timestamped ones.

    Some translated pages lower-case the ID in their heading links (``tvwv14ykbys``); such an
    ID is the home page's video, damaged, not another video, so it is folded back onto it.
    """
    home_page = _home(mirror, site)
    home = set(YOUTUBE.findall(home_page))
    fold = {v.lower(): v for v in home}
    videos, clips = set(home), set()
    places = [home_page]
    for index in (mirror / site).glob("*/week*/*/index.html"):
        places += HEADING.findall(index.read_text(encoding="utf-8"))
    for place in places:
        for href in map(html.unescape, HREF.findall(place)):
            m = YOUTUBE.search(href)
            if not m:
                continue
            vid = fold.get(m.group(1).lower(), m.group(1))
            videos.add(vid)
            start = re.search(r"[?&]\s*t=(\d+)", href, re.I)
            if start and int(start.group(1)) > 0:
                clips.add((vid, int(start.group(1))))
    return videos, clips


def _lecturers(mirror: Path, site: str) -> dict[str, set[str]]:
    """``{part: {name}}`` from the 🎙️ line of a site's English notes pages."""
    found = defaultdict(set)
    for index in (mirror / site / "en").glob("week*/*/index.html"):
        for names in re.findall(r"🎙️\s*<i>([^<]+)</i>", index.read_text(encoding="utf-8")):
            found[index.parent.name] |= {_norm(n) for n in re.split(r"\s*(?:,|&|\band\b)\s*", names) if n}
    return found


def _norm(name: str) -> str:
    name = " ".join(name.replace("’", "'").split()).lower()
    # SP21 spells one lecturer's name two ways on two pages; it is one person.
    return {"ishan mishra": "ishan misra"}.get(name, name)


def _instructors(mirror: Path, site: str) -> set[str]:
    """The INSTRUCTOR(S) row of a site's home page."""
    m = re.search(r"<td>INSTRUCTORS?</td>\s*<td>([^<]+)</td>", _home(mirror, site))
    names = m.group(1).replace("&amp;", "&")
    return {_norm(n) for n in re.split(r"\s*(?:,|&|\band\b)\s*", names) if n.strip()}


def _seed(documents: Path, edition: str, kind: str) -> str:
    manifest = json.loads((documents / "manifest.json").read_text(encoding="utf-8"))
    entry = next(d for d in manifest["documents"] if (d["edition"], d["kind"]) == (edition, kind))
    return (documents / entry["file"]).read_text(encoding="utf-8")


def _teachers(mirror: Path, documents: Path) -> dict[str, set[str]]:
    """``{edition: {name}}`` of instructors, lecturers, teaching assistants and graders."""
    sp20_page = _seed(documents, "SP20", "course-page")  # "Name - user [ at ] nyu.edu"
    fl23_page = _seed(documents, "FL23", "course-page")  # "Name <user@nyu.edu>"
    return {
        "SP20": _instructors(mirror, SITES["SP20"])
        | set().union(*_lecturers(mirror, SITES["SP20"]).values())
        | {_norm(n) for n in re.findall(r"^([^\n-]+?)\s+-\s+\S+ \[ at \]", sp20_page, re.M)},
        "SP21": _instructors(mirror, SITES["SP21"])
        | set().union(*_lecturers(mirror, SITES["SP21"]).values()),
        "FL22": _instructors(mirror, SITES["FL22"]),
        "FL23": {_norm(n) for n in re.findall(r"^[-\d. ]*([A-Z][^<\n]*?)\s*<[^>\s]+@[^>\s]+>",
                                              fl23_page, re.M)},
    }


# -- SHACL and independent parsers ----------------------------------------------------------


def test_real_graph_conforms_to_the_shapes(real_graph):
    conforms, report, violations = validate(real_graph)
    assert violations == 0, report[:5000]
    assert conforms


@pytest.fixture(scope="module")
def saved(real_graph, tmp_path_factory):
    folder = tmp_path_factory.mktemp("real-graph")
    save_graph(real_graph, folder)
    return folder


def test_saved_turtle_parses_in_oxigraph_with_the_same_count(saved, real_graph):
    with open(saved / "graph.ttl", "rb") as fh:
        triples = set(ox.parse(fh, format=ox.RdfFormat.TURTLE))
    assert len(triples) == len(real_graph)


def test_json_ld_parses_in_oxigraph_with_the_same_count(real_graph):
    data = real_graph.serialize(format="json-ld").encode("utf-8")
    assert len(set(ox.parse(data, format=ox.RdfFormat.JSON_LD))) == len(real_graph)


def test_load_graph_gives_back_the_graph(saved, real_graph):
    assert len(load_graph(saved)) == len(real_graph)


def test_every_url_is_live(saved):
    text = (saved / "graph.ttl").read_text(encoding="utf-8")
    assert "127.0.0.1" not in text and "localhost" not in text and "file:/" not in text


# -- SPARQL answers against the sources -------------------------------------------------


def test_sp21_recordings_reused_by_fl22(real_graph, mirror_dir):
    fl22 = set(YOUTUBE.findall(_home(mirror_dir, SITES["FL22"])))
    sp21 = set(YOUTUBE.findall(_home(mirror_dir, SITES["SP21"])))
    rows = _query(real_graph, "fl22-reuses-sp21.rq")
    assert {r["video_id"] for r in rows} == fl22 & sp21
    assert len(fl22 & sp21) == 7
    # Every reuse is an item the FL22 home page greys out.
    assert all(r["greyed_out"] == "true" for r in rows)


def test_sp20_lectures_given_by_yann_lecun(real_graph, mirror_dir):
    expected = {part for part, names in _lecturers(mirror_dir, SITES["SP20"]).items()
                if "yann lecun" in names}
    rows = _query(real_graph, "sp20-lectures-by-yann-lecun.rq")
    assert {_key(r["item"]) for r in rows} == expected
    assert len(expected) == 18


def test_french_pages_and_the_english_pages_they_translate(real_graph, mirror_dir):
    expected = set()
    for edition, site in SITES.items():
        pages = _pages(mirror_dir, site, NOTES_DIR)
        for part in pages.get("fr", ()):
            week = f"week{part[:2]}/{part}/"
            expected.add((edition, f"{LIVE}{site}/fr/{week}", f"{LIVE}{site}/en/{week}"))
    rows = _query(real_graph, "french-translations.rq")
    assert {(r["edition"], r["french_page"], r["english_page"]) for r in rows} == expected
    assert len(expected) == 57


def test_people_who_taught_or_graded_in_several_editions(real_graph, mirror_dir, documents_dir):
    editions_of = defaultdict(set)
    for edition, names in _teachers(mirror_dir, documents_dir).items():
        for name in names:
            editions_of[name].add(edition)
    expected = {name: eds for name, eds in editions_of.items() if len(eds) > 1}
    rows = _query(real_graph, "people-in-several-editions.rq")
    assert {_norm(r["name"]): set(r["edition_codes"].split()) for r in rows} == expected
    assert set(expected) == {"yann lecun", "alfredo canziani", "ishan misra", "jiachen zhu"}


def test_videos_reused_across_editions(real_graph, mirror_dir):
    homes = {ed: set(YOUTUBE.findall(_home(mirror_dir, site))) for ed, site in SITES.items()}
    expected = {v for v in set().union(*homes.values()) if sum(v in h for h in homes.values()) > 1}
    rows = _query(real_graph, "videos-across-editions.rq")
    assert {r["video_id"] for r in rows} == expected


# -- stats against the sources --------------------------------------------------------------


@pytest.fixture(scope="module")
def stats(real_graph):
    return graph_stats(real_graph)["editions"]


@pytest.mark.parametrize("edition", list(SITES))
def test_stats_lectures(stats, mirror_dir, edition):
    assert stats[edition]["lectures"] == _home_items(mirror_dir, edition)


@pytest.mark.parametrize("edition", list(SITES))
def test_stats_notes_pages_in_every_language(stats, mirror_dir, edition):
    notes = _pages(mirror_dir, SITES[edition], NOTES_DIR)
    weeks = _pages(mirror_dir, SITES[edition], WEEK_DIR)
    assert stats[edition]["notes_pages"] == sum(len(parts) for parts in notes.values())
    langs = set(notes) | set(weeks)
    assert stats[edition]["languages"] == sorted(langs, key=lambda lang: (lang != "en", lang))


@pytest.mark.parametrize("edition", list(SITES))
def test_stats_videos_and_clips(stats, mirror_dir, edition):
    videos, clips = _videos_and_clips(mirror_dir, SITES[edition])
    assert (stats[edition]["videos"], stats[edition]["clips"]) == (len(videos), len(clips))


def test_stats_fl23_has_no_site(stats):
    assert {k: stats["FL23"][k] for k in ("lectures", "notes_pages", "videos")} == {
        "lectures": 0, "notes_pages": 0, "videos": 0}


def test_stats_documents(stats, documents_dir):
    manifest = json.loads((documents_dir / "manifest.json").read_text(encoding="utf-8"))
    expected = defaultdict(int)
    for doc in manifest["documents"]:
        expected[doc["edition"]] += 1
    assert {ed: s["documents"] for ed, s in stats.items()} == dict(expected)
