"""Rows as a Markdown list: one item per reading, with its link and who cites it."""

from __future__ import annotations

import re

from dlgraph.export.rows import named_authors

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def to_markdown(rows: list[dict]) -> str:
    """A Markdown list: one ``- `` item per reading, with its link and who cites it."""
    lines = ["# Readings", ""]
    for row in rows:
        parts = [f"**{_md(row['title'])}**"]
        names, et_al = named_authors(row)
        authors = ", ".join(names) + (" et al." if et_al and names else "")
        if authors or row.get("year"):
            parts.append(_md(" ".join(x for x in (authors, f"({row['year']})" if row.get("year") else "") if x)))
        if row["url"]:
            parts.append(f"<{row['url']}>")
        if row["arxiv"]:
            parts.append(f"arXiv:{_md(row['arxiv'])}")
        if row["doi"]:
            parts.append(f"doi:{_md(row['doi'])}")
        if row["note"]:
            parts.append(_md(row["note"]))
        lines.append("- " + " · ".join(parts))
    return "\n".join(lines) + "\n"
