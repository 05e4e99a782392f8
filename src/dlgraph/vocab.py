"""The one place that spells an IRI.

Standard vocabularies are re-exported from rdflib so every module imports its terms from
here; dlgraph's own few terms live in the closed namespace :class:`DLG` (a typo raises
``AttributeError`` instead of minting a new predicate). Entity IRIs are minted by
:func:`iri` under :data:`ID`. The ontology for the ``DLG`` terms ships as
``dlgraph/data/ontology.ttl``; SHACL shapes as ``dlgraph/data/shapes.ttl``.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

from dlgraph import querytext
from dlgraph.youtube import watch_url

#: Base of every IRI dlgraph mints for an entity (lectures, people, videos, …).
ID = Namespace("https://w3id.org/dlgraph/id/")
#: The SKOS concept scheme of curated course topics.
TOPICS = Namespace("https://w3id.org/dlgraph/id/topic/")


class BIBO(DefinedNamespace):
    """The Bibliographic Ontology: the few terms dlgraph uses for readings."""

    _fail = True
    _NS = Namespace("http://purl.org/ontology/bibo/")

    Document: URIRef  # a bibliographic document
    Book: URIRef  # a book
    AcademicArticle: URIRef  # a paper
    Chapter: URIRef  # a chapter of a book
    doi: URIRef  # Digital Object Identifier
    isbn: URIRef  # ISBN
    chapter: URIRef  # chapter number or title, as written
    pages: URIRef  # page range, as written
    uri: URIRef  # a URI the work is reachable at
    authorList: URIRef  # the authors in order (an rdf:List of names)


class DLG(DefinedNamespace):
    """dlgraph's own terms: only what schema.org, SKOS, DCTERMS, PROV and BIBO lack."""

    _fail = True
    _NS = Namespace("https://w3id.org/dlgraph/ns#")

    # classes
    Citation: URIRef  # one place (section, page, lecture, document) citing a reading
    TopicTag: URIRef  # why an entity was tagged with a topic: label, field, score
    NotesPage: URIRef  # a lecture-notes page (weekNN/NN-K/) of a course site
    WeekPage: URIRef  # a week summary page (weekNN/NN/) of a course site
    Homework: URIRef  # a homework item of a themed home page
    BodyLink: URIRef  # one outgoing link in a notes section's text
    Spelling: URIRef  # one way a page writes a person's name, and where
    SitePage: URIRef  # a translated home, README, FAQ or about page of a course site
    Transcript: URIRef  # a caption file of a recording, in one language

    # edition scoping and structure
    edition: URIRef  # the schema:CourseInstance an entity belongs to
    courseRepository: URIRef  # the GitHub repository an edition is built from (its page)
    term: URIRef  # "Spring" / "Fall"
    year: URIRef  # calendar year of an edition (xsd:gYear)
    week: URIRef  # course week number (xsd:integer)
    part: URIRef  # notes-page slug, e.g. "02-1"
    itemNumber: URIRef  # number printed before an item on the home page ("05 – …")
    theme: URIRef  # the edition theme (skos:Concept) an item is listed under
    headingLevel: URIRef  # 2 for h2, 3 for h3, …
    footnote: URIRef  # a footnote attached to an item (literal)
    group: URIRef  # the label of a home-page group that is not a theme ("Miscellaneous")
    code: URIRef  # a code block of a section, verbatim (literal)
    pageKind: URIRef  # home / readme / faq / about, of a DLG.SitePage (literal)

    # resources of a lecture item
    slides: URIRef  # slides of an item (schema:PresentationDigitalDocument)
    notebook: URIRef  # a Jupyter notebook of an item (schema:SoftwareSourceCode)
    notes: URIRef  # a notes handout (📝 Drive file) of an item
    notesPage: URIRef  # a lecture-notes page (DLG.NotesPage) of an item
    homework: URIRef  # a homework folder linked from an item
    lecturer: URIRef  # the person who gives a lecture (🎙️)

    # FL22 reuse and cross-edition lineage
    reused: URIRef  # true when the home page greys the item out as reused (xsd:boolean)
    sameRecordingAs: URIRef  # two items in different editions share a video (symmetric)
    reRecordingOf: URIRef  # newer item re-records the subject of an older one
    sameSlidesAs: URIRef  # two items share a slide deck (symmetric)
    sameNotebookAs: URIRef  # two items share a notebook (symmetric)

    # people and roles
    person: URIRef  # the schema:Person holding a schema:Role
    personKey: URIRef  # normalised identity string of a person

    # provenance of pages
    retrievedAt: URIRef  # when a source page was fetched (xsd:dateTime)
    fromCache: URIRef  # the page came from the HTTP cache (xsd:boolean)
    httpStatus: URIRef  # HTTP status of the fetch (xsd:integer)

    # links in the notes (dlgraph.mentions)
    linkFrom: URIRef  # the section a DLG.BodyLink sits in
    linkTo: URIRef  # what a DLG.BodyLink points to (video, notebook, reading, page…)
    linkKind: URIRef  # video / notebook / slides / code / paper / book / page (literal)
    anchorText: URIRef  # the text of a link, as the page writes it (literal)
    linkedAs: URIRef  # a URL as the page wrote it, where the graph keeps a canonical one
    courseRecording: URIRef  # false for a video the notes only mention (xsd:boolean)

    # spellings of names
    spelling: URIRef  # a person's DLG.Spelling
    seenIn: URIRef  # a page or document a DLG.Spelling was read from

    # damaged links
    brokenLink: URIRef  # a link that points nowhere, kept as a literal URL
    repairedFrom: URIRef  # the damaged URL a repaired link was written as

    # saved documents
    documentKind: URIRef  # faq / course-page / home / review
    gradingItem: URIRef  # one line of a grading scheme (literal)
    policy: URIRef  # one policy heading/paragraph (literal)
    scheduleItem: URIRef  # one homework-schedule line (literal)
    mojibakeRepaired: URIRef  # the document was saved with mojibake and repaired (xsd:boolean)

    # readings and citations
    reading: URIRef  # the reading a DLG.Citation is about
    citedIn: URIRef  # the entity (section, page, lecture, document) a DLG.Citation sits in
    context: URIRef  # the sentence around the citing link (literal)
    arxivId: URIRef  # arXiv identifier without version, e.g. "1706.03762"
    readingFor: URIRef  # the per-lecture label a reading is listed under (literal)

    # repository files: transcripts, notebooks, slides
    transcript: URIRef  # a video's DLG.Transcript node (schema:transcript's range is Text)
    attachedBy: URIRef  # how a transcript was attached to its recording (literal)
    cellType: URIRef  # "markdown" / "code" for a notebook cell
    cueStarts: URIRef  # where a passage's captions begin: "offset:second ..." (literal)
    api: URIRef  # a dotted library name a notebook cell uses, e.g. "torch.nn.LSTM"
    missingFile: URIRef  # a repository path an edition's pages link but the repository lacks
    damagedFile: URIRef  # a repository path that could not be read as its kind
    unattachedFile: URIRef  # a transcript path that could not be attached to one recording

    # topic tagging
    tag: URIRef  # an entity's DLG.TopicTag explanation node
    topic: URIRef  # the topic (skos:Concept) of a DLG.TopicTag
    score: URIRef  # how strongly a topic matched (xsd:decimal)
    matchedLabel: URIRef  # the label that matched (literal)
    matchedIn: URIRef  # which field matched: title / heading / text (literal)


slug = querytext.slug  # one definition: a search compares names by the slugs IRIs are minted from


def iri(*parts: str | int) -> URIRef:
    """Mint a deterministic entity IRI under :data:`ID` from its parts.

    >>> iri("edition", "SP20", "lecture", "02-1")
    rdflib.term.URIRef('https://w3id.org/dlgraph/id/edition/SP20/lecture/02-1')
    """
    return URIRef(ID + "/".join(quote(str(p), safe="-._~:") for p in parts))


#: Characters an IRI may not hold (RFC 3987; rdflib refuses to serialise them), plus controls.
_NOT_IN_IRI = frozenset('<>" {}|\\^`') | frozenset(chr(c) for c in range(0x20)) | {"\x7f"}
# The same set as one character class: every IRI of the graph is checked at each build.
_NOT_IN_IRI_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(_NOT_IN_IRI)) + "]")


def repair_iri(text: str) -> str | None:
    """``text`` with the characters an IRI may not hold percent-encoded; ``None`` if it is fine.

    A page's ``href="…&quot;x"`` becomes ``…%22x``: the link is kept and still resolves
    the way a browser would send it, and the graph can be written as Turtle again.
    """
    if not _NOT_IN_IRI_RE.search(text):
        return None
    return _NOT_IN_IRI_RE.sub(lambda m: f"%{ord(m.group()):02X}", text)


def resource_iri(kind: str, key: str) -> URIRef:
    """IRI of a linked resource from its normalised key (see ``records.Resource``).

    Videos are identified by their YouTube ID (``video/<id>``), Drive files by their file ID
    (``slides/drive/<id>``), GitHub files by repository path
    (``notebook/github/Atcold/NYU-DLSP20/04-spiral_classification.ipynb``), anything else by
    a hash of its canonical URL.
    """
    if kind == "video":
        return iri("video", key)
    scheme, _, rest = key.partition(":")
    if scheme in ("drive", "github") and rest:
        return iri(kind, scheme, *rest.split("/"))
    return iri(kind, "url", hashlib.sha1(key.encode()).hexdigest()[:16])


def link_iri(section: str, url: str) -> URIRef:
    """IRI of the ``dlg:BodyLink`` from a section to a URL (one per section and URL)."""
    return iri("link", hashlib.sha1(f"{section}|{url}".encode()).hexdigest()[:16])


def spelling_iri(person_key: str, spelling: str) -> URIRef:
    """IRI of one spelling of a person's name."""
    return iri("person", slug(person_key), "spelling",
               hashlib.sha1(spelling.encode()).hexdigest()[:12])


def fetch_iri(url: str, fetched_at: str) -> URIRef:
    """IRI of the ``prov:Activity`` that fetched ``url`` at ``fetched_at`` (one per fetch)."""
    return iri("fetch", hashlib.sha1(f"{url}|{fetched_at}".encode()).hexdigest()[:16])


def clip_iri(video_id: str, start: int) -> URIRef:
    """IRI of the moment of a video that starts at ``start`` seconds."""
    return iri("video", video_id, "t", start)


def person_iri(key: str) -> URIRef:
    """IRI of a person from ``ingest.common.person_key`` output: one node across editions."""
    return iri("person", slug(key))


def course_iri(code: str) -> URIRef:
    """IRI of a course (a ``schema:Course``) from its code, spaces as dashes."""
    return iri("course", re.sub(r"\s+", "-", code.strip()))


def repository_url(name: str) -> URIRef:
    """The web page of a GitHub repository ``owner/name``."""
    return URIRef(f"https://github.com/{name}")


def organization_iri(name: str) -> URIRef:
    """IRI of the school that gives a course (a ``schema:CollegeOrUniversity``)."""
    return iri("organization", slug(name))


def edition_iri(code: str) -> URIRef:
    """IRI of an edition (a ``schema:CourseInstance``)."""
    return iri("edition", code)


def lecture_iri(edition: str, key: str) -> URIRef:
    """IRI of a home-page item of an edition."""
    return iri("edition", edition, "lecture", key)


def theme_iri(edition: str, number: int) -> URIRef:
    """IRI of an edition's theme (a ``skos:Concept`` in the edition's theme scheme)."""
    return iri("edition", edition, "theme", number)


def role_iri(edition: str, role: str, person_key: str) -> URIRef:
    """IRI of one person's role in one edition."""
    return iri("role", edition, role, slug(person_key))


def document_iri(edition: str, kind: str) -> URIRef:
    """IRI of a saved document of an edition."""
    return iri("document", edition, kind)


def section_iri(page_url: str, anchor: str) -> URIRef:
    """IRI of a notes-page section: the live page URL with the heading's anchor."""
    return URIRef(f"{page_url}#{quote(anchor, safe='-._~')}")


def passage_iri(transcript_url: str, start: int) -> URIRef:
    """IRI of a transcript passage: the transcript's live URL with a media fragment ``#t=``."""
    return URIRef(f"{transcript_url}#t={int(start)}")


def cell_iri(notebook_url: str, position: int) -> URIRef:
    """IRI of a notebook cell: the notebook's live URL with ``#cell-N`` (1-based)."""
    return URIRef(f"{notebook_url}#cell-{int(position)}")


def slide_page_iri(deck_url: str, number: int) -> URIRef:
    """IRI (and URL: PDF viewers open it there) of a page of a slide deck: ``#page=N``."""
    return URIRef(f"{deck_url}#page={int(number)}")


def video_url(video_id: str, start: int | None = None) -> URIRef:
    """The YouTube watch URL of a video, at ``start`` seconds when given."""
    return URIRef(watch_url(video_id, start))


#: The curated topic scheme (``dlgraph/data/topics.ttl``), a ``skos:ConceptScheme``.
TOPIC_SCHEME = iri("topics")


def topic_iri(topic_slug: str) -> URIRef:
    """IRI of a curated topic: ``topic_iri("energy-based-models")``."""
    return TOPICS[topic_slug]


def tag_iri(entity: str, topic_slug: str, field: str) -> URIRef:
    """IRI of the ``dlg:TopicTag`` explaining why ``entity`` has a topic, one per matched field.

    Entities are identified by a short hash of their IRI, so re-tagging is idempotent.
    """
    key = hashlib.sha1(str(entity).encode()).hexdigest()[:16]
    return iri("tag", key, topic_slug, field)


__all__ = [
    "BIBO",
    "DCTERMS",
    "DLG",
    "ID",
    "PROV",
    "RDF",
    "RDFS",
    "SDO",
    "SKOS",
    "TOPICS",
    "TOPIC_SCHEME",
    "XSD",
    "cell_iri",
    "clip_iri",
    "course_iri",
    "document_iri",
    "edition_iri",
    "fetch_iri",
    "iri",
    "lecture_iri",
    "link_iri",
    "organization_iri",
    "passage_iri",
    "person_iri",
    "repair_iri",
    "repository_url",
    "resource_iri",
    "role_iri",
    "section_iri",
    "slide_page_iri",
    "slug",
    "spelling_iri",
    "tag_iri",
    "theme_iri",
    "topic_iri",
    "video_url",
]
