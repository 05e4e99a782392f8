"""The early SP20 class page: a Jekyll markdown source, read from its rendered HTML.

The page (published at ``pytorch-Deep-Learning-Minicourse/`` in early 2020) holds what the
later SP20 home page dropped: the staff with obfuscated e-mails, the graders, both grading
schemes, the homework schedule and the lecture-notes scribing process.
"""

from __future__ import annotations

import dataclasses
import re

from bs4 import BeautifulSoup, Tag

from dlgraph.records import Document, PersonRef
from ingest.article import block_text, front_author_date, html_links
from ingest.common import person_key
from ingest.syllabus import (
    grading_lines,
    grading_scheme,
    heading_role,
    late_policy,
    person_from_line,
)

# SP20 colours words with KaTeX macros it defines inline; the words are the text.
_MACRO_DEF = re.compile(r"\$\\gdef\\[^$]*\$")
_MACRO_USE = re.compile(r"\$\\\w+text\{([^{}$]*)\}\$")

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_SCRIBING = re.compile(r"lecture notes|instructions|scrib", re.I)
_SCHEDULE_ITEM = re.compile(r"^homework(?: assignment)?\s*\d+", re.I)


def _sections(soup: Tag) -> list[tuple[str, list[Tag]]]:
    """(heading text, block elements up to the next heading) in page order."""
    out: list[tuple[str, list[Tag]]] = [("", [])]
    for el in soup.children:
        if not isinstance(el, Tag):
            continue
        if el.name in _HEADINGS:
            out.append((" ".join(el.get_text(" ").split()), []))
        else:
            out[-1][1].append(el)
    return out


def _lines(blocks: list[Tag]) -> list[str]:
    # Source lines, not rendered lines: a staff list is one paragraph of soft breaks.
    lines = (" ".join(line.split()) for el in blocks for line in el.get_text().split("\n"))
    return [line for line in lines if line]


def _paragraphs(blocks: list[Tag]) -> list[str]:
    return [" ".join(block_text(el).split()) for el in blocks if block_text(el)]


def _unlabelled_role(person: PersonRef, instructors: frozenset[str]) -> PersonRef:
    role = "instructor" if person.key in instructors else "teaching-assistant"
    return dataclasses.replace(person, role=role)


def parse_early_class_page(html: str, doc: Document, front: dict,
                           instructors: tuple[str, ...] = ()) -> Document:
    """``doc`` (as the manifest describes it) filled from the early SP20 page's ``html``.

    People (instructors and TA from the staff list, graders), grading lines of both
    schemes, homework schedule rows, the scribing process and late-work rule as policies,
    text and links. ``front`` is the YAML front matter. The page lists its staff under a
    bare "People" heading: there ``instructors`` (the course's, from the editions registry;
    the later SP20 home pages' people tables give the same roles) taught and everyone else
    assisted.
    """
    instructor_keys = frozenset(person_key(name) for name in instructors)
    html = _MACRO_USE.sub(r"\1", _MACRO_DEF.sub("", html))
    soup = BeautifulSoup(html, "html.parser")
    people: list[PersonRef] = []
    grading: list[str] = []
    policies: list[str] = []
    schedule: list[str] = []
    other: list[str] = []
    for heading, blocks in _sections(soup):
        role, scheme = heading_role(heading), grading_scheme(heading)
        if role or re.fullmatch(r"people|staff", heading, re.I):
            for line in _lines(blocks):
                person = person_from_line(line, role or "instructor")
                if person and not role:
                    person = _unlabelled_role(person, instructor_keys)
                if person and person not in people:
                    people.append(person)
        elif scheme:
            grading.extend(grading_lines(scheme, _lines(blocks)))
        elif _SCRIBING.search(heading):
            policies.append(f"{heading}: {' '.join(_paragraphs(blocks))}")
        else:
            for el in blocks:
                lines = block_text(el).split("\n")
                if _SCHEDULE_ITEM.match(lines[0]):
                    schedule.append("; ".join(lines))
                else:
                    other.append(" ".join(lines))
    late = late_policy(other)
    if late:
        policies.append(late)
    return dataclasses.replace(
        doc,
        text=block_text(soup),
        people=tuple(people),
        grading=tuple(grading),
        policies=tuple(policies),
        schedule=tuple(schedule),
        links=html_links(soup, doc.url),
        **front_author_date(front),
    )


__all__ = ["parse_early_class_page"]
