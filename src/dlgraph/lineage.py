"""Lineage between editions: same recording, re-recorded, new, dropped.

For every pair of editions, older → newer:

* **same recording**: two items link the same video (a timestamped clip counts as its whole
  video). Stored as the symmetric ``dlg:sameRecordingAs``.
* **re-recorded**: a newer item that shares no video with the older edition, but has a topic
  in common with an older item (``dcterms:subject``) and a similar title. Stored as
  ``dlg:reRecordingOf`` from newer to older, mirrored by ``prov:wasRevisionOf``.
* **new** / **dropped**: items with no link to the other edition; not stored, since they
  follow from the links (see ``dlgraph.compare``).

Title similarity is the Jaccard index of two *title signatures*: the topics the title names
(each label match counts as one token, so "LV-EBM" and "latent-variable EBMs" agree; course
logistics such as "Q&A" or "resources" is left out) plus the remaining content words (stop
words, roman numerals and bracketed notes such as "[from last year]" dropped).

:data:`THRESHOLD` is 0.5, chosen on the real editions (SP20, SP21, FL22: 93 items). Every pair
at or above it names the same subject: "Inference for Latent-Variable EBMs" / "Inference for
LV-EBMs" (1.0), "Neural nets inference" / "Resources and neural nets inference" (1.0),
"Autoencoders" / "Unsup learning and autoencoders" (0.5). The next value down, 0.33, mixes
true pairs ("Autoencoders" / "AEs with PyTorch and GANs") with clear misses that share one
word or one of two subjects ("Inference for Latent-Variable EBMs" / "Neural nets inference",
"Training Latent-Variable EBMs" / "Inference for LV-EBMs"), so it is left out. Homework items
have no recording, so they are never re-recordings.
"""

from __future__ import annotations

import re
from itertools import combinations

from rdflib import Graph, URIRef

from dlgraph import topics as topics_mod
from dlgraph.topics import Matcher, default_matcher, tokens
from dlgraph.vocab import DCTERMS, DLG, PROV, RDF, SDO, topic_iri

#: Smallest title similarity for a re-recording (see the module docstring).
THRESHOLD = 0.5

_STOP = frozenset(
    """a an and the of to for in on with from by at as or vs versus what are is how why
    i ii iii iv v vi vii viii ix x part practicum lecture lectures introduction intro again
    any its it this that these""".split()
)
#: Logistics (homework, Q&A, "Introduction to NYU-DLFL22") is not a subject two items can share.
_NOT_A_SUBJECT = frozenset({topic_iri("course-organisation")})
_BRACKETS = re.compile(r"\[[^\]]*\]")
_TERM_ORDER = {"Spring": 0, "Summer": 1, "Fall": 2}


def editions(g: Graph) -> list[str]:
    """Edition codes in chronological order (year, then Spring before Fall)."""

    def key(ed: URIRef) -> tuple:
        year = g.value(ed, DLG.year)
        term = str(g.value(ed, DLG.term) or "")
        return (int(str(year)) if year is not None else 9999, _TERM_ORDER.get(term, 9), str(ed))

    eds = sorted(g.subjects(RDF.type, SDO.CourseInstance), key=key)
    return [str(g.value(ed, SDO.identifier)) for ed in eds if g.value(ed, SDO.identifier)]


def edition_items(g: Graph, code: str) -> list[URIRef]:
    """The lecture items (``schema:LearningResource``) of edition ``code``, in page order."""
    ed = _edition(g, code)
    if ed is None:
        return []
    items = [i for i in g.subjects(DLG.edition, ed) if (i, RDF.type, SDO.LearningResource) in g]
    return sorted(items, key=lambda i: (int(g.value(i, SDO.position) or 0), str(i)))


def _edition(g: Graph, code: str) -> URIRef | None:
    for ed in g.subjects(SDO.identifier, None):
        if (ed, RDF.type, SDO.CourseInstance) in g and str(g.value(ed, SDO.identifier)) == code:
            return ed
    return None


def videos(g: Graph, item: URIRef) -> set[URIRef]:
    """The whole videos an item links to (a clip counts as the video it is part of)."""
    out = set()
    for node in g.objects(item, SDO.video):
        if (node, RDF.type, SDO.Clip) in g:
            node = g.value(node, SDO.isPartOf) or node
        out.add(node)
    return out


def signature(title: str, matcher: Matcher | None = None) -> frozenset[str]:
    """The title's topics plus its remaining content words (see the module docstring)."""
    matcher = matcher or default_matcher()
    toks = tokens(_BRACKETS.sub(" ", title))
    out, covered = set(), set()
    for start, end, topic in matcher.spans(toks):
        if topic not in _NOT_A_SUBJECT:
            out.add(f"<{topic}>")
        covered.update(range(start, end))
    for i, tok in enumerate(toks):
        if i not in covered and tok not in _STOP and not tok.isdigit() and len(tok) > 1:
            out.add(tok)
    return frozenset(out)


def similarity(a: str, b: str, matcher: Matcher | None = None) -> float:
    """Jaccard index of two titles' signatures, in [0, 1]."""
    sa, sb = signature(a, matcher), signature(b, matcher)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def _video_url(g: Graph, item: URIRef) -> str | None:
    whole = sorted(v for v in g.objects(item, SDO.video) if (v, RDF.type, SDO.Clip) not in g)
    nodes = whole or sorted(g.objects(item, SDO.video))
    if not nodes:
        return None
    url = g.value(nodes[0], SDO.url)
    return str(url) if url is not None else None


def item_dict(g: Graph, item: URIRef, all_topics: dict | None = None) -> dict:
    """An item as plain data: ``iri``, ``title``, ``video`` (watch URL or ``None``) and more."""
    all_topics = all_topics if all_topics is not None else topics_mod.topics_of(g)
    ed = g.value(item, DLG.edition)
    subjects = topics_mod.subjects_of(g, item)
    return {
        "iri": str(item),
        "title": str(g.value(item, SDO.name) or ""),
        "video": _video_url(g, item),
        "videos": sorted(str(g.value(v, SDO.url) or v) for v in videos(g, item)),
        "edition": str(g.value(ed, SDO.identifier)) if ed is not None else None,
        "position": int(g.value(item, SDO.position) or 0),
        "format": str(g.value(item, SDO.learningResourceType) or ""),
        "reused": bool((item, DLG.reused, None) in g and g.value(item, DLG.reused).toPython()),
        "topics": [all_topics[t].slug for t in subjects if t in all_topics],
    }


def _recorded(g: Graph, item: URIRef) -> bool:
    return (item, RDF.type, DLG.Homework) not in g and bool(videos(g, item))


def pair_links(g: Graph, older: str, newer: str) -> dict[str, list[tuple]]:
    """Same-recording and re-recording pairs between two editions (nothing is stored).

    Returns
    -------
    dict
        ``{"same_recording": [(older item, newer item), …],
        "re_recorded": [(newer item, older item, similarity), …]}``.
    """
    matcher = default_matcher()
    old_items, new_items = edition_items(g, older), edition_items(g, newer)
    old_videos = {i: videos(g, i) for i in old_items}
    same = [(a, b) for b in new_items for a in old_items if old_videos[a] & videos(g, b)]
    shared_new = {b for _, b in same}
    titles = {i: str(g.value(i, SDO.name) or "") for i in old_items + new_items}
    subjects = {
        i: set(g.objects(i, DCTERMS.subject)) - _NOT_A_SUBJECT for i in old_items + new_items
    }
    rerec = []
    for b in new_items:
        if b in shared_new or not _recorded(g, b):
            continue
        for a in old_items:
            if not _recorded(g, a) or not subjects[a] & subjects[b]:
                continue
            sim = similarity(titles[a], titles[b], matcher)
            if sim >= THRESHOLD:
                rerec.append((b, a, round(sim, 2)))
    return {"same_recording": same, "re_recorded": rerec}


def add_lineage(g: Graph) -> int:
    """Link items across every pair of editions: same recording and re-recorded.

    Parameters
    ----------
    g
        The graph after ``topics.tag_graph`` (re-recordings need topics); modified in place.

    Returns
    -------
    int
        The number of triples added.
    """
    before = len(g)
    for older, newer in combinations(editions(g), 2):
        links = pair_links(g, older, newer)
        for a, b in links["same_recording"]:
            g.add((a, DLG.sameRecordingAs, b))
            g.add((b, DLG.sameRecordingAs, a))
        for b, a, _sim in links["re_recorded"]:
            g.add((b, DLG.reRecordingOf, a))
            g.add((b, PROV.wasRevisionOf, a))
    return len(g) - before


__all__ = [
    "THRESHOLD",
    "add_lineage",
    "edition_items",
    "editions",
    "item_dict",
    "pair_links",
    "signature",
    "similarity",
    "videos",
]
