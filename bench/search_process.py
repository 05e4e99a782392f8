"""A ``dlgraph search`` process, against the floor of processes that start and exit.

Runs, interleaved, ``--runs`` times each (the median is printed; the machine may be shared,
so the ratios to the floors of the same run are the figures to read):

* ``python -c pass`` (the interpreter alone) and ``dlgraph --version`` (the CLI starting);
* ``dlgraph search QUERY`` for each query (a one-word topic, a misspelling, a filtered query,
  and every long question of ``bench/search.py``'s mix, the costliest: many common words, all
  optional), on the index in ``--data-dir``; ``--short`` keeps one long question, ``--mix``
  runs every query of ``bench/search.py``'s mix instead (134: topics, phrases, fields,
  misspellings, fourteen languages, both judged sets) and prints the slowest;

and prints each one's wall time and CPU time (user + system, of the child alone: on a shared
machine the wall time also counts the waits for a free core) and their ratios to both floors,
and which heavy modules a search process imported (``python -X importtime``): rdflib, the
builder, the registry, numpy. The target (issue 15): a search process in ≤ 0.4 s.

Python writes no bytecode cache when ``PYTHONDONTWRITEBYTECODE`` is set: every module is then
compiled from source on every start (0.1–0.2 s of a search process). This script clears the
variable for its children, as an installed dlgraph runs, and says so.

``--before SRC --before-data DATA2`` also runs each search with the code in ``SRC`` (another
checkout's ``src`` and root, e.g. main's before a change) on its own data folder, in the same
interleaved runs, and prints the ratio after/before.

Usage: python bench/search_process.py --data-dir DATA [--runs 7] [--short | --mix]
                                      [--before ../main --before-data DATA2]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHORT = ("attention", "backpropogation", "energy based models --edition SP21")


def _mix_module():
    """bench/search.py as a module (its queries; it imports neither dlgraph nor whoosh until
    its main runs)."""
    spec = importlib.util.spec_from_file_location("bench_search", HERE / "search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HEAVY = ("rdflib", "dlgraph.search.build", "dlgraph.searchable", "ingest.registry", "numpy",
         "dlgraph.topics", "pyoxigraph")


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _wall(cmd: list[str], env: dict) -> tuple[float, float]:
    """Wall and CPU seconds of one run (the runs are one at a time: the children's CPU time
    grows by this one's)."""
    t, c = time.perf_counter(), _children_cpu()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t, _children_cpu() - c


def _search(query: str) -> list[str]:
    words, _, rest = query.partition(" --")
    return ["search", words] + (("--" + rest).split() if rest else [])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--before", type=Path, default=None, help="a checkout of the code before")
    ap.add_argument("--before-data", type=Path, default=None, help="its data folder")
    ap.add_argument("--short", action="store_true", help="one long question, not all of them")
    ap.add_argument("--mix", action="store_true", help="every query of bench/search.py's mix")
    args = ap.parse_args()
    mix = _mix_module()
    long = mix.LONG_QUESTIONS
    queries = (*SHORT[:1], *(long[:1] if args.short else long), *SHORT[1:])
    if args.mix:
        queries = tuple(mix.query_mix())
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["DLGRAPH_DATA"] = str(args.data_dir)
    dlgraph = [sys.executable, "-m", "dlgraph"]
    cases = {"python -c pass": [sys.executable, "-c", "pass"],
             "dlgraph --version": [*dlgraph, "--version"]}
    cases.update({f"search {q!r}": [*dlgraph, *_search(q)] for q in queries})
    envs = {name: env for name in cases}
    if args.before:
        before = dict(env, DLGRAPH_DATA=str(args.before_data or args.data_dir),
                      PYTHONPATH=f"{args.before.resolve() / 'src'}:{args.before.resolve()}")
        for q in queries:
            cases[f"before: search {q!r}"] = [*dlgraph, *_search(q)]
            envs[f"before: search {q!r}"] = before
    for name, cmd in cases.items():  # warm-up: bytecode caches, the OS page cache
        _wall(cmd, envs[name])
    times: dict[str, list[float]] = {name: [] for name in cases}
    cpus: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.runs):
        for name, cmd in cases.items():
            wall, cpu = _wall(cmd, envs[name])
            times[name].append(wall)
            cpus[name].append(cpu)
    print(f"median of {args.runs} runs each, interleaved "
          f"(PYTHONDONTWRITEBYTECODE {'was set: cleared' if 'PYTHONDONTWRITEBYTECODE' in os.environ else 'unset'}"
          f" for the children)")
    for label, runs in (("wall", times), ("CPU (user + system)", cpus)):
        med = {name: statistics.median(ts) for name, ts in runs.items()}
        bare, version = med["python -c pass"], med["dlgraph --version"]
        print(f"{label}:")
        shown = med
        if len(queries) > 20:  # the floors and the slowest searches
            slowest = sorted((n for n in med if n.startswith("search")), key=lambda n: -med[n])
            shown = {n: med[n] for n in ("python -c pass", "dlgraph --version", *slowest[:10])}
            over = [n for n in slowest if med[n] > 0.4]
            print(f"  {len(queries)} queries, the 10 slowest shown; over 0.4 s: {len(over)}; "
                  f"median of all {statistics.median(med[n] for n in slowest):.3f} s")
        for name, t in shown.items():
            print(f"  {name:<80} {t:6.3f} s   ×{t / max(bare, 1e-3):5.1f} python   "
                  f"×{t / version:4.1f} --version")
        for q in queries if args.before else ():
            after, was = med[f"search {q!r}"], med[f"before: search {q!r}"]
            print(f"  after/before {q!r}: ×{after / was:.2f} ({was:.3f} s → {after:.3f} s)")
        searches = [t for name, t in med.items() if name.startswith("search")]
        print(f"  target ≤ 0.4 s per search process: "
              f"{'met' if max(searches) <= 0.4 else 'NOT met'} ({label}; slowest "
              f"{max(searches):.3f} s)")
    heavy: dict[str, list[str]] = {}
    for q in queries:
        out = subprocess.run([*dlgraph[:1], "-X", "importtime", *dlgraph[1:], *_search(q)],
                             env=env, capture_output=True, text=True, check=True).stderr
        loaded = {line.rsplit("|", 1)[-1].strip() for line in out.splitlines() if "|" in line}
        for m in HEAVY:
            if m in loaded:
                heavy.setdefault(m, []).append(q)
    print("heavy modules a search imports: "
          + (", ".join(f"{m} ({len(qs)} of {len(queries)} queries: {', '.join(map(repr, qs))})"
                       for m, qs in heavy.items()) or "none of " + ", ".join(HEAVY)))
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
