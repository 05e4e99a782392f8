"""How fast the app is, against the budgets of issue 7.

1. **First page**: ``streamlit run app.py`` on 127.0.0.1 (headless), then Chromium opens it;
   the clock starts when the process is started and stops when the Search page's content
   (the search box and the example queries) is on screen. Budget: 3 s. Also reported: when
   ``/_stcore/health`` first answered, and how long opening a Lecture page took next (the
   graph is loaded in the background meanwhile).
2. **A search**: ``dlgraph.search`` on an index opened with ``open_index``, exactly as
   ``app_pages/cache.py`` calls it, for a set of queries: alone, and with an edition filter
   plus the extra unfiltered query the page runs for that filter's counts. Budget: 300 ms.
3. **A search in the browser**: on a loaded Search page, from pressing Enter in the search
   box until the result count is shown (a rerun over the websocket plus rendering the hits).

Usage::

    .venv/bin/python bench/app.py --data data [--starts 3] [--json]

Needs ``/usr/bin/chromium`` (``apt-get install chromium``) for 1 and 3.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path (bench/ingest.py shadows ingest).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run"]
FIRST_PAGE_BUDGET = 3.0
SEARCH_BUDGET = 0.300
QUERIES = ("energy based models", "backpropagation", "attention", "transformer",
           "self-supervised learning", "convolution", "gradient descent", "autoencoder",
           "rétropropagation", "réseaux de neurones", "卷积", "lecun", "variational autoencoder",
           "contrastive", "optimisation", "graph neural network", "energi", "dropout", "GAN",
           "backprop")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(data: Path, port: int, script: Path = ROOT / "app.py") -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=script.parent, env={**os.environ, "DLGRAPH_DATA": str(data)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


#: The floor: the same measurement for a two-element Streamlit app on this machine.
HELLO = 'import streamlit as st\nst.title("Search the course")\nst.button("backpropagation")\n'


def baseline(starts: int) -> float:
    """Median seconds to first content of a minimal Streamlit app (nothing of dlgraph)."""
    import tempfile

    from playwright.sync_api import sync_playwright

    times = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        script = Path(tmp) / "hello.py"
        script.write_text(HELLO)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(starts):
            port = _free_port()
            page = browser.new_page()
            began = time.perf_counter()
            proc = _start(Path(tmp), port, script)
            try:
                _wait_health(f"http://127.0.0.1:{port}", proc)
                page.goto(f"http://127.0.0.1:{port}")
                page.get_by_role("button", name="backpropagation").wait_for(timeout=60_000)
                times.append(time.perf_counter() - began)
            finally:
                page.close()
                _stop(proc)
        browser.close()
    return round(statistics.median(times), 3)


def _wait_health(url: str, proc: subprocess.Popen, limit: float = 30) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("streamlit exited before answering /_stcore/health")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.02)
    raise SystemExit("streamlit did not answer /_stcore/health")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _settle(page) -> None:
    """Until the script run is over (Streamlit's status widget is gone)."""
    page.wait_for_timeout(200)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)


def first_page(data: Path, starts: int, lecture: str | None) -> dict:
    """Seconds from process start to health, to first content, and to a first lecture page."""
    from playwright.sync_api import sync_playwright

    runs = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(starts):
            port = _free_port()
            url = f"http://127.0.0.1:{port}"
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            began = time.perf_counter()
            proc = _start(data, port)
            try:
                _wait_health(url, proc)
                health = time.perf_counter() - began
                page.goto(url)
                page.get_by_placeholder("Search lectures", exact=False).wait_for(timeout=60_000)
                page.get_by_role("button", name="backpropagation").wait_for(timeout=60_000)
                content = time.perf_counter() - began
                run = {"health_s": round(health, 3), "first_page_s": round(content, 3)}
                if lecture:
                    t = time.perf_counter()
                    page.goto(f"{url}/lecture?lecture={lecture}")
                    page.locator("[data-testid=stMain] h1").nth(0).wait_for(timeout=60_000)
                    page.get_by_role("heading", name="Resources").wait_for(timeout=60_000)
                    run["first_lecture_s"] = round(time.perf_counter() - t, 3)
                page.goto(url)
                box = page.get_by_placeholder("Search lectures", exact=False)
                box.wait_for(timeout=60_000)
                _settle(page)
                t = time.perf_counter()
                box.fill("energy based models")
                box.press("Enter")
                page.get_by_text(re.compile(r"\d+ results? · \d+ ms")).wait_for(timeout=60_000)
                run["browser_search_s"] = round(time.perf_counter() - t, 3)
                runs.append(run)
            finally:
                page.close()
                _stop(proc)
        browser.close()
    return {"runs": runs, "median_first_page_s": statistics.median(r["first_page_s"] for r in runs)}


def searches(data: Path) -> dict:
    """Milliseconds per search through ``dlgraph.search``, cold index first."""
    from dlgraph.search import open_index, search

    began = time.perf_counter()
    ix = open_index(data / "index")
    opened = time.perf_counter() - began
    rows = []
    for q in QUERIES:
        t = time.perf_counter()
        result = search(ix, q, limit=10, page=1)
        plain = time.perf_counter() - t
        t = time.perf_counter()
        search(ix, q, editions=("SP21",), limit=10, page=1)
        search(ix, q, editions=(), limit=1)  # the page's counts for the edition filter
        filtered = time.perf_counter() - t
        rows.append({"query": q, "total": result["total"], "ms": round(plain * 1000, 1),
                     "filtered_ms": round(filtered * 1000, 1)})
    times = sorted(r["ms"] for r in rows)
    return {
        "open_index_ms": round(opened * 1000, 1),
        "queries": rows,
        "p50_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "max_ms": times[-1],
        "max_filtered_ms": max(r["filtered_ms"] for r in rows),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data",
                        help="data folder with graph.ttl and index/ (default: ./data)")
    parser.add_argument("--starts", type=int, default=3, help="app starts to time")
    parser.add_argument("--no-browser", action="store_true", help="only time the searches")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    data = args.data.resolve()
    if not (data / "graph.ttl").is_file():
        raise SystemExit(f"no graph in {data}: run `dlgraph ingest` first")

    from dlgraph import store
    from dlgraph.lecture import lecture_list

    report: dict = {"data": str(data)}
    report["search"] = searches(data)
    if not args.no_browser:
        lectures = lecture_list(store.load_graph(data))
        report["app"] = first_page(data, args.starts, lectures[0]["iri"] if lectures else None)
        report["app"]["baseline_first_page_s"] = baseline(args.starts)

    ok_search = report["search"]["p95_ms"] <= SEARCH_BUDGET * 1000
    ok_first = args.no_browser or report["app"]["median_first_page_s"] <= FIRST_PAGE_BUDGET
    report["budgets"] = {"first_page_s": FIRST_PAGE_BUDGET, "search_ms": SEARCH_BUDGET * 1000,
                         "first_page_ok": ok_first, "search_ok": ok_search}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    s = report["search"]
    print(f"data: {data}")
    print(f"open index: {s['open_index_ms']} ms")
    for r in s["queries"]:
        print(f"  {r['query']!r:28} {r['total']:>4} groups  {r['ms']:>7} ms  "
              f"(with a filter: {r['filtered_ms']} ms)")
    print(f"search: p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms, max {s['max_ms']} ms "
          f"(budget {SEARCH_BUDGET * 1000:.0f} ms: {'ok' if ok_search else 'OVER'})")
    if not args.no_browser:
        for i, r in enumerate(report["app"]["runs"], 1):
            print(f"start {i}: health {r['health_s']} s, first page {r['first_page_s']} s, "
                  f"first lecture {r.get('first_lecture_s')} s, search in browser "
                  f"{r['browser_search_s']} s")
        print(f"first page: median {report['app']['median_first_page_s']} s "
              f"(budget {FIRST_PAGE_BUDGET:g} s: {'ok' if ok_first else 'OVER'}); a bare "
              f"two-element Streamlit app: {report['app']['baseline_first_page_s']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
