"""Analyses as functions of a graph (dlgraph.analyses)."""

from __future__ import annotations

import pytest
from fixtures.lineage_records import lineage_records
from rdflib import URIRef

from dlgraph import analyses
from dlgraph.analyses import (
    central_topics,
    components,
    learning_path,
    people_roles,
    scheme_counts,
    to_networkx,
    topic_cooccurrence,
    untagged,
)
from dlgraph.lineage import edition_items, videos
from dlgraph.pipeline import build
from dlgraph.topics import topics_of
from dlgraph.vocab import lecture_iri, person_iri


@pytest.fixture(scope="module")
def graph():
    return build(lineage_records())


# -- networkx in one place -------------------------------------------------------------------


def test_to_networkx_sums_repeated_edges():
    G = to_networkx([("a", "b", 2), ("b", "a", 3), ("b", "c")], nodes=["z"])
    assert G["a"]["b"]["weight"] == 5 and G["b"]["c"]["weight"] == 1
    assert "z" in G


def test_components_largest_first():
    assert components([(1, 2), (2, 3), (4, 5)]) == [{1, 2, 3}, {4, 5}]


# -- learning path -------------------------------------------------------------------------


@pytest.mark.parametrize("topic", ["history-and-motivation", "energy-based-models", "graph neural nets"])
def test_learning_path_never_repeats_a_recording(graph, topic):
    steps = learning_path(graph, topic)
    assert steps
    seen = set()
    for step in steps:
        vids = videos(graph, URIRef(step["iri"]))
        assert not vids & seen, step["title"]
        seen |= vids


def test_learning_path_prefers_the_newest_edition(graph):
    steps = learning_path(graph, "History")
    assert [s["iri"] for s in steps] == [str(lecture_iri("FL22", "01"))]
    assert steps[0]["replaces"] == [
        {"iri": str(lecture_iri("SP21", "t1.1")), "title": "History of toy networks", "edition": "SP21"}
    ]


def test_learning_path_skips_what_a_newer_item_re_records(graph):
    steps = learning_path(graph, "EBM")
    iris = [s["iri"] for s in steps]
    assert str(lecture_iri("FL22", "05")) in iris
    assert str(lecture_iri("SP21", "t2.1")) not in iris
    assert str(lecture_iri("SP20", "07-1")) not in iris
    assert [s["step"] for s in steps] == list(range(1, len(steps) + 1))


def test_learning_path_keeps_one_of_two_parts_sharing_a_video(graph):
    steps = learning_path(graph, "graph-neural-nets")
    assert len(steps) == 1 and steps[0]["edition"] == "SP21"


def test_learning_path_unknown_topic(graph):
    with pytest.raises(LookupError, match="close matches"):
        learning_path(graph, "enrgy based modles")


# -- topics ----------------------------------------------------------------------------------


def test_cooccurrence_counts_pairs_and_skips_ancestors(graph):
    pairs = topic_cooccurrence(graph)
    assert pairs and pairs == sorted(pairs, key=lambda d: (-d["count"], d["a"], d["b"]))
    all_topics = topics_of(graph)
    by_slug = {t.slug: t.iri for t in all_topics.values()}
    from dlgraph.topics import ancestors

    for p in pairs:
        assert by_slug[p["a"]] not in ancestors(all_topics, by_slug[p["b"]])
        assert by_slug[p["b"]] not in ancestors(all_topics, by_slug[p["a"]])
    ebm_gnn = [p for p in pairs if {p["a"], p["b"]} == {"energy-based-models", "graph-neural-nets"}]
    assert ebm_gnn and ebm_gnn[0]["count"] == 1


def test_cooccurrence_per_edition(graph):
    assert topic_cooccurrence(graph, "FL22") == []
    assert topic_cooccurrence(graph, "SP21")


def test_central_topics(graph):
    top = central_topics(graph, "SP21", k=3)
    assert 0 < len(top) <= 3
    assert [t["score"] for t in top] == sorted((t["score"] for t in top), reverse=True)
    assert top[0]["topic"] == "energy-based-models"


# -- people ----------------------------------------------------------------------------------


def _person(people, key):
    return next(p for p in people if p["person"] == str(person_iri(key)))


def test_people_roles_across_editions(graph):
    people = people_roles(graph)
    yann = _person(people, "yann lecun")
    assert yann["roles"]["instructor"] == ["SP20", "SP21", "FL22", "FL23"]
    assert yann["roles"]["lecturer"] == ["SP20"]
    ada = _person(people, "ada example")
    assert ada["roles"] == {"grader": ["FL23"], "notes-author": ["SP20"]}
    assert ada["pages"]["notes-author"] == 2
    chloe = _person(people, "chloe exemple")
    assert chloe["roles"] == {"translator": ["SP20"]} and chloe["pages"]["translator"] == 1
    assert people[0]["editions"] == ["SP20", "SP21", "FL22", "FL23"]


# -- coverage --------------------------------------------------------------------------------


def test_untagged_lists_the_lectures_without_topics(graph):
    report = untagged(graph)
    assert [i["title"] for i in report["lectures"]] == ["Toy training practicum"]
    lec = report["counts"]["lecture"]
    total = sum(len(edition_items(graph, e)) for e in ("SP20", "SP21", "FL22", "FL23"))
    assert lec == {"total": total, "tagged": total - 1, "untagged": 1}


def test_scheme_counts_roll_narrower_topics_up(graph):
    rows = {r["topic"]: r for r in scheme_counts(graph)}
    assert len(rows) == len(topics_of(graph))
    assert rows["backpropagation"]["lectures"]["SP20"] == 1
    assert rows["gradient-based-learning"]["lectures"]["SP20"] >= rows["backpropagation"]["lectures"]["SP20"]
    assert rows["latent-variable-ebms"]["depth"] == 1


def test_role_verbs_cover_every_role():
    from dlgraph.records import ROLES

    assert set(analyses.ROLE_VERBS) == set(ROLES)


def test_components_are_networkx_connected_components():
    # graphs.components is a union-find (no networkx import for compare and path): the
    # groups and their order must be networkx's.
    import random

    import networkx as nx

    from dlgraph.graphs import components

    rng = random.Random(7)
    for _ in range(50):
        edges = [(rng.randrange(30), rng.randrange(30)) for _ in range(rng.randrange(1, 40))]
        G = nx.Graph(edges)
        expected = sorted((set(c) for c in nx.connected_components(G)),
                          key=lambda c: (-len(c), sorted(map(str, c))))
        assert components(edges) == expected
        assert components([(u, v, 2.0) for u, v in edges]) == expected
