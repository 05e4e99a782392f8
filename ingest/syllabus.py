"""What a class page says of its staff, grading and late work: roles by heading, a person
from a line, grading lines of each scheme, the late-work rule. Shared by the FL23 class page
(:mod:`ingest.class_page`) and the SP20 early class page (:mod:`ingest.early_class_page`)."""

from __future__ import annotations

import re

from dlgraph.records import PersonRef
from ingest.captured_text import LIST_MARK, inline
from ingest.common import clean_person_name, deobfuscate_email, person_key

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
    plain = inline(LIST_MARK.sub("", line)).text
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
