"""Parse a list-shaped home page: a numbered list of lectures under a "Lectures" heading.

Sibling courses built with the same jekyllbook theme list their lectures as one ``<ol>``
under a "Lectures" heading, without theme headings. An item's ``<li>`` holds its title and
its resource links marked by emoji (🎥 🖥 📓 📝), and may hold nested lists: readings
("RN, chapter 23", papers), extra material (an animation on YouTube), sub-topics. The
item's title and markers come from its own text only; a nested list's links become extra
resources of the item (``kind="other"``: an unmarked YouTube link is not the recording),
and its book or paper citations readings of the item. A "Suggested readings" (or
"Readings") section lists the course's books; its short names ("RN: Russell & Norvig, …")
let "RN, chapter 23" name the book.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from dlgraph.records import HomePage, Lecture, Reading, Resource
from ingest.common import classify_url, home_people, kind_of_marker, live_url, resource_from_url
from ingest.notes import base_url_of

_LECTURES = re.compile(r"^\s*(lectures?|lecture videos|schedule|syllabus)\s*$", re.I)
_READINGS = re.compile(r"^\s*(suggested\s+)?(readings?|books?|references|bibliography)\s*$", re.I)
_READING_ITEM = re.compile(r"^\s*(readings?|read|books?|papers?)\s*[:：-]\s*", re.I)
_EXTRA_ITEM = re.compile(r"^\s*(extras?|extra material|see also|demos?|animations?)\s*[:：-]\s*", re.I)
#: ``RN, chapter 23`` / ``GBC ch. 6`` / ``RN, chapters 2-3``: a book's short name and a place in it.
_CHAPTER = re.compile(
    r"^(?P<book>[^,;:]{1,60}?)\s*,?\s*(?P<detail>(?:chapters?|ch\.|sections?|§)\s*[\w.–-]+"
    r"(?:\s*(?:,|and|&)\s*[\w.–-]+)*)\s*$", re.I)
#: ``RN: Russell & Norvig, Artificial Intelligence: A Modern Approach``
_SHORT_NAME = re.compile(r"^\s*(?P<short>[A-Z][A-Za-z0-9&]{0,7})\s*[:=–-]\s+(?P<rest>.+)$")
_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.):–—-]\s*")


def lectures_list(page: Tag) -> Tag | None:
    """The ``<ol>``/``<ul>`` right under the page's "Lectures" heading, if it has items."""
    for heading in page.find_all(["h1", "h2", "h3", "h4"]):
        if not _LECTURES.match(heading.get_text(" ", strip=True)):
            continue
        for sib in heading.find_next_siblings():
            if isinstance(sib, Tag) and sib.name in ("h1", "h2", "h3", "h4"):
                break
            if isinstance(sib, Tag) and sib.name in ("ol", "ul") and sib.find("li", recursive=False):
                return sib
    return None


def parse_home(html: str, url: str, edition: str) -> HomePage:
    """Parse a list-shaped home page into lecture items, the course's readings and its people.

    ``Lecture.key`` is the item's number (``"03"``: its place in the list, or the number it
    writes before its title). Every item is a ``lecture``.
    """
    url = live_url(url, url)
    soup = BeautifulSoup(html, "lxml")
    page = soup.select_one("main div.page") or soup.body or soup
    listed = _suggested_readings(page)
    books = [book for _, book in listed]
    shorts = {short: book for short, book in listed if short}
    lectures = []
    listing = lectures_list(page)
    if listing is not None:
        for position, li in enumerate(listing.find_all("li", recursive=False), start=1):
            lectures.append(_item(li, position, url, edition, shorts))
    return HomePage(edition=edition, url=url, lectures=tuple(lectures),
                    people=tuple(home_people(page)), readings=tuple(books))


def _own_nodes(li: Tag):
    """The item's own descendants: everything but its nested lists."""
    for node in li.descendants:
        if any(p.name in ("ul", "ol") and p is not li for p in _parents_within(node, li)):
            continue
        yield node


def _parents_within(node, top: Tag):
    parent = node.parent
    while parent is not None and parent is not top:
        yield parent
        parent = parent.parent


def _item(li: Tag, position: int, page_url: str, edition: str, shorts: dict[str, Reading]
          ) -> Lecture:
    base = base_url_of(page_url, edition)
    resources: list[Resource] = []
    notes_urls: list[str] = []
    # The item's text, cut at its marker links: the title is the first stretch of words
    # (what follows the markers describes the resources: ", with a demo of the toy arm").
    segments: list[list[str]] = [[]]
    for node in _own_nodes(li):
        if isinstance(node, Tag):
            if node.name != "a" or not node.get("href"):
                continue
            marker = node.get_text().strip()
            if kind_of_marker(marker):
                resources.append(resource_from_url(node["href"], marker, page_url))
                segments.append([])
                continue
            target = live_url(node["href"], page_url)
            if classify_url(target, base) in ("notes", "week"):
                notes_urls.append(target)
            else:
                # an unmarked link in the item's text (a demo, an animation) is extra
                # material, never the item's recording or slides
                resources.append(resource_from_url(node["href"], "other", page_url))
            continue
        if isinstance(node, NavigableString) and not _in_marker(node):
            segments[-1].append(str(node))
    texts = [" ".join("".join(seg).split()).strip(" ,;:–-") for seg in segments]
    title = next((t for t in texts if re.search(r"\w", t)), "")
    number = None
    if m := _NUMBER.match(title):
        number = int(m.group(1))
        title = title[m.end():].strip()
    readings: list[Reading] = []
    for nested in li.find_all(["ul", "ol"]):
        for sub in nested.find_all("li", recursive=False):
            r, extra = _nested(sub, page_url, title, shorts)
            readings += r
            resources += extra
    return Lecture(
        edition=edition,
        key=f"{number or position:02d}",
        position=position,
        title=title,
        format="lecture",
        source_url=page_url,
        number=number,
        notes_urls=tuple(dict.fromkeys(notes_urls)),
        resources=tuple(dict.fromkeys(resources)),
        readings=tuple(readings),
    )


def _in_marker(node: NavigableString) -> bool:
    a = node.find_parent("a")
    return a is not None and kind_of_marker(a.get_text().strip()) is not None


def _nested(sub: Tag, page_url: str, item: str, shorts: dict[str, Reading]
            ) -> tuple[list[Reading], list[Resource]]:
    """Readings and extra resources of one nested list entry (its own text and links)."""
    own = " ".join("".join(str(n) for n in _own_nodes(sub) if isinstance(n, NavigableString)).split())
    is_reading = bool(_READING_ITEM.match(own))
    text = _READING_ITEM.sub("", _EXTRA_ITEM.sub("", own))
    readings: list[Reading] = []
    extras: list[Resource] = []
    links = [a for a in sub.find_all("a", href=True)]
    for a in links:
        res = resource_from_url(a["href"], "other", page_url)
        extras.append(res)
    # Book places are written without a link: "RN, chapter 23; GBC, chapter 6".
    for part in re.split(r"\s*;\s*", text):
        m = _CHAPTER.match(part.strip())
        if m and (is_reading or m.group("book").strip() in shorts):
            book = shorts.get(m.group("book").strip())
            readings.append(Reading(
                title=book.title if book else m.group("book").strip(),
                url=book.url if book else None,
                authors=book.authors if book else (),
                kind="book",
                detail=m.group("detail"),
                lecture=item,
                context=part.strip(),
            ))
    for nested in sub.find_all(["ul", "ol"], recursive=False):
        for deeper in nested.find_all("li", recursive=False):
            r, e = _nested(deeper, page_url, item, shorts)
            readings += r
            extras += e
    return readings, extras


def _suggested_readings(page: Tag) -> list[tuple[str, Reading]]:
    """The books and links of a "Suggested readings" / "Readings" section, with short names."""
    out: list[tuple[str, Reading]] = []
    for heading in page.find_all(["h2", "h3", "h4"]):
        if not _READINGS.match(heading.get_text(" ", strip=True)):
            continue
        for sib in heading.find_next_siblings():
            if isinstance(sib, Tag) and sib.name in ("h1", "h2", "h3", "h4"):
                break
            if not isinstance(sib, Tag) or sib.name not in ("ul", "ol"):
                continue
            for li in sib.find_all("li", recursive=False):
                out.append(_book(li))
    return out


def _book(li: Tag) -> tuple[str, Reading]:
    """``RN: Russell & Norvig, <em>Artificial Intelligence</em>`` → ``("RN", book reading)``.

    The short name lets an item's "RN, chapter 23" name the book.
    """
    text = written = " ".join(li.get_text(" ").split())
    link = li.find("a", href=True)
    short = ""
    if m := _SHORT_NAME.match(text):
        short, text = m.group("short"), m.group("rest")
    emph = li.find(["em", "i", "cite"])
    title = " ".join(emph.get_text().split()) if emph else (
        " ".join(link.get_text().split()) if link else text)
    authors: tuple[str, ...] = ()
    rest = text.replace(title, "").strip(" ,.;:")
    if rest and re.search(r"[A-Z][a-z]+", rest) and len(rest) < 80:
        names = [n.strip(" ,.") for n in re.split(r"\s*(?:,|&|\band\b)\s*", rest)]
        authors = tuple(n for n in names if n and n.lower() not in ("et al", "et al."))
    url = link["href"] if link else None
    kind = "paper" if url and re.search(r"arxiv\.org|doi\.org|openreview\.net", url) else "book"
    return short, Reading(title=title.strip(" ,."), url=url, authors=authors, kind=kind,
                          context=written)


__all__ = ["lectures_list", "parse_home"]
