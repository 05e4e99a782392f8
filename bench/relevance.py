"""Search relevance: dlgraph against plain BM25 peers (bm25s, tantivy) on judged queries.

Reads judged sets (``bench/relevance.json``, the set ranking was tuned on, and
``bench/relevance-heldout.json``, written before any ranking change and never tuned on: queries
with graded relevant results, identified by stable keys: lecture IRIs, person/reading/document
IRIs, live notes-page URLs). In one process, on the same documents, it runs each query as a
learner would (no filters, spelling correction on, 10 hits) through

* ``dlgraph.search`` on the index of the real editions (built here, or ``--index``);
* ``bm25s`` (English stop words, no stemmer) and ``tantivy`` (its ``en_stem`` tokenizer, lenient
  query parsing, title and body fields) over the same documents, one per recording and language,
  as dlgraph collapses them: a lecture item with its notes pages and sections (and the other
  editions' items of the same recording), one document per language; cards (people, readings,
  themes) are left out when dlgraph returns them apart, and so are judged keys naming them from
  every engine's ranked metrics (dlgraph's cards are scored on their own line).

It prints per-query nDCG@10 of each engine with the judged keys dlgraph missed, then per set and
engine nDCG@10, MRR@10, Recall@10 and latency p50/p95 (as ratios to dlgraph's: the machine is
shared), and a paired bootstrap 95% interval of dlgraph's nDCG@10 minus the best peer's.

A hit matches a key when the key is its ``iri``, ``lecture``, ``url``, ``page_url`` (with or
without the ``#anchor``) or ``video``, or the ``iri`` of a lecture item of the same recording it
names in ``also_in`` (one hit stands for every edition's copy of a video, and links to each).
Each judged key earns its gain once (at its first hit);
the ideal ranking puts every judged key first, best grade first, except that judged lecture items
of the same recording share one place, as search shows them (a place earns its best grade).

Usage: python bench/relevance.py [--mirror ../shared/sites] [--documents ../shared/seeds]
                                 [--data-dir DATA | --index DIR] [--judgements FILE ...]
                                 [--engines dlgraph,bm25s,tantivy] [-v]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path (bench/ingest.py shadows ingest).
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

K = 10


def hit_keys(hit: dict) -> set[str]:
    """Every stable key a hit can be judged by."""
    keys = {hit.get(f) for f in ("iri", "lecture", "url", "page_url", "video")}
    keys.update(other["iri"] for other in hit.get("also_in") or ())
    keys.update(hit.get("keys") or ())
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


def recall(hits: list[dict], judged: dict[str, int], same: dict[str, tuple[str, ...]]) -> float:
    """Share of the judged places (:func:`ideal_gains`, at most K) found among the first K hits."""
    places = len(ideal_gains(judged, same)[:K])
    found = sum(1 for g in gains(hits, judged) if g > 0)
    return min(found, places) / places if places else 0.0


def bootstrap(diffs: list[float], rounds: int = 10_000, seed: int = 15) -> tuple[float, float]:
    """95% interval of the mean of paired per-query differences (queries resampled)."""
    import random

    rng = random.Random(seed)
    n = len(diffs)
    means = sorted(sum(diffs[rng.randrange(n)] for _ in range(n)) / n for _ in range(rounds))
    return means[int(0.025 * rounds)], means[int(0.975 * rounds) - 1]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p * (len(values) - 1))))]


class Dlgraph:
    """``dlgraph.search`` as a learner runs it."""

    name = "dlgraph"

    def __init__(self, ix):
        from dlgraph.search import search

        self.ix, self._search = ix, search

    def __call__(self, query: str) -> tuple[list[dict], str | None]:
        result = self._search(self.ix, query, limit=K)
        return result["hits"], result["suggestion"]


def peer_documents(docs) -> list[dict]:
    """What the peers index: one document per lecture unit (its item, notes pages, sections)
    and language, with every key a hit on it is judged by and the recording twins it stands
    for (``also_in``); cards are left out when dlgraph shows them apart from the hits."""
    from dlgraph import search

    cards = set(getattr(search, "CARD_KINDS", ()))
    buckets: dict[tuple[str, str], dict] = {}
    for d in docs:
        if d.kind in cards:
            continue
        group = d.group or d.iri
        b = buckets.setdefault((group, (d.language or "en").lower()), {
            "group": group, "title": [], "body": [], "keys": {group}, "also_in": set()})
        b["title"].append(d.heading or d.title)
        b["body"].append(" ".join(x for x in (d.text, *(t for _, t in d.other_texts),
                                               d.context, " ; ".join(d.names),
                                               " ".join(d.idents), " ; ".join(d.topic_labels))
                                  if x))
        b["keys"] |= hit_keys({"iri": d.iri, "lecture": d.lecture, "url": d.url,
                               "page_url": d.page_url, "video": d.video})
        b["also_in"].update(d.same_recording)
    return list(buckets.values())


def collapsed(order, peers: list[dict]) -> list[dict]:
    """The first K units of a peer's ranking of ``peers``, collapsed as dlgraph collapses: one
    hit per lecture (its translations too), and a recording's other editions named in it."""
    shown: set[str] = set()
    hits = []
    for i in order:
        p = peers[i]
        if p["group"] in shown:
            continue
        shown.add(p["group"])
        shown.update(p["also_in"])
        hits.append({"keys": sorted(p["keys"]), "also_in": [{"iri": o} for o in p["also_in"]]})
        if len(hits) == K:
            break
    return hits


class Bm25s:
    """Plain bm25s: scikit-learn's tokens, English stop words, no stemming."""

    name = "bm25s"

    def __init__(self, peers: list[dict]):
        import bm25s

        self.bm25s, self.peers = bm25s, peers
        corpus = [" ".join(p["title"]) + "\n" + "\n".join(p["body"]) for p in peers]
        self.model = bm25s.BM25()
        self.model.index(bm25s.tokenize(corpus, stopwords="en", show_progress=False),
                         show_progress=False)

    def __call__(self, query: str) -> tuple[list[dict], None]:
        tokens = self.bm25s.tokenize([query], stopwords="en", show_progress=False)
        if not tokens.vocab:
            return [], None
        found, _ = self.model.retrieve(tokens, k=min(100, len(self.peers)), show_progress=False)
        return collapsed(found[0], self.peers), None


class Tantivy:
    """Plain tantivy: ``en_stem`` title and body fields, lenient query parsing."""

    name = "tantivy"

    def __init__(self, peers: list[dict]):
        import tantivy

        self.peers = peers
        sb = tantivy.SchemaBuilder()
        sb.add_text_field("title", tokenizer_name="en_stem")
        sb.add_text_field("body", tokenizer_name="en_stem")
        sb.add_integer_field("n", stored=True, indexed=True)
        self.index = tantivy.Index(sb.build())
        writer = self.index.writer(heap_size=64_000_000, num_threads=1)
        for n, p in enumerate(peers):
            writer.add_document(tantivy.Document(title=[" ; ".join(p["title"])],
                                                 body=["\n".join(p["body"])], n=[n]))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def __call__(self, query: str) -> tuple[list[dict], None]:
        q, _errors = self.index.parse_query_lenient(query, ["title", "body"])
        found = self.searcher.search(q, 100).hits
        order = [self.searcher.doc(addr)["n"][0] for _, addr in found]
        return collapsed(order, self.peers), None


def evaluate(engine, judgements: list[dict], same, verbose: bool,
             cards: frozenset = frozenset()) -> list[dict]:
    """Every query's nDCG@10, RR, recall and latency (ms) for one engine.

    Judged keys in ``cards`` (people, readings, themes shown apart from the ranked hits, and
    absent from the peers' documents) are left out of the ranked metrics of every engine; a
    query judging only those is not scored."""
    out = []
    for j in judgements:
        judged = {k: g for k, g in j["relevant"].items() if k not in cards}
        if not judged:
            continue
        t = time.perf_counter()
        hits, suggestion = engine(j["query"])
        ms = (time.perf_counter() - t) * 1000
        got = gains(hits, judged)
        row = {"query": j["query"], "kind": j["kind"], "ndcg": ndcg(got, judged, same),
               "rr": reciprocal_rank(got), "recall": recall(hits, judged, same), "ms": ms}
        if verbose and engine.name == "dlgraph":
            found = {k for h in hits[:K] for k in hit_keys(h)}
            missed = [_short(k) for k in judged if k not in found]
            fixed = f" → {suggestion!r}" if suggestion else ""
            print(f"{row['ndcg']:7.3f} {row['rr']:5.2f}  {j['query']}{fixed}  [{j['kind']}]"
                  + (f"  missed: {', '.join(missed)}" if missed else ""))
        out.append(row)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mirror", type=Path, default=Path("../shared/sites"))
    ap.add_argument("--documents", type=Path, default=Path("../shared/seeds"))
    ap.add_argument("--data-dir", type=Path, default=None, help="use the graph stored here")
    ap.add_argument("--index", type=Path, default=None, help="use this built index")
    ap.add_argument("--judgements", type=Path, action="append", default=None)
    ap.add_argument("--engines", default="dlgraph,bm25s,tantivy")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every query")
    args = ap.parse_args()
    sets = args.judgements or [HERE / "relevance.json", HERE / "relevance-heldout.json"]
    wanted = args.engines.split(",")

    from dlgraph.search import open_index
    from dlgraph.searchable import documents

    with tempfile.TemporaryDirectory() as tmp:
        g = _graph(args)
        ix = open_index(args.index or _build(g, Path(tmp)))
        peers = peer_documents(documents(g))
        engines = [e for e in (Dlgraph(ix) if "dlgraph" in wanted else None,
                               Bm25s(peers) if "bm25s" in wanted else None,
                               Tantivy(peers) if "tantivy" in wanted else None) if e]
        known = _all_keys(ix) | {k for p in peers for k in p["keys"]}
        cards = _card_keys(ix)
        for path in sets:
            judgements = json.loads(path.read_text(encoding="utf-8"))["queries"]
            for j in judgements:
                unknown = [_short(k) for k in j["relevant"] if k not in known]
                if unknown:
                    print(f"NOT IN INDEX ({j['query']}): {', '.join(unknown)}")
            for e in engines:  # warm-up: caches, the OS page cache
                for j in judgements:
                    e(j["query"])
            print(f"\n== {path.name}: {len(judgements)} queries")
            rows = {e.name: evaluate(e, judgements, ix.same, args.verbose, cards)
                    for e in engines}
            _report_cards(ix, judgements, cards)
            _report(rows, judgements)
        ix.close()


def _report(rows: dict[str, list[dict]], judgements: list[dict]) -> None:
    base = rows.get("dlgraph")
    base_p50 = percentile([r["ms"] for r in base], 0.5) if base else None
    base_p95 = percentile([r["ms"] for r in base], 0.95) if base else None
    print(f"  {'engine':<8} {'nDCG@10':>7} {'MRR@10':>6} {'R@10':>5} {'p50 ms':>7} {'p95 ms':>7}"
          "  (latency ratio to dlgraph)")
    for name, rs in rows.items():
        p50, p95 = percentile([r["ms"] for r in rs], 0.5), percentile([r["ms"] for r in rs], 0.95)
        ratio = f"  ×{p50 / base_p50:.2f} / ×{p95 / base_p95:.2f}" if base else ""
        print(f"  {name:<8} {statistics.mean(r['ndcg'] for r in rs):7.3f} "
              f"{statistics.mean(r['rr'] for r in rs):6.3f} "
              f"{statistics.mean(r['recall'] for r in rs):5.3f} {p50:7.2f} {p95:7.2f}{ratio}")
    kinds = sorted({j["kind"] for j in judgements})
    print("  per kind (nDCG@10): " + "; ".join(
        f"{k} " + "/".join(f"{statistics.mean(r['ndcg'] for r in rs if r['kind'] == k):.2f}"
                           for rs in rows.values()) for k in kinds)
        + f"  ({'/'.join(rows)})")
    peers = {n: rs for n, rs in rows.items() if n != "dlgraph"}
    if base and peers:
        best = max(peers, key=lambda n: statistics.mean(r["ndcg"] for r in peers[n]))
        diffs = [a["ndcg"] - b["ndcg"] for a, b in zip(base, peers[best], strict=True)]
        lo, hi = bootstrap(diffs)
        print(f"  dlgraph − {best} (best peer): nDCG@10 {statistics.mean(diffs):+.3f}, paired "
              f"bootstrap 95% interval [{lo:+.3f}, {hi:+.3f}]"
              + ("  (above zero)" if lo > 0 else ""))


def _graph(args):
    if args.data_dir:
        from dlgraph.store import load_graph

        return load_graph(args.data_dir)
    from dlgraph.pipeline import build
    from ingest.mirror import MirrorFetcher
    from ingest.pipeline import ingest
    from ingest.registry import EDITIONS

    return build(ingest(list(EDITIONS), MirrorFetcher(args.mirror), args.documents))


def _build(g, tmp: Path) -> Path:
    from dlgraph.search import build_index

    build_index(g, tmp / "index")
    return tmp / "index"


def _card_keys(ix) -> frozenset[str]:
    """The keys of the documents dlgraph shows as cards, beside the ranked hits."""
    from dlgraph import search

    kinds = set(getattr(search, "CARD_KINDS", ()))
    return frozenset(k for d in range(len(ix)) if ix.kinds[d] in kinds
                     for k in hit_keys(ix.searcher.stored_fields(d)["meta"]))


def _report_cards(ix, judgements: list[dict], cards: frozenset) -> None:
    """How often a judged person, reading or theme is among dlgraph's cards."""
    from dlgraph.search import search

    asked = [j for j in judgements if cards & set(j["relevant"])]
    if not asked:
        return
    found = sum(1 for j in asked if cards & set(j["relevant"]) & {
        k for c in search(ix, j["query"], limit=K).get("cards", ()) for k in hit_keys(c)})
    print(f"  cards: a judged person/reading/theme among dlgraph's cards for {found} of "
          f"{len(asked)} queries judging one (left out of the ranked metrics below)")


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
