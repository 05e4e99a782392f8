"""What the browser shows around a page: the tab's title, so tabs and history say what they hold."""

from __future__ import annotations

import streamlit as st

SITE = "dlgraph"


def tab_title(*parts: object) -> None:
    """Name the browser tab after what the page shows: ``Compare SP21 → FL22 · dlgraph``."""
    st.set_page_config(page_title=" · ".join([*(str(p) for p in parts if p), SITE]))
