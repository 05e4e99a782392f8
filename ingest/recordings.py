"""Which recording a transcript file belongs to, established from the edition's own pages.

A caption file is named ``docs/<lang>/weekNN/<lecture|practicum>MM[A|B].sbv``. The file
name alone is not trusted (in SP21 ``fr/week15/practicum09.sbv`` sits beside the week-15
notes pages), so the recording is looked up on the home page:

1. the items of the folder's week (SP20's table row week, or the week of the notes pages
   an item links) whose role matches the name (a practicum is a ``practicum`` row or the
   ``NN-3`` notes page; a lecture the other parts): one recording among them is the answer;
   ``A``/``B`` pick the first/second of several in page order;
2. otherwise, the words of the transcript against the notes pages of that week's items,
   in the transcript's language: one recording must score clearly above the others.

Anything else is not attached, and the reason says why.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from dlgraph.records import EditionRecords, Lecture
from ingest.common import notes_slug
from ingest.transcripts import transcript_name

__all__ = ["Attachment", "attach", "transcript_place"]

#: The best recording's word similarity must exceed the runner-up's by this factor.
CONTENT_MARGIN = 1.3
_WORD = re.compile(r"[^\W\d_]{4,}")
_PLACE = re.compile(r"^docs/([a-z]{2}(?:-[a-z]+)?)/week(\d+)/([^/]+)\.sbv$")


@dataclass(frozen=True)
class Attachment:
    """The recording (YouTube ID) and items a transcript belongs to, or why there is none."""

    video: str | None
    lectures: tuple[str, ...]
    how: str


def transcript_place(path: str) -> tuple[str, int] | None:
    """``("fr", 15)`` for ``docs/fr/week15/practicum09.sbv``; ``None`` for other paths."""
    m = _PLACE.match(path)
    return (m.group(1), int(m.group(2))) if m else None


def _parts(lec: Lecture, base_url: str) -> list[tuple[int | None, str]]:
    return [notes_slug(url, base_url) for url in lec.notes_urls]


def _weeks(lec: Lecture, base_url: str) -> set[int]:
    weeks = {w for w, _ in _parts(lec, base_url) if w is not None}
    if lec.week is not None:
        weeks.add(lec.week)
    return weeks


def _role(lec: Lecture, base_url: str) -> str:
    if lec.format == "practicum" or any(p.endswith("-3") for _, p in _parts(lec, base_url)):
        return "practicum"
    return lec.format


def _videos(lec: Lecture) -> list[str]:
    return [r.key for r in lec.resources if r.kind == "video" and not r.broken]


def attach(path: str, text: str, rec: EditionRecords, base_url: str) -> Attachment:
    """Attach the transcript at ``path`` (whose cue text is ``text``) to one recording of ``rec``."""
    place, name = transcript_place(path), transcript_name(path)
    if place is None or name is None:
        return Attachment(None, (), f"{path}: not named docs/<lang>/weekNN/lectureNN|practicumNN.sbv")
    lang, week = place
    kind, number, letter = name
    in_week = [lec for lec in rec.lectures if week in _weeks(lec, base_url) and _videos(lec)]
    if not in_week:
        return Attachment(None, (), f"no item of week {week} on the home page shows a recording")
    same_role = [lec for lec in in_week if _role(lec, base_url) == kind]
    videos = list(dict.fromkeys(v for lec in same_role for v in _videos(lec)))
    note = "" if number == week else f" (the name says {number}, the folder week {week})"
    if len(videos) == 1 and not letter:
        return _found(videos[0], same_role, f"the {kind} of week {week} on the home page{note}")
    if letter and len(videos) > 1 and ord(letter) - ord("A") < len(videos):
        video = videos[ord(letter) - ord("A")]
        return _found(video, same_role, f"{kind} {letter} of the {len(videos)} of week {week}, in page order")
    return _by_content(text, lang, week, kind, in_week, rec, base_url)


def _found(video: str, lectures: list[Lecture], how: str) -> Attachment:
    keys = tuple(lec.key for lec in lectures if video in _videos(lec))
    return Attachment(video, keys, how)


def _by_content(text: str, lang: str, week: int, kind: str, in_week: list[Lecture],
                rec: EditionRecords, base_url: str) -> Attachment:
    """The recording whose notes pages (in the transcript's language) share the most words.

    Words are weighted by TF-IDF over every notes page of the edition in that language,
    so the words every lecture uses ("réseau", "modèle") count for little.
    """
    by_url = {p.url: p for p in rec.pages}
    translations: dict[str, list] = {}
    for p in rec.pages:
        if p.translation_of:
            translations.setdefault(p.translation_of, []).append(p)
    bodies: dict[str, Counter] = {}
    for video in dict.fromkeys(v for lec in in_week for v in _videos(lec)):
        pages = []
        for lec in in_week:
            if video not in _videos(lec):
                continue
            for url in lec.notes_urls:
                own = [p for p in translations.get(url, []) if p.language == lang]
                pages += own or ([by_url[url]] if url in by_url else [])
        body = _counts(" ".join(s.heading + " " + s.text for p in pages if p.kind == "notes"
                                for s in p.sections))
        if body:
            bodies[video] = body
    found = ", ".join(sorted(bodies)) or "none with notes pages"
    if not bodies:
        return Attachment(None, (), f"week {week} has no {kind} on the home page and no notes "
                                    f"text to compare ({found})")
    corpus = [_counts(" ".join(s.heading + " " + s.text for s in p.sections))
              for p in rec.pages if p.kind == "notes" and p.language == lang] or list(bodies.values())
    df = Counter(w for c in corpus for w in c)
    weigh = lambda c: _tfidf(c, df, len(corpus))  # noqa: E731
    spoken = weigh(_counts(text))
    ranked = sorted(((_cosine(spoken, weigh(b)), v) for v, b in bodies.items()), reverse=True)
    if ranked[0][0] > 0 and (len(ranked) == 1 or ranked[0][0] >= CONTENT_MARGIN * ranked[1][0]):
        score, video = ranked[0]
        runner = f", next {ranked[1][0]:.2f}" if len(ranked) > 1 else ""
        how = (f"week {week} has no single {kind} on the home page; its words match the notes "
               f"pages of that recording (TF-IDF cosine {score:.2f}{runner})")
        return _found(video, in_week, how)
    return Attachment(None, (), f"week {week} has no single {kind} on the home page and its words "
                                f"match several recordings alike ({found})")


def _counts(text: str) -> Counter:
    return Counter(w.lower() for w in _WORD.findall(text))


def _tfidf(counts: Counter, df: Counter, n: int) -> dict[str, float]:
    return {w: (1 + math.log(v)) * math.log((n + 1) / df[w]) for w, v in counts.items() if df.get(w)}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0
