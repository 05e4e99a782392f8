"""SPARQL: a read-only console over the graph, with the example queries dlgraph ships."""

import re
import time
from importlib import resources

import pandas as pd
import streamlit as st

from app_pages import cache, permalink
from app_pages.render import md
from dlgraph.sparql import PREFIXES, QueryError, prepare
from dlgraph.spreadsheet import csv_table

TIMEOUT = 20.0
#: What one answer may hold in the app: more rows than a browser table shows usefully.
MAX_ROWS = 5_000
MAX_BYTES = 8 * 2**20
MAX_MEMORY = 1 * 2**30
STARTER = """# Lecture items per edition
SELECT ?edition (COUNT(?item) AS ?items) WHERE {
  ?item a schema:LearningResource ; dlg:edition/schema:identifier ?edition .
}
GROUP BY ?edition ORDER BY ?edition
"""


def title_of(text: str, fallback: str) -> str:
    """The first sentence of a query's leading comment: ``# Which SP21 … reuse?`` → title."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    head = " ".join(lines)
    cut = re.search(r"\?|[.:](\s|$)", head)
    title = head[: cut.start() + (cut.group() == "?")] if cut else head
    return title.strip() or fallback


@st.cache_data(show_spinner=False)
def examples() -> dict[str, str]:
    """The example queries dlgraph ships (``dlgraph/data/queries/*.rq``), by title."""
    folder = resources.files("dlgraph") / "data" / "queries"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".rq")),
                   key=lambda f: f.name) if folder.is_dir() else []
    found = {}
    for f in files:
        text = f.read_text(encoding="utf-8")
        found[title_of(text, f.name.removesuffix(".rq"))] = text
    return found or {"Lecture items per edition": STARTER}


def load_example() -> None:
    name = st.session_state.get("sparql_example")
    if name:
        st.session_state["sparql_query"] = examples()[name]


shipped = examples()
# The first example is the default, so the address stays bare until the query is edited.
SPEC = {"query": next(iter(shipped.values()))}
permalink.seed("sparql", SPEC)

st.title("SPARQL")
st.caption(
    f"Read-only: updates, `SERVICE` and `FROM` are refused, and a query stops after "
    f"{TIMEOUT:g} s and shows at most {MAX_ROWS:,} rows. Predeclared prefixes: " + ", ".join(f"`{p}:`" for p in PREFIXES) + "."
)
st.selectbox("Examples", list(shipped), index=None, key="sparql_example",
             placeholder="Load an example query…", on_change=load_example)
with st.form("sparql_form", border=False):
    st.text_area("Query", key="sparql_query", height=240, label_visibility="collapsed")
    pressed = st.form_submit_button("Run", type="primary", icon=":material/play_arrow:")
permalink.publish("sparql", SPEC)

text = st.session_state["sparql_query"].strip()
if not text:
    st.stop()
if pressed:
    st.session_state["sparql_ran"] = text
try:
    prepare(text)  # refusals and syntax errors show at once: checking runs nothing
except QueryError as exc:
    st.error(md(exc), icon=":material/block:")
    st.stop()
# A shared link or an edited box runs nothing until Run is pressed: a heavy query in a link
# must not start on whoever opens it. The shipped examples are known to be quick.
if text != st.session_state.get("sparql_ran") and text not in {q.strip() for q in shipped.values()}:
    st.info("Press **Run** to run this query.", icon=":material/play_arrow:")
    st.stop()
began = time.perf_counter()
try:
    result = cache.sparql(text, timeout=TIMEOUT, max_rows=MAX_ROWS, max_bytes=MAX_BYTES,
                          max_memory=MAX_MEMORY)
except QueryError as exc:
    st.error(md(exc), icon=":material/block:")
    st.stop()
took = time.perf_counter() - began
if result.get("truncated"):
    st.warning(f"Only the first {result['count']:,} shown: the answer has "
               f"{result['truncated_because']}. Add a `LIMIT`, or run it with `dlgraph sparql`.",
               icon=":material/content_cut:")

if result["type"] == "SELECT":
    st.caption(f"{result['count']} rows · {took * 1000:.0f} ms")
    frame = pd.DataFrame(result["rows"], columns=result["vars"])
    st.dataframe(frame, hide_index=True, width="stretch")
    # A spreadsheet runs a cell starting with = + - @ as a formula: csv_table defuses it.
    table = csv_table(result["vars"], ([row[v] for v in result["vars"]] for row in result["rows"]))
    st.download_button("Download CSV", table, "query.csv", "text/csv",
                       icon=":material/download:")
elif result["type"] == "ASK":
    st.metric("Answer", "true" if result["boolean"] else "false")
else:
    st.caption(f"{result['count']} triples · {took * 1000:.0f} ms")
    st.code(result["turtle"], language="turtle")
