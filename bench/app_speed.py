"""The app against issue 18's budgets, each measured in the same run as its baseline:

1. **Landing**: seconds from ``streamlit run`` to the Search page's content in Chromium, for
   the dlgraph app and for a bare two-element Streamlit app started the same way
   (``bench/app.py``'s baseline), interleaved start by start; the ratio of the medians.
   Budget: 1.2x the bare app.
2. **Compare and Lecture after warm-up**: in an app that has landed and whose graph is
   loaded (one Lecture page opened first), seconds from asking for the page until its content
   is drawn and the script run is over: the Compare page with its default editions (every
   ingested edition: the heatmap and one table per pair), then again (its answers cached);
   three Lecture pages not opened before. Budget: 1 s each. Each page is a full page load
   (the app's own links load the page they point to), so the floor printed beside them is
   a page of the warm bare app loaded again the same way.

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

HERE = Path(__file__).resolve().parent
# Run as a script, this file's folder comes first on sys.path (bench/ingest.py shadows ingest).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

_spec = importlib.util.spec_from_file_location("bench_app", HERE / "app.py")
bench_app = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_app)

LANDING_RATIO = 1.2
PAGE_BUDGET = 1.0


def _landing(browser, data: Path, script: Path | None) -> tuple[float, object, object, str]:
    """Seconds to first content; the page, process and URL stay open for more."""
    port = bench_app._free_port()
    url = f"http://127.0.0.1:{port}"
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    began = time.perf_counter()
    proc = (bench_app._start(data, port) if script is None
            else bench_app._start(data, port, script))
    bench_app._wait_health(url, proc)
    page.goto(url)
    if script is None:
        page.get_by_placeholder("Search lectures", exact=False).wait_for(timeout=60_000)
    page.get_by_role("button", name="backpropagation").wait_for(timeout=60_000)
    return time.perf_counter() - began, page, proc, url


def _lecture(page, url: str, iri: str) -> float:
    t = time.perf_counter()
    page.goto(f"{url}/lecture?lecture={iri}")
    page.get_by_role("heading", name="Resources").wait_for(timeout=60_000)
    bench_app._settle(page)
    return time.perf_counter() - t


def _compare(page, url: str) -> float:
    t = time.perf_counter()
    page.goto(f"{url}/compare")
    page.get_by_role("heading", name="Lecture by lecture").wait_for(timeout=60_000)
    page.locator("[data-testid=stMarkdownContainer] table").first.wait_for(timeout=60_000)
    bench_app._settle(page)
    return time.perf_counter() - t


def measure(data: Path, starts: int) -> dict:
    from playwright.sync_api import sync_playwright

    from dlgraph import store
    from dlgraph.lecture import lecture_list

    lectures = [row["iri"] for row in lecture_list(store.load_graph(data))]
    bare, app, pages = [], [], []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        hello = Path(tmp) / "hello.py"
        hello.write_text(bench_app.HELLO)
        browser = p.chromium.launch(executable_path=bench_app.CHROMIUM, args=bench_app.ARGS)
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
            seconds, page, proc, url = _landing(browser, data, None)
            app.append(seconds)
            try:
                if n == 0:  # the pages, once: after warm-up (graph loaded by a first lecture)
                    row = {"warm_up_lecture_s": _lecture(page, url, lectures[0])}
                    row["compare_s"] = _compare(page, url)
                    row["compare_again_s"] = _compare(page, url)
                    picks = lectures[len(lectures) // 4::max(1, len(lectures) // 4)][:3]
                    row["lecture_s"] = [_lecture(page, url, iri) for iri in picks]
                    pages.append(row)
            finally:
                page.close()
                bench_app._stop(proc)
        browser.close()
    out = {"bare_landing_s": bare, "app_landing_s": app,
           "landing_ratio": statistics.median(app) / statistics.median(bare),
           "pages": pages[0] if pages else {}, "bare_reload_s": reloads}
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
    p = out["pages"]
    if p:
        print(f"after warm-up (first lecture {p['warm_up_lecture_s']:.2f} s): Compare "
              f"{p['compare_s']:.2f} s, again {p['compare_again_s']:.2f} s; Lecture "
              f"{', '.join(f'{s:.2f}' for s in p['lecture_s'])} s (goal {PAGE_BUDGET:g} s each)")
        floor = statistics.median(out["bare_reload_s"])
        print(f"  a page of the warm bare app, loaded again: {floor:.2f} s (median of 3); "
              f"Compare {p['compare_s'] / floor:.1f}x that, again "
              f"{p['compare_again_s'] / floor:.1f}x, Lecture "
              f"{statistics.median(p['lecture_s']) / floor:.1f}x (median)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
