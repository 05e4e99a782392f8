"""The table ``dlgraph ingest`` ends with: one row per edition, its columns explained."""

from __future__ import annotations

SUMMARY_COLUMNS = {
    "pages": "pages fetched and parsed",
    "cached": "of them, answered by the HTTP cache",
    "failed": "pages that failed (errors, timeouts, robots.txt, pages that did not parse)",
    "404": "linked pages the site does not have (broken in the site itself)",
    "lectures": "lecture items", "notes": "notes pages", "weeks": "week pages",
    "langs": "languages of the notes", "resources": "distinct videos, slides and notebooks",
    "people": "distinct people", "docs": "saved documents",
    "repaired": "damaged links on the pages that were repaired",
    "broken": "links that lead nowhere (kept and flagged)",
}


def summary_note(rec) -> str | None:
    """A row's note: an edition with no site pages and no lectures, only saved documents."""
    if rec.lectures or rec.pages or not rec.documents:
        return None
    kinds = sorted({d.kind.replace("-", " ") for d in rec.documents})
    return f"only a {' and a '.join(kinds)}: no lecture list"


def summary_footnote() -> str:
    """The columns explained, wrapped under the table."""
    import textwrap

    text = "; ".join(f"{k}: {v}" for k, v in SUMMARY_COLUMNS.items()
                     if k in ("cached", "failed", "404", "repaired", "broken"))
    return "\n".join(textwrap.wrap(text + ".", width=96))


def summary_table(rows: list[dict]) -> str:
    heads = {"edition": "edition", "pages_fetched": "pages", "from_cache": "cached",
             "failed": "failed", "not_found": "404", "lectures": "lectures",
             "notes_pages": "notes", "week_pages": "weeks", "languages": "langs",
             "resources": "resources", "people": "people", "documents": "docs",
             "repaired_links": "repaired", "broken_links": "broken",
             "transcripts": "transcripts", "notebooks_read": "notebooks", "slides_read": "slides",
             "repo_reports": "repo-reports"}
    keys = [k for k in heads if not rows or k in rows[0]]
    table = [[heads[k] for k in keys]] + [[str(row[k]) for k in keys] for row in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(keys))]
    notes = [""] + [f"  ({row['note']})" if row.get("note") else "" for row in rows]
    return "\n".join(
        "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
        + note
        for r, note in zip(table, notes, strict=True)
    )
