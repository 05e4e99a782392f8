"""The FL23 class page: a plain-text capture with markdown-style headings.

The capture is not a site page. Its headings are ``#`` lines, its tables are tab-separated
lines (the schedule, "Per Lecture Materials"), and its link targets were lost: only a few
anchors survive as ``<a href>`` or ``<u>`` markup. So it is read line by line, section by
section, with inline markup rendered per line. The lines and sections are
:mod:`ingest.captured_text`; people, grading and policies :mod:`ingest.syllabus` (shared
with the SP20 early class page); the readings :mod:`ingest.class_readings`.
"""

from __future__ import annotations

import dataclasses
import re

from dlgraph.records import Document, Link, PersonRef, Reading
from ingest.captured_text import HEADING, LIST_MARK, Inline, Section, inline, sections, tab_rows
from ingest.class_readings import (
    URL,
    captured_url,
    fold_title,
    readings_by_category,
    readings_from_text,
    readings_per_lecture,
)
from ingest.registry import EDITIONS
from ingest.syllabus import (
    ROLE_HEADINGS,
    grading_lines,
    grading_scheme,
    heading_role,
    late_policy,
    person_from_line,
)

# -- schedule and links -----------------------------------------------------------------------


def _schedule(section: Section) -> list[str]:
    header, rows = tab_rows(section.lines)
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
    for m in URL.finditer(item.text):
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
            general.extend(readings_by_category(sec))
        else:
            other_paragraphs.extend(sec.paragraphs())
    late = late_policy(other_paragraphs)
    if late:
        policies.append(late)
    known = {fold_title(r.title): r.authors for r in general if r.authors}
    lecture_readings = [r for sec in per_lecture for r in readings_per_lecture(sec, known)]
    links: list[Link] = []
    for line in text.splitlines():
        for link in _line_links(inline(LIST_MARK.sub("", HEADING.sub(r"\2", line)))):
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
        m = HEADING.match(line)
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
