"""The FL23 class page: a plain-text capture with markdown-style headings.

The capture is not a site page. Its headings are ``#`` lines, its tables are tab-separated
lines (the schedule, "Per Lecture Materials"), and its link targets were lost: only a few
anchors survive as ``<a href>`` or ``<u>`` markup. So it is read line by line, section by
section, with inline markup rendered per line. People, grading and policy helpers here are
shared with the SP20 early class page (``ingest.early_class_page``).
"""

from __future__ import annotations

import dataclasses
import html
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from dlgraph.records import Document, Link, PersonRef, Reading
from ingest.common import clean_person_name, deobfuscate_email, person_key
from ingest.registry import EDITIONS

_MD = MarkdownIt("commonmark", {"html": True})

# -- lines and sections ----------------------------------------------------------------------

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+)+")


@dataclass(frozen=True)
class Inline:
    """A line with its markup rendered: plain text, surviving anchors, underlined words."""

    text: str
    anchors: tuple[tuple[int, str, str], ...] = ()  # (offset in text, href, anchor text)
    underlined: tuple[str, ...] = ()


def inline(line: str) -> Inline:
    """Render one line's inline markup (``**bold**``, ``<u>``, ``<a href>``) to plain text."""
    rendered = _MD.renderInline(line.strip())
    if "<" not in rendered:
        return Inline(" ".join(html.unescape(rendered).split()))
    soup = BeautifulSoup(rendered, "html.parser")
    text, anchors = "", []
    for node in soup.descendants:
        if isinstance(node, str):
            # Collapsed node by node so anchor offsets stay offsets into the final text.
            piece = re.sub(r"\s+", " ", node)
            text += piece[1:] if text.endswith(" ") and piece.startswith(" ") else piece
        elif node.name == "a" and node.get("href") and not node["href"].startswith("mailto:"):
            anchors.append((len(text), node["href"], " ".join(node.get_text().split())))
    underlined = tuple(" ".join(u.get_text().split()) for u in soup.find_all("u"))
    return Inline(text.strip(), tuple(anchors), underlined)


@dataclass(frozen=True)
class Section:
    """A heading (plain text, level) and the raw lines under it, up to the next heading."""

    level: int
    heading: str
    lines: tuple[str, ...]

    def paragraphs(self) -> list[str]:
        """The section's blank-line separated paragraphs as plain text."""
        paras, current = [], []
        for line in [*self.lines, ""]:
            if line.strip():
                current.append(inline(_LIST_MARK.sub("", line)).text)
            elif current:
                paras.append(" ".join(current))
                current = []
        return paras


def sections(text: str) -> list[Section]:
    """``text`` cut at its ``#`` heading lines; text before the first heading has level 0."""
    out: list[Section] = []
    level, heading, lines = 0, "", []
    for line in text.splitlines():
        m = _HEADING.match(line)
        if m:
            out.append(Section(level, heading, tuple(lines)))
            level, heading, lines = len(m.group(1)), inline(m.group(2)).text, []
        else:
            lines.append(line)
    out.append(Section(level, heading, tuple(lines)))
    return out


# -- people, grading, policies (shared with the SP20 early class page) ---------------------

#: Heading words that name a role (checked in order: "Teaching Assistant (TA)" is not an
#: instructor heading).
ROLE_HEADINGS = (
    (re.compile(r"(?i:teaching assistant)|\bTAs?\b"), "teaching-assistant"),
    (re.compile(r"\bgraders?\b", re.I), "grader"),
    (re.compile(r"\binstructors?\b", re.I), "instructor"),
)


def heading_role(heading: str) -> str | None:
    """The role a people heading announces (``"Graders"`` → ``"grader"``), else ``None``."""
    for pattern, role in ROLE_HEADINGS:
        if pattern.search(heading):
            return role
    return None


def person_from_line(line: str, role: str) -> PersonRef | None:
    """A person from a staff line (``Name <mail>``, ``Name - user [ at ] host``, ``1. Name``).

    ``None`` when the line does not look like a name (empty, or a sentence).
    """
    plain = inline(_LIST_MARK.sub("", line)).text
    name = clean_person_name(plain)
    if not name or len(name.split()) > 5:
        return None
    return PersonRef(name=name, key=person_key(plain), role=role, email=deobfuscate_email(plain))


_PERCENT = re.compile(r"^[±+~]?\s*\d+(?:\.\d+)?\s*%")
_GRADING_HEADING = re.compile(r"^grading\b[\s,:–-]*", re.I)


def grading_scheme(heading: str) -> str | None:
    """The scheme a grading heading names (``"Grading, doctorate candidates"`` →
    ``"doctorate candidates"``), ``None`` if it is not a grading heading."""
    m = _GRADING_HEADING.match(heading)
    return (heading[m.end():].strip() or "default") if m else None


def grading_lines(scheme: str, lines: list[str]) -> list[str]:
    """``"<scheme>: <line>"`` for each line that starts with a percentage.

    The scheme is kept in the line because both schemes share items ("10% Class
    participation") that would otherwise collapse into one.
    """
    return [f"{scheme}: {line}" for line in lines if _PERCENT.match(line)]


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")
# A rule about late work, not any "late" ("come late to office hours").
_LATE = re.compile(
    r"\blate\s+(?:submissions?|work|homework|assignments?|penalt\w*|days?)\b"
    r"|\bextra days?\b|\bdays? late\b",
    re.I,
)


def late_policy(paragraphs: list[str]) -> str | None:
    """``"Late submission: …"`` from the sentences that state the late-work rule."""
    found = [s for p in paragraphs for s in _SENTENCE.split(p) if _LATE.search(s)]
    return "Late submission: " + " ".join(found) if found else None


# -- readings ---------------------------------------------------------------------------------

_URL = re.compile(r"https?://\S+")
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
    urls = list(_URL.finditer(text))
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


def _fold_title(title: str) -> str:
    return " ".join(re.sub(r"\bbook\b", " ", title.casefold()).split())


def _general_readings(section: Section) -> list[Reading]:
    out: list[Reading] = []
    category, pending = "", None
    for line in section.lines:
        if not line.strip() or not _LIST_MARK.match(line):
            continue
        nested = line[: len(line) - len(line.lstrip())] != ""
        item = inline(_LIST_MARK.sub("", line))
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


def _tab_rows(lines: tuple[str, ...]) -> tuple[list[str], list[list[str]]]:
    rows = [line.split("\t") for line in lines if "\t" in line]
    if not rows:
        return [], []
    clean = [[inline(c).text for c in row] for row in rows]
    return clean[0], clean[1:]


def _lecture_readings(section: Section, known: dict[str, tuple[str, ...]]) -> list[Reading]:
    _header, rows = _tab_rows(section.lines)
    out = []
    for row in rows:
        lecture, cell = row[0].strip(), " ".join(c for c in row[1:] if c.strip())
        if not lecture or not cell:
            continue
        for r in readings_from_text(cell, lecture=lecture):
            # A book the general list credits keeps its authors when a lecture cites it.
            if not r.authors and _fold_title(r.title) in known:
                r = dataclasses.replace(r, authors=known[_fold_title(r.title)])
            out.append(r)
    return out


# -- schedule and links -----------------------------------------------------------------------


def _schedule(section: Section) -> list[str]:
    header, rows = _tab_rows(section.lines)
    out = []
    for row in rows:
        label = row[0].strip()
        cells = [f"{h.strip()} {v.strip()}" for h, v in zip(header[1:], row[1:], strict=False)
                 if v.strip()]
        if label:
            out.append(f"{label}: {'; '.join(cells)}" if cells else label)
    return out


_TERM_YEAR = re.compile(r"\b(Spring|Summer|Fall|Autumn|Winter)\s+(\d{4})\b", re.I)


def _edition_url(term: str, year: int) -> str | None:
    term = "Fall" if term.casefold() == "autumn" else term.capitalize()
    for spec in EDITIONS.values():
        if spec.term == term and spec.year == year and spec.base_url:
            return spec.base_url
    return None


def _line_links(item: Inline) -> list[Link]:
    out, start = [], 0
    for offset, href, label in item.anchors:
        if re.match(r"^https?://", href):
            out.append(Link(href, label.strip(), item.text))
        else:
            # The capture kept the anchor but lost its target ("<a href="here">"); an
            # edition named just before it ("Spring 2021 here") says where it pointed.
            named = list(_TERM_YEAR.finditer(item.text[start:offset]))
            if named:
                m = named[-1]
                url = _edition_url(m.group(1), int(m.group(2)))
                if url:
                    out.append(Link(url, f"{m.group(1)} {m.group(2)}", item.text))
        start = offset + len(label)
    for m in _URL.finditer(item.text):
        url = captured_url(m.group(0).rstrip(".,;)"))
        if not any(link.url == url for link in out):
            out.append(Link(url, "", item.text))
    return out


# -- the page ----------------------------------------------------------------------------------

_POLICY_HEADING = re.compile(r"polic|how to fail|communication", re.I)


def parse_class_page(text: str, doc: Document) -> Document:
    """``doc`` (as the manifest describes it) filled from the FL23 class page capture.

    People with roles and e-mails, grading lines of every scheme, policies (including the
    late-submission rule), the deadline schedule rows, general and per-lecture readings,
    and links (earlier editions mapped to their site URLs).
    """
    secs = sections(text)
    people: list[PersonRef] = []
    grading: list[str] = []
    policies: list[str] = []
    schedule: list[str] = []
    other_paragraphs: list[str] = []
    general: list[Reading] = []
    per_lecture: list[Section] = []
    for sec in secs:
        role, scheme = heading_role(sec.heading), grading_scheme(sec.heading)
        if role:
            found = (person_from_line(line, role) for line in sec.lines if line.strip())
            people.extend(p for p in found if p and p not in people)
        elif scheme:
            grading.extend(grading_lines(scheme, sec.paragraphs()))
        elif _POLICY_HEADING.search(sec.heading):
            policies.append(f"{sec.heading}: {' '.join(sec.paragraphs())}")
        elif re.search(r"schedule|deadline", sec.heading, re.I):
            schedule.extend(_schedule(sec))
        elif re.search(r"per lecture", sec.heading, re.I):
            per_lecture.append(sec)
        elif re.search(r"reading|useful", sec.heading, re.I):
            general.extend(_general_readings(sec))
        else:
            other_paragraphs.extend(sec.paragraphs())
    late = late_policy(other_paragraphs)
    if late:
        policies.append(late)
    known = {_fold_title(r.title): r.authors for r in general if r.authors}
    lecture_readings = [r for sec in per_lecture for r in _lecture_readings(sec, known)]
    links: list[Link] = []
    for line in text.splitlines():
        for link in _line_links(inline(_LIST_MARK.sub("", _HEADING.sub(r"\2", line)))):
            if link not in links:
                links.append(link)
    return dataclasses.replace(
        doc,
        text=_plain_text(text),
        people=tuple(people),
        grading=tuple(grading),
        policies=tuple(policies),
        schedule=tuple(schedule),
        readings=tuple(general + lecture_readings),
        links=tuple(links),
    )


def _plain_text(text: str) -> str:
    lines = []
    for line in text.splitlines():
        m = _HEADING.match(line)
        plain = inline((m.group(2) if m else line).replace("\t", " | ")).text
        if plain:
            lines.append(plain)
    return "\n".join(lines)


__all__ = [
    "ROLE_HEADINGS",
    "Inline",
    "Section",
    "captured_url",
    "grading_lines",
    "grading_scheme",
    "heading_role",
    "inline",
    "late_policy",
    "parse_class_page",
    "person_from_line",
    "readings_from_text",
    "sections",
]
