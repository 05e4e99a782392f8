"""Two behaviours Streamlit has no setting for, as one small script the browser runs.

* ``/`` focuses the search box (as on most sites with one), unless the learner is typing.
* A Markdown link to another page of the app (``lecture?lecture=…``) opens in the same tab;
  Streamlit opens every Markdown link in a new one, which suits links to the course sites
  but makes a learner juggle tabs inside the app. External links keep their new tab.
* ... and without reloading the page: the address bar gets the link's URL as a new history
  entry, then Streamlit is told the address changed (a ``popstate`` event, what the back
  button sends), so it reruns in the same session for that page and query, as it does for
  its own ``st.page_link``. A reload would fetch the whole frontend again, reconnect the
  websocket and start a new session: about half a second before the page even starts.
  The URL is the link's, so it can still be copied and opened fresh (a deep link).

The script is constant (no data from pages or users is ever put into it), registered once
per process because a component registered again logs a warning.
"""

from __future__ import annotations

import streamlit as st

_JS = """
export default function (component) {
  const onKey = (e) => {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) return;
    const box = document.querySelector(".st-key-search_q input");
    if (box) { e.preventDefault(); box.focus(); box.select(); }
  };
  const onClick = (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const a = e.target.closest && e.target.closest("[data-testid=stMarkdownContainer] a[href]");
    if (!a) return;
    const url = new URL(a.getAttribute("href"), window.location.href);
    if (url.origin !== window.location.origin) return;
    e.preventDefault();
    const here = window.location;
    if (url.hash && url.pathname === here.pathname && url.search === here.search) {
      window.location.assign(url.href);  // an anchor on this page: the browser scrolls to it
      return;
    }
    window.history.pushState(null, "", url.href);
    window.dispatchEvent(new PopStateEvent("popstate"));
  };
  document.addEventListener("keydown", onKey);
  document.addEventListener("click", onClick, true);
  return () => {
    document.removeEventListener("keydown", onKey);
    document.removeEventListener("click", onClick, true);
  };
}
"""

_behaviours = st.components.v2.component("dlgraph_browser_behaviours", js=_JS)


def install() -> None:
    """Mount the script (once per page run; the browser keeps one listener of each)."""
    _behaviours(key="dlgraph_browser_behaviours")
