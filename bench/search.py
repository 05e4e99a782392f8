"""Search speed: index build time, query latency and memory, Whoosh against bm25s.

Ingests the mirror and the saved documents and builds the complete graph (or loads the graph
stored in ``--data-dir``), then:

* builds the dlgraph index (``dlgraph.search.build_index``): wall and CPU time, peak traced
  Python memory;
* runs :data:`QUERIES` (English topics, people, notebooks, misspellings, field filters, and
  queries in French, Spanish, Italian, Portuguese, Russian, Turkish, Chinese, Japanese and
  Korean) once to warm up, then ``--repeat`` times each, in-process, and prints p50/p95/max
  latency of ``dlgraph.search`` (the whole answer: routing, spelling, matching, facets,
  collapsing and snippets) and of the Whoosh core alone (parse, match and score every hit);
* indexes the same documents (``dlgraph.searchable.documents``: title, heading, text, names)
  with bm25s (its own tokenizer: lower-case words, English stop words, no stemming) and times
  its top-10 retrieval for the same queries, printing the latency ratios against it.

The target is p95 ≤ 15 ms for ``search``.

Usage: python bench/search.py [--mirror ../shared/sites] [--documents ../shared/seeds]
                              [--data-dir DATA] [--repeat 5]
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path (bench/ingest.py shadows ingest).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mirror", type=Path, default=Path("../shared/sites"))
    ap.add_argument("--documents", type=Path, default=Path("../shared/seeds"))
    ap.add_argument("--data-dir", type=Path, default=None, help="use the graph stored here")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from dlgraph import search as index
    from dlgraph.search.query import _parse
    from dlgraph.search.ranking import _run
    from dlgraph.searchable import documents

    t = time.perf_counter()
    g = _graph(args)
    print(f"graph: {len(g):,} triples ({time.perf_counter() - t:.1f} s)")
    t = time.perf_counter()
    docs = documents(g)
    print(f"documents from the graph: {len(docs):,} ({time.perf_counter() - t:.2f} s)")

    with tempfile.TemporaryDirectory() as tmp:
        gc.collect()
        rss_before = _rss()
        wall, cpu = time.perf_counter(), time.process_time()
        n = index.build_index(g, Path(tmp) / "index")
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        size = sum(p.stat().st_size for p in (Path(tmp) / "index").resolve().iterdir())
        print(f"whoosh index build: {n:,} documents in {wall:.1f} s wall, {cpu:.1f} s CPU; "
              f"peak resident memory {_rss():.0f} MiB (was {rss_before:.0f} MiB with the graph "
              f"loaded); {size / 2**20:.1f} MiB on disk")

        # memory of an open index and its queries, traced apart from the timed runs
        # (tracemalloc slows Python several times over)
        gc.collect()
        tracemalloc.start()
        t = time.perf_counter()
        ix = index.open_index(Path(tmp) / "index")
        opened = time.perf_counter() - t
        for q in QUERIES:  # warm-up: analysers' caches, the OS page cache
            index.search(ix, q)
        held, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"open_index: {opened * 1000:.0f} ms (traced); open index after one pass of "
              f"queries holds {held / 2**20:.1f} MiB, peak {peak / 2**20:.1f} MiB")
        full, cpu_ms, core, per_query = [], [], [], {}
        for q in QUERIES:
            groups, _ = index.route(ix, q)
            times = []
            for _ in range(args.repeat):
                t, c = time.perf_counter(), time.process_time()
                index.search(ix, q)
                times.append((time.perf_counter() - t) * 1000)
                cpu_ms.append((time.process_time() - c) * 1000)
                t = time.perf_counter()
                _run(ix, _parse(ix, q, groups), None, "latin")
                core.append((time.perf_counter() - t) * 1000)
            full.extend(times)
            per_query[q] = statistics.median(times)
        ix.close()

    # -- bm25s on the same documents ------------------------------------------------------
    import bm25s

    corpus = [" ".join(x for x in (d.title, d.heading or "", d.text, " ".join(d.names)) if x)
              for d in docs]
    t = time.perf_counter()
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(corpus, show_progress=False), show_progress=False)
    print(f"bm25s index build: {time.perf_counter() - t:.1f} s")
    for q in QUERIES:
        retriever.retrieve(bm25s.tokenize([q], show_progress=False), k=10, show_progress=False)
    bm = []
    for q in QUERIES:
        for _ in range(args.repeat):
            t = time.perf_counter()
            tokens = bm25s.tokenize([q], show_progress=False)
            if tokens.vocab:
                retriever.retrieve(tokens, k=10, show_progress=False, n_threads=1)
            bm.append((time.perf_counter() - t) * 1000)

    print()
    print(f"{len(QUERIES)} queries × {args.repeat} runs, after one warm-up run each:")
    print(_line("dlgraph.search", full))
    # CPU time: the same runs without the waits of a busy machine (other processes, 2 cores)
    print(_line("  same, CPU time", cpu_ms))
    print(_line("whoosh core (match+score)", core))
    print(_line("bm25s top-10", bm))
    print(f"ratio search/bm25s: p50 {_pct(full, 50) / _pct(bm, 50):.1f}×, "
          f"p95 {_pct(full, 95) / _pct(bm, 95):.1f}×; "
          f"whoosh core/bm25s: p50 {_pct(core, 50) / _pct(bm, 50):.1f}×, "
          f"p95 {_pct(core, 95) / _pct(bm, 95):.1f}×")
    print(f"target p95 ≤ 15 ms: {'met' if _pct(full, 95) <= 15 else 'NOT met'} (wall clock)")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("slowest queries (median ms):")
    for q, ms in sorted(per_query.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  {ms:7.2f}  {q}")
    print(f"peak resident memory of this process: {_rss():.0f} MiB")


if __name__ == "__main__":
    main()
