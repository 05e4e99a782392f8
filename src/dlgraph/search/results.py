"""Results: edition variety and the hits' fields (units and facets: :mod:`.units`)."""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict, deque
from typing import TYPE_CHECKING

from dlgraph.search.analysis import language_group
from dlgraph.search.latex import readable
from dlgraph.search.snippets import _snippet, _tokens
from dlgraph.search.units import moment_docs
from dlgraph.youtube import watch_url

if TYPE_CHECKING:
    from dlgraph.search.index import SearchIndex

#: Kinds shown as cards beside the ranked hits rather than among them (unless a kind is asked
#: for): a person, reading or theme answers "who/what is this", and took top-10 places from the
#: lectures a learner looks for. At most CARDS_SHOWN of them, best first.
CARD_KINDS, CARDS_SHOWN = frozenset({"person", "reading", "theme"}), 3


#: Each further hit of an edition already shown among the first :data:`VARIED_TOP` ranks as if
#: its score were this much lower, compounding: a topic taught in several editions shows
#: each of them, not six items of one (bench/relevance.py: 0.915 → 0.918 with 0.9; 0.8 lost).
EDITION_DECAY, VARIED_TOP = 0.9, 50


def _varied(ix: SearchIndex, heads: list[tuple[float, int]]) -> list[tuple[float, int]]:
    """``heads`` with the editions interleaved at the top (:data:`EDITION_DECAY`).

    Greedy: the next hit is the best of each edition's next one, its score lowered by
    :data:`EDITION_DECAY` for every hit of its edition already placed. Within an edition the
    order stays the score order, so one edition's results (an edition filter) keep theirs.
    The hits keep their own scores.
    """
    top = heads[:VARIED_TOP]
    queues: dict[str, deque] = defaultdict(deque)
    for sd in top:
        eds = ix.editions[sd[1]]
        queues[eds[0] if eds else ""].append(sd)
    if len(queues) < 2:
        return heads
    placed: Counter = Counter()
    out = []
    while queues:
        edition = max(queues, key=lambda e: (queues[e][0][0] * EDITION_DECAY ** placed[e],
                                             -queues[e][0][1]))
        out.append(queues[edition].popleft())
        placed[edition] += 1
        if not queues[edition]:
            del queues[edition]
    return out + heads[VARIED_TOP:]


def _hit(ix: SearchIndex, d: int, score: float, collapsed: int, terms: dict,
         editions: set, moment: dict | None = None) -> dict:
    stored = ix.searcher.stored_fields(d)
    m = stored["meta"]
    eds = m["editions"]
    # a reading or person of several editions is shown in the edition the learner asked for
    edition = next((e for e in eds if e in editions), eds[0] if eds else None)
    group = language_group(m["language"])
    if m["kind"] == "transcript":
        m = _spoken(m, stored.get("snippet", ""), terms.get(group, frozenset()), group)
    text, shown = _shown_text(stored, group, terms)
    return {
        "iri": m["iri"],
        "kind": m["kind"],
        "edition": edition,
        "editions": eds,
        "title": readable(m["title"]),
        "heading": readable(m["heading"]),
        "url": m["url"],
        "page_url": m["page_url"],
        "video": m["video"],
        "start": m["start"],
        "language": m["language"],
        "lecture": m["lecture"],
        "theme": m["theme"],
        "topics": m["topics"],
        "lecturers": m["lecturers"],
        "score": round(float(score), 4),
        "snippet": _snippet(text, terms.get(shown, frozenset()), shown),
        "collapsed": collapsed,
        "also_in": _also_in(ix, ix.groups[d]),
        "moment": moment,
    }


def _shown_text(stored: dict, group: str, terms: dict) -> tuple[str, str]:
    """The text a hit's snippet is cut from, and its language group: the hit's own, unless
    the query searched other languages only and the hit says something in one of them (a
    reading quoted by Chinese pages, for a Chinese query). Never several languages at once."""
    own = stored.get("snippet", "")
    others = stored.get("snippets")
    if not others or not terms or group in terms:
        return own, group
    for lang, text in sorted(others.items()):
        g = language_group(lang)
        if g in terms:
            return text, g
    return own, group


def _moments(ix: SearchIndex, results: list[tuple[float, int]],
             heads: list[tuple[float, int]], terms: dict | None = None) -> dict[str, dict]:
    """For each shown hit that is not itself a video moment: its lecture's best-matching
    timestamped section (``heading``, ``url`` at the second, ``start``, ``page_url``).

    A lecture hit collapses its sections; the learner still wants to jump to the moment the
    words are spoken, not to the start of a two-hour video. The moment is in the hit's
    language (a Chinese notes page names a Chinese heading, though its group holds every
    translation), else in one of the query's (``terms``' groups), else there is none.
    """
    languages = ix.languages
    want = {ix.groups[d]: _language(languages[d])
            for _, d in heads if ix.kinds[d] not in _MOMENT_KINDS}
    asked = set(terms or ())
    found: dict[str, dict] = {}
    fallback: dict[str, dict] = {}  # group → its best moment in another of the query's languages
    # (over arrays: only the documents the loop would not skip, in the same order)
    docs = moment_docs(ix, results, want, _MOMENT_KINDS) if want else None
    for d in (d for _, d in results) if docs is None else docs:
        if len(found) == len(want):
            break
        g = ix.groups[d]
        if g not in want or g in found or ix.kinds[d] not in _MOMENT_KINDS or not ix.timed[d]:
            continue  # (untimed: no moment, and its stored fields need not be read to say so)
        exact = _language(languages[d]) == want[g]
        if not exact and (g in fallback or language_group(languages[d]) not in asked):
            continue
        moment = _moment(ix, d, terms)
        if moment is not None:
            (found if exact else fallback)[g] = moment
    return {**fallback, **found}


def _language(lang: str | None) -> str:
    return (lang or "").lower().split("-")[0]


def _moment(ix: SearchIndex, d: int, terms: dict | None) -> dict | None:
    """Document ``d`` as a moment (its heading, the video URL at its second), or ``None`` when it
    has no video time."""
    stored = ix.searcher.stored_fields(d)
    m = stored["meta"]
    if m["kind"] == "transcript":
        group = language_group(m["language"])
        m = _spoken(m, stored.get("snippet", ""), (terms or {}).get(group, frozenset()), group)
    if not m["video"] or m["start"] is None:
        return None
    # a spoken moment is named by its first words (a passage has no heading)
    heading = readable(m["heading"]) if m["heading"] else _opening(stored.get("snippet", ""))
    return {"heading": heading, "url": m["url"], "start": m["start"],
            "page_url": m["page_url"], "kind": m["kind"]}


#: Documents that are a moment of a video: a timestamped notes section, a transcript passage.
_MOMENT_KINDS = ("section", "transcript")


def _spoken(meta: dict, text: str, terms: frozenset, group: str) -> dict:
    """A passage's meta, its ``start`` and ``url`` moved to the caption that says the query.

    A passage runs up to a minute: the video opens where the matched words are said (the
    ``marks`` of :class:`~dlgraph.searchable.SearchDoc`), not at the passage's start. That
    caption is the one holding the most distinct query terms (the earliest of equals): a
    pasted sentence's first matched word is often a common one near the passage's start.
    """
    marks = meta.get("marks") or ()
    if not marks or not terms or not meta.get("video"):
        return meta
    full = " ".join(text.split())
    offsets = [mark[0] for mark in marks]
    said: dict[int, set[str]] = defaultdict(set)  # caption index (-1: before any) → terms
    for at, _e, term in _tokens(full, group, terms):
        if term:
            said[bisect.bisect_right(offsets, at) - 1].add(term)
    if not said:
        return meta
    best = max(said, key=lambda i: (len(said[i]), -i))
    if best < 0:
        return meta
    second = marks[best][1]
    if second == meta["start"]:
        return meta
    return {**meta, "start": second, "url": watch_url(meta["video"], second)}


def _opening(text: str, words: int = 12) -> str:
    """The first ``words`` words of a passage, with an ellipsis when cut."""
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _also_in(ix: SearchIndex, group: str) -> list[dict]:
    """The other lecture items showing the same recording as ``group``, oldest edition first."""
    out = []
    for iri in ix.same.get(group, ()):
        d = ix.docnum.get(iri)
        if d is None:
            continue
        m = ix.searcher.stored_fields(d)["meta"]
        out.append({"iri": iri, "edition": (m["editions"] or [None])[0], "title": m["title"],
                    "url": m["url"]})
    rank = {c: i for i, c in enumerate(ix.edition_order)}
    return sorted(out, key=lambda a: (rank.get(a["edition"], len(rank)), a["iri"]))
