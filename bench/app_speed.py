"""The app against issue 18's budgets, each measured in the same run as its baseline:

1. **Landing**: seconds from ``streamlit run`` to the Search page's content in Chromium, for
   the dlgraph app and for a bare two-element Streamlit app started the same way
   (``bench/app.py``'s baseline), interleaved start by start; the ratio of the medians.
   Budget: 1.2x the bare app. Also started each time, and printed beside it: a bare app of
   the landing's own elements (its title, caption, search box, edition pills and example
   buttons; no dlgraph, no sidebar), which is what Streamlit alone takes to draw them.
2. **Compare and Lecture after warm-up, navigated as a learner does**: in an app that has
   landed and whose graph is loaded (one Lecture page opened first, then the server left
   until it is idle: what it loads in the background is loaded), seconds from the click
   until the page's content is drawn and the script run the click started is over
   (Streamlit's ``data-test-script-state`` on its root element): the Compare page from the
   sidebar link with its default editions (every ingested edition: the heatmap and one table
   per pair), then again (from Search and back: its answers cached); three Lecture pages not
   opened before, each from its link in the Compare page's table (the back button between
   them). Every one of these navigates in the same session, without reloading the page (the
   sidebar is Streamlit's own; the app's Markdown links are turned into the same kind of
   navigation by ``app_pages/browser.py``); the bench checks that no page was reloaded.
   Budget: 1 s each. The floor printed beside them: a bare two-page Streamlit app switching
   pages from its sidebar the same way.
3. **The same pages loaded fresh by their address** (a shared link or a deep link opened in
   a new tab: a full page load, new websocket, new session), as this bench measured them
   before the app's links navigated in the session; the wait for the end of the run here
   includes a fixed 0.2 s (``bench/app.py``'s ``_settle``), so these figures compare with
   the earlier ones, not with those of 2. The floor printed beside them: a page of the warm
   bare app loaded again the same way.

Usage::

    .venv/bin/python bench/app_speed.py --data data [--starts 3] [--json]

Needs ``/usr/bin/chromium`` and playwright (as ``bench/app.py``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote

HERE = Path(__file__).resolve().parent
# Run as a script, this file's folder comes first on sys.path (bench/ingest.py shadows ingest).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

_spec = importlib.util.spec_from_file_location("bench_app", HERE / "app.py")
bench_app = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_app)

LANDING_RATIO = 1.2
PAGE_BUDGET = 1.0

#: Run in every document the bench opens: names the document, so a page loaded again (a new
#: document) is told apart from a rerun in the same session.
MARK = "window.benchDocument = Math.random();"
HEADING = "document.querySelector('[data-testid=stMain] h1')?.textContent"
IDLE = "document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'"
#: When each page is drawn (evaluated once the run is over).
COMPARE_READY = ("location.pathname.endsWith('/compare')"
                 " && !!document.querySelector('[data-testid=stMarkdownContainer] table')"
                 " && !!document.querySelector('[data-testid=stVegaLiteChart] canvas,"
                 " [data-testid=stVegaLiteChart] svg')")
LECTURE_READY = ("location.href.endsWith(href) && heading() !== before && [...document"
                 ".querySelectorAll('[data-testid=stMain] h4')].some(h => h.textContent.trim()"
                 ".startsWith('Resources'))")
SEARCH_READY = "[...document.querySelectorAll('h1')].some(h => h.textContent.includes('Search the course'))"
#: The floor of 2: a bare app of two pages, each a title and a button.
HELLO_PAGES = (
    "import streamlit as st\n\n"
    "def search():\n    st.title('Search the course')\n    st.button('backpropagation')\n\n"
    "def other():\n    st.title('Another page')\n    st.button('backpropagation')\n\n"
    "st.navigation([st.Page(search, title='Search', default=True),"
    " st.Page(other, title='Other')]).run()\n")


#: The landing's elements without dlgraph: what drawing them costs Streamlit (1.).
HELLO_WIDGETS = """import streamlit as st

st.set_page_config(page_title="Search", layout="wide")
st.title("Search the course")
st.caption("Every edition of the course (SP20 · SP21 · FL22 · FL23): lectures, notes sections "
           "with their video moments, translations, readings and people.")
st.text_input("Search", key="q", label_visibility="collapsed", icon=":material/search:",
              placeholder="Search lectures, notes, readings, people…  e.g. energy based models")
st.pills("Editions", ["SP20", "SP21", "FL22", "FL23"], selection_mode="multi")
st.markdown("**Try:**")
examples = ("energy based models", "backpropagation", "attention transformer",
            "self-supervised learning", "rétropropagation", "convolution")
for col, example in zip(st.columns(len(examples)), examples):
    col.button(example, width="stretch")
"""


def _page(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.add_init_script(MARK)
    return page


def _landing(browser, data: Path, script: Path | None,
             box: bool = False) -> tuple[float, object, object, str]:
    """Seconds to first content (with ``box``, the search box too); the page, process and
    URL stay open for more."""
    port = bench_app._free_port()
    url = f"http://127.0.0.1:{port}"
    page = _page(browser)
    began = time.perf_counter()
    proc = (bench_app._start(data, port) if script is None
            else bench_app._start(data, port, script))
    bench_app._wait_health(url, proc)
    page.goto(url)
    if script is None or box:
        page.get_by_placeholder("Search lectures", exact=False).wait_for(timeout=60_000)
    page.get_by_role("button", name="backpropagation").wait_for(timeout=60_000)
    return time.perf_counter() - began, page, proc, url


def _in_session(page, act, ready: str, href: str = "") -> float:
    """Seconds from ``act()`` (a click) until ``ready`` holds and no script run is going on;
    fails if the page was loaded again instead.

    ``ready`` names what only the new page draws (Streamlit keeps the old page's elements
    until the new run replaces them), so it holds once the new run has drawn; the run is
    then over when Streamlit's root element no longer says ``running``. (Counting the runs
    by that attribute misses quick ones: React may never draw "running" for them.)
    """
    document = page.evaluate("window.benchDocument")
    before = page.evaluate(HEADING)
    test = (f"([href, before]) => {{ const heading = () => {HEADING}; "
            f"return ({ready}) && {IDLE}; }}")
    t = time.perf_counter()
    act()
    try:
        page.wait_for_function(test, arg=[href, before], timeout=60_000, polling="raf")
    except Exception as exc:
        state = page.evaluate(f"""([href, before]) => {{ const heading = () => {HEADING};
            return {{idle: {IDLE}, ready: {ready}, at: location.href, heading: heading()}}; }}""",
                              [href, before])
        raise SystemExit(f"the page did not get drawn after {act}: {state}") from exc
    took = time.perf_counter() - t
    if page.evaluate("window.benchDocument") != document:
        raise SystemExit("a page was loaded again: that navigation left the session")
    return took


def _cpu(pid: int) -> float:
    """CPU seconds a process has used (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _quiet(proc, limit: float = 30.0) -> float:
    """Seconds until the server is idle (under 10% of a core for half a second): the
    warm-up it does in the background after the landing (index, graph, the Compare page's
    first answers) is over."""
    began = time.perf_counter()
    last, calm = _cpu(proc.pid), 0
    while time.perf_counter() - began < limit and calm < 2:
        time.sleep(0.25)
        now = _cpu(proc.pid)
        calm = calm + 1 if now - last < 0.025 else 0
        last = now
    return time.perf_counter() - began


def _sidebar(page, title: str, ready: str) -> float:
    link = page.locator("[data-testid=stSidebarNav]").get_by_role("link", name=title)
    return _in_session(page, link.click, ready)


def _lecture(page, url: str, iri: str) -> float:
    """A Lecture page loaded fresh by its address (3.)."""
    t = time.perf_counter()
    page.goto(f"{url}/lecture?lecture={iri}")
    page.get_by_role("heading", name="Resources").wait_for(timeout=60_000)
    bench_app._settle(page)
    return time.perf_counter() - t


def _compare(page, url: str) -> float:
    """The Compare page loaded fresh by its address (3.)."""
    t = time.perf_counter()
    page.goto(f"{url}/compare")
    page.get_by_role("heading", name="Lecture by lecture").wait_for(timeout=60_000)
    page.locator("[data-testid=stMarkdownContainer] table").first.wait_for(timeout=60_000)
    bench_app._settle(page)
    return time.perf_counter() - t


def _navigated(page, skip: set[str]) -> dict:
    """2.: Compare from the sidebar, twice, then three lectures from its table's links."""
    row = {"compare_s": _sidebar(page, "Compare", COMPARE_READY)}
    _sidebar(page, "Search", SEARCH_READY)
    row["compare_again_s"] = _sidebar(page, "Compare", COMPARE_READY)
    links = page.locator("[data-testid=stMarkdownContainer] table a[href^='lecture?lecture=']")
    hrefs = list(dict.fromkeys(links.evaluate_all("as => as.map(a => a.getAttribute('href'))")))
    hrefs = [h for h in hrefs if unquote(h.split("=", 1)[1]) not in skip]
    picks = [hrefs[len(hrefs) * k // 4] for k in (1, 2, 3)] if len(hrefs) >= 4 else hrefs
    row["lecture_s"], row["lectures"] = [], [unquote(h.split("=", 1)[1]) for h in picks]
    for href in picks:
        link = page.locator(f"table a[href='{href}']").first
        row["lecture_s"].append(_in_session(page, link.click, LECTURE_READY, href))
        _in_session(page, page.go_back, COMPARE_READY)
    return row


def _bare_switches(browser, tmp: Path) -> list[float]:
    """The floor of 2.: a bare two-page app switching pages from its sidebar, three times."""
    script = tmp / "pages.py"
    script.write_text(HELLO_PAGES)
    seconds, page, proc, _ = _landing(browser, tmp, script)
    try:
        bench_app._settle(page)
        switches = []
        for title in ("Other", "Search", "Other"):
            name = "Another page" if title == "Other" else "Search the course"
            ready = f"[...document.querySelectorAll('h1')].some(h => h.textContent.includes('{name}'))"
            switches.append(_sidebar(page, title, ready))
        return switches
    finally:
        page.close()
        bench_app._stop(proc)


def measure(data: Path, starts: int) -> dict:
    from playwright.sync_api import sync_playwright

    from dlgraph import store
    from dlgraph.lecture import lecture_list

    lectures = [row["iri"] for row in lecture_list(store.load_graph(data))]
    # The lectures loaded fresh (3.): those this bench always loaded.
    fresh = lectures[len(lectures) // 4::max(1, len(lectures) // 4)][:3]
    bare, widgets, app, pages = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        hello = Path(tmp) / "hello.py"
        hello.write_text(bench_app.HELLO)
        elements = Path(tmp) / "widgets.py"
        elements.write_text(HELLO_WIDGETS)
        browser = p.chromium.launch(executable_path=bench_app.CHROMIUM, args=bench_app.ARGS)
        switches = _bare_switches(browser, Path(tmp))
        for n in range(starts):
            seconds, page, proc, bare_url = _landing(browser, Path(tmp), hello)
            if n == 0:  # a page of a warm bare app, loaded again: what any page load costs
                reloads = []
                for _ in range(3):
                    t = time.perf_counter()
                    page.goto(bare_url)
                    page.get_by_role("button", name="backpropagation").wait_for(timeout=60_000)
                    bench_app._settle(page)
                    reloads.append(time.perf_counter() - t)
            page.close()
            bench_app._stop(proc)
            bare.append(seconds)
            seconds, page, proc, _ = _landing(browser, Path(tmp), elements, box=True)
            page.close()
            bench_app._stop(proc)
            widgets.append(seconds)
            seconds, page, proc, url = _landing(browser, data, None)
            app.append(seconds)
            try:
                if n == 0:  # the pages, once: after warm-up (graph loaded by a first lecture)
                    warm = _lecture(page, url, lectures[0])
                    quiet = _quiet(proc)
                    row = _navigated(page, {lectures[0], *fresh})
                    row["warm_up_lecture_s"], row["quiet_after_s"] = warm, quiet
                    row["full_load"] = {"compare_s": _compare(page, url),
                                        "compare_again_s": _compare(page, url),
                                        "lecture_s": [_lecture(page, url, iri) for iri in fresh]}
                    pages.append(row)
            finally:
                page.close()
                bench_app._stop(proc)
        browser.close()
    out = {"bare_landing_s": bare, "app_landing_s": app, "widgets_landing_s": widgets,
           "landing_ratio": statistics.median(app) / statistics.median(bare),
           "pages": pages[0] if pages else {}, "bare_switch_s": switches,
           "bare_reload_s": reloads}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=HERE.parent / "data")
    ap.add_argument("--starts", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    data = args.data.resolve()
    if not (data / "graph.ttl").is_file():
        raise SystemExit(f"no graph in {data}: run `dlgraph ingest` first")
    out = measure(data, args.starts)
    if args.json:
        print(json.dumps(out, indent=1))
        return 0
    print(f"machine load (1/5/15 min): {' '.join(f'{x:.1f}' for x in os.getloadavg())} on "
          f"{os.cpu_count()} CPUs")
    bare, app = statistics.median(out["bare_landing_s"]), statistics.median(out["app_landing_s"])
    print(f"landing: dlgraph {app:.2f} s, bare Streamlit app {bare:.2f} s (medians of "
          f"{len(out['app_landing_s'])}, interleaved) = {out['landing_ratio']:.2f}x "
          f"(goal {LANDING_RATIO}x)")
    widgets = statistics.median(out["widgets_landing_s"])
    print(f"  a bare app of the landing's elements alone: {widgets:.2f} s = {widgets / bare:.2f}x "
          f"the bare app (the dlgraph landing is {app / widgets:.2f}x that)")
    p = out["pages"]
    if p:
        ok = all(s <= PAGE_BUDGET for s in (p["compare_s"], p["compare_again_s"], *p["lecture_s"]))
        print(f"after warm-up (first lecture loaded fresh: {p['warm_up_lecture_s']:.2f} s; the "
              f"server idle {p['quiet_after_s']:.1f} s later), "
              f"navigated in the session as a learner does: Compare {p['compare_s']:.2f} s, "
              f"again {p['compare_again_s']:.2f} s; Lecture "
              f"{', '.join(f'{s:.2f}' for s in p['lecture_s'])} s "
              f"(goal {PAGE_BUDGET:g} s each: {'met' if ok else 'MISSED'})")
        switch = statistics.median(out["bare_switch_s"])
        print(f"  a bare two-page Streamlit app switching pages the same way: {switch:.2f} s "
              f"(median of {len(out['bare_switch_s'])})")
        f = p["full_load"]
        print(f"the same pages loaded fresh by their address (a full page load each; the wait "
              f"includes a fixed 0.2 s): Compare {f['compare_s']:.2f} s, again "
              f"{f['compare_again_s']:.2f} s (its answers cached by then); Lecture "
              f"{', '.join(f'{s:.2f}' for s in f['lecture_s'])} s")
        floor = statistics.median(out["bare_reload_s"])
        print(f"  a page of the warm bare app, loaded again: {floor:.2f} s (median of 3); "
              f"Compare {f['compare_s'] / floor:.1f}x that, again "
              f"{f['compare_again_s'] / floor:.1f}x, Lecture "
              f"{statistics.median(f['lecture_s']) / floor:.1f}x (median)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
