"""Where a cold ingest's CPU goes, stage by stage, in one process, against the parse floor.

From a data folder that already holds records (any ``dlgraph ingest`` output; nothing in it
is written), each stage of building the graph and index is timed in CPU seconds of this
process, in the order ``dlgraph ingest`` runs them:

* floor: read every HTML page of the mirror and parse it with lxml (what no ingest can beat);
* parse: the page parsers over the same mirror (``ingest.pipeline.ingest`` without fetching:
  the mirror is read from disk), with no parsed-page memo;
* records reload (``store.load_records``), then each step of ``dlgraph.pipeline.build``
  (base graph, media, spellings, site pages, links, readings, body links, topic tagging,
  lineage, IRI repair);
* graph save (``store.save_graph``: the Oxigraph store, the Turtle and the summaries);
* search index (``dlgraph.search.build_index``), timed separately (issue 15 owns it).

Each figure is printed with its ratio to the floor of the same run.

Usage: python bench/stages.py --data /tmp/data-lead --mirror ../shared/sites [--no-index]
       [--no-parse] [--json]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]


def _floor(mirror: Path) -> tuple[float, int]:
    import lxml.html

    start, n = time.process_time(), 0
    for path in sorted(mirror.rglob("*.html")):
        lxml.html.fromstring(path.read_bytes())
        n += 1
    return time.process_time() - start, n


def _timed(out: dict, name: str, fn, *args, **kwargs):
    start = time.process_time()
    value = fn(*args, **kwargs)
    out[name] = time.process_time() - start
    return value


def _parse(mirror: Path, documents: Path | None, out: dict) -> None:
    """The crawl and parse of every edition from the mirror, no memo, no repositories."""
    from ingest import pipeline as ingest_pipeline
    from ingest.memo import ParseMemo
    from ingest.mirror import MirrorFetcher
    from ingest.registry import EDITIONS

    _timed(out, "crawl + parse (no memo, no repositories)", ingest_pipeline.ingest,
           list(EDITIONS), MirrorFetcher(mirror), documents, memo=ParseMemo())


def _build(data: Path, out: dict, with_index: bool) -> None:
    from dlgraph import lineage, links, mentions, pipeline, readings, site_pages, spellings, store
    from dlgraph import topics as topics_mod
    from dlgraph.build import build_graph
    from dlgraph.build_media import add_media
    from dlgraph.relink import relinked

    records = _timed(out, "records reload", store.load_records, data)
    records = _timed(out, "relink", relinked, records)
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    g = _timed(out, "base graph", build_graph, records)
    _timed(out, "media (transcripts, notebooks, slides)", add_media, g, records)
    _timed(out, "spellings", spellings.add_spellings, g, records, pipeline._home_urls())
    _timed(out, "site pages", site_pages.add_site_pages, g, records)
    _timed(out, "cross-edition links", links.add_cross_edition_links, g)
    _timed(out, "readings", readings.add_readings, g, records)
    _timed(out, "body links", mentions.add_body_links, g, records)
    _timed(out, "topic tagging", topics_mod.tag_graph, g)
    _timed(out, "lineage", lineage.add_lineage, g)
    _timed(out, "IRI repair", pipeline.repair_iris, g)
    out["triples"] = len(g)
    with tempfile.TemporaryDirectory(prefix="dlgraph-stages-") as tmp:
        _timed(out, "graph save", store.save_graph, g, Path(tmp))
        if with_index:
            from dlgraph.search import build_index

            _timed(out, "search index (issue 15)", build_index, g, Path(tmp) / "index")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="a data folder holding records")
    ap.add_argument("--mirror", type=Path, default=Path("../shared/sites"))
    ap.add_argument("--documents", type=Path, default=Path("../shared/seeds"))
    ap.add_argument("--no-index", action="store_true", help="leave the search index out")
    ap.add_argument("--no-parse", action="store_true", help="leave the crawl and parse out")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    out: dict = {}
    floor, pages = _floor(args.mirror)
    if not args.no_parse:
        _parse(args.mirror, args.documents if args.documents.is_dir() else None, out)
    _build(args.data, out, not args.no_index)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.json:
        print(json.dumps({"floor": floor, "pages": pages, "stages": out, "peak_mib": peak},
                         indent=1))
        return
    print(f"machine load (1/5/15 min): {' '.join(f'{x:.1f}' for x in os.getloadavg())} on "
          f"{os.cpu_count()} CPUs")
    print(f"floor: read + lxml-parse {pages} pages = {floor:.2f} s CPU")
    total = 0.0
    for name, cpu in out.items():
        if name == "triples" or cpu is None:
            continue
        total += cpu
        print(f"  {name:40s} {cpu:6.2f} s CPU  {cpu / floor:6.1f}x floor")
    print(f"  {'all stages':40s} {total:6.2f} s CPU  {total / floor:6.1f}x floor (goal 3x); "
          f"{out['triples']} triples; peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
