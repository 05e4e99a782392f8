"""The analyses of the graph: ``compare``, ``path``, ``people`` and ``topics``."""

from __future__ import annotations

import click

from dlgraph.cli.datafolder import stored_graph
from dlgraph.cli.options import Context, complete_edition, complete_topic, pass_ctx
from dlgraph.cli.output import emit, json_option


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _item_cell(item: dict, width: int) -> str:
    """An item's title cut to ``width``; a same-titled twin keeps its key visible
    (SP21 lists "Energy based models (V)" as t4.5 and t5.1)."""
    if item.get("label", item["title"]) == item["title"]:
        return _cut(item["title"], width)
    tag = f" [{item['key']}]"
    return _cut(item["title"], width - len(tag)) + tag


def _compare_text(result: dict) -> str:
    a, b, s = result["a"], result["b"], result["summary"]
    head = (
        f"{a} → {b}: {s['same_recording']} same recording · {s['re_recorded']} re-recorded · "
        f"{s['new']} new in {b} · {s['dropped']} dropped from {a} · "
        + (f"{s['not_listed']} not listed · " if s.get("not_listed") else "")
        + f"resources +{s['resources_added']} −{s['resources_removed']}"
    )
    widths = (28, 14, 40, 40)
    # Why "not listed" is not "dropped": the edition's own words, before the table.
    notes = [f"not listed: {why}" for why in result.get("partial", {}).values()]
    lines = [head, *notes, "",
             "  ".join(h.ljust(w) for h, w in zip(("TOPIC", "STATUS", a, b), widths, strict=True))]
    last_topic = object()
    for row in result["rows"]:
        left = [_item_cell(i, widths[2]) for i in row["a"]] or [""]
        right = [_item_cell(i, widths[3]) for i in row["b"]] or [""]
        topic = row["topic"] or "(untagged)"
        shown = topic if topic != last_topic else ""
        last_topic = topic
        for n in range(max(len(left), len(right))):
            cells = (
                _cut(shown, widths[0]) if n == 0 else "",
                row["status"] if n == 0 else "",
                left[n] if n < len(left) else "",
                right[n] if n < len(right) else "",
            )
            lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _timeline_text(result: dict) -> str:
    eds = result["editions"]
    width = max([len("TOPIC")] + [len("  " * r["depth"] + r["topic"]) for r in result["topics"]])
    lines = ["items (videos) per topic and edition; " + result["hours_note"], ""]
    lines.append("TOPIC".ljust(width) + "".join(e.rjust(10) for e in eds))
    for row in result["topics"]:
        cells = "".join(
            f"{c['items']} ({c['videos']})".rjust(10) for c in (row["cells"][e] for e in eds)
        )
        lines.append(("  " * row["depth"] + row["topic"]).ljust(width) + cells)
    totals = "".join(
        f"{result['totals'][e]['items']} ({result['totals'][e]['videos']})".rjust(10) for e in eds
    )
    lines.append("all items".ljust(width) + totals)
    lines.extend(["", *result.get("notes", {}).values()] if result.get("notes") else [])
    return "\n".join(lines)


@click.command("compare")
@click.argument("editions", nargs=-1, required=True, shell_complete=complete_edition)
@click.option("--all-topics", is_flag=True,
              help="Timeline only: one row per topic, not only the top concepts.")
@json_option
@pass_ctx
def compare_command(ctx: Context, editions: tuple[str, ...], all_topics: bool,
                    as_json: bool) -> None:
    """Compare editions: two give an aligned syllabus, three or more a topic timeline.

    With two editions A B: rows topic by topic, each with a status (same-recording,
    re-recorded, new in B, dropped from A, or not-listed when the other edition's site lists
    only part of its syllabus, as FL22's lists only its new lessons), plus resources added
    or removed. With three
    or more: a topic × edition matrix of item and video counts (hours are unknown: the
    pages give no durations).

    Example: dlgraph compare SP21 FL22
    """
    from dlgraph.compare import CompareError, compare_editions, timeline

    codes = [e.upper() for e in editions]
    if len(codes) < 2:
        raise click.ClickException("give two editions to compare, or three or more for a timeline")
    g = stored_graph(ctx.data_dir)
    try:
        if len(codes) == 2:
            result = compare_editions(g, *codes)
            text = _compare_text(result)
        else:
            result = timeline(g, codes, level="all" if all_topics else "top")
            text = _timeline_text(result)
    except CompareError as exc:
        raise click.ClickException(str(exc)) from None
    emit(result, as_json, text)


@click.command("path")
@click.argument("topic", shell_complete=complete_topic)
@json_option
@pass_ctx
def path_command(ctx: Context, topic: str, as_json: bool) -> None:
    """Which lectures to watch for TOPIC, across editions, each recording once.

    TOPIC is a topic's label, alternative label or slug (see `dlgraph topics`). The newest
    recording of each subject is kept; older ones it re-records or re-uses are listed
    under it.

    Example: dlgraph path "energy-based models"
    """
    from dlgraph.analyses import learning_path

    g = stored_graph(ctx.data_dir)
    try:
        steps = learning_path(g, topic)
    except LookupError as exc:
        raise click.ClickException(str(exc.args[0] if exc.args else exc)) from None
    lines = []
    for s in steps:
        lines.append(f"{s['step']:>2}. {s['edition']}  {s['title']}  {s['video'] or ''}".rstrip())
        if s["replaces"]:
            older = "; ".join(f"{o['edition']} {o['title']}" for o in s["replaces"])
            lines.append(f"    instead of {older}")
    emit({"topic": topic, "steps": steps}, as_json, "\n".join(lines) or f"no lecture on {topic}")


@click.command("people")
@click.option("--role", default=None, metavar="ROLE",
              help="Only people with this role (instructor, lecturer, teaching-assistant, "
                   "grader, notes-author, translator, webmaster).")
@click.option("--edition", default=None, metavar="CODE", shell_complete=complete_edition,
              help="Only people with a role in this edition (with --role: that role there).")
@json_option
@pass_ctx
def people_command(ctx: Context, role: str | None, edition: str | None, as_json: bool) -> None:
    """Who taught, lectured, assisted, graded, wrote notes or translated, by edition.

    Example: dlgraph people --role translator --edition SP21
    """
    from dlgraph.analyses import ROLE_VERBS, people_roles

    if role is not None and role not in ROLE_VERBS:
        raise click.ClickException(f"unknown role {role!r} (known: {', '.join(ROLE_VERBS)})")
    people = people_roles(stored_graph(ctx.data_dir))
    if edition is not None:
        edition = edition.upper()
        known = sorted({e for p in people for e in p["editions"]})
        if edition not in known:
            raise click.ClickException(f"unknown edition {edition!r} (known: {', '.join(known)})")
    if role is not None or edition is not None:
        people = [p for p in people
                  if any((role is None or r == role) and (edition is None or edition in eds)
                         for r, eds in p["roles"].items())]
    lines = [
        f"{p['name']}: "
        + "; ".join(f"{ROLE_VERBS.get(r, r)} {', '.join(e)}" for r, e in p["roles"].items())
        for p in people
    ]
    emit({"people": people}, as_json, "\n".join(lines) or "nobody")


@click.command("topics")
@json_option
@pass_ctx
def topics_command(ctx: Context, as_json: bool) -> None:
    """The topic scheme as a tree, with how many lecture items each topic tags per edition.

    Counts include narrower topics; the last columns count notes sections and readings.

    Example: dlgraph topics --json
    """
    from dlgraph.analyses import scheme_counts, untagged

    g = stored_graph(ctx.data_dir)
    rows = scheme_counts(g)
    report = untagged(g)
    eds = list(rows[0]["lectures"]) if rows else []
    width = max([len("TOPIC")] + [len("  " * r["depth"] + r["label"]) for r in rows])
    lines = ["TOPIC".ljust(width) + "".join(e.rjust(6) for e in eds) + "sections".rjust(10)
             + "readings".rjust(10)]
    for r in rows:
        lines.append(("  " * r["depth"] + r["label"]).ljust(width)
                     + "".join(str(r["lectures"][e]).rjust(6) for e in eds)
                     + str(r["sections"]).rjust(10) + str(r["readings"]).rjust(10))
    lec = report["counts"].get("lecture", {"total": 0, "untagged": 0})
    lines.append(f"\nuntagged lecture items: {lec['untagged']} of {lec['total']}")
    lines += [f"  {i['edition']} {i['title']}" for i in report["lectures"]]
    emit({"topics": rows, "untagged": report}, as_json, "\n".join(lines))
