"""First run: no graph in the data folder yet, so say how to build one instead of failing."""

import re
import shlex
from pathlib import Path

import streamlit as st

from app_pages.chrome import tab_title
from app_pages.render import md
from ingest.registry import COURSES, EDITIONS

README = Path(__file__).resolve().parent.parent / "README.md"
FALLBACK = "dlgraph ingest --mirror ../shared/sites --documents ../shared/seeds --repos ../shared/repos"


def readme_command() -> str:
    """The README's quick-start command, so this screen never drifts from the docs."""
    try:
        text = README.read_text(encoding="utf-8")
    except OSError:
        return FALLBACK
    found = re.search(r"<!-- main-command -->\s*```bash\n(.+?)\n```", text, re.S)
    return found.group(1).strip() if found else FALLBACK


def ingest_step(command: str) -> str:
    """The ``dlgraph ingest …`` step of the quick-start command."""
    # "; streamlit run" follows the ingest: an edition reported as failed still opens the app
    for step in re.split(r"&&|;", command):
        if "dlgraph ingest" in step:
            return step.strip()
    return FALLBACK


data_dir = Path(st.session_state["app_data_dir"])
command = readme_command()
step = ingest_step(command)
if data_dir != (Path.cwd() / "data").resolve():
    step += f" --data-dir {shlex.quote(str(data_dir))}"

tab_title("Welcome")
st.title("Welcome to dlgraph")
# Nothing is ingested yet, so the configured editions are all there is to name.
_courses = ", ".join(f"{c.title} ({c.code})" if c.title else c.code for c in COURSES.values())
st.markdown(f"One searchable graph of {md(_courses) or 'a course'} across its editions "
            f"**{md(', '.join(EDITIONS))}**.")
st.info(f"There is no graph in the data folder yet: `{data_dir}`", icon=":material/info:")
st.subheader("Build it once")
st.markdown("From the repository root, ingest every edition (a minute or two):")
st.code(step, language="bash")
st.caption(
    "Without `--mirror`, `dlgraph ingest` crawls the live course sites over HTTP "
    "(cached under `data/cache/`). Set `DLGRAPH_DATA` to use another data folder."
)
with st.expander("The README's full quick start (fresh machine)"):
    st.code(command, language="bash")
st.button("I have ingested: open the app", type="primary", icon=":material/refresh:")
