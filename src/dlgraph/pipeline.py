"""From records to everything derived: the graph, then the search index.

``build`` is the one sequence every caller uses (CLI, tests, app fixtures), so the graph is
always built the same way: base graph, repository files (transcripts, notebooks, slides),
name spellings, site pages, cross-edition links, readings, body links, topics, lineage.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from rdflib import Graph

from dlgraph import collector, lineage, links, mentions, readings, site_pages, spellings, topics
from dlgraph.build import build_graph
from dlgraph.build_media import add_media
from dlgraph.graphs import edition_list
from dlgraph.records import EditionRecords
from dlgraph.relink import relinked
from dlgraph.stats import graph_stats

Progress = Callable[[str, int, int], None]


def build(records: Iterable[EditionRecords], repaired: list[tuple[str, str]] | None = None) -> Graph:
    """The complete graph of ``records``: base graph, then each enrichment in order.

    IRIs that cannot be written (a page's ``href`` holding a quote) are percent-encoded
    (:func:`repair_iris`); pass a list as ``repaired`` to learn which, as (was, now) pairs.
    """
    # a notebook one edition's repository stage found under another spelling is one node
    # for every edition linking it
    records = relinked(records)
    # rdflib logs "does not look like a valid URI" for each bad link; they are repaired below.
    term_log = logging.getLogger("rdflib.term")
    level = term_log.level
    term_log.setLevel(logging.ERROR)
    try:
        g = build_graph(records)
        add_media(g, records)
        spellings.add_spellings(g, records, _home_urls())
        site_pages.add_site_pages(g, records)
        links.add_cross_edition_links(g)
        readings.add_readings(g, records)
        mentions.add_body_links(g, records)
        topics.tag_graph(g)
        lineage.add_lineage(g)
    finally:
        term_log.setLevel(level)
    fixed = repair_iris(g)
    if repaired is not None:
        repaired.extend(fixed)
    return g


def repair_iris(g: Graph) -> list[tuple[str, str]]:
    """Percent-encode, in place, every IRI of ``g`` that Turtle cannot hold; (was, now) pairs.

    One bad link on one page must not stop the whole graph from being saved.
    """
    from rdflib import URIRef

    from dlgraph.vocab import repair_iri

    # The IRIs only, gathered in one pass: a set of every node would hash each literal (a
    # Python call per term), which took longer than the check itself.
    iris = set()
    for s, p, o in g:
        if isinstance(s, URIRef):
            iris.add(s)
        iris.add(p)
        if isinstance(o, URIRef):
            iris.add(o)
    bad = {}
    for node in iris:
        fixed = repair_iri(str(node))
        if fixed is not None:
            bad[node] = URIRef(fixed)
    for old, new in bad.items():
        for s, p, o in list(g.triples((old, None, None))):
            g.remove((s, p, o))
            g.add((new, p, o))
        for s, p, o in list(g.triples((None, None, old))):
            g.remove((s, p, o))
            g.add((s, p, new))
        for s, p, o in list(g.triples((None, old, None))):
            g.remove((s, p, o))
            g.add((s, new, o))
    return sorted((str(a), str(b)) for a, b in bad.items())


def _home_urls() -> dict[str, str | None]:
    from ingest.registry import EDITIONS

    return {code: spec.base_url for code, spec in EDITIONS.items()}


def after_ingest(data_dir: Path, progress: Progress | None = None, with_index: bool = True,
                 force: bool = False) -> dict:
    """Everything derived from the records saved under ``data_dir``: graph, then search index.

    Loads the records (``store.load_records``), builds the complete graph (:func:`build`),
    saves it (``store.save_graph``), then (unless ``with_index`` is false) builds the search
    index into ``data_dir/index``. ``progress(stage, done, total)`` is called with stage
    ``"graph"`` and ``"index"``.

    When the records files and the code that builds from them are those the saved graph and
    index were built from (``store.build_state``), nothing is rebuilt, unless ``force``: the
    build is a pure function of the two.

    Returns
    -------
    dict
        ``{"editions": [...], "triples": N, "graph": "<path of graph.ttl>", "indexed": N or None,
        "repaired_iris": [{"was": …, "now": …}], "unchanged": bool}`` (links percent-encoded to
        be written; ``unchanged``: the saved graph and index were current, nothing was built).

    Raises
    ------
    FileNotFoundError
        When ``data_dir`` holds no saved records.
    """
    from dlgraph import datadir, store

    data_dir = Path(data_dir)
    inputs = store.records_digest(data_dir, code_fingerprint())
    if inputs is None:
        raise FileNotFoundError(f"no records in {store.records_dir(data_dir)}: run `dlgraph ingest` first")
    state = store.build_state(data_dir)
    if (not force and state.get("inputs") == inputs and store.graph_is_current(data_dir)
            and (not with_index or (state.get("indexed") is not None
                                    and (data_dir / "index").is_dir()))):
        return {**{k: state.get(k) for k in ("editions", "triples", "indexed", "repaired_iris")},
                "graph": str(data_dir / store.GRAPH_TTL), "unchanged": True}
    generation = (datadir.read_marker(data_dir) or {}).get("records")
    with collector.paused():
        return _build_and_save(data_dir, inputs, generation, progress, with_index)


def _build_and_save(data_dir: Path, inputs: str, generation, progress: Progress | None,
                    with_index: bool) -> dict:
    from dlgraph import datadir, search, store

    records = store.load_records(data_dir)
    if not records:
        raise FileNotFoundError(f"no records in {store.records_dir(data_dir)}: run `dlgraph ingest` first")
    if progress:
        progress("graph", 0, 1)
    repaired: list[tuple[str, str]] = []
    g = build(records, repaired)
    # Answers the commands would otherwise count through the store, node by node.
    ttl = store.save_graph(g, data_dir, built_from=generation,
                           summaries={"stats": graph_stats(g)})
    # the app's edition lists: what the graph holds, readable without loading it
    store.save_editions(edition_list(g), data_dir)
    if progress:
        progress("graph", 1, 1)
    indexed = None
    if with_index:
        relay = (lambda done, total: progress("index", done, total)) if progress else None
        indexed = search.build_index(g, data_dir / "index", relay)
        datadir.mark(data_dir, "index", generation)
    result = {
        "editions": [rec.edition for rec in records],
        "triples": len(g),
        "graph": str(ttl),
        "indexed": indexed,
        "repaired_iris": [{"was": a, "now": b} for a, b in repaired],
    }
    store.save_build_state(data_dir, {"inputs": inputs, **result})
    return {**result, "unchanged": False}


def code_fingerprint() -> str:
    """Digest of the code and data files the graph and index are built with, and versions."""
    from dlgraph.fingerprint import package_digest

    return package_digest()
