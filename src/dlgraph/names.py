"""People's names split into given and family parts, the way reference managers want them.

A course page writes "Yann LeCun"; RIS wants ``AU  - LeCun, Yann``, BibTeX ``LeCun, Yann``,
schema.org ``givenName``/``familyName``. Written the page's way, Zotero and citation-js
read a one-field "institution" name. :func:`split_name` uses nameparser (particles like
"van der" or "Le" stay with the family name, "Jr." is a suffix) plus one rule of our own: a
single token ("LeCun") is a family name, not a given one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from nameparser import HumanName


@dataclass(frozen=True)
class PersonName:
    """A name in parts; ``family`` is never empty for a non-empty name."""

    given: str
    family: str
    suffix: str = ""

    def inverted(self) -> str:
        """``Family, Given`` (RIS, and what Zotero's import reads), ``Family, Given, Jr.``."""
        return ", ".join(p for p in (self.family, self.given, self.suffix) if p)

    def bibtex(self) -> str:
        """``Family, Jr., Given``: BibTeX's three-part form (``von Last, Jr, First``)."""
        if self.suffix:
            return f"{self.family}, {self.suffix}, {self.given}"
        return f"{self.family}, {self.given}" if self.given else self.family


@lru_cache(maxsize=4096)
def split_name(name: str) -> PersonName:
    """``"Yann Le Cun"`` → ``PersonName("Yann", "Le Cun")``; ``"LeCun"`` → family only."""
    text = " ".join(name.split())
    if not text:
        return PersonName("", "")
    parsed = HumanName(text)
    family = parsed.last
    given = " ".join(p for p in (parsed.first, parsed.middle) if p)
    if not family:
        # nameparser calls a lone token a first name; a citation's lone token is a surname.
        family, given = given or text, ""
    return PersonName(given, family, parsed.suffix)


__all__ = ["PersonName", "split_name"]
