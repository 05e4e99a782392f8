"""Concurrent use: N threads × M searches and SPARQL queries against one opened index and graph.

What the app does when several people use it at once: every Streamlit session runs in its own
thread over the one index and the one graph the process holds. This opens the index and loads
the graph of ``--data-dir`` once, answers every query one by one (the reference), then runs
``--threads`` threads, each answering ``--searches`` searches and ``--sparql`` SPARQL queries
picked at random (seeded) from the same lists, all at once. It prints how many answers differ
from the reference (the target is 0), how many raised, and p50/p95 latency, each next to the
one-by-one figure measured in the same run (the machine may be loaded: read the ratios).

Usage: python bench/load.py --data-dir DATA [--threads 8] [--searches 200] [--sparql 10]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import threading
import time
from importlib import resources
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path (bench/ingest.py shadows ingest).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

#: Searches of every shape: words, phrases, fields, wildcards (the ones that raced worst),
#: misspellings, other languages, facets.
SEARCHES = (
    ("backpropagation", {}), ("energy based models", {}), ("attention", {"editions": ["SP21"]}),
    ("a*", {}), ("conv*", {}), ("auto*", {"kind": "section"}), ('"chain rule"', {}),
    ("edition:SP21 energy", {}), ("lang:fr gradient", {}), ("autoencoder NOT variational", {}),
    ("(GAN OR GANs) training", {}), ("Yann LeCun", {}), ("spiral classification", {}),
    ("backpropogation", {}), ("convolutoin", {}), ("rétropropagation", {}),
    ("descente de gradient", {}), ("自监督学习", {}), ("", {"kind": "reading"}),
    ("transformer", {"page": 2}), ("optimization", {"lang": "en", "limit": 20}),
    ("graph", {"topic": "graph-neural-networks"}),
)


def _sparql_queries() -> list[tuple[str, str]]:
    folder = resources.files("dlgraph") / "data" / "queries"
    return sorted((f.name, f.read_text(encoding="utf-8")) for f in folder.iterdir()
                  if f.name.endswith(".rq"))


def _answer(kind: str, ix, g, item):
    from dlgraph.search import search
    from dlgraph.sparql import run_query

    if kind == "search":
        query, kwargs = item
        return json.dumps(search(ix, query, **kwargs), sort_keys=True, ensure_ascii=False)
    result = run_query(g, item[1], timeout=120)
    if result.get("rows") is not None:  # row order without ORDER BY is not part of the answer
        result["rows"] = sorted(json.dumps(r, sort_keys=True) for r in result["rows"])
    return json.dumps(result, sort_keys=True, ensure_ascii=False)


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run(data_dir: Path, threads: int, searches: int, sparql: int, seed: int = 12) -> dict:
    """The figures (see the module docstring) as a dict; also what ``main`` prints."""
    from dlgraph.search import index_path, open_index
    from dlgraph.store import load_graph

    ix = open_index(index_path(data_dir))
    g = load_graph(data_dir)
    queries = _sparql_queries()
    reference: dict[tuple, str] = {}
    alone: dict[str, list[float]] = {"search": [], "sparql": []}
    for kind, items in (("search", SEARCHES), ("sparql", queries)):
        for i, item in enumerate(items):
            began = time.perf_counter()
            reference[(kind, i)] = _answer(kind, ix, g, item)
            alone[kind].append(time.perf_counter() - began)

    rng = random.Random(seed)
    plans = [[("search", rng.randrange(len(SEARCHES))) for _ in range(searches)]
             + [("sparql", rng.randrange(len(queries))) for _ in range(sparql)]
             for _ in range(threads)]
    for plan in plans:
        rng.shuffle(plan)
    lock = threading.Lock()
    timings: dict[str, list[float]] = {"search": [], "sparql": []}
    differ: list[str] = []
    errors: list[str] = []
    barrier = threading.Barrier(threads)

    def work(plan):
        barrier.wait()
        for kind, i in plan:
            item = (SEARCHES if kind == "search" else queries)[i]
            began = time.perf_counter()
            try:
                got = _answer(kind, ix, g, item)
            except Exception as exc:  # counted: a wrong answer must not hide as an error
                with lock:
                    errors.append(f"{kind} {item[0]!r}: {type(exc).__name__}: {exc}")
                continue
            took = time.perf_counter() - began
            with lock:
                timings[kind].append(took)
                if got != reference[(kind, i)]:
                    differ.append(f"{kind} {item[0]!r}")

    began = time.perf_counter()
    pool = [threading.Thread(target=work, args=(plan,)) for plan in plans]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall = time.perf_counter() - began
    ix.close()
    return {
        "threads": threads, "searches": threads * searches, "sparql": threads * sparql,
        "differences": len(differ), "errors": len(errors), "wall_s": round(wall, 2),
        "examples": (differ + errors)[:5],
        **{f"{kind}_{what}_ms": round(1000 * f(vals, p), 1)
           for kind in ("search", "sparql")
           for what, vals, f, p in (("p50_alone", alone[kind], _pct, 50),
                                    ("p95_alone", alone[kind], _pct, 95),
                                    ("p50_loaded", timings[kind], _pct, 50),
                                    ("p95_loaded", timings[kind], _pct, 95))},
        "search_mean_alone_ms": round(1000 * statistics.fmean(alone["search"]), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data-dir", type=Path, required=True,
                        help="an ingested data folder (graph and index)")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--searches", type=int, default=200, help="searches per thread")
    parser.add_argument("--sparql", type=int, default=10, help="SPARQL queries per thread")
    args = parser.parse_args(argv)
    figures = run(args.data_dir, args.threads, args.searches, args.sparql)
    for key, value in figures.items():
        print(f"{key:>22}: {value}")
    return 0 if figures["differences"] == 0 and figures["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
