"""Search relevance: nDCG@10 and MRR of ``dlgraph.search`` on judged queries.

Reads ``bench/relevance.json`` (queries with graded relevant results, identified by stable keys:
lecture IRIs, person/reading/document IRIs, live notes-page URLs), builds the index of the real
editions (or opens ``--index``), runs each query as a learner would (no filters, spelling
correction on, 10 hits) and prints per-query nDCG@10, reciprocal rank and the judged keys it
missed, then the means overall and per kind of query. Aim: mean nDCG@10 ≥ 0.85.

A hit matches a key when the key is its ``iri``, ``lecture``, ``url``, ``page_url`` (with or
without the ``#anchor``) or ``video``, or the ``iri`` of a lecture item of the same recording it
names in ``also_in`` (one hit stands for every edition's copy of a video, and links to each).
Each judged key earns its gain once (at its first hit);
the ideal ranking puts every judged key first, best grade first, except that judged lecture items
of the same recording share one place, as search shows them (a place earns its best grade).

Usage: python bench/relevance.py [--mirror ../shared/sites] [--documents ../shared/seeds]
                                 [--data-dir DATA | --index DIR] [--judgements FILE]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path (bench/ingest.py shadows ingest).
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

K = 10


def hit_keys(hit: dict) -> set[str]:
    """Every stable key a hit can be judged by."""
    keys = {hit.get(f) for f in ("iri", "lecture", "url", "page_url", "video")}
    keys.update(other["iri"] for other in hit.get("also_in") or ())
    for f in ("iri", "page_url"):
        if hit.get(f) and "#" in hit[f]:
            keys.add(hit[f].split("#", 1)[0])
    return {k for k in keys if k}


def gains(hits: list[dict], judged: dict[str, int]) -> list[int]:
    """The gain of each of the first K hits: a judged key counts once, at its first hit."""
    found, out = set(), []
    for hit in hits[:K]:
        new = [k for k in hit_keys(hit) if k in judged and k not in found]
        found.update(new)
        out.append(max((judged[k] for k in new), default=0))
    return out


def ideal_gains(judged: dict[str, int], same: dict[str, tuple[str, ...]]) -> list[int]:
    """The grades of the best ranking search can give: best first, and a judged key of the
    same recording as one already placed shares its place (search collapses them into one hit,
    naming the other in ``also_in``), as :func:`dlgraph.search.results._units` does."""
    placed: list[str] = []
    out = []
    for key, grade in sorted(judged.items(), key=lambda kv: (-kv[1], kv[0])):
        if not any(other in placed for other in same.get(key, ())):
            placed.append(key)
            out.append(grade)
    return out


def ndcg(got: list[int], judged: dict[str, int],
         same: dict[str, tuple[str, ...]] | None = None) -> float:
    """nDCG@K with gains 2^grade - 1."""
    def dcg(gs):
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gs[:K]))

    ideal = dcg(ideal_gains(judged, same or {}))
    return dcg(got) / ideal if ideal else 0.0


def reciprocal_rank(got: list[int]) -> float:
    return next((1 / (i + 1) for i, g in enumerate(got) if g > 0), 0.0)


def _index(args, tmp: Path) -> Path:
    if args.index:
        return args.index
    from dlgraph.search import build_index

    if args.data_dir:
        from dlgraph.store import load_graph

        g = load_graph(args.data_dir)
    else:
        from dlgraph.pipeline import build
        from ingest.fetch import MirrorFetcher
        from ingest.pipeline import ingest
        from ingest.registry import EDITIONS

        g = build(ingest(list(EDITIONS), MirrorFetcher(args.mirror), args.documents))
    build_index(g, tmp / "index")
    return tmp / "index"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mirror", type=Path, default=Path("../shared/sites"))
    ap.add_argument("--documents", type=Path, default=Path("../shared/seeds"))
    ap.add_argument("--data-dir", type=Path, default=None, help="use the graph stored here")
    ap.add_argument("--index", type=Path, default=None, help="use this built index")
    ap.add_argument("--judgements", type=Path, default=HERE / "relevance.json")
    args = ap.parse_args()

    from dlgraph.search import open_index, search

    judgements = json.loads(args.judgements.read_text(encoding="utf-8"))["queries"]
    with tempfile.TemporaryDirectory() as tmp:
        ix = open_index(_index(args, Path(tmp)))
        known = _all_keys(ix)
        rows, by_kind = [], defaultdict(list)
        print(f"{'nDCG@10':>7} {'RR':>5}  query  [kind]  (missed judged keys)")
        for j in judgements:
            judged = j["relevant"]
            unknown = [k for k in judged if k not in known]
            result = search(ix, j["query"], limit=K)
            got = gains(result["hits"], judged)
            n, rr = ndcg(got, judged, ix.same), reciprocal_rank(got)
            rows.append((n, rr))
            by_kind[j["kind"]].append(n)
            found = {k for h in result["hits"][:K] for k in hit_keys(h)}
            missed = [_short(k) for k in judged if k not in found]
            fixed = f" → {result['suggestion']!r}" if result["suggestion"] else ""
            print(f"{n:7.3f} {rr:5.2f}  {j['query']}{fixed}  [{j['kind']}]"
                  + (f"  missed: {', '.join(missed)}" if missed else "")
                  + (f"  NOT IN INDEX: {', '.join(map(_short, unknown))}" if unknown else ""))
        ix.close()
    print()
    for kind, ns in sorted(by_kind.items()):
        print(f"  {kind:<12} nDCG@10 {statistics.mean(ns):.3f}  ({len(ns)} queries)")
    mean_ndcg = statistics.mean(n for n, _ in rows)
    print(f"{len(rows)} queries: mean nDCG@10 {mean_ndcg:.3f}, "
          f"MRR {statistics.mean(rr for _, rr in rows):.3f}  (aim: nDCG@10 ≥ 0.85: "
          f"{'met' if mean_ndcg >= 0.85 else 'NOT met'})")


def _all_keys(ix) -> set[str]:
    """Every key any document of the index can be matched by (to flag judgements that cannot)."""
    keys = set()
    for d in range(len(ix)):
        m = ix.searcher.stored_fields(d)["meta"]
        keys |= hit_keys(m)
    return keys


def _short(key: str) -> str:
    return (key.replace("https://w3id.org/dlgraph/id/edition/", "")
            .replace("https://w3id.org/dlgraph/id/", "")
            .replace("https://atcold.github.io/", ""))


if __name__ == "__main__":
    main()
