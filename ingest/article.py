"""Generic saved documents (FL22 FAQ, SP21 learner's review, FL22 home source).

An article is read for what every document has: its text, its author and date (YAML front
matter where present) and its outgoing links with the sentence around them. The helpers
:func:`block_text` and :func:`html_links` are shared with the other document parsers.
"""

from __future__ import annotations

import copy
import dataclasses
import re

from bs4 import BeautifulSoup, NavigableString, Tag

from dlgraph.records import Document, Link
from ingest.common import live_url, person_key

_BLOCKS = (
    "p", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "table",
    "tr", "td", "th", "dd", "dt", "hr", "div",
)
_CONTEXT_BLOCKS = ("p", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6")
_BLOCK_BREAK, _LINE_BREAK = "\u2029", "\u2028"


def block_text(soup: Tag) -> str:
    """Visible text of parsed HTML: one line per block or ``<br>``, spaces collapsed.

    ``<style>`` and ``<script>`` are dropped; ``soup`` is not modified.
    """
    soup = copy.copy(soup)
    for el in soup.find_all(("style", "script")):
        el.decompose()
    for br in soup.find_all("br"):
        br.replace_with(NavigableString(_LINE_BREAK))
    for el in soup.find_all(_BLOCKS):
        el.insert_before(NavigableString(_BLOCK_BREAK))
        el.append(NavigableString(_BLOCK_BREAK))
    lines = []
    for chunk in re.split(f"[{_BLOCK_BREAK}{_LINE_BREAK}]", soup.get_text()):
        line = " ".join(chunk.split())
        if line:
            lines.append(line)
    return "\n".join(lines)


def html_links(soup: Tag, base_url: str | None) -> tuple[Link, ...]:
    """Every ``<a href>`` of ``soup`` as an absolute :class:`Link` with its block's text.

    Relative links are resolved against ``base_url`` and dropped when there is none;
    ``mailto:`` and in-page ``#anchors`` are not links out. Duplicates are kept once.
    """
    links: list[Link] = []
    for a in soup.find_all("a", href=True):
        href = a["href"].strip()
        if not href or href.startswith(("#", "mailto:", "javascript:")):
            continue
        if not re.match(r"^https?://", href, re.I) and not base_url:
            continue
        url = live_url(href, base_url or href)
        if not url.startswith(("http://", "https://")):
            continue
        block = a.find_parent(_CONTEXT_BLOCKS)
        context = " ".join((block or a).get_text().split())
        link = Link(url=url, text=" ".join(a.get_text().split()), context=context)
        if link not in links:
            links.append(link)
    return tuple(links)


def front_author_date(front: dict) -> dict:
    """``author``, ``author_key`` and ``date`` fields of a Document from front matter."""
    author = front.get("author")
    author = " ".join(str(author).split()) if author else None
    date = front.get("date")
    return {
        "author": author,
        "author_key": (person_key(author) or None) if author else None,
        "date": str(date) if date else None,
    }


def parse_article(html: str, doc: Document, front: dict) -> Document:
    """``doc`` (as the manifest describes it) filled from the document's rendered ``html``.

    ``front`` is the YAML front matter (author, date); the title stays the manifest's.
    """
    soup = BeautifulSoup(html, "html.parser")
    return dataclasses.replace(
        doc,
        text=block_text(soup),
        links=html_links(soup, doc.url),
        **front_author_date(front),
    )


__all__ = ["block_text", "front_author_date", "html_links", "parse_article"]
