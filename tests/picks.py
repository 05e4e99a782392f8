"""Queries picked at test time from the real sources, so no course text sits in the repo.

Each picker reads the course repositories' files (``DLGRAPH_REPOS``) or the records and graph
built from them, and chooses deterministically (the first of equals in a sorted order):

- :func:`spoken_lines`: the caption lines of a transcript whose words name its recording,
  as a learner would paste what was said;
- :func:`phrase_of`: a few consecutive words of such a line, for a quoted phrase;
- :func:`api_of_one_notebook`: an API only one notebook calls, named nowhere else;
- :func:`slide_only_word`: a word on one slide page and in no other text of the graph.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal

from ingest.transcripts import parse_sbv

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@dataclass(frozen=True)
class Spoken:
    """A caption of a transcript file: its words and the second it starts at."""

    text: str
    second: int
    path: str  # the file's path in its repository


def _words(text: str) -> list[str]:
    return [w.casefold() for w in WORD.findall(text)]


def _cues(file: Path):
    return parse_sbv(file.read_text(encoding="utf-8-sig"))


def _others(repo: Path, path: str) -> list[list[str]]:
    """The words of every caption of the other transcripts in ``path``'s language."""
    lang = path.split("/")[1]
    return [_words(cue.text) for file in sorted((repo / "docs" / lang).rglob("*.sbv"))
            if file != repo / path for cue in _cues(file)]


def spoken_lines(repo: Path, path: str, min_words: int = 10, own_words: int = 1) -> list[Spoken]:
    """The caption lines of ``repo/path`` a learner could paste to name that recording: at
    least ``min_words`` words, of which ``own_words`` (five letters or more) are said in no
    other transcript of its language. A line of words every lecture says ("on the right
    hand side you have") names no recording, whatever the search does."""
    said = {w for words in _others(repo, path) for w in words}
    out = []
    for cue in _cues(repo / path):
        words = _words(cue.text)
        if len(words) >= min_words and len({w for w in words if len(w) >= 5 and w not in said}) >= own_words:
            out.append(Spoken(" ".join(cue.text.split()), int(cue.start), path))
    assert out, f"no caption of {path} is its own"
    return out


def phrase_of(line: Spoken, repo: Path, words: int = 4) -> str | None:
    """``words`` consecutive words of ``line``, of four letters or more and within one
    sentence, holding a word of five letters or more that no other transcript of its
    language says; None when the line has none."""
    said = {w for ws in _others(repo, line.path) for w in ws}
    tokens = line.text.split()
    for i in range(len(tokens) - words + 1):
        run = tokens[i:i + words]
        if (all(len(t) >= 4 and WORD.fullmatch(t) for t in run)
                and any(len(w) >= 5 and w not in said for w in _words(" ".join(run)))):
            return " ".join(run)
    return None


class _Texts:
    """Every literal of the graph, case-folded, to count where a string occurs."""

    def __init__(self, g):
        self.literals = {str(o).casefold() for o in g.objects() if isinstance(o, Literal)}
        self.all = "\n".join(sorted(self.literals))

    def only_in(self, needle: str, own: set[str]) -> bool:
        """``needle`` occurs in no literal of the graph but the ``own`` ones."""
        mine = sum(text.count(needle) for text in own if text in self.literals)
        return self.all.count(needle) == mine


def api_of_one_notebook(records, g) -> tuple[str, object]:
    """``(api, notebook)``: a dotted API only one notebook calls, whose last part no text of
    the graph outside that notebook names (the first in sorted order)."""
    notebooks = [nb for rec in records for nb in rec.notebooks]
    users = Counter(api for nb in notebooks for api in {a for c in nb.cells for a in c.apis})
    texts = _Texts(g)
    for nb in sorted(notebooks, key=lambda n: n.url):
        apis = sorted({a for c in nb.cells for a in c.apis if users[a] == 1 and a.count(".") >= 2})
        own = {c.text.casefold() for c in nb.cells} | {c.heading.casefold() for c in nb.cells}
        own |= {a.casefold() for a in apis} | {nb.title.casefold()}
        for api in apis:
            name = api.rsplit(".", 1)[1].casefold()
            if len(name) >= 5 and texts.only_in(name, own):
                return api, nb
    raise AssertionError("no API of one notebook is named only there")


def slide_only_word(records, g) -> tuple[str, object, object]:
    """``(word, deck, page)``: a word of seven letters or more on one slide page whose first
    five letters no other text of the graph holds (so no stem of it matches elsewhere)."""
    decks = sorted((d for rec in records for d in rec.slides), key=lambda d: d.url)
    texts = _Texts(g)
    for deck in decks:
        for page in deck.pages:
            own = {page.text.casefold(), page.title.casefold()}
            for word in sorted(set(_words(page.text))):
                if len(word) >= 7 and word.isascii() and texts.only_in(word[:5], own):
                    return word, deck, page
    raise AssertionError("no word is on one slide page only")
