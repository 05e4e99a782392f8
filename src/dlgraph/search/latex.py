"""Math as readable text: the notes' LaTeX (``$\\vz$``, ``\\[\\begin{aligned}…``) in snippets and
headings, converted with pylatexenc; the sites' own macros need a small table."""

from __future__ import annotations

import re
from functools import cache, lru_cache

#: A math span: $$…$$, $…$, \[…\] or \(…\).
MATH_RE = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$[^$\n]+?\$|\\\[.+?\\\]|\\\(.+?\\\)", re.DOTALL)
#: The course sites' MathJax macros pylatexenc does not know: ``\vx`` is a bold x.
_SITE_LETTER_RE = re.compile(r"\\v([a-zA-Z])(?![a-zA-Z])")


@cache
def _converter():
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="text", strict_latex_spaces=True)


def _span(match: re.Match) -> str:
    return _text_of(match.group())


@lru_cache(maxsize=20_000)
def _text_of(tex: str) -> str:
    """One math span as text (cached: pylatexenc takes milliseconds, and hits recur)."""
    tex = _SITE_LETTER_RE.sub(r"\1", tex)
    try:
        text = _converter().latex_to_text(tex)
    except Exception:  # a span pylatexenc cannot parse: its characters, without the markup
        text = re.sub(r"\\[a-zA-Z]+|[{}$\\]", " ", tex)
    return " ".join(text.split())


def readable(text: str) -> str:
    """``text`` with its math spans as plain text (``$\\vz$`` → ``z``); text without math is
    returned as is, cheaply."""
    if not text or ("$" not in text and "\\" not in text):
        return text
    return MATH_RE.sub(_span, text)
