"""Notes and week pages: credits, sections, videos and links, on hand-written fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.notes import parse_page

SITES = Path(__file__).parent / "fixtures" / "sites"
BASE = "https://atcold.github.io/NYU-DLSP20/"
EN = BASE + "en/week02/02-1/"
FR = BASE + "fr/week02/02-1/"
WEEK = BASE + "en/week02/02/"


def _read(name: str) -> str:
    return (SITES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def en():
    return parse_page(_read("notes_en.html"), EN, "SP20")


@pytest.fixture(scope="module")
def fr():
    return parse_page(_read("notes_fr.html"), FR, "SP20")


@pytest.fixture(scope="module")
def week():
    return parse_page(_read("week_en.html"), WEEK, "SP20")


# -- page fields --------------------------------------------------------------------------


def test_identity(en):
    assert (en.url, en.edition, en.kind, en.week, en.part, en.language) == (
        EN, "SP20", "notes", 2, "02-1", "en")


def test_title(en):
    assert en.title == "Invented notes title"


def test_lecturer(en):
    assert [(p.name, p.key, p.role) for p in en.lecturers] == [
        ("Ada Lovelace", "ada-lovelace", "lecturer")]


def test_authors_split_with_oxford_and(en):
    assert [p.key for p in en.authors] == ["bob-builder", "cy-webb", "dee-doe"]
    assert {p.role for p in en.authors} == {"notes-author"}


def test_date_iso(en):
    assert en.date == "2020-02-03"


def test_english_page_translates_nothing(en):
    assert en.translation_of is None
    assert en.translators == ()


# -- sections -----------------------------------------------------------------------------


def test_section_headings_levels_positions(en):
    assert [(s.anchor, s.level, s.position) for s in en.sections] == [
        ("first-made-up-part", 2, 1),
        ("pretend-models", 3, 2),
        ("tiny-detail", 4, 3),
        ("second-made-up-part", 2, 4),
    ]
    assert en.sections[0].heading == "First made-up part"


def test_section_video_and_start(en):
    videos = [(s.video.key, s.video.start) if s.video else None for s in en.sections]
    assert videos == [("AbCdEfGhIj1", 29), None, None, ("AbCdEfGhIj1", 1036)]
    assert en.sections[0].video.kind == "video"


def test_section_text_keeps_math(en):
    text = en.sections[1].text
    assert text.startswith("\\[\\bar{y} = G(x,w)\\]")
    assert "maps $x$ to $y$" in text


def test_section_text_stops_at_next_heading(en):
    assert "Tiny detail" not in en.sections[1].text
    assert en.sections[2].text == "One bold bullet\nBack to an earlier page."


def test_credits_and_macros_not_in_text(en):
    last = en.sections[-1].text
    assert last == "Read the level paper twice."
    assert all("gdef" not in s.text for s in en.sections)


def test_links_outgoing_only(en):
    assert [link.url for link in en.links] == [
        "https://arxiv.org/abs/0000.00001",
        "https://github.com/Atcold/pytorch-Deep-Learning/blob/master/99-pretend.ipynb",
        BASE + "en/week01/01-3/",
        "http://example.level.org/paper.pdf",
    ]


def test_link_context_is_the_sentence(en):
    arxiv = en.links[0]
    assert arxiv.text == "invented paper"
    assert arxiv.context == "See the invented paper for more."
    assert arxiv.section == "pretend-models"


def test_section_links(en):
    assert [link.url for link in en.sections[2].links] == [BASE + "en/week01/01-3/"]


# -- translated page ----------------------------------------------------------------------


def test_translation_of(fr):
    assert (fr.language, fr.translation_of) == ("fr", EN)


def test_translators(fr):
    assert [(p.name, p.key, p.role) for p in fr.translators] == [
        ("Éva Traductrice", "eva-traductrice", "translator")]


def test_translated_lecturer_same_key(fr, en):
    assert [p.key for p in fr.lecturers] == [p.key for p in en.lecturers]


def test_translated_date(fr):
    assert fr.date == "2020-02-03"


def test_damaged_video_kept_as_video(fr):
    first = fr.sections[0].video
    assert first.kind == "video"
    assert "؟" in first.url  # left for ingest.repair to mend


# -- week page ----------------------------------------------------------------------------


def test_week_page_identity(week):
    assert (week.kind, week.week, week.part, week.title) == ("week", 2, "02", "Week 2")


def test_week_page_parts(week):
    assert [s.heading for s in week.sections] == ["Lecture part A", "Lecture part B", "Practicum"]
    assert week.sections[0].text == "We pretend to start with a summary of part A."


def test_week_page_video(week):
    assert [(s.video.key, s.video.start) if s.video else None for s in week.sections] == [
        None, ("AbCdEfGhIj2", 95), None]


# -- quirks -------------------------------------------------------------------------------


def test_stray_front_matter_gives_title_and_translator():
    html = """<main><div class="page"><h1 class="page-title"></h1>
    <p>lang: tr
    lang-ref: ch.99
    title: Hafta 99
    translation-date: 12 Jun 2020
    translator: Zed Zee
    —</p>
    <h2 id="a">Bir</h2><p>Uydurma metin.</p></div></main>"""
    page = parse_page(html, BASE + "tr/week13/13/", "SP20")
    assert page.title == "Hafta 99"
    assert [p.key for p in page.translators] == ["zed-zee"]
    assert page.date == "2020-06-12"
    assert page.sections[0].text == "Uydurma metin."


def test_math_script_of_live_pages_kept_as_tex():
    html = """<main><div class="page"><h1 class="page-title">T</h1><h2 id="a">A</h2>
    <p>Let <script type="math/tex">x^2</script> be.</p>
    <script type="math/tex; mode=display">y=1</script></div></main>"""
    page = parse_page(html, BASE + "en/week01/01-1/", "SP20")
    assert page.sections[0].text == "Let \\(x^2\\) be.\n\\[y=1\\]"


def test_h1_section_heading_keeps_its_video():
    html = """<main><div class="page"><h1 class="page-title">T</h1>
    <h1 id="early"><a href="https://youtu.be/AbCdEfGhIj1?t=5">Early</a></h1><p>Intro.</p>
    <h2 id="a">A</h2><p>First.</p>
    <h1 id="late"><a href="https://www.youtube.com/watch?v=AbCdEfGhIj1&amp;t=99s">Late</a></h1>
    <p>Second.</p></div></main>"""
    page = parse_page(html, BASE + "en/week14/14-2/", "SP20")
    assert page.title == "T"
    assert [(s.anchor, s.level, s.video.start) for s in page.sections if s.video] == [
        ("early", 1, 5),
        ("late", 1, 99),
    ]
    assert [s.text for s in page.sections] == ["Intro.", "First.", "Second."]


def test_bare_video_url_in_a_heading_is_its_moment():
    # "[Heading] (url)" with a space is not a Markdown link: kramdown leaves the URL as text
    html = """<main><div class="page"><h1 class="page-title">T</h1>
    <h2 id="x">[Búsqueda inventada] (https://www.youtube.com/watch?v=AbCdEfGhIj1&amp;t=2732s)</h2>
    <p>Texto.</p></div></main>"""
    page = parse_page(html, BASE + "es/week12/12-2/", "SP20")
    (section,) = page.sections
    assert section.heading == "Búsqueda inventada"
    assert (section.video.key, section.video.start) == ("AbCdEfGhIj1", 2732)
    assert section.text == "Texto."


@pytest.mark.parametrize("heading", [
    "[عنوان مخترع] (https://www.youtube.com/watch؟v=AbCdEfGhIj1&amp;t=88s)",
    "[発明された見出し]（https://www.youtube.com/watch?v=AbCdEfGhIj1&amp;t=88s）",
])
def test_bare_video_url_typed_in_another_script(heading):
    html = f"""<main><div class="page"><h1 class="page-title">T</h1>
    <h2 id="x">{heading}</h2><p>.</p></div></main>"""
    (section,) = parse_page(html, BASE + "ar/week02/02-1/", "SP20").sections
    assert (section.video.key, section.video.start) == ("AbCdEfGhIj1", 88)
    assert "youtube" not in section.heading and "[" not in section.heading


def test_not_a_notes_page():
    with pytest.raises(ValueError):
        parse_page("<main></main>", BASE + "en/faq/", "SP20")


# -- invariants ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["en", "fr", "week"])
def test_every_url_is_live(name, request):
    page = request.getfixturevalue(name)
    assert page.edition == "SP20"
    urls = [page.url, *(link.url for link in page.links)]
    urls += [s.video.url for s in page.sections if s.video]
    for url in urls:
        assert url.startswith(("https://", "http://")) and "127.0.0.1" not in url, url
    assert page.url.startswith("https://atcold.github.io/")
