"""Edition words in a query: ``attention SP21``, ``autoencoders 2021``, ``backprop fall 2022``.

A learner names an edition by its code, its term and year, or its year alone; the words come
from the configured editions (the registry), so a new edition needs no change here. The index
keeps them as they were when it was built (:func:`edition_table`), so a search reads no
registry.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dlgraph.search.index import SearchIndex


def edition_table() -> list[tuple[str, str, int | None]]:
    """``(code, term, year)`` of each configured edition, in course order (for the index)."""
    from dlgraph.searchable import edition_order
    from ingest.registry import EDITIONS  # the registry belongs to the ingest side

    out = []
    for code in edition_order():
        spec = EDITIONS[code]
        out.append((code, str(getattr(spec, "term", "") or "").lower(),
                    getattr(spec, "year", None)))
    return out


def _names(table) -> dict[str, frozenset[str]]:
    """Lower-case phrase → the edition codes it names."""
    names: dict[str, set[str]] = {}
    for code, term, year in table:
        phrases = {code.lower()}
        if year:
            phrases |= {str(year), f"{term} {year}".strip(), f"{term}{year}".strip()}
        for p in phrases:
            names.setdefault(p, set()).add(code)
    return {p: frozenset(c) for p, c in names.items()}


def _pattern(names) -> re.Pattern:
    phrases = sorted(names, key=len, reverse=True)  # "fall 2022" before "2022"
    return re.compile(r"(?<![\w:])(" + "|".join(re.escape(p).replace(r"\ ", r"\s+")
                                                 for p in phrases) + r")(?![\w:])", re.IGNORECASE)


def edition_words(ix: SearchIndex, text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` without the words naming editions, and the codes they name (course order)."""
    if ix._edition_words is None:
        names = _names(ix.edition_table)
        ix._edition_words = (names, _pattern(names) if names else None)
    names, pattern = ix._edition_words
    if pattern is None:
        return text, ()
    codes: set[str] = set()

    def take(m: re.Match) -> str:
        codes.update(names[" ".join(m.group(1).lower().split())])
        return " "

    rest = " ".join(pattern.sub(take, text).split())
    return rest, tuple(c for c in ix.edition_order if c in codes)
