"""Typed records: what the ingest parsers produce and the graph builder consumes.

Records are plain frozen containers with no parsing logic (the parsers in ``ingest/`` fill
them). Every URL held in a record is absolute and *live* (``https://atcold.github.io/…``),
never a mirror path or a loopback address. Records serialise to JSON with
:func:`dlgraph.records_json.to_json` / :func:`~dlgraph.records_json.from_json` so
``data/records/<EDITION>.json`` can be re-read without crawling again. The records of
repository files (transcripts, notebooks, slides) live in :mod:`dlgraph.media_records`
and are re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass

from dlgraph.media_records import (
    MEDIA_KINDS,
    REPO_PROBLEMS,
    Notebook,
    NotebookCell,
    Passage,
    RepoReport,
    SlideDeck,
    SlidePage,
    Transcript,
)

# -- closed sets -------------------------------------------------------------------------

#: Resource kinds, by the emoji the course pages use (🎥 video, 🖥 slides, 📓 notebook,
#: 📝 notes handout) plus homework folders and anything else linked from an item.
RESOURCE_KINDS = ("video", "slides", "notebook", "notes", "homework", "other")

#: Item formats on the home pages.
ITEM_FORMATS = ("lecture", "practicum", "homework", "other")

#: Roles a person can hold in an edition.
ROLES = ("instructor", "teaching-assistant", "grader", "lecturer", "notes-author", "translator",
         "webmaster")

#: Kinds of saved document (``manifest.json``'s ``kind``).
DOCUMENT_KINDS = ("faq", "course-page", "home", "review")


# -- resources and links -----------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    """A linked resource (video, slides, notebook, …) normalised to a stable identity.

    ``key`` is the identity used for cross-edition links: the YouTube video ID for videos,
    ``drive:<file id>`` for Google Drive files, ``github:<owner>/<repo>/<path>`` for files
    in a GitHub repository (the old ``Atcold/pytorch-Deep-Learning`` name folded into
    ``Atcold/NYU-DLSP20``), otherwise the canonical URL. ``start`` is the start second of a
    timestamped YouTube link. ``broken`` marks a link whose target could not be resolved
    (kept, reported, never turned into a resource node); ``repaired_from`` holds the
    damaged original URL when a link was repaired from the page it translates.
    """

    kind: str
    url: str
    key: str
    start: int | None = None
    label: str = ""
    broken: bool = False
    repaired_from: str | None = None


@dataclass(frozen=True)
class Link:
    """An outgoing link found in running text, with the sentence that carries it."""

    url: str
    text: str = ""
    context: str = ""
    section: str | None = None  # anchor of the notes section it sits in


# -- people ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonRef:
    """A person as a page names them, with the role they hold there.

    ``name`` is the cleaned display name; ``key`` the normalised identity (see
    ``ingest.common.person_key``) so the same person written differently collapses to one.
    """

    name: str
    key: str
    role: str
    email: str | None = None


# -- home-page items ---------------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    """A theme heading of a themed home page (``Theme 3: Energy based models, …``)."""

    edition: str
    number: int
    title: str


@dataclass(frozen=True)
class Lecture:
    """One row (SP20) or one list item (SP21/FL22 themes) of an edition's home page.

    ``key`` is unique within the edition and stable across re-ingests: the notes-page slug
    for SP20 rows (``02-1``), ``05`` for numbered FL22 items, ``t<theme>.<n>`` otherwise.
    ``position`` is the 1-based order on the page. ``reused`` is FL22's greyed
    ``<span class="missing">`` flag: the item points at an earlier edition's recording.
    """

    edition: str
    key: str
    position: int
    title: str
    format: str
    source_url: str
    week: int | None = None
    theme: int | None = None
    number: int | None = None
    notes_urls: tuple[str, ...] = ()
    resources: tuple[Resource, ...] = ()
    reused: bool = False
    footnotes: tuple[str, ...] = ()
    readings: tuple[Reading, ...] = ()  # books and papers its nested lists cite
    group: str | None = None  # label of a heading that is no theme ("Miscellaneous")


@dataclass(frozen=True)
class HomePage:
    """What an edition's home page yields: themes, items in order, and the people it names."""

    edition: str
    url: str
    themes: tuple[Theme, ...] = ()
    lectures: tuple[Lecture, ...] = ()
    people: tuple[PersonRef, ...] = ()
    readings: tuple[Reading, ...] = ()  # a "Suggested readings" section


# -- notes and week pages ----------------------------------------------------------------


@dataclass(frozen=True)
class CodeBlock:
    """A ``<pre>`` block as written: ``text`` verbatim (indentation kept), its language if named."""

    text: str
    language: str | None = None


@dataclass(frozen=True)
class Section:
    """A heading of a notes page and the text under it (until the next heading).

    The text before a page's first heading is its *lead* section: anchor :data:`LEAD_ANCHOR`,
    position 1 (the headed sections follow it), the page title as heading, level 1.
    ``text`` keeps every code block verbatim on lines of its own; ``code`` holds the same
    blocks, in order, so a reader can show them as code.
    """

    anchor: str
    heading: str
    level: int
    position: int
    text: str
    video: Resource | None = None
    links: tuple[Link, ...] = ()
    code: tuple[CodeBlock, ...] = ()


#: Anchor of a page's lead section (the text before its first heading). No heading of the
#: course pages has this id, and a browser opening ``page#lead`` shows the page's top.
LEAD_ANCHOR = "lead"


@dataclass(frozen=True)
class NotesPage:
    """A lecture-notes page (``weekNN/NN-K/``) or a week summary page (``weekNN/NN/``).

    ``kind`` is ``"notes"`` or ``"week"``. ``part`` is the slug (``02-1`` or ``02``).
    ``translation_of`` is the live URL of the English page this page translates.
    """

    url: str
    edition: str
    language: str
    kind: str
    title: str
    week: int | None
    part: str
    lecturers: tuple[PersonRef, ...] = ()
    authors: tuple[PersonRef, ...] = ()
    translators: tuple[PersonRef, ...] = ()
    date: str | None = None
    translation_of: str | None = None
    sections: tuple[Section, ...] = ()
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class SitePage:
    """A site's home, README, FAQ or about page in one language (``kind``: ``home``,
    ``readme``, ``faq``, ``about``): it publishes the language, even without notes."""

    url: str
    edition: str
    language: str
    kind: str
    title: str = ""


# -- saved documents ---------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """A reading named by a page: a book (with chapters/sections), a paper or a PDF.

    ``lecture`` is the per-lecture label it was listed under (FL23's "Per Lecture
    Materials"), ``None`` for a general reading.
    """

    title: str
    url: str | None = None
    authors: tuple[str, ...] = ()
    kind: str = "book"
    detail: str = ""  # chapter / section / pages, as written
    lecture: str | None = None
    context: str = ""


@dataclass(frozen=True)
class Document:
    """A saved source document (``--documents``): FAQ, class page, home page, review."""

    edition: str
    kind: str
    title: str
    url: str | None
    file: str
    text: str
    people: tuple[PersonRef, ...] = ()
    grading: tuple[str, ...] = ()
    policies: tuple[str, ...] = ()
    schedule: tuple[str, ...] = ()
    readings: tuple[Reading, ...] = ()
    links: tuple[Link, ...] = ()
    author: str | None = None
    author_key: str | None = None  # person key of ``author`` (ingest.common.person_key)
    date: str | None = None
    repaired: bool = False  # mojibake was repaired on read


# -- one edition's ingest result ---------------------------------------------------------


@dataclass(frozen=True)
class PageFetch:
    """Provenance of one fetched page: live URL, when, HTTP status, and whether cached."""

    url: str
    fetched_at: str  # ISO 8601, UTC
    status: int
    from_cache: bool = False
    error: str | None = None


@dataclass(frozen=True)
class EditionInfo:
    """What the editions file said of an edition when it was ingested.

    Kept with the records so a later build names the edition and its course without the
    file that configured it.
    """

    title: str
    term: str
    year: int
    course_code: str
    course_title: str = ""
    institution: str = ""
    site: str | None = None
    repository: str | None = None


@dataclass(frozen=True)
class EditionRecords:
    """Everything ingested for one edition."""

    edition: str
    themes: tuple[Theme, ...] = ()
    lectures: tuple[Lecture, ...] = ()
    pages: tuple[NotesPage, ...] = ()
    documents: tuple[Document, ...] = ()
    people: tuple[PersonRef, ...] = ()  # people named by the home page (instructors…)
    fetches: tuple[PageFetch, ...] = ()
    broken_links: tuple[Resource, ...] = ()
    repaired_links: tuple[Resource, ...] = ()
    readings: tuple[Reading, ...] = ()  # the home page's "Suggested readings"
    info: EditionInfo | None = None  # the edition's configuration (None in old records)
    warnings: tuple[str, ...] = ()  # what the ingest noticed and must tell (one line each)
    site_pages: tuple[SitePage, ...] = ()  # home, README, FAQ and about pages, any language
    transcripts: tuple[Transcript, ...] = ()
    notebooks: tuple[Notebook, ...] = ()
    slides: tuple[SlideDeck, ...] = ()
    repo_reports: tuple[RepoReport, ...] = ()
    notes: tuple[str, ...] = ()  # plain facts worth saying (a link mended), one line each
    #: (key a page linked, key of the repository file it resolved to): ``dlgraph.relink``
    resolved_files: tuple[tuple[str, str], ...] = ()


__all__ = [
    "DOCUMENT_KINDS",
    "LEAD_ANCHOR",
    "ITEM_FORMATS",
    "MEDIA_KINDS",
    "REPO_PROBLEMS",
    "RESOURCE_KINDS",
    "ROLES",
    "CodeBlock",
    "Document",
    "EditionInfo",
    "EditionRecords",
    "HomePage",
    "Lecture",
    "Link",
    "Notebook",
    "NotebookCell",
    "NotesPage",
    "PageFetch",
    "Passage",
    "PersonRef",
    "Reading",
    "RepoReport",
    "Resource",
    "Section",
    "SitePage",
    "SlideDeck",
    "SlidePage",
    "Theme",
    "Transcript",
]
