"""The readings a class-page capture lists: general readings by category and per-lecture
materials, read from text whose link targets were mostly lost (titles, book and chapter
runs, bare URLs, the few surviving anchors)."""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import unquote, urlsplit

from dlgraph.records import Reading
from ingest.captured_text import LIST_MARK, Section, inline, tab_rows

URL = re.compile(r"https?://\S+")
_GOODREADS = re.compile(r"^(?P<book>https?://(?:www\.)?goodreads\.com/book/show/\d+)(?:[.-]\S*)?$", re.I)


def captured_url(url: str) -> str:
    """A URL as the capture kept it, cut back to what still points at the work.

    The capture turned the ``_`` of a Goodreads slug into spaces, so the URL stops at the
    first word ("…/show/85020.Pattern"). Goodreads finds a book by its number alone, so the
    link is kept to ``…/book/show/<number>`` rather than to a slug that was never written.
    """
    m = _GOODREADS.match(url)
    return m.group("book") if m else url


_DETAIL_WORDS = (
    r"(?:Chapters?|Sections?|Ch\.|Sec\.|§|pp?\.)\s*"
    r"\d+(?:\.\d+)*(?:\s*(?:[-–,]|and)\s*\d+(?:\.\d+)*)*"
)
_DETAIL = re.compile(rf"(?P<title>.+?)\s+(?P<detail>{_DETAIL_WORDS})", re.I)
_OPTIONAL = re.compile(r"^(?:optional(?:ly)?|see also|also|and)\b\s*[-–:,]?\s*", re.I)
_BOOK = re.compile(r"^(?P<title>.+?)\s+book\b(?:\s+(?:from|by)\s+(?P<rest>.*))?$", re.I)
# "First Last" or a surname alone; two words at most, because the capture ran the author
# list into the next sentence ("… Aaron Courville General overview …").
_WORD = r"(?!(?:Chapters?|Sections?)\b)[A-Z][\w'’-]+"
_NAME = rf"(?:[A-Z]\.\s*)*{_WORD}(?:\s+(?:[A-Z]\.\s*)*{_WORD})?"
_AUTHORS = re.compile(rf"^(?P<names>{_NAME}(?:\s*(?:,|\band\b|&)\s*{_NAME})*)(?P<rest>.*)$")
_CHAPTERS = re.compile(
    rf"{_DETAIL_WORDS}|(?:the\s+)?(?:first|last)\s+\d+\s+(?:chapters|sections)", re.I
)
_MEDIA = re.compile(r"^(?P<medium>YouTube(?:\s+lectures?|\s+videos?|\s+playlist)?)\s+", re.I)


def _split_authors(names: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in re.split(r"\s*(?:,|\band\b|&)\s*", names) if n.strip())


def _url_reading(url: str, after: str, lecture: str | None, context: str) -> Reading:
    path = unquote(urlsplit(url).path)
    name = path.rstrip("/").rsplit("/", 1)[-1]
    host = (urlsplit(url).hostname or "").lower()
    if path.lower().endswith(".pdf"):
        return Reading(name[:-4], url, kind="pdf", lecture=lecture, context=context)
    if "goodreads.com" in host and "/book/show/" in path:
        # The capture turned the slug's "_" into a space: "85020.Pattern Classification".
        slug = name.split(".", 1)[-1].replace("_", " ")
        title = " ".join(f"{slug} {after}".split()) if after else slug
        return Reading(title, captured_url(url), kind="book", lecture=lecture, context=context)
    kind = "paper" if re.search(r"arxiv\.org|doi\.org|openreview\.net", host) else "other"
    return Reading(name or url, url, kind=kind, lecture=lecture, context=context)


def readings_from_text(text: str, lecture: str | None = None, context: str = "",
                       underlined: tuple[str, ...] = ()) -> list[Reading]:
    """The readings one list item or table cell names (plain text in, records out).

    Handles ``<Title> book from/by <authors> …``, ``<Title> [Book] Chapter 5 [Optionally -]
    <Title> Section 6.5`` runs, bare URLs (a ``.pdf`` is a ``pdf`` reading) and lecture
    series whose title survived as underlined text (``YouTube lectures <u>…</u>``).
    """
    text = " ".join(text.split())
    urls = list(URL.finditer(text))
    if urls:
        ends = [m.start() for m in urls[1:]] + [len(text)]
        return [_url_reading(m.group(0).rstrip(".,;)"), text[m.end():end].strip(" .,;"),
                             lecture, context) for m, end in zip(urls, ends, strict=True)]
    media = _MEDIA.match(text)
    if media:
        title = underlined[0] if underlined else text[media.end():]
        return [Reading(title.strip(" ."), kind="video", lecture=lecture, context=context)]
    book = _BOOK.match(text)
    if book:
        authors, detail = (), ""
        rest = book.group("rest") or ""
        names = _AUTHORS.match(rest)
        if names:
            authors, rest = _split_authors(names.group("names")), names.group("rest")
        chapters = _CHAPTERS.search(rest)
        if chapters:
            detail = chapters.group(0).strip()
        title = _OPTIONAL.sub("", book.group("title")).strip()
        return [Reading(title, authors=authors, detail=detail, lecture=lecture, context=context)]
    out, end = [], 0
    for d in _DETAIL.finditer(text):
        title = d.group("title").strip()
        optional = _OPTIONAL.match(title)
        title = re.sub(r"\s+book$", "", title[optional.end() if optional else 0 :], flags=re.I)
        # "Optionally - <book> Section 6.5": the qualifier is the reading's context.
        note = optional.group(0).strip(" -–:,") if optional else ""
        out.append(Reading(title.strip(" -–,;"), detail=d.group("detail"), lecture=lecture,
                           context=context or note))
        end = d.end()
    rest = _OPTIONAL.sub("", text[end:].strip(" -–,;."))
    if rest:
        out.append(Reading(re.sub(r"\s+book$", "", rest, flags=re.I), lecture=lecture,
                           context=context))
    return out


def fold_title(title: str) -> str:
    return " ".join(re.sub(r"\bbook\b", " ", title.casefold()).split())


def readings_by_category(section: Section) -> list[Reading]:
    out: list[Reading] = []
    category, pending = "", None
    for line in section.lines:
        if not line.strip() or not LIST_MARK.match(line):
            continue
        nested = line[: len(line) - len(line.lstrip())] != ""
        item = inline(LIST_MARK.sub("", line))
        if not nested:
            if pending:
                out.extend(readings_from_text(pending.text, underlined=pending.underlined))
            category, pending = item.text.rstrip(":").strip(), item
            continue
        pending = None
        out.extend(readings_from_text(item.text, context=category, underlined=item.underlined))
    if pending:
        out.extend(readings_from_text(pending.text, underlined=pending.underlined))
    return out


def readings_per_lecture(section: Section, known: dict[str, tuple[str, ...]]) -> list[Reading]:
    _header, rows = tab_rows(section.lines)
    out = []
    for row in rows:
        lecture, cell = row[0].strip(), " ".join(c for c in row[1:] if c.strip())
        if not lecture or not cell:
            continue
        for r in readings_from_text(cell, lecture=lecture):
            # A book the general list credits keeps its authors when a lecture cites it.
            if not r.authors and fold_title(r.title) in known:
                r = dataclasses.replace(r, authors=known[fold_title(r.title)])
            out.append(r)
    return out
