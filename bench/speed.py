"""Speed of ingest, re-runs, commands, SPARQL and export, each as a ratio to a floor measured
in the same run (the machine may be shared: absolute seconds are noise, ratios are not).

* floor: read every page of the mirror and parse it with lxml (CPU seconds, this process);
* cold ingest: ``dlgraph ingest`` into an empty data folder (child CPU seconds, peak RSS);
* warm re-ingest: the same command again (nothing changed: nothing may be rebuilt);
* one page changed: a copy of the mirror with one notes page edited outside its content
  (parsed again: that page; nothing rebuilt), then with a section heading renamed (its
  records change: the graph and index are rebuilt);
* commands as processes: ``stats``, ``compare SP21 FL22``, ``path attention``, ``people``,
  against the floor of a process that starts the CLI and exits (``dlgraph --version``);
* SPARQL: each example query after the graph is loaded, Oxigraph vs rdflib's evaluator over
  the same triples in rdflib's memory store;
* export: the whole graph as Turtle (in this process, and ``dlgraph export graph`` as one).

Usage: python bench/speed.py --mirror ../shared/sites --documents ../shared/seeds
       [--repos ../shared/repos] [--quick]
(``--quick`` leaves out the one-page-changed run, which copies the mirror).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and would shadow ``ingest``.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

DLGRAPH = [sys.executable, "-m", "dlgraph"]
COMMANDS = (("stats",), ("compare", "SP21", "FL22"), ("path", "attention"), ("people",))


def _children_cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


#: As an installed package runs: with its compiled modules cached (a sandbox may turn the
#: cache off, and compiling every module again costs each command a tenth of a second).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(args: list[str], data_dir: Path) -> dict:
    """One ``dlgraph`` process: CPU seconds, wall seconds, peak RSS of the largest child."""
    before, start = _children_cpu(), time.perf_counter()
    proc = subprocess.run([*DLGRAPH, "--data-dir", str(data_dir), *args], capture_output=True,
                          text=True, check=False, env=ENV)
    wall, cpu = time.perf_counter() - start, _children_cpu() - before
    if proc.returncode:
        raise SystemExit(f"dlgraph {' '.join(args)} failed: {proc.stderr.strip()[-500:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"cpu": cpu, "wall": wall, "peak_mib": peak, "out": proc.stdout}


def parse_floor(mirror: Path) -> tuple[float, int]:
    """CPU seconds to read and lxml-parse every HTML page of the mirror, and the page count."""
    import lxml.html

    start, n = time.process_time(), 0
    for path in mirror.rglob("*.html"):
        lxml.html.fromstring(path.read_bytes())
        n += 1
    return time.process_time() - start, n


EDITED_PAGE = ("NYU-DLSP20", "en", "week02", "02-1", "index.html")


def _edited_mirror(mirror: Path, into: Path) -> Path:
    """A copy of the mirror whose one notes page gains markup outside what is parsed."""
    copy = into / "sites"
    shutil.copytree(mirror, copy)
    page = copy.joinpath(*EDITED_PAGE)
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", "<p>edited</p></body>", 1),
                    encoding="utf-8")
    return copy


def _rename_heading(copy: Path) -> None:
    """The same page's first section heading renamed: its records change."""
    page = copy.joinpath(*EDITED_PAGE)
    text = page.read_text(encoding="utf-8")
    assert "</h2>" in text, "the edited page has no section heading to rename"
    page.write_text(text.replace("</h2>", " (edited)</h2>", 1), encoding="utf-8")


def sparql_figures(data_dir: Path) -> list[dict]:
    from importlib import resources

    from rdflib import Graph

    from dlgraph.sparql import _native, prepare, run_query
    from dlgraph.store import load_graph

    g = load_graph(data_dir)
    memory = Graph()
    for t in g:
        memory.add(t)
    rows = []
    for q in sorted(resources.files("dlgraph").joinpath("data/queries").iterdir()):
        if not q.name.endswith(".rq"):
            continue
        text = q.read_text(encoding="utf-8")
        timings = {}
        prepared = prepare(text)
        for name, graph in (("oxigraph", g), ("rdflib", memory)):
            best = float("inf")
            for _ in range(3):
                # the engine's own time (CPU, this process): no worker, no fork
                start = time.process_time()
                result = _native(graph, prepared) if name == "oxigraph" else graph.query(prepared)
                count = len(list(result))
                best = min(best, time.process_time() - start)
            timings[name] = (best, count)
        start = time.perf_counter()
        run_query(g, text)  # the whole call, worker process and checks included (wall)
        rows.append({"query": q.name, "rows": timings["oxigraph"][1],
                     "oxigraph_ms": timings["oxigraph"][0] * 1000,
                     "rdflib_ms": timings["rdflib"][0] * 1000,
                     "run_query_ms": (time.perf_counter() - start) * 1000})
    return rows


def export_figures(data_dir: Path) -> dict:
    from dlgraph.export import export_graph
    from dlgraph.store import load_graph

    start = time.process_time()
    g = load_graph(data_dir)
    loaded = time.process_time() - start
    start = time.process_time()
    text = export_graph(g, "turtle")
    return {"load_cpu": loaded, "turtle_cpu": time.process_time() - start, "bytes": len(text)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mirror", type=Path, default=Path("../shared/sites"))
    ap.add_argument("--documents", type=Path, default=Path("../shared/seeds"))
    ap.add_argument("--repos", default="../shared/repos",
                    help="the repositories' folder, as the README's main command (or none)")
    ap.add_argument("--quick", action="store_true", help="skip the one-page-changed run")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    ingest = ["ingest", "--mirror", str(args.mirror), "--documents", str(args.documents),
              "--repos", str(args.repos)]
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="dlgraph-speed-") as tmp:
        tmp = Path(tmp)
        floor, pages = parse_floor(args.mirror)
        out["floor"] = {"cpu": floor, "pages": pages}
        data = tmp / "data"
        cold = run(ingest, data)
        warm = run(ingest, data)
        out["cold"] = {k: cold[k] for k in ("cpu", "wall", "peak_mib")}
        out["warm"] = {k: warm[k] for k in ("cpu", "wall")}
        out["warm"]["rebuilt"] = "(unchanged)" not in warm["out"]
        if not args.quick:
            edited = _edited_mirror(args.mirror, tmp)
            one = run(["ingest", "--mirror", str(edited), "--documents", str(args.documents),
                       "--repos", str(args.repos)], data)
            out["one_page"] = {k: one[k] for k in ("cpu", "wall")}
            out["one_page"]["rebuilt"] = "(unchanged)" not in one["out"]
            _rename_heading(edited)
            heading = run(["ingest", "--mirror", str(edited), "--documents", str(args.documents),
                           "--repos", str(args.repos)], data)
            out["one_heading"] = {k: heading[k] for k in ("cpu", "wall")}
            out["one_heading"]["rebuilt"] = "(unchanged)" not in heading["out"]
        version = min((run(["--version"], data) for _ in range(3)), key=lambda r: r["cpu"])
        out["process_floor"] = {"cpu": version["cpu"], "wall": version["wall"]}
        out["commands"] = {}
        for cmd in COMMANDS:
            best = min((run(list(cmd), data) for _ in range(3)), key=lambda r: r["cpu"])
            out["commands"][" ".join(cmd)] = {"cpu": best["cpu"], "wall": best["wall"]}
        export = ["export", "graph", "--format", "turtle", "-o", str(tmp / "graph-export.ttl")]
        best = min((run(export, data) for _ in range(3)), key=lambda r: r["cpu"])
        out["export_process"] = {"cpu": best["cpu"], "wall": best["wall"]}
        out["sparql"] = sparql_figures(data)
        out["export"] = export_figures(data)
    if args.json:
        print(json.dumps(out, indent=1))
        return
    f = out["floor"]["cpu"]
    print(f"machine load (1/5/15 min): {' '.join(f'{x:.1f}' for x in os.getloadavg())} on "
          f"{os.cpu_count()} CPUs")
    print(f"floor: read + lxml-parse {out['floor']['pages']} pages = {f:.2f} s CPU")
    print(f"cold ingest: {out['cold']['cpu']:.1f} s CPU = {out['cold']['cpu'] / f:.1f}x floor "
          f"(goal 3x); peak RSS {out['cold']['peak_mib']:.0f} MiB")
    print(f"warm re-ingest: {out['warm']['cpu']:.2f} s CPU = {out['warm']['cpu'] / f:.1f}x floor "
          f"(goal <= 5 s); rebuilt: {out['warm']['rebuilt']}")
    if "one_page" in out:
        print(f"one page changed outside its content: {out['one_page']['cpu']:.1f} s CPU = "
              f"{out['one_page']['cpu'] / out['cold']['cpu']:.2f}x cold; "
              f"rebuilt: {out['one_page']['rebuilt']}")
        print(f"one page's heading renamed: {out['one_heading']['cpu']:.1f} s CPU = "
              f"{out['one_heading']['cpu'] / out['cold']['cpu']:.2f}x cold; "
              f"rebuilt: {out['one_heading']['rebuilt']} (graph and index are rebuilt whole)")
    pf = out["process_floor"]["cpu"]
    print(f"process floor (dlgraph --version): {pf:.2f} s CPU")
    for cmd, r in out["commands"].items():
        print(f"  {cmd:22s} {r['cpu']:.2f} s CPU ({r['cpu'] / pf:.1f}x floor; goal 0.6 s), "
              f"{r['wall']:.2f} s wall")
    for r in out["sparql"]:
        print(f"  sparql {r['query']:36s} {r['rows']:>4} rows  oxigraph {r['oxigraph_ms']:6.1f} ms"
              f"  rdflib {r['rdflib_ms']:7.1f} ms CPU ({r['rdflib_ms'] / max(r['oxigraph_ms'], 0.1):.0f}x;"
              f" goal 50 ms); run_query {r['run_query_ms']:.0f} ms wall")
    e = out["export"]
    print(f"export graph turtle: {e['turtle_cpu']:.2f} s CPU (graph opened in "
          f"{e['load_cpu']:.2f} s), {e['bytes'] / 2**20:.1f} MiB; `dlgraph export graph "
          f"--format turtle` as a process {out['export_process']['cpu']:.2f} s CPU, "
          f"{out['export_process']['wall']:.2f} s wall (goal 2 s)")


if __name__ == "__main__":
    main()
