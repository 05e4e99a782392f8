"""Records of the course repositories' files: transcripts (cut into passages), notebooks
(cells) and slide decks (pages), and the reports of files that could not be used.

Plain frozen containers like the rest of :mod:`dlgraph.records` (which re-exports them and
holds them in ``EditionRecords``); apart because ``ingest/repos.py`` and its readers fill
them, not the site parsers.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Kinds of file read from a course repository (``ingest/repos.py``).
MEDIA_KINDS = ("transcript", "notebook", "slides")

#: What can go wrong with a repository file, as reported in ``EditionRecords.repo_reports``.
REPO_PROBLEMS = ("unreadable-repository", "missing", "damaged", "unattached")


@dataclass(frozen=True)
class Passage:
    """A stretch of a transcript of readable length, cut at cue boundaries (seconds).

    ``cues`` holds ``(character offset in text, second)`` where each caption begins, so a
    match inside a long passage can open the video where its words are said.
    """

    start: int
    end: int
    text: str
    cues: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Transcript:
    """One caption file of a recording, in one language, and the recording it belongs to.

    ``url`` is the file's live URL (the Pages URL for files under ``docs/``); ``path`` its
    path in ``repository`` (``owner/name``). ``video`` is the YouTube ID of the recording it
    was attached to, ``lectures`` the keys of the home-page items that show that recording,
    and ``attached_by`` says which rule established it (``None``: not attached, reported).
    """

    edition: str
    url: str
    repository: str
    path: str
    language: str
    passages: tuple[Passage, ...] = ()
    cues: int = 0
    video: str | None = None
    lectures: tuple[str, ...] = ()
    attached_by: str | None = None


@dataclass(frozen=True)
class NotebookCell:
    """One markdown or code cell of a notebook, in order (outputs are ignored)."""

    position: int
    kind: str  # "markdown" / "code"
    text: str
    heading: str = ""  # the cell's first markdown heading, if any
    apis: tuple[str, ...] = ()  # dotted names a code cell uses: torch.nn.LSTM


@dataclass(frozen=True)
class Notebook:
    """A Jupyter notebook of a course repository; ``key`` as ``Resource.key`` spells it."""

    edition: str
    key: str
    url: str
    repository: str
    path: str
    title: str
    cells: tuple[NotebookCell, ...] = ()


@dataclass(frozen=True)
class SlidePage:
    """The text of one page of a slide deck and the title read off it."""

    number: int
    title: str
    text: str


@dataclass(frozen=True)
class SlideDeck:
    """A PDF slide deck of a course repository; ``key`` as ``Resource.key`` spells it."""

    edition: str
    key: str
    url: str
    repository: str
    path: str
    title: str
    pages: tuple[SlidePage, ...] = ()


@dataclass(frozen=True)
class RepoReport:
    """A repository file (or a whole repository) that could not be used, and why.

    ``problem`` is one of :data:`REPO_PROBLEMS`; ``path`` the file (``""`` for the
    repository itself); ``url`` the live URL that names it.
    """

    repository: str
    path: str
    problem: str
    detail: str
    url: str = ""
