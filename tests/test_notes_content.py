"""Nothing a notes page says is lost: lead text, code as written, comment-only headings.

Hand-written pages in the shape kramdown renders the course notes (invented text).
"""

from __future__ import annotations

import pytest

from dlgraph.records import LEAD_ANCHOR
from ingest.notes import parse_page

BASE = "https://atcold.github.io/NYU-DLSP20/"

_CODE = """def pretend(x):
    if x:
        return [
            x,
        ]

    return None"""

PAGE = f"""<main><div class="page"><h1 class="page-title">Made-up page</h1>
🎙️ <i>Ada Lovelace</i>
<p>##Unheaded opening that a translator forgot to space.</p>
<p>Second lead paragraph, see <a href="https://example.org/lead-link">a lead link</a>.</p>
<h2 id="part-a"><a href="https://www.youtube.com/watch?v=AbCdEfGhIj1&amp;t=10s">Part A</a></h2>
<p>Before   the code.</p>
<pre><code class="language-python">{_CODE}
</code></pre>
<p>After the code.</p>
<h2><!-- Hidden English heading --></h2>
<h3 id="-1"><!--Another hidden heading--></h3>
<p>Still part A.</p>
<h2 id="part-b">Part B</h2>
<ul><li><pre><code>  indented   spaces kept
</code></pre></li></ul>
</div></main>"""


@pytest.fixture(scope="module")
def page():
    return parse_page(PAGE, BASE + "tr/week01/01-2/", "SP20")


def test_lead_section_holds_text_before_first_heading(page):
    lead = page.sections[0]
    assert (lead.anchor, lead.position, lead.level, lead.heading) == (
        LEAD_ANCHOR, 1, 1, "Made-up page")
    assert lead.text == ("##Unheaded opening that a translator forgot to space.\n"
                         "Second lead paragraph, see a lead link.")


def test_lead_links_belong_to_the_lead(page):
    assert [(link.url, link.section) for link in page.sections[0].links] == [
        ("https://example.org/lead-link", LEAD_ANCHOR)]


def test_credits_are_not_lead_text(page):
    assert "Ada" not in page.sections[0].text


def test_headed_sections_follow_the_lead(page):
    assert [(s.anchor, s.position) for s in page.sections] == [
        (LEAD_ANCHOR, 1), ("part-a", 2), ("part-b", 3)]


def test_page_without_lead_text_has_no_lead_section():
    # A <div hidden> of KaTeX macros before the first heading is no lead text.
    html = """<main><div class="page"><h1 class="page-title">T</h1>🎙️ <i>Ada Lovelace</i>
    <div hidden="">$$\\gdef \\toy {x}$$</div>
    <h2 id="a">A</h2><p>Text.</p></div></main>"""
    page = parse_page(html, BASE + "en/week01/01-1/", "SP20")
    assert [s.anchor for s in page.sections] == ["a"]


def test_comment_only_headings_are_not_sections(page):
    assert all(s.heading for s in page.sections)
    assert all(s.anchor for s in page.sections)
    assert page.sections[1].text.endswith("After the code.\nStill part A.")


def test_code_block_verbatim_in_text(page):
    text = page.sections[1].text
    assert text == f"Before the code.\n{_CODE}\nAfter the code.\nStill part A."


def test_code_block_recorded_with_language(page):
    (block,) = page.sections[1].code
    assert (block.text, block.language) == (_CODE, "python")


def test_code_block_in_a_list_keeps_its_spaces(page):
    (block,) = page.sections[2].code
    assert block.text == "  indented   spaces kept"
    assert block.language is None
    assert page.sections[2].text == "  indented   spaces kept"
