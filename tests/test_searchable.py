"""Search documents read from the hand-written graph: video moments of sections, notebook
names, items sharing a recording, and the edition order."""

from __future__ import annotations

import dataclasses

import pytest

from dlgraph.searchable import documents, edition_order

SP20 = "https://atcold.github.io/NYU-DLSP20/"
ITEM = "https://w3id.org/dlgraph/id/edition/"


def by_iri(docs) -> dict:
    return {d.iri: d for d in docs}


@pytest.fixture(scope="module")
def outline_docs(small_records):
    """The small records with an SP20 notes page whose outline nests untimed subsections."""
    from dlgraph.pipeline import build
    from dlgraph.records import NotesPage, Resource, Section

    def at(second: int | None) -> Resource:
        url = "https://www.youtube.com/watch?v=VIDtoy0002" + (f"&t={second}s" if second else "")
        return Resource("video", url, "VIDtoy0002", second)

    url = f"{SP20}en/week02/02-3/"
    sections = (
        Section("intro", "Toy intro", 2, 1, "Untimed start."),
        Section("sum", "Toy sums", 2, 2, "A timed section.", at(120)),
        Section("weighted", "Through a toy weighted sum", 3, 3, "No link of its own."),
        Section("deeper", "Deeper toy detail", 4, 4, "Neither."),
        Section("own", "Toy subsection with its own moment", 3, 5, "Own link.", at(300)),
        Section("own-child", "Under the timed subsection", 4, 6, "Inherits 300."),
        Section("next", "Next untimed toy section", 2, 7, "A new h2 without a link."),
        Section("next-child", "Under the untimed section", 3, 8, "Nothing to inherit."),
    )
    page = NotesPage(url, "SP20", "en", "notes", "Toy practicum notes", 2, "02-3",
                     sections=sections)
    records = [dataclasses.replace(r, pages=r.pages + (page,)) if r.edition == "SP20" else r
               for r in small_records]
    return by_iri(documents(build(records)))


@pytest.mark.parametrize("anchor,moment", [
    ("intro", (None, None)),
    ("sum", ("VIDtoy0002", 120)),
    ("weighted", ("VIDtoy0002", 120)),
    ("deeper", ("VIDtoy0002", 120)),
    ("own", ("VIDtoy0002", 300)),
    ("own-child", ("VIDtoy0002", 300)),
    ("next", (None, None)),
    ("next-child", (None, None)),
])
def test_an_untimed_subsection_opens_the_moment_of_the_section_it_is_part_of(
        outline_docs, anchor, moment):
    doc = outline_docs[f"{SP20}en/week02/02-3/#{anchor}"]
    assert (doc.video, doc.start) == moment
    if doc.video:
        assert doc.url == f"https://www.youtube.com/watch?v={doc.video}&t={doc.start}s"
    else:
        assert doc.url == doc.page_url


def test_the_existing_subsection_inherits_in_the_small_graph(small_graph):
    doc = by_iri(documents(small_graph))[f"{SP20}en/week02/02-1/#chain-rule"]
    assert (doc.video, doc.start) == ("VIDtoy0001", 29)


def test_notebook_names_are_indexed_with_and_without_extension(small_graph):
    doc = by_iri(documents(small_graph))[f"{ITEM}SP20/lecture/02-3"]
    assert {"04-toy_training.ipynb", "04-toy_training"} <= set(doc.idents)


def test_items_of_one_recording_name_each_other(small_graph):
    docs = by_iri(documents(small_graph))
    assert docs[f"{ITEM}SP21/lecture/t1.1"].same_recording == (f"{ITEM}FL22/lecture/01",)
    assert docs[f"{ITEM}FL22/lecture/01"].same_recording == (f"{ITEM}SP21/lecture/t1.1",)
    assert docs[f"{ITEM}SP20/lecture/02-1"].same_recording == ()
    assert all(not d.same_recording for d in docs.values() if d.kind != "lecture")


def test_topic_strength_comes_from_the_tags(small_graph):
    doc = by_iri(documents(small_graph))[f"{ITEM}SP21/lecture/t2.1"]
    strength = dict(doc.topic_strength)
    assert strength.get("energy-based-models", 0) >= 1.0  # its title names the topic


def test_the_edition_order_is_the_registry_order(small_graph, monkeypatch):
    import ingest.registry

    assert edition_order() == tuple(ingest.registry.EDITIONS)
    # a registry listing the editions the other way round: no code change needed
    backwards = dict(reversed(list(ingest.registry.EDITIONS.items())))
    monkeypatch.setattr(ingest.registry, "EDITIONS", backwards)
    edition_order.cache_clear()
    try:
        person = by_iri(documents(small_graph))["https://w3id.org/dlgraph/id/person/yann-lecun"]
        assert person.editions == tuple(c for c in backwards if c in person.editions)
        assert person.editions[0] == "FL23"
    finally:
        edition_order.cache_clear()
