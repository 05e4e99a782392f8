"""The dlgraph Streamlit app: the router only (every page lives in ``app_pages/``).

Run it with ``streamlit run app.py``; the data folder is ``$DLGRAPH_DATA`` or ``./data``.
"""

import os
from pathlib import Path

import streamlit as st

from dlgraph.store import graph_exists

st.set_page_config(page_title="dlgraph · course graph", page_icon="🧠", layout="wide")

# Environment variables are read here only; pages find the data folder in session state.
data_dir = Path(os.environ.get("DLGRAPH_DATA") or "data").resolve()
st.session_state["app_data_dir"] = str(data_dir)

if graph_exists(data_dir):
    pages = [
        st.Page("app_pages/search.py", title="Search", icon=":material/search:", default=True),
        st.Page("app_pages/lecture.py", title="Lecture", icon=":material/school:"),
        st.Page("app_pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
        st.Page("app_pages/graph.py", title="Graph", icon=":material/hub:"),
        st.Page("app_pages/readings.py", title="Readings", icon=":material/menu_book:"),
        st.Page("app_pages/people.py", title="People", icon=":material/group:"),
        st.Page("app_pages/sparql.py", title="SPARQL", icon=":material/terminal:"),
    ]
else:
    pages = [st.Page("app_pages/first_run.py", title="Welcome", icon=":material/rocket_launch:")]

page = st.navigation(pages)
with st.sidebar:
    # In the sidebar so it takes no room above a page; it draws nothing.
    from app_pages import browser

    browser.install()
try:
    page.run()
except FileNotFoundError as exc:
    # A damaged graph or records file, or a graph older than the records (an interrupted
    # ingest): the one line says which command repairs it, without the server's paths.
    message = str(exc).replace(f"{data_dir}/", "").replace(str(data_dir), "the data folder")
    st.error(message, icon=":material/build:")
