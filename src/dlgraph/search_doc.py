"""The search document: one :class:`SearchDoc` per thing a learner can land on.

What every search engine here is fed (``dlgraph.search`` and the peers of ``bench/``), and
what the search package reads back, without reading the graph: ``dlgraph.searchable`` makes
the documents from the graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

#: Kinds of search document, in the order a UI lists them.
KINDS = ("lecture", "section", "notes", "week", "theme", "reading", "person", "document",
         "transcript", "notebook", "slides")


@cache
def edition_order() -> tuple[str, ...]:
    """Edition codes in course order, for stable sorting of multi-edition things (people,
    readings): the registry's order, so a new edition needs no change here."""
    # imported late: the registry belongs to the ingest side
    from ingest.registry import EDITIONS

    return tuple(EDITIONS)


@dataclass(frozen=True)
class SearchDoc:
    """One searchable thing, flattened for an engine.

    ``title`` is what a result list shows (a section shows its page's title and its own
    ``heading``); ``text`` is the body shown in snippets; ``context`` is indexed with low weight
    but never shown (a section's page title, a lecture's theme). ``group`` is the key results
    collapse on: the lecture item a page or section is about, else the original page.
    ``same_recording`` (lecture items only) names the other lecture items that show the same
    video: the same recording in another edition, or the same item listed twice.
    ``topic_strength`` is, per topic key, the summed score of the tags that gave the topic
    (1.0 for a title naming it, 0.5 per heading, 0.2 per mention in the text).
    """

    iri: str
    kind: str
    title: str
    language: str | None
    editions: tuple[str, ...]
    text: str = ""
    heading: str | None = None
    context: str = ""
    names: tuple[str, ...] = ()
    idents: tuple[str, ...] = ()
    url: str | None = None
    page_url: str | None = None
    video: str | None = None
    start: int | None = None
    lecture: str | None = None
    theme: str | None = None
    lecturers: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    topic_keys: tuple[str, ...] = ()
    topic_labels: tuple[str, ...] = ()
    group: str = ""
    same_recording: tuple[str, ...] = ()
    topic_strength: tuple[tuple[str, float], ...] = ()
    #: a transcript passage's ``(character offset, second)`` of each caption in ``text``
    marks: tuple[tuple[int, int], ...] = ()
    #: ``(language, text)`` of what the document says in other languages than ``language``
    #: (a reading's contexts, quoted from the pages citing it in each language): indexed and
    #: shown in that language, never run together with ``text``
    other_texts: tuple[tuple[str, str], ...] = ()


def edition_sorted(codes) -> tuple[str, ...]:
    """``codes`` once each, in course order (unknown codes last, alphabetically)."""
    rank = {c: i for i, c in enumerate(edition_order())}
    return tuple(sorted(set(codes), key=lambda c: (rank.get(c, len(rank)), c)))
