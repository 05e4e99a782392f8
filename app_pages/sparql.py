"""SPARQL: a read-only console over the graph, with the example queries dlgraph ships."""

import re
import time
from importlib import resources

import streamlit as st

from app_pages import cache, permalink
from app_pages.chrome import tab_title
from app_pages.render import app_link, link, md
from dlgraph.nodes import describe
from dlgraph.sparql import PREFIXES, QueryError, prepare
from dlgraph.spreadsheet import csv_table

TIMEOUT = 20.0
#: What one answer may hold in the app: more rows than a browser table shows usefully.
MAX_ROWS = 5_000
MAX_BYTES = 8 * 2**20
MAX_MEMORY = 1 * 2**30
#: Rows drawn as a table of links; the CSV download has every row.
SHOWN_ROWS = 200
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


def short(iri: str) -> str:
    """``https://w3id.org/dlgraph/id/person/yann-lecun`` → ``id:person/yann-lecun``."""
    best = max((ns for ns in PREFIXES.values() if iri.startswith(str(ns))), key=len, default=None)
    if best is None:
        return iri
    name = next(p for p, ns in PREFIXES.items() if ns == best)
    return f"{name}:{iri[len(str(best)):]}"


def cell(value, known: dict) -> str:
    """A result value as Markdown: an IRI links to its Lecture or People page when the app
    has one, else to itself; a literal is shown as text."""
    if value is None:
        return ""
    node = known.get(value)
    if node and node["lecture"]:
        return app_link(short(value), "lecture", lecture=node["lecture"])
    if node and node["kind"] == "person" and node["label"]:
        return app_link(short(value), "people", name=node["label"])
    if re.match(r"https?://", value):
        return link(short(value), value)
    return md(value)


def results_table(result: dict) -> str:
    """The first rows of a SELECT answer as a Markdown table whose IRIs are links."""
    rows = result["rows"][:SHOWN_ROWS]
    iris = tuple(v for r in rows for v in r.values() if v and re.match(r"https?://", v))
    known = cache.query(describe, iris) if iris else {}
    lines = ["| " + " | ".join(md(v) for v in result["vars"]) + " |",
             "|" + " --- |" * len(result["vars"])]
    lines += ["| " + " | ".join(cell(r.get(v), known) for v in result["vars"]) + " |"
              for r in rows]
    return "\n".join(lines)


def load_example() -> None:
    name = st.session_state.get("sparql_example")
    if name:
        st.session_state["sparql_query"] = examples()[name]


shipped = examples()
# The first example is the default, so the address stays bare until the query is edited.
SPEC = {"query": next(iter(shipped.values()))}
permalink.seed("sparql", SPEC)

tab_title("SPARQL")
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
    if result["rows"]:
        st.markdown(results_table(result))
    if result["count"] > SHOWN_ROWS:
        st.caption(f"The first {SHOWN_ROWS} rows; the CSV has all {result['count']}.")
    # A spreadsheet runs a cell starting with = + - @ as a formula: csv_table defuses it.
    table = csv_table(result["vars"], ([row[v] for v in result["vars"]] for row in result["rows"]))
    st.download_button("Download CSV", table, "query.csv", "text/csv",
                       icon=":material/download:")
elif result["type"] == "ASK":
    st.metric("Answer", "true" if result["boolean"] else "false")
else:
    st.caption(f"{result['count']} triples · {took * 1000:.0f} ms")
    st.code(result["turtle"], language="turtle")
