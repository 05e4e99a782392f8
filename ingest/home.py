"""Which parser reads a home page: recognised by what the page holds, never by edition.

The course sites of this family share one jekyllbook theme, but each year lays its home
page out differently: a lecture table linking notes pages by week (``home_table``), ``Theme
N: …`` headings over item lists (``home_themes``), or a plain numbered list under a
"Lectures" heading (``home_list``). :func:`recognise` names the shape; :func:`parse_home`
parses with the matching parser.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from dlgraph.records import HomePage

#: Shapes :func:`recognise` tells apart, with the module that parses each.
PARSERS = {
    "week-table": "ingest.home_table",
    "themes": "ingest.home_themes",
    "list": "ingest.home_list",
}

_NOTES_SLUG = re.compile(r"week\d{1,2}/\d{1,2}-\d+/?$")
_THEME = re.compile(r"^\D*?\d+\s*[:：.–-]\s*\S")
#: The emoji the sites put before resource links (🎥 video, 🖥 slides, 📓 notebook, 📝 notes).
MARKERS = ("\U0001f3a5", "\U0001f5a5", "\U0001f4d3", "\U0001f4dd")


def content(soup: BeautifulSoup) -> Tag:
    """The page's own content (the theme's ``main div.page``), without navigation."""
    return soup.select_one("main div.page") or soup.body or soup


def recognise(html: str) -> str | None:
    """The shape of a home page (a key of :data:`PARSERS`), or ``None`` when none fits."""
    page = content(BeautifulSoup(html, "lxml"))
    for table in page.find_all("table"):
        if table.find("a", href=_NOTES_SLUG):
            return "week-table"
    if any(_THEME.match(" ".join(h.get_text().split())) and "theme" in h.get_text().casefold()
           for h in page.find_all("h3")):
        return "themes"
    from ingest.home_list import lectures_list

    if lectures_list(page) is not None:
        return "list"
    return None


def has_markers(html: str) -> bool:
    """Does the page's content carry resource markers (🎥 🖥 📓 📝)?"""
    text = content(BeautifulSoup(html, "lxml")).get_text()
    return any(m in text for m in MARKERS)


def parse_home(html: str, url: str, edition: str) -> HomePage:
    """Parse a home page with the parser its shape calls for.

    A page of no known shape (no lectures posted yet) yields its people and no items.
    """
    import importlib

    shape = recognise(html)
    if shape is None:
        from ingest.common import home_people, live_url

        live = live_url(url, url)
        page = content(BeautifulSoup(html, "lxml"))
        return HomePage(edition=edition, url=live, people=tuple(home_people(page)))
    return importlib.import_module(PARSERS[shape]).parse_home(html, url, edition)


__all__ = ["MARKERS", "PARSERS", "has_markers", "parse_home", "recognise"]
