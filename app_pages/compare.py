"""Compare: what changed between editions, topic by topic."""

import streamlit as st

from app_pages import cache, permalink
from app_pages.chrome import tab_title
from app_pages.compare_heatmap import MEASURES, heatmap
from app_pages.render import app_link, md
from dlgraph.compare import CompareError, compare_editions

#: The ingested editions, oldest first (the graph's, not the configuration's).
EDITIONS = cache.editions()

STATUSES = {"same-recording": "same recording", "re-recorded": "re-recorded", "new": "new",
            "dropped": "dropped", "not-listed": "not listed"}
#: Material icons, not emoji: they render the same on every machine, fonts or not. Each
#: sits beside its status word, so a screen reader has the word, not only the picture.
ICONS = {"same-recording": ":material/recycling:", "re-recorded": ":material/videocam:",
         "new": ":material/add_circle:", "dropped": ":material/remove_circle:",
         "not-listed": ":material/visibility_off:"}
SPEC = {"editions": list(EDITIONS), "measure": "items", "level": "top", "status": []}



def items(side: list[dict]) -> str:
    """A row's items, each linking to its Lecture page; same-titled ones told apart."""
    return " · ".join(app_link(i.get("label") or i["title"], "lecture", lecture=i["iri"])
                      for i in side)


def table(rows: list[dict], a: str, b: str) -> str:
    """The aligned rows as a Markdown table: every title whole, every item a link, no
    scrolling box (a dataframe cuts titles and shows ten rows at a time)."""
    lines = [f"| Topic | Status | {a} | {b} |", "| --- | --- | --- | --- |"]
    last = object()
    for r in rows:
        topic = md(r["topic"] or "—") if r["topic"] != last else ""
        last = r["topic"]
        status = f"{ICONS[r['status']]} {STATUSES[r['status']]}"
        lines.append(f"| {topic} | {status} | {items(r['a'])} | {items(r['b'])} |")
    return "\n".join(lines)


permalink.seed("compare", SPEC)
permalink.clamp("compare_editions", EDITIONS)
permalink.clamp("compare_measure", MEASURES, "items")
permalink.clamp("compare_level", ("top", "all"), "top")
permalink.clamp("compare_status", STATUSES)

st.title("Compare editions")
st.caption("Which lectures were kept with the same recording, re-recorded, added or dropped; "
           "and how much of each topic every edition covers.")
picked = st.pills("Editions", EDITIONS, selection_mode="multi", key="compare_editions",
                  help="Pick two or more; each edition is compared with the next one you picked.")
permalink.publish("compare", SPEC)
codes = [e for e in EDITIONS if e in (picked or [])]
tab_title("Compare " + " → ".join(codes) if len(codes) >= 2 else "Compare editions")
if len(codes) < 2:
    st.info("Pick at least two editions.", icon=":material/compare_arrows:")
    st.stop()

# -- topic × edition heatmap ----------------------------------------------------------------
st.subheader("Topics across editions")
c1, c2 = st.columns([3, 2])
measure = c1.segmented_control("Count", list(MEASURES), format_func=MEASURES.get,
                               key="compare_measure") or "items"
level = c2.segmented_control("Topics", ("top", "all"), key="compare_level",
                             format_func={"top": "Top topics", "all": "Every topic"}.get) or "top"
permalink.publish("compare", SPEC)

try:
    chart = cache.query(heatmap, tuple(codes), measure, level)
except CompareError as exc:
    st.error(md(exc))
    st.stop()
if chart["spec"] is None:
    st.caption("No topic-tagged items in these editions.")
else:
    st.vega_lite_chart(spec=chart["spec"], width="stretch")
    empty = chart["empty"]
    if empty and measure != "readings":
        # an edition known only from saved documents (a class page) has no items to count
        st.caption(f"{' and '.join(empty)}: no lecture items in the sources, so the column "
                   "stays empty here; readings it cites show under “Readings”.")

# -- one aligned table per consecutive pair -------------------------------------------------
st.subheader("Lecture by lecture")
pairs = list(zip(codes, codes[1:], strict=False))
status_filter = st.pills("Show", list(STATUSES), selection_mode="multi", key="compare_status",
                         format_func=lambda k: f"{ICONS[k]} {STATUSES[k]}",
                         help="Leave empty to show every row.")
permalink.publish("compare", SPEC)
# Lazy tabs (a rerun on switching): only the open pair's table is drawn; st.tabs would send
# and draw every pair's (hundreds of linked rows each).
tabs = st.tabs([f"{a} → {b}" for a, b in pairs], key="compare_pair", on_change="rerun")
for tab, (a, b) in zip(tabs, pairs, strict=True):
    if not tab.open:
        continue
    with tab:
        result = cache.query(compare_editions, a, b)
        bare = [e for e, side in ((a, "a"), (b, "b")) if not any(r[side] for r in result["rows"])]
        if bare:
            # An edition known only from a class page: "every item dropped" would be a false story.
            st.info(f"{' and '.join(bare)} lists no lecture items in its sources (only a class "
                    "page), so there is nothing to line up here. Its readings are on the "
                    "Readings page.", icon=":material/info:")
            continue
        s = result["summary"]
        shown = [("same-recording", "Same recording", s["same_recording"]),
                 ("re-recorded", "Re-recorded", s["re_recorded"]),
                 ("new", f"New in {b}", s["new"]),
                 ("dropped", f"Dropped after {a}", s["dropped"])]
        if s.get("not_listed"):
            # An edition listing only its new lessons drops nothing we can see: count apart.
            shown.append(("not-listed", "Not listed", s["not_listed"]))
        # Side by side, wrapping: on a phone five stacked metrics would fill the screen.
        with st.container(horizontal=True, gap="large"):
            for key, label, value in shown:
                st.metric(f"{ICONS[key]} {label}", value, width="content")
        for why in result.get("partial", {}).values():
            st.caption(f"{ICONS['not-listed']} {md(why)} Its missing items are *not listed*, "
                       "which says nothing about whether they were taught.")
        rows = [r for r in result["rows"] if not status_filter or r["status"] in status_filter]
        st.markdown(table(rows, a, b) if rows else "No rows with that status.")
        added = result["resources"]["added"]
        removed = result["resources"]["removed"]
        if added or removed:
            gone = ("not linked from its partial list" if b in result.get("partial", {})
                    else "no longer linked")
            st.caption(f"Resources: {len(added)} added in {b}, {len(removed)} {gone}.")
