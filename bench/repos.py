"""The repository stage of an ingest on its own: transcripts, notebooks and slides.

The CPU seconds of reading the course repositories' files, and what they add to the graph and
the search index (CPU, triples, documents, index size), each as a ratio to the same work
without them, measured in the same process; and the process's peak memory.

Usage: python bench/repos.py [--mirror ../shared/sites] [--repos ../shared/repos] [--editions SP20,SP21,FL22]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would shadow
# the ``ingest`` package it measures.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from ingest.registry import EDITIONS  # noqa: E402


def _tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in Path(folder).resolve().rglob("*") if p.is_file())


def _repository_stage(mirror: Path, repos: Path, codes: list[str]) -> None:
    """CPU of the repository stage, and what it adds downstream, as same-run ratios."""
    import resource

    from dlgraph.pipeline import build
    from dlgraph.search import build_index
    from ingest.media import read_repository
    from ingest.mirror import MirrorFetcher
    from ingest.pipeline import ingest
    from ingest.repos import FolderRepository, RepoRef

    cpu = time.process_time
    started = cpu()
    pages = ingest(codes, MirrorFetcher(mirror), None)
    pages_cpu = cpu() - started
    started = cpu()
    full = []
    for rec in pages:
        spec = EDITIONS[rec.edition]
        if spec.repository:
            repo = FolderRepository(repos, RepoRef.parse(spec.repository))
            rec = read_repository(rec, spec.base_url, repo)
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
    print(f"repository stage: {files} files read in {media_cpu:.2f} s CPU "
          f"({media_cpu / pages_cpu:.2f}x the crawl and parse of the pages, {pages_cpu:.2f} s)")
    print(f"graph build: {g1 / g0:.2f}x CPU with the repositories ({t0:,} → {t1:,} triples)")
    print(f"search index: {i1 / i0:.2f}x CPU ({d0:,} → {d1:,} documents; "
          f"{b0 / 2**20:.1f} → {b1 / 2**20:.1f} MiB on disk)")
    whole0, whole1 = pages_cpu + g0 + i0, pages_cpu + media_cpu + g1 + i1
    print(f"whole ingest without saving: {whole1 / whole0:.2f}x CPU ({whole0:.1f} → {whole1:.1f} s)")
    print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", default=os.environ.get("DLGRAPH_MIRROR", "../shared/sites"))
    parser.add_argument("--repos", default=os.environ.get("DLGRAPH_REPOS", "../shared/repos"))
    parser.add_argument("--editions", default="SP20,SP21,FL22")
    args = parser.parse_args(argv)
    if not Path(args.mirror).is_dir() or not Path(args.repos).is_dir():
        print(f"mirror or repos folder not found: {args.mirror}, {args.repos}", file=sys.stderr)
        return 1
    codes = [c.strip().upper() for c in args.editions.split(",") if c.strip()]
    _repository_stage(Path(args.mirror), Path(args.repos), codes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
