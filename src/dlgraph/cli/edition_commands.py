"""``dlgraph editions``: the configured courses and editions, and which are ingested."""

from __future__ import annotations

import click

from dlgraph.cli.options import Context, editions_file_option, pass_ctx
from dlgraph.cli.output import emit, json_option


def _editions_text(result: dict) -> str:
    rows = [["edition", "course", "term", "year", "site", "ingested"]]
    for e in result["editions"]:
        rows.append([e["code"], e["course"], e["term"], str(e["year"]),
                     e["site"] or "(none: saved documents only)", "yes" if e["ingested"] else "no"])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    for c in result["courses"]:
        lines.append(f"course {c['code']}: {c['title']}" + (f" ({c['institution']})" if c["institution"] else ""))
    stray = result["ingested_not_configured"]
    if stray:
        lines.append(f"ingested but not configured: {', '.join(stray)} (their records are kept)")
    return "\n".join(lines)


@click.command("editions")
@editions_file_option
@json_option
@pass_ctx
def editions_command(ctx: Context, as_json: bool) -> None:
    """List the configured courses and editions, and which of them DATA_DIR holds.

    The shipped editions come from the package's editions.toml; --editions-file (or
    $DLGRAPH_EDITIONS_FILE) adds or overrides entries.

    Example: dlgraph editions --editions-file my-course.toml --json
    """
    from dlgraph.store import stored_editions
    from ingest.registry import current

    reg = current()
    ingested = stored_editions(ctx.data_dir)
    result = {
        "courses": [{"code": c.code, "title": c.title, "institution": c.institution}
                    for c in reg.courses.values()],
        "editions": [{"code": e.code, "course": e.course_code, "title": e.title, "term": e.term,
                      "year": e.year, "site": e.base_url, "repository": e.repository,
                      "documents": list(e.documents), "ingested": e.code in ingested}
                     for e in reg.editions.values()],
        "ingested_not_configured": [c for c in ingested if c not in reg.editions],
    }
    emit(result, as_json, _editions_text(result))
