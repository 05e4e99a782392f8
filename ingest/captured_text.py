"""A plain-text capture read as lines: inline markup rendered per line (a few ``<a href>``
and ``<u>`` anchors survive), sections by their ``#`` headings, tab-separated table rows.
The FL23 class page is such a capture (:mod:`ingest.class_page`)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark", {"html": True})

# -- lines and sections ----------------------------------------------------------------------

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_MARK = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+)+")


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
                current.append(inline(LIST_MARK.sub("", line)).text)
            elif current:
                paras.append(" ".join(current))
                current = []
        return paras


def sections(text: str) -> list[Section]:
    """``text`` cut at its ``#`` heading lines; text before the first heading has level 0."""
    out: list[Section] = []
    level, heading, lines = 0, "", []
    for line in text.splitlines():
        m = HEADING.match(line)
        if m:
            out.append(Section(level, heading, tuple(lines)))
            level, heading, lines = len(m.group(1)), inline(m.group(2)).text, []
        else:
            lines.append(line)
    out.append(Section(level, heading, tuple(lines)))
    return out


def tab_rows(lines: tuple[str, ...]) -> tuple[list[str], list[list[str]]]:
    rows = [line.split("\t") for line in lines if "\t" in line]
    if not rows:
        return [], []
    clean = [[inline(c).text for c in row] for row in rows]
    return clean[0], clean[1:]
