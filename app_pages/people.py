"""People: who taught, lectured, assisted, graded, wrote notes or translated, edition by edition."""

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import cache, permalink
from app_pages.chrome import tab_title
from app_pages.render import md
from dlgraph.analyses import people_roles

#: The ingested editions, oldest first (the graph's, not the configuration's).
EDITIONS = cache.editions()

ROLES = {
    "instructor": "Instructor", "lecturer": "Lecturer", "teaching-assistant": "Teaching assistant",
    "grader": "Grader", "notes-author": "Notes author", "translator": "Translator",
    "webmaster": "Webmaster",
}
SPEC = {"role": [], "edition": [], "name": ""}

permalink.seed("people", SPEC)
permalink.clamp("people_role", ROLES)
permalink.clamp("people_edition", EDITIONS)

people = cache.query(people_roles)
tab_title("People")
st.title("People")
st.caption("Everyone the course pages name, with the role they held in each edition: one "
           "person across editions however each page spelled their name.")

# -- roles per edition, as a chart ----------------------------------------------------------
counts = pd.DataFrame(
    [{"edition": ed, "role": ROLES.get(role, role), "person": p["name"]}
     for p in people for role, eds in p["roles"].items() for ed in eds]
)
if not counts.empty:
    # A grid with the numbers written in: 160 notes authors and 2 instructors both stay
    # readable, which bars on one axis would not allow.
    grid = counts.groupby(["role", "edition"]).size().reset_index(name="people")
    base = alt.Chart(grid).encode(
        x=alt.X("edition:N", sort=list(EDITIONS), title=None,
                axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("role:N", sort=list(ROLES.values()), title=None),
    )
    cells = base.mark_rect(cornerRadius=3).encode(
        color=alt.Color("people:Q", scale=alt.Scale(scheme="purples", type="log"), legend=None),
        tooltip=["role:N", "edition:N", "people:Q"],
    )
    numbers = base.mark_text(fontSize=13).encode(
        text="people:Q",
        color=alt.condition(alt.datum.people > 20, alt.value("white"), alt.value("#31333f")),
    )
    st.altair_chart((cells + numbers).properties(height=alt.Step(34)), width="stretch")

# -- filters and the table ------------------------------------------------------------------
st.pills("Role", list(ROLES), selection_mode="multi", format_func=ROLES.get, key="people_role")
c2, c3 = st.columns([1, 1])
c2.pills("Edition", EDITIONS, selection_mode="multi", key="people_edition")
c3.text_input("Name", key="people_name", placeholder="Filter by name",
              icon=":material/person_search:")
permalink.publish("people", SPEC)
roles = st.session_state["people_role"]
editions = st.session_state["people_edition"]
name = st.session_state["people_name"].strip().casefold()


def keep(p: dict) -> bool:
    held = {(r, e) for r, eds in p["roles"].items() for e in eds}
    return (
        (not name or name in p["name"].casefold())
        and (not roles or any(r in roles for r, _ in held))
        and (not editions or any(e in editions for r, e in held if not roles or r in roles))
    )


shown = [p for p in people if keep(p)]
frame = pd.DataFrame(
    [{"name": p["name"],
      **{ed: ", ".join(ROLES.get(r, r).lower() for r, eds in p["roles"].items() if ed in eds)
         for ed in EDITIONS},
      "notes pages": p["pages"]["notes-author"],
      "translated": p["pages"]["translator"],
      "iri": p["person"]} for p in shown],
    columns=["name", *EDITIONS, "notes pages", "translated", "iri"],
)
st.caption(f"{len(shown)} of {len(people)} people · select a row to see them in the graph")
picked = st.dataframe(
    frame.drop(columns="iri"), hide_index=True, width="stretch", key="people_table",
    on_select="rerun", selection_mode="single-row",
    column_config={"notes pages": st.column_config.NumberColumn(width="small"),
                   "translated": st.column_config.NumberColumn(width="small")},
)
rows = picked.selection.rows if picked else []
if rows:
    person = frame.iloc[rows[0]]
    st.page_link("app_pages/graph.py", label=f"{md(person['name'])} in the graph",
                 icon=":material/hub:", query_params={"focus": person["iri"]})
