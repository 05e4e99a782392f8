"""What every reading format reads off a row of ``readings_table`` the same way: its
keywords, the authors that are people, its DOI (arXiv's own when it has no other)."""

from __future__ import annotations

import re


def keywords(row: dict) -> list[str]:
    # The reading's own topics, then those of the places citing it: why a topic filter
    # selected it, and what a reference manager's tags should say. The citing editions'
    # own course codes come first, so a reference manager can tag by course.
    topics = list(dict.fromkeys([*row["topics"], *row.get("context_topics", ())]))
    return [*row.get("courses", []), *row["editions"], *topics]


_ET_AL = re.compile(r"^(?:et\.?\s*al\.?|and\s+others|others)$", re.I)


def named_authors(row: dict) -> tuple[list[str], bool]:
    """The row's authors that are people, and whether the list is cut short ("et al.")."""
    names = [a for a in row["authors"] if a.strip() and not _ET_AL.match(a.strip())]
    return names, bool(row.get("et_al")) or len(names) < len(row["authors"])


def arxiv_doi(arxiv_id: str) -> str:
    """The DOI arXiv registers for every paper: ``10.48550/arXiv.<id>``."""
    return f"10.48550/arXiv.{arxiv_id}"


def row_doi(row: dict) -> str | None:
    return row["doi"] or (arxiv_doi(row["arxiv"]) if row["arxiv"] else None)
