"""A link the graph cannot hold as an IRI is repaired and reported, never fatal."""

from __future__ import annotations

import dataclasses

from click.testing import CliRunner
from rdflib import Graph, URIRef

from dlgraph import store
from dlgraph.cli import cli
from dlgraph.pipeline import build
from dlgraph.records import Link, Resource

BAD = 'https://arxiv.org/abs/2010.01003"x'


def _with_bad_links(records):
    out = []
    for rec in records:
        if rec.pages:
            page = rec.pages[0]
            page = dataclasses.replace(page, links=(*page.links, Link(BAD, "a paper", "see it")))
            rec = dataclasses.replace(rec, pages=(page, *rec.pages[1:]))
        if rec.lectures:
            lec = rec.lectures[0]
            extra = Resource("other", "https://example.org/a b<c>", "https://example.org/a b<c>")
            lec = dataclasses.replace(lec, resources=(*lec.resources, extra))
            rec = dataclasses.replace(rec, lectures=(lec, *rec.lectures[1:]))
        out.append(rec)
    return out


def test_bad_iris_are_percent_encoded_and_reported(small_records, tmp_path):
    repaired = []
    g = build(_with_bad_links(small_records), repaired)
    was = {a for a, _ in repaired}
    assert BAD in was and "https://example.org/a b<c>" in was
    assert URIRef("https://arxiv.org/abs/2010.01003%22x") in set(g.all_nodes())
    store.save_graph(g, tmp_path)  # Turtle can be written…
    assert len(Graph().parse(tmp_path / "graph.ttl")) == len(g)  # …and read back whole


def test_dlgraph_build_succeeds_and_says_what_it_repaired(small_records, tmp_path):
    store.save_records(_with_bad_links(small_records), tmp_path)
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "build", "--no-index"])
    assert result.exit_code == 0, result.output
    assert "percent-encoded" in result.output and "%22x" in result.output
