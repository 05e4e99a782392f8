"""Crawl speed over loopback HTTP: a cold crawl (empty cache), then a warm re-run.

Serves a mirror folder with ``http.server`` on 127.0.0.1 (which sends Last-Modified and
answers If-Modified-Since with 304), crawls every edition's site through
:class:`ingest.fetch.HttpFetcher` with an on-disk cache, and prints pages per second for
both runs, their ratio, and how many response bodies the warm run downloaded (0 when
nothing changed). Then, unless ``--crawl-only``, times the README's main command itself:
``dlgraph ingest`` of every edition from the mirror folder into an empty data folder
(crawl, parse, graph, search index), wall clock and CPU seconds, with the line each stage
prints. This is the figure the README's "about a minute" quotes.

Usage: python bench/ingest.py [--mirror ../shared/sites] [--documents ../shared/seeds]
       [--editions SP20,SP21,FL22] [--crawl-only]
"""

from __future__ import annotations

import argparse
import functools
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would shadow
# the ``ingest`` package it measures.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from ingest.crawl import crawl  # noqa: E402
from ingest.fetch import LIVE_ROOT, HttpFetcher, cached_client  # noqa: E402
from ingest.registry import EDITIONS  # noqa: E402


class _Counting(SimpleHTTPRequestHandler):
    """Counts what the server sent: responses with a body (200) versus 304s."""

    counts: dict[int, int]
    lock = threading.Lock()

    def log_request(self, code="-", size="-"):
        with self.lock:
            self.counts[int(code)] = self.counts.get(int(code), 0) + 1

    def log_message(self, *args):
        pass


def _run(url: str, cache: Path, codes: list[str], concurrency: int) -> tuple[int, float]:
    client = cached_client(cache)
    fetcher = HttpFetcher(client, origin={LIVE_ROOT: url}, delay=0.0, concurrency=concurrency)
    started = time.perf_counter()
    pages = sum(len(crawl(EDITIONS[c], fetcher).html) for c in codes)
    elapsed = time.perf_counter() - started
    client.close()
    return pages, elapsed


def _whole_ingest(mirror: Path, documents: Path | None) -> None:
    """``dlgraph ingest`` end to end in a fresh process and data folder; prints its figures."""
    with tempfile.TemporaryDirectory(prefix="dlgraph-bench-ingest-") as tmp:
        cmd = [sys.executable, "-m", "dlgraph", "ingest", "--mirror", str(mirror),
               "--data-dir", tmp]
        if documents is not None:
            cmd += ["--documents", str(documents)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode:
        print(f"dlgraph ingest failed: {done.stderr.strip()}", file=sys.stderr)
        return
    print(f"whole ingest (dlgraph ingest, every edition, empty data folder): {wall:.1f} s wall, "
          f"{cpu:.1f} s CPU, {os.cpu_count()} cores, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for line in done.stderr.splitlines():  # one line per stage and edition
        print(f"  {line}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", default=os.environ.get("DLGRAPH_MIRROR", "../shared/sites"))
    parser.add_argument("--editions", default="SP20,SP21,FL22")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--documents", default=os.environ.get("DLGRAPH_DOCUMENTS", "../shared/seeds"))
    parser.add_argument("--crawl-only", action="store_true",
                        help="skip timing the whole `dlgraph ingest`")
    args = parser.parse_args(argv)
    mirror = Path(args.mirror)
    if not mirror.is_dir():
        print(f"mirror folder not found: {mirror}", file=sys.stderr)
        return 1
    codes = [c.strip().upper() for c in args.editions.split(",") if c.strip()]

    counts: dict[int, int] = {}
    handler = functools.partial(type("Handler", (_Counting,), {"counts": counts}),
                                directory=str(mirror))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/"
    try:
        with tempfile.TemporaryDirectory(prefix="dlgraph-bench-") as tmp:
            cache = Path(tmp) / "http"
            cold_pages, cold_s = _run(url, cache, codes, args.concurrency)
            cold_counts = dict(counts)
            counts.clear()
            warm_pages, warm_s = _run(url, cache, codes, args.concurrency)
            warm_counts = dict(counts)
    finally:
        server.shutdown()
        server.server_close()

    cold_rate, warm_rate = cold_pages / cold_s, warm_pages / warm_s
    print(f"editions: {', '.join(codes)}  concurrency: {args.concurrency}")
    print(f"cold: {cold_pages} pages in {cold_s:.2f} s = {cold_rate:.0f} pages/s  "
          f"(responses by status: {dict(sorted(cold_counts.items()))})")
    print(f"warm: {warm_pages} pages in {warm_s:.2f} s = {warm_rate:.0f} pages/s  "
          f"(responses by status: {dict(sorted(warm_counts.items()))})")
    print(f"warm/cold speed: {warm_rate / cold_rate:.2f}x")
    print(f"page bodies downloaded on the warm run: {warm_counts.get(200, 0)}")
    # A 404 carries no validator, so a dead link is asked again each run: say how many.
    print(f"404 answers to dead links on the warm run: {warm_counts.get(404, 0)} "
          "(small error bodies, not cached)")
    if not args.crawl_only:
        documents = Path(args.documents)
        _whole_ingest(mirror, documents if documents.is_dir() else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
