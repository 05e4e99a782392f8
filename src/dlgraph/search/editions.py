"""Edition words in a query: ``attention SP21``, ``autoencoders 2021``, ``backprop fall 2022``.

A learner names an edition by its code, its term and year, or its year alone; the words are
read from the configured editions (the registry), so a new edition needs no change here.
"""

from __future__ import annotations

import re
from functools import cache

from dlgraph.searchable import edition_order


@cache
def _names() -> dict[str, frozenset[str]]:
    """Lower-case phrase → the edition codes it names."""
    from ingest.registry import EDITIONS  # the registry belongs to the ingest side

    names: dict[str, set[str]] = {}
    for code in edition_order():
        spec = EDITIONS[code]
        term, year = str(getattr(spec, "term", "") or "").lower(), getattr(spec, "year", None)
        phrases = {code.lower()}
        if year:
            phrases |= {str(year), f"{term} {year}".strip(), f"{term}{year}".strip()}
        for p in phrases:
            names.setdefault(p, set()).add(code)
    return {p: frozenset(c) for p, c in names.items()}


@cache
def _pattern() -> re.Pattern:
    phrases = sorted(_names(), key=len, reverse=True)  # "fall 2022" before "2022"
    return re.compile(r"(?<![\w:])(" + "|".join(re.escape(p).replace(r"\ ", r"\s+")
                                                 for p in phrases) + r")(?![\w:])", re.IGNORECASE)


def edition_words(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` without the words naming editions, and the codes they name (course order)."""
    codes: set[str] = set()

    def take(m: re.Match) -> str:
        codes.update(_names()[" ".join(m.group(1).lower().split())])
        return " "

    rest = " ".join(_pattern().sub(take, text).split())
    return rest, tuple(c for c in edition_order() if c in codes)
