"""Crawl speed over loopback HTTP: a cold crawl (empty cache), then a warm re-run.

Serves a mirror folder with ``http.server`` on 127.0.0.1 (which sends Last-Modified and
answers If-Modified-Since with 304), crawls every edition's site through
:class:`ingest.fetch.HttpFetcher` with an on-disk cache, and prints pages per second for
both runs, their ratio, and how many response bodies the warm run downloaded (0 when
nothing changed). Then, unless ``--crawl-only``, times the README's main command itself:
``dlgraph ingest`` of every edition from the mirror folder into an empty data folder
(crawl, parse, graph, search index), wall clock and CPU seconds, peak memory and the index
size on disk, with the line each stage prints — once with ``--repos none`` and once with the
repositories folder, and the ratios of the two (the repositories may add at most 30% CPU).
This is the figure the README's "about a minute" quotes. Last, the repository stage on its
own (transcripts, notebooks, slides): the CPU of reading and parsing them, and what they add
to the graph build and the search index, in one process against the same work without them.

Usage: python bench/ingest.py [--mirror ../shared/sites] [--documents ../shared/seeds]
       [--repos ../shared/repos|none] [--editions SP20,SP21,FL22] [--repeat N] [--crawl-only]
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
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


def _tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in Path(folder).resolve().rglob("*") if p.is_file())


def _whole_ingest(mirror: Path, documents: Path | None, repos: Path | None) -> dict | None:
    """``dlgraph ingest`` end to end in a fresh process and data folder; its figures.

    ``repos`` is the repositories folder, or ``None`` for ``--repos none`` (pages only).
    CPU and peak memory are the child's own (``wait4``), so two runs in one bench do not
    mix: ``RUSAGE_CHILDREN``'s peak is the largest of every child so far.
    """
    with tempfile.TemporaryDirectory(prefix="dlgraph-bench-ingest-") as tmp:
        data = Path(tmp) / "data"
        cmd = [sys.executable, "-m", "dlgraph", "ingest", "--mirror", str(mirror),
               "--data-dir", str(data), "--repos", str(repos) if repos else "none"]
        if documents is not None:
            cmd += ["--documents", str(documents)]
        with open(Path(tmp) / "out", "w+") as out, open(Path(tmp) / "err", "w+") as err:
            started = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True)
            _pid, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - started
            proc.returncode = os.waitstatus_to_exitcode(status)
            err.seek(0)
            lines = err.read().splitlines()
        if proc.returncode:
            print(f"dlgraph ingest failed: {' / '.join(lines[-3:])}", file=sys.stderr)
            return None
        return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                "rss": usage.ru_maxrss * 1024,  # Linux reports KiB
                "index": _tree_bytes(data / "index"), "data": _tree_bytes(data) - _cache_bytes(data),
                "lines": lines}


def _cache_bytes(data: Path) -> int:
    # the HTTP cache is the fetcher's, not what the ingest produced
    return _tree_bytes(data / "cache") if (data / "cache").is_dir() else 0


def _report_whole(mirror: Path, documents: Path | None, repos: Path | None,
                  repeat: int = 1) -> None:
    """The whole ingest without, then with, the repositories, and their ratios (same run).

    With ``repeat`` > 1 the pair is run that many times, and the ratio is also given of the
    two medians: on a shared machine one pair's ratio moves with the load. Every other pair
    runs the other way round (with, then without): a machine that slows down over a bench
    (seen here: the same ingest 15% slower after ten minutes) would otherwise always count
    against the second run of a pair.
    """
    pairs = []
    loads = []
    for n in range(max(1, repeat)):
        loads.append(os.getloadavg()[0])
        order = [("without", None), ("with", repos)] if repos is not None else [("without", None)]
        if n % 2:
            order.reverse()
        found = {label: _whole_ingest(mirror, documents, folder) for label, folder in order}
        pairs.append({label: found[label] for label in ("without", "with") if label in found})
    print(f"whole ingest (dlgraph ingest, every edition, empty data folder; {os.cpu_count()} cores, "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}):")
    for n, runs in enumerate(pairs, 1):
        if len(pairs) > 1:
            first = "without" if n % 2 else "with"
            print(f" run {n} of {len(pairs)} ({first} first; load average {loads[n - 1]:.1f} "
                  "as it began):")
        for label, fig in runs.items():
            if fig is None:
                continue
            print(f"  {label} repositories: {fig['wall']:.1f} s wall, {fig['cpu']:.1f} s CPU, peak RSS "
                  f"{fig['rss'] / 2**20:.0f} MiB, index {fig['index'] / 2**20:.1f} MiB on disk "
                  f"(data folder without the HTTP cache {fig['data'] / 2**20:.1f} MiB)")
            if n == len(pairs):
                for line in fig["lines"]:  # one line per stage and edition
                    print(f"    {line}")
        base, full = runs["without"], runs.get("with")
        if base and full:
            ratio = full["cpu"] / base["cpu"]
            verdict = "within" if ratio <= CPU_CAP else "OVER"
            print(f"  with/without the repositories: CPU {ratio:.2f}x ({verdict} the {CPU_CAP:.2f}x cap), "
                  f"wall {full['wall'] / base['wall']:.2f}x, peak RSS {full['rss'] / base['rss']:.2f}x, "
                  f"index size {full['index'] / base['index']:.2f}x")
    done = [r for r in pairs if r["without"] and r.get("with")]
    if len(done) > 1:
        cpu0 = statistics.median(r["without"]["cpu"] for r in done)
        cpu1 = statistics.median(r["with"]["cpu"] for r in done)
        ratio = cpu1 / cpu0
        verdict = "within" if ratio <= CPU_CAP else "OVER"
        print(f" medians of {len(done)} runs: without {cpu0:.1f} s CPU, with {cpu1:.1f} s CPU: "
              f"{ratio:.2f}x ({verdict} the {CPU_CAP:.2f}x cap); each run's ratio "
              + ", ".join(f"{r['with']['cpu'] / r['without']['cpu']:.2f}x" for r in done))


#: Issue 13: transcripts, notebooks and slides may add at most 30% to the ingest's CPU time.
CPU_CAP = 1.30


def _repository_stage(mirror: Path, repos: Path, codes: list[str]) -> None:
    """CPU of the repository stage, and what it adds downstream, as same-process ratios."""
    from dlgraph.pipeline import build
    from dlgraph.search import build_index
    from ingest.media import read_repository
    from ingest.mirror import MirrorFetcher
    from ingest.pipeline import ingest
    from ingest.repos import FolderRepository

    cpu = time.process_time
    started = cpu()
    pages = ingest(codes, MirrorFetcher(mirror), None)
    pages_cpu = cpu() - started
    started = cpu()
    full = []
    for rec in pages:
        spec = EDITIONS[rec.edition]
        if spec.repository:
            rec = read_repository(rec, spec.base_url, FolderRepository(repos, spec.repo))
        full.append(rec)
    media_cpu = cpu() - started
    figures = {}
    with tempfile.TemporaryDirectory(prefix="dlgraph-bench-media-") as tmp:
        for label, records in (("without", pages), ("with", full)):
            started = cpu()
            g = build(records)
            graph_cpu = cpu() - started
            started = cpu()
            docs = build_index(g, Path(tmp) / label / "index")
            index_cpu = cpu() - started
            figures[label] = (graph_cpu, index_cpu, len(g), docs, _tree_bytes(Path(tmp) / label / "index"))
            del g
    (g0, i0, t0, d0, b0), (g1, i1, t1, d1, b1) = figures["without"], figures["with"]
    files = sum(len(r.transcripts) + len(r.notebooks) + len(r.slides) for r in full)
    whole0, whole1 = pages_cpu + g0 + i0, pages_cpu + media_cpu + g1 + i1
    print("repository stage, in this process (crawl and parse of the pages from the mirror folder, "
          "no saving):")
    print(f"  reading and parsing: {files} transcripts, notebooks and decks in {media_cpu:.2f} s CPU "
          f"({media_cpu / pages_cpu:.2f}x the crawl and parse of the pages, {pages_cpu:.2f} s)")
    print(f"  graph build: +{g1 - g0:.2f} s CPU for them, {g1 / g0:.2f}x ({t0:,} → {t1:,} triples)")
    print(f"  search index: +{i1 - i0:.2f} s CPU for them, {i1 / i0:.2f}x ({d0:,} → {d1:,} documents; "
          f"{b0 / 2**20:.1f} → {b1 / 2**20:.1f} MiB on disk)")
    stage = media_cpu + (g1 - g0) + (i1 - i0)
    print(f"  the stage in all (reading + its graph + its index): {stage:.1f} s CPU = "
          f"{stage / whole0:.2f} of the ingest without it; ingest {whole1 / whole0:.2f}x "
          f"({whole0:.1f} → {whole1:.1f} s)")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", default=os.environ.get("DLGRAPH_MIRROR", "../shared/sites"))
    parser.add_argument("--editions", default="SP20,SP21,FL22")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--documents", default=os.environ.get("DLGRAPH_DOCUMENTS", "../shared/seeds"))
    parser.add_argument("--repos", default=os.environ.get("DLGRAPH_REPOS", "../shared/repos"),
                        help="the repositories folder; 'none': pages only, no with/without figures")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run the whole ingest without and with the repositories this many "
                             "times, alternately, and give the ratio of the medians too")
    parser.add_argument("--crawl-only", action="store_true",
                        help="skip timing the whole `dlgraph ingest` and the repository stage")
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
        repos = None if args.repos.lower() == "none" else Path(args.repos)
        if repos is not None and not repos.is_dir():
            print(f"repos folder not found: {repos}", file=sys.stderr)
            return 1
        _report_whole(mirror, documents if documents.is_dir() else None, repos, args.repeat)
        if repos is not None:
            _repository_stage(mirror, repos, codes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
