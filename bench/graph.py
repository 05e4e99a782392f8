"""Loading the real graph: rdflib parsing Turtle against faster stored forms.

Ingests the mirror and the saved documents, builds the complete graph (timed), writes it in
each candidate form, then loads every form in a fresh Python process (so import costs and peak
memory are the load's own) and prints the file size, load time, the ratio against the Turtle
baseline, and the process's peak resident memory. Candidates:

* ``turtle``      rdflib parses ``graph.ttl`` (the baseline; the human-readable export)
* ``nt``          rdflib parses N-Triples
* ``pickle``      unpickle the rdflib ``Graph`` (what ``save_graph`` wrote before the Oxigraph
  store; pickled here for comparison only: loading a pickle runs code)
* ``ox-turtle``   pyoxigraph parses the Turtle, then the triples are copied into an rdflib Graph
* ``ox-store``    a native pyoxigraph Store bulk-loads the Turtle (not an rdflib Graph: the
  library's queries, SHACL and analyses all need rdflib, so this is the floor, for reference)
* ``load_graph``  ``dlgraph.store.load_graph`` end to end: opens the saved Oxigraph store
  read-only behind rdflib's API (digest check included; what the app and CLI use)
* ``oxrdflib``    rdflib Graph backed by the Oxigraph store, when the package is installed

Usage: python bench/graph.py [--mirror ../shared/sites] [--documents ../shared/seeds] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path (bench/ingest.py shadows ingest).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

FORMATS = ("turtle", "nt", "pickle", "ox-turtle", "ox-store", "load_graph", "oxrdflib")


def _load(kind: str, folder: Path) -> int:
    """Load one form of the graph; return its triple count (runs in the child process)."""
    ttl = folder / "graph.ttl"
    if kind == "turtle":
        from rdflib import Graph

        return len(Graph().parse(ttl, format="turtle"))
    if kind == "nt":
        from rdflib import Graph

        return len(Graph().parse(folder / "graph.nt", format="nt"))
    if kind == "pickle":
        with open(folder / "graph.pickle", "rb") as fh:
            return len(pickle.load(fh)["graph"])
    if kind == "ox-turtle":
        import pyoxigraph as ox
        from rdflib import BNode, Graph, Literal, URIRef

        def term(t):
            if isinstance(t, ox.NamedNode):
                return URIRef(t.value)
            if isinstance(t, ox.BlankNode):
                return BNode(t.value)
            if t.language:
                return Literal(t.value, lang=t.language)
            return Literal(t.value, datatype=URIRef(t.datatype.value))

        g = Graph()
        with open(ttl, "rb") as fh:
            g.addN((term(q.subject), term(q.predicate), term(q.object), g)
                   for q in ox.parse(fh, format=ox.RdfFormat.TURTLE))
        return len(g)
    if kind == "ox-store":
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_load(path=str(ttl), format=ox.RdfFormat.TURTLE)
        return len(store)
    if kind == "load_graph":
        from dlgraph.store import load_graph

        return len(load_graph(folder))
    if kind == "oxrdflib":
        from rdflib import Graph

        return len(Graph(store="Oxigraph").parse(ttl, format="ox-turtle"))
    raise ValueError(kind)


def _child(kind: str, folder: str) -> None:
    started = time.perf_counter()
    n = _load(kind, Path(folder))
    elapsed = time.perf_counter() - started
    print(json.dumps({"triples": n, "seconds": elapsed, "peak_mib": _peak_mib()}))


def _peak_mib() -> float:
    """This process's peak resident memory.

    ``VmHWM`` rather than ``getrusage``: Linux carries ``ru_maxrss`` over fork and exec, so
    every child would report the benchmark parent's (large) size.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure(kind: str, folder: Path, repeat: int) -> dict | None:
    runs = []
    for _ in range(repeat):
        proc = subprocess.run(
            [sys.executable, __file__, "--child", kind, str(folder)],
            capture_output=True, text=True,
        )
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["failed"])[-1]
            print(f"  {kind}: skipped ({last})")
            return None
        runs.append(json.loads(proc.stdout))
    best = min(runs, key=lambda r: r["seconds"])
    return best | {"peak_mib": max(r["peak_mib"] for r in runs)}


def _mib(path: Path) -> float:
    return path.stat().st_size / 2**20


def main(argv: list[str] | None = None) -> int:
    """Build the real graph, write each form, load each in a fresh process, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", default="../shared/sites")
    parser.add_argument("--documents", default="../shared/seeds")
    parser.add_argument("--repeat", type=int, default=3, help="loads per form; the best is kept")
    parser.add_argument("--child", nargs=2, metavar=("FORM", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child)
        return 0

    from dlgraph.pipeline import build
    from dlgraph.store import save_graph
    from ingest.mirror import MirrorFetcher
    from ingest.pipeline import ingest
    from ingest.registry import EDITIONS

    t0 = time.perf_counter()
    records = ingest(list(EDITIONS), MirrorFetcher(Path(args.mirror)), Path(args.documents))
    t1 = time.perf_counter()
    g = build(records)
    t2 = time.perf_counter()
    print(f"ingest {t1 - t0:.1f} s   build {t2 - t1:.1f} s   triples {len(g):,}")

    with tempfile.TemporaryDirectory(prefix="dlgraph-bench-") as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        save_graph(g, folder)
        t_save = time.perf_counter() - t
        t = time.perf_counter()
        g.serialize(folder / "graph.nt", format="nt", encoding="utf-8")
        with open(folder / "graph.pickle", "wb") as fh:
            pickle.dump({"graph": g}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        t_nt = time.perf_counter() - t
        print(f"save_graph (Turtle + Oxigraph store) {t_save:.1f} s   N-Triples {t_nt:.1f} s")
        sizes = {
            "turtle": _mib(folder / "graph.ttl"),
            "nt": _mib(folder / "graph.nt"),
            "pickle": _mib(folder / "graph.pickle"),
        }
        for kind, size in sizes.items():
            print(f"size {kind:<8} {size:7.1f} MiB")
        del g, records

        print(f"\nload in a fresh process (best of {args.repeat}):")
        print(f"{'form':<11} {'triples':>9} {'seconds':>8} {'vs turtle':>10} {'peak MiB':>9}")
        base = None
        for kind in FORMATS:
            res = _measure(kind, folder, args.repeat)
            if res is None:
                continue
            base = base or res["seconds"]
            print(f"{kind:<11} {res['triples']:>9,} {res['seconds']:>8.2f} "
                  f"{base / res['seconds']:>9.1f}x {res['peak_mib']:>9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
