"""Search speed: index build time and size, query latency and memory, against bm25s and tantivy.

Ingests the mirror and the saved documents and builds the complete graph (or loads the graph
stored in ``--data-dir``), then:

* builds the dlgraph index (``dlgraph.search.build_index``): wall and CPU time, peak traced
  Python memory;
* runs the query mix (:data:`QUERIES`: English topics, people, notebooks, misspellings, field
  filters, queries in French, Spanish, Italian, Portuguese, Russian, Turkish, Chinese, Japanese
  and Korean; both judged sets' queries, ``bench/relevance*.json``; and :data:`LONG_QUESTIONS`)
  once to warm up, then ``--repeat`` times each, in-process, and prints p50/p95/max latency of
  ``dlgraph.search`` (the whole answer: routing, spelling, matching, facets, collapsing,
  snippets, moments) and of the Whoosh core alone (parse, match and score every hit);
* runs the same queries on bm25s and tantivy over the same documents, as
  ``bench/relevance.py`` builds them (one per lecture unit and language), and prints the
  latency ratios against them.

It also prints the CPU time of each query's first run on a freshly opened index (in mix order:
the index's caches hold only what the queries before it read; the process's caches of word
analyses are warm), beside the repeated runs' figures.

The index is searched as the app searches it, numpy imported (Streamlit imports it; the
matches of a large query are then scored over arrays, :mod:`dlgraph.search.matching`), or with
``--without-numpy`` as a ``dlgraph search`` process does (no numpy: a query of words is scored
in plain Python, :mod:`dlgraph.search.sparse`; numpy is imported only after the timed runs,
for the peers). Run ``--compare`` both ways.

``--dump FILE`` writes every answer of the mix (JSON) and ``--compare FILE`` checks them against
such a dump: a speed-up must change no answer (run the dump on the code before it).

The target (issue 15) is p95 ≤ 10 ms for ``search``.

Usage: python bench/search.py [--mirror ../shared/sites] [--documents ../shared/seeds]
                              [--data-dir DATA] [--index DIR] [--repeat 5]
                              [--dump FILE] [--compare FILE] [--no-peers]
                              [--without-numpy]
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path (bench/ingest.py shadows ingest).
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

#: Realistic queries: what a learner types (≥ 50, every language the index analyses).
QUERIES = (
    # topics
    "backpropagation", "gradient descent", "stochastic gradient descent", "convolution",
    "convolutional neural networks", "energy based models", "self supervised learning",
    "contrastive learning", "attention", "attention transformer", "recurrent neural networks",
    "LSTM", "autoencoders", "variational autoencoder", "generative adversarial networks",
    "graph convolutional networks", "sparse coding", "joint embedding", "VICReg",
    "latent variable", "model predictive control", "optimization momentum", "regularization",
    "dropout", "batch normalization", "word embeddings", "machine translation", "world model",
    "free energy", "softmax", "linear algebra", "target propagation", "k-means",
    "structured prediction", "truck backer-upper", "curse of dimensionality",
    # phrases, fields, booleans
    '"chain rule"', '"energy based models"', "edition:SP21 energy", "kind:reading attention",
    "lang:fr gradient", "autoencoder NOT variational", "(GAN OR GANs) training",
    # notebooks and people
    "spiral classification", "spiral_classification notebook", "Yann LeCun",
    "Alfredo Canziani", "Ishan Misra", "Xavier Bresson",
    # misspellings
    "backpropogation", "convolutoin", "tranformer", "autoencodr",
    # other languages
    "rétropropagation", "réseaux convolutifs", "descente de gradient", "apprentissage auto-supervisé",
    "retropropagación", "redes neuronales", "retropropagazione", "retropropagação",
    "обратное распространение", "geri yayılım", "卷积神经网络", "反向传播", "注意力机制",
    "畳み込み", "逆伝播", "역전파", "합성곱",
)


#: Questions typed whole: many words, most of them common, all optional (the costliest queries).
LONG_QUESTIONS = (
    "how does backpropagation work in a convolutional neural network",
    "what is the difference between an energy based model and a probabilistic model",
    "why do we need regularization when training deep neural networks on small data",
    "explain the five steps of the pytorch training loop and what each one does",
    "how do transformers use attention to translate a sentence from one language to another",
    "what is the role of the latent variable in a variational autoencoder",
    "can you show me how to train a generative adversarial network in pytorch",
    "which lecture explains self supervised learning with joint embedding architectures",
)


def query_mix() -> list[str]:
    """:data:`QUERIES`, both judged sets' queries and :data:`LONG_QUESTIONS`, once each."""
    mix = list(QUERIES)
    for name in ("relevance.json", "relevance-heldout.json"):
        mix += [q["query"] for q in json.loads((HERE / name).read_text(encoding="utf-8"))["queries"]]
    mix += LONG_QUESTIONS
    return list(dict.fromkeys(mix))


def _relevance():
    """bench/relevance.py as a module (its peers' setup is the one reused here)."""
    spec = importlib.util.spec_from_file_location("bench_relevance", HERE / "relevance.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _compare(answers: dict, path: Path) -> None:
    before = json.loads(path.read_text(encoding="utf-8"))
    moved = [q for q in answers if q in before and answers[q] != before[q]]
    print(f"answers compared with {path}: {len(answers) - len(moved)} of {len(answers)} "
          f"identical{'' if not moved else '; DIFFERENT: ' + ', '.join(map(repr, moved[:10]))}")
    missing = [q for q in answers if q not in before]
    if missing:
        print(f"  ({len(missing)} queries not in the dump)")


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def _line(name: str, ms: list[float]) -> str:
    return (f"{name:<28} p50 {_pct(ms, 50):7.2f} ms   p95 {_pct(ms, 95):7.2f} ms   "
            f"max {max(ms):7.2f} ms   (n={len(ms)})")


def _rss() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _graph(args):
    from dlgraph.pipeline import build

    if args.data_dir:
        from dlgraph.store import load_graph

        return load_graph(args.data_dir)
    from ingest.mirror import MirrorFetcher
    from ingest.pipeline import ingest
    from ingest.registry import EDITIONS

    return build(ingest(list(EDITIONS), MirrorFetcher(args.mirror), args.documents))


def _timed(engine, mix: list[str], repeat: int) -> list[float]:
    for q in mix:  # warm-up
        engine(q)
    out = []
    for q in mix:
        for _ in range(repeat):
            t = time.perf_counter()
            engine(q)
            out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mirror", type=Path, default=Path("../shared/sites"))
    ap.add_argument("--documents", type=Path, default=Path("../shared/seeds"))
    ap.add_argument("--data-dir", type=Path, default=None, help="use the graph stored here")
    ap.add_argument("--index", type=Path, default=None,
                    help="time this built index (no build; the peers still need the graph)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--dump", type=Path, default=None, help="write every answer of the mix here")
    ap.add_argument("--compare", type=Path, default=None, help="compare answers with a --dump")
    ap.add_argument("--no-peers", action="store_true", help="skip bm25s and tantivy")
    ap.add_argument("--without-numpy", action="store_true",
                    help="search as a dlgraph search process does: numpy not imported")
    args = ap.parse_args()
    if not args.without_numpy:
        import numpy  # noqa: F401  (as in the app)

    from dlgraph import search as index
    from dlgraph.querytext import has_syntax
    from dlgraph.search.query import _parse
    from dlgraph.search.ranking import _run

    mix = query_mix()
    g = docs = None
    if args.index is None or not args.no_peers:
        from dlgraph.searchable import documents

        t = time.perf_counter()
        g = _graph(args)
        print(f"graph: {len(g):,} triples ({time.perf_counter() - t:.1f} s)")
        t = time.perf_counter()
        docs = documents(g)
        print(f"documents from the graph: {len(docs):,} ({time.perf_counter() - t:.2f} s)")

    with tempfile.TemporaryDirectory() as tmp:
        where = args.index
        if where is None:
            where = Path(tmp) / "index"
            gc.collect()
            rss_before = _rss()
            wall, cpu = time.perf_counter(), time.process_time()
            n = index.build_index(g, where)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            print(f"whoosh index build: {n:,} documents in {wall:.1f} s wall, {cpu:.1f} s CPU; "
                  f"peak resident memory {_rss():.0f} MiB (was {rss_before:.0f} MiB with the "
                  f"graph loaded)")
        files = [p for p in where.resolve().iterdir() if p.is_file()]
        print(f"index on disk: {sum(p.stat().st_size for p in files) / 2**20:.1f} MiB in "
              f"{len(files)} files")

        # memory of an open index and its queries, traced apart from the timed runs
        # (tracemalloc slows Python several times over)
        gc.collect()
        tracemalloc.start()
        t = time.perf_counter()
        ix = index.open_index(where)
        opened = time.perf_counter() - t
        answers = {q: index.search(ix, q) for q in mix}  # warm-up: caches, the OS page cache
        held, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        # each query's first run on a second opened index (no tracing): what a query costs
        # before the caches hold its terms (only the queries before it have run there)
        first_ms = []
        with index.open_index(where) as fresh:
            for q in mix:
                c = time.process_time()
                index.search(fresh, q)
                first_ms.append((time.process_time() - c) * 1000)
        print(f"open_index: {opened * 1000:.0f} ms (traced); open index after one pass of "
              f"queries holds {held / 2**20:.1f} MiB, peak {peak / 2**20:.1f} MiB")
        answers = json.loads(json.dumps(answers, ensure_ascii=False))
        if args.dump:
            args.dump.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
            print(f"answers of {len(answers)} queries written to {args.dump}")
        if args.compare:
            _compare(answers, args.compare)
        full, cpu_ms, core, per_query = [], [], [], {}
        for q in mix:
            groups, _ = index.route(ix, q)
            # as dlgraph.search.engine runs plain words: every one optional
            any_word = len(q.split()) > 1 and not has_syntax(q, index.USER_FIELDS)
            times = []
            for _ in range(args.repeat):
                t, c = time.perf_counter(), time.process_time()
                index.search(ix, q)
                times.append((time.perf_counter() - t) * 1000)
                cpu_ms.append((time.process_time() - c) * 1000)
                t = time.perf_counter()
                _run(ix, _parse(ix, q, groups, any_word), None, "latin", None, any_word)
                core.append((time.perf_counter() - t) * 1000)
            full.extend(times)
            per_query[q] = statistics.median(times) if times else 0.0
        ix.close()
    numpy_note = ("numpy imported, as in the app" if not args.without_numpy else
                  "numpy " + ("NOT imported, as in a dlgraph search process"
                              if "numpy" not in sys.modules else
                              "imported by a query (--without-numpy asked for)"))

    peers = {}
    if not args.no_peers:
        rel = _relevance()
        units = rel.peer_documents(docs)
        for cls in (rel.Bm25s, rel.Tantivy):
            t = time.perf_counter()
            engine = cls(units)
            print(f"{engine.name} index build: {time.perf_counter() - t:.1f} s "
                  f"({len(units):,} documents, one per lecture unit and language)")
            peers[engine.name] = _timed(engine, mix, args.repeat)

    if not full:
        return
    print()
    print(f"{len(mix)} queries × {args.repeat} runs, after one warm-up run each ({numpy_note}):")
    print(_line("dlgraph.search", full))
    # CPU time: the same runs without the waits of a busy machine (other processes, 2 cores)
    print(_line("  same, CPU time", cpu_ms))
    print(_line("  first run of each, CPU", first_ms))
    print(_line("whoosh core (match+score)", core))
    for name, ms in peers.items():
        print(_line(f"{name} top-100 + collapse", ms))
        print(f"  ratio dlgraph/{name}: p50 {_pct(full, 50) / _pct(ms, 50):.1f}×, "
              f"p95 {_pct(full, 95) / _pct(ms, 95):.1f}×")
    print(f"target p95 ≤ 10 ms: {'met' if _pct(full, 95) <= 10 else 'NOT met'} (wall clock)")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("slowest queries (median ms):")
    for q, ms in sorted(per_query.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  {ms:7.2f}  {q}")
    print(f"peak resident memory of this process: {_rss():.0f} MiB")


if __name__ == "__main__":
    main()
