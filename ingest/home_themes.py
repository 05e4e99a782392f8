"""Parse a themed home page (SP21, FL22): ``Theme N: name`` headings and their items.

Each item is one ``<li>``: an optional number (FL22 writes ``05 – Title``), the title (a
link to its notes page when there is one, with ``[A]``/``[B]`` links to the parts), then
resources announced by emoji links (🎥 🖥 📓 📝). A homework item links a Drive folder. FL22
wraps items it reuses from SP21 in ``<span class="missing">`` (greyed out: the recording
is the earlier edition's) and marks footnotes with circled digits (①) whose text is a
paragraph after the closing ``<hr>``.
"""

from __future__ import annotations

import dataclasses
import re

from bs4 import BeautifulSoup, NavigableString, Tag

from dlgraph.records import HomePage, Lecture, Resource, Theme
from ingest.common import (
    classify_url,
    drive_folder_id,
    home_people,
    kind_of_marker,
    live_url,
    resource_from_url,
)
from ingest.notes import base_url_of

_THEME = re.compile(r"^\D*?(\d+)\s*[:：.–-]\s*(.+)$")
_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[–—-]\s*")
_CIRCLED = re.compile(r"[\u2460-\u2473]")
_PART = re.compile(r"^[A-Z]$")
_HOMEWORK = re.compile(r"^\s*(homework|devoir|tarea|compito)", re.I)


def parse_home(html: str, url: str, edition: str) -> HomePage:
    """Parse a themed home page into themes, items in page order, and instructors.

    ``Lecture.key`` is ``f"{number:02d}"`` for numbered items, else ``f"t{theme}.{n}"``
    (``n`` counts items within the theme); items under a heading that is not a theme
    (SP21's "Miscellaneous") get ``theme=None``, ``misc.{n}`` and the heading as ``group``. Every item is listed
    under the page's "Lectures" heading, so its format is ``lecture`` unless it is homework.
    """
    url = live_url(url, url)
    soup = BeautifulSoup(html, "lxml")
    page = soup.select_one("main div.page") or soup.body or soup
    footnotes = _footnotes(page)
    themes: list[Theme] = []
    lectures: list[Lecture] = []
    started = False
    misc = 0
    for heading in page.find_all("h3"):
        label = " ".join(heading.get_text().split())
        m = _THEME.match(label)
        group = None
        if m:
            started = True
            theme: int | None = int(m.group(1))
            themes.append(Theme(edition=edition, number=theme, title=m.group(2).strip()))
        elif started:
            theme, group = None, label  # "Miscellaneous": items that belong to no theme
        else:
            continue
        for n, li in enumerate(_items(heading), start=1):
            if theme is None:
                misc += 1
            item = _item(li, theme, misc if theme is None else n, len(lectures) + 1,
                         url, edition, footnotes)
            lectures.append(dataclasses.replace(item, group=group) if group else item)
    return HomePage(edition=edition, url=url, themes=tuple(themes), lectures=tuple(lectures),
                    people=tuple(home_people(page)))


def _items(heading: Tag) -> list[Tag]:
    """The top-level ``<li>`` of the lists between ``heading`` and the next heading."""
    out = []
    for sib in heading.find_next_siblings():
        if sib.name in ("h1", "h2", "h3", "hr"):
            break
        if sib.name in ("ul", "ol"):
            out += sib.find_all("li", recursive=False)
    return out


def _footnotes(page: Tag) -> dict[str, str]:
    """Footnote marker → text, from the paragraphs after the page's last ``<hr>``."""
    hrs = page.find_all("hr")
    if not hrs:
        return {}
    notes = {}
    for p in hrs[-1].find_next_siblings("p"):
        text = " ".join(p.get_text().split())
        m = _CIRCLED.match(text)
        if m:
            notes[m.group(0)] = text[1:].strip()
    return notes


def _is_marker(a: Tag) -> bool:
    return kind_of_marker(a.get_text().strip()) is not None


def _item(li: Tag, theme: int | None, n: int, position: int, page_url: str, edition: str,
          footnotes: dict[str, str]) -> Lecture:
    reused = li.find("span", class_="missing") is not None
    base = base_url_of(page_url, edition)
    resources: list[Resource] = []
    notes_urls: list[str] = []
    homework = False
    words: list[str] = []
    for node in li.descendants:
        if isinstance(node, Tag):
            if node.name != "a" or not node.get("href"):
                continue
            href = node["href"]
            if _is_marker(node):
                resources.append(resource_from_url(href, node.get_text().strip(), page_url))
                continue
            target = live_url(href, page_url)
            if drive_folder_id(target):
                homework = True
                resources.append(resource_from_url(href, "homework", page_url))
            elif classify_url(target, base) in ("notes", "week"):
                notes_urls.append(target)
            else:
                resources.append(resource_from_url(href, page_url=page_url))
            continue
        if not isinstance(node, NavigableString):
            continue
        a = node.find_parent("a")
        if a is not None and (_is_marker(a) or _PART.match(a.get_text().strip())):
            continue  # emoji resource links and [A]/[B] part links are not title words
        words.append(str(node))
    raw = " ".join("".join(words).split())
    markers = _CIRCLED.findall(raw)
    title = _CIRCLED.sub("", raw)
    title = re.sub(r"\[\s*\]", "", title)  # emptied [A][B] brackets
    title = re.sub(r"\(\s*see(?:\s*(?:and|,))*\s*\)", "", title)  # "(see 🎥 and 🎥)" emptied
    title = " ".join(title.split()).strip(" ,;")
    number = None
    if m := _NUMBER.match(title):
        number = int(m.group(1))
        title = title[m.end():].strip()
    if homework or _HOMEWORK.match(title):
        fmt = "homework"
    else:
        fmt = "lecture"
    if number is not None:
        key = f"{number:02d}"
    elif theme is not None:
        key = f"t{theme}.{n}"
    else:
        key = f"misc.{n}"
    return Lecture(
        edition=edition,
        key=key,
        position=position,
        title=title,
        format=fmt,
        source_url=page_url,
        theme=theme,
        number=number,
        notes_urls=tuple(dict.fromkeys(notes_urls)),
        resources=tuple(resources),
        reused=reused,
        footnotes=tuple(footnotes[m] for m in markers if m in footnotes),
    )


__all__ = ["parse_home"]
