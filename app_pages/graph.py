"""Graph: the neighbourhood of a lecture, topic or person; click a node to centre on it."""

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import cache, permalink
from app_pages.chrome import tab_title
from dlgraph.neighbourhood import focus_options, layout, neighbourhood

KIND_COLOURS = {
    "lecture": "#4c78a8", "notes page": "#72b7b2", "video": "#e45756", "slides": "#f58518",
    "notebook": "#eeca3b", "person": "#b279a2", "topic": "#54a24b", "theme": "#9d755d",
    "reading": "#ff9da6", "edition": "#79706e", "document": "#bab0ac",
}
SPEC = {"focus": None, "depth": 1}


def centre_on_clicked() -> None:
    """Chart click: the clicked node becomes the centre (a callback may set widget state)."""
    event = st.session_state.get("graph_chart")
    points = (event or {}).get("selection", {}).get("node") or []
    if points and points[0].get("id"):
        st.session_state["graph_focus"] = points[0]["id"]


permalink.seed("graph", SPEC)
options = cache.query(focus_options)
labels = {o["iri"]: f"{o['kind']} · {o['label']}" for o in options}
focus = st.session_state.get("graph_focus")
if focus and focus not in labels:
    # Centred on something that is not a lecture, topic or person (a video, a notes page):
    # keep it selectable under the label the neighbourhood gives it.
    view = cache.query(neighbourhood, focus, 1)
    centre = next((n for n in view["nodes"] if n["id"] == focus), None)
    if centre:
        labels[focus] = f"{centre['kind']} · {centre['label']}"
    else:
        st.session_state["graph_focus"] = None

st.title("Graph")
left, right = st.columns([4, 1])
with left:
    focus = st.selectbox("Centre on a lecture, topic or person", list(labels),
                         format_func=labels.__getitem__, key="graph_focus",
                         placeholder="Type to find a lecture, topic or person…")
with right:
    permalink.clamp("graph_depth", (1, 2), 1)
    depth = st.segmented_control("Depth", (1, 2), key="graph_depth",
                                 help="Links away from the centre") or 1
permalink.publish("graph", SPEC)
tab_title(f"Graph: {labels[focus].split(' · ', 1)[-1]}" if focus else "Graph")

if not focus:
    st.caption("Pick something to centre on. Lectures, topics and people are all nodes; so are "
               "the videos, slides, notes pages and editions they link to.")
    st.stop()

view = cache.query(neighbourhood, focus, depth)
pos = layout(view)  # a spring layout of ≤ 60 nodes takes milliseconds: not worth caching
nodes = pd.DataFrame(
    [{**n, "x": pos[n["id"]][0], "y": pos[n["id"]][1], "centre": n["id"] == focus}
     for n in view["nodes"]]
)
edges = pd.DataFrame(
    [{"label": e["label"], "x": pos[e["source"]][0], "y": pos[e["source"]][1],
      "x2": pos[e["target"]][0], "y2": pos[e["target"]][1]} for e in view["edges"]],
    columns=["label", "x", "y", "x2", "y2"],
)

axis = alt.Axis(title=None, labels=False, ticks=False, domain=False, grid=False)


def padded(values) -> alt.Scale:
    """A scale with room around the outermost nodes, so their names are not cut off."""
    lo, hi = float(min(values)), float(max(values))
    margin = max(hi - lo, 0.5) * 0.18
    return alt.Scale(domain=[lo - margin, hi + margin], nice=False, zero=False)


shown_kinds = [k for k in KIND_COLOURS if k in set(nodes["kind"])]
pick = alt.selection_point(fields=["id"], on="click", name="node")
colour = alt.Color("kind:N", title=None,
                   scale=alt.Scale(domain=shown_kinds, range=[KIND_COLOURS[k] for k in shown_kinds]),
                   legend=alt.Legend(orient="bottom", columns=6))
links = alt.Chart(edges).mark_rule(color="#c9ccd1", strokeWidth=1.2).encode(
    x=alt.X("x:Q", axis=axis, scale=padded(nodes["x"])),
    y=alt.Y("y:Q", axis=axis, scale=padded(nodes["y"])), x2="x2:Q", y2="y2:Q",
    tooltip=[alt.Tooltip("label:N", title="link")],
)
dots = alt.Chart(nodes).mark_circle(stroke="white", strokeWidth=1.5, opacity=1).encode(
    x="x:Q", y="y:Q", color=colour,
    size=alt.Size("depth:O", scale=alt.Scale(domain=[0, 1, 2], range=[900, 320, 140]),
                  legend=None),
    tooltip=[alt.Tooltip("label:N", title="name"), alt.Tooltip("kind:N")],
).add_params(pick)
# Every name when the picture is small; in a crowded one only the centre and the landmarks
# (editions, topics, themes) — the rest are in the tooltips and the table below.
named = nodes if len(nodes) <= 30 else nodes[
    nodes["centre"] | nodes["kind"].isin(["edition", "topic", "theme"])]
names = alt.Chart(named).mark_text(
    dy=-14, fontSize=11, limit=160, color="#31333f"
).encode(x="x:Q", y="y:Q", text="label:N")
chart = (links + dots + names).interactive().properties(height=560).configure_view(stroke=None)

st.altair_chart(chart, on_select=centre_on_clicked, selection_mode="node", key="graph_chart",
                width="stretch")
shown = f"{len(view['nodes'])} nodes, {len(view['edges'])} links"
st.caption(shown + (" — the nearest ones only; centre on a node to see its own neighbourhood."
                    if view["truncated"] else ". Click a node to centre on it; scroll to zoom."))

if any(n["kind"] == "lecture" and n["id"] == focus for n in view["nodes"]):
    st.page_link("app_pages/lecture.py", label="Open the lecture page", icon=":material/school:",
                 query_params={"lecture": focus})
with st.expander("Nodes as a table"):
    st.dataframe(
        nodes[["label", "kind", "depth", "url"]],
        column_config={"url": st.column_config.LinkColumn("live page"),
                       "label": st.column_config.TextColumn("name")},
        hide_index=True, width="stretch",
    )
