"""Build the RDF graph from ingested records.

One function, :func:`build_graph`, turns :class:`~dlgraph.records.EditionRecords` into an
rdflib graph shaped as ``docs/model.md`` describes. It is deterministic: the same records give
the same IRIs, so re-ingesting is idempotent. Cross-edition links, readings, topics and lineage
are added afterwards by their own modules (see ``dlgraph.pipeline``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime

from rdflib import Graph, Literal, URIRef

from dlgraph import spellings
from dlgraph.records import (
    Document,
    EditionInfo,
    EditionRecords,
    Lecture,
    NotesPage,
    PersonRef,
)
from dlgraph.resource_nodes import add_resource
from dlgraph.vocab import (
    BIBO,
    DCTERMS,
    DLG,
    PROV,
    RDF,
    SDO,
    SKOS,
    XSD,
    course_iri,
    document_iri,
    edition_iri,
    fetch_iri,
    iri,
    lecture_iri,
    organization_iri,
    person_iri,
    repository_url,
    role_iri,
    section_iri,
    theme_iri,
)


def new_graph() -> Graph:
    """An empty graph with dlgraph's prefixes bound (for readable Turtle)."""
    g = Graph()
    g.bind("schema", SDO, replace=True)
    g.bind("skos", SKOS)
    g.bind("dcterms", DCTERMS)
    g.bind("prov", PROV)
    g.bind("dlg", DLG._NS)
    g.bind("bibo", BIBO._NS)
    g.bind("id", iri(""))
    return g


def build_graph(
    records: Iterable[EditionRecords], editions: Mapping[str, object] | None = None
) -> Graph:
    """Build the graph of every edition in ``records``.

    Parameters
    ----------
    records
        One :class:`EditionRecords` per edition.
    editions
        What is known of each edition by code, overriding what its records say
        (``EditionRecords.info``): an :class:`~dlgraph.records.EditionInfo`, or an
        ``ingest.registry.EditionSpec``. Records without either fall back on the configured
        editions (``ingest.registry``).

    Returns
    -------
    rdflib.Graph
        One ``schema:Course`` per course code, each edition a ``schema:CourseInstance`` of
        its own course.
    """
    g = new_graph()
    records = list(records)
    names = _person_names(records)
    for rec in records:
        info = edition_info_of(rec, editions)
        if info is not None:
            add_course(g, info)
        _Builder(g, rec, info, names).build()
    return g


def edition_info_of(rec: EditionRecords, editions: Mapping[str, object] | None = None
                    ) -> EditionInfo | None:
    """What is known of ``rec``'s edition: ``editions[code]``, its records, or the registry."""
    spec = (editions or {}).get(rec.edition)
    if spec is None and rec.info is not None:
        return rec.info
    if spec is None and editions is None:
        # records saved before they carried their edition's configuration
        from ingest.registry import EDITIONS

        spec = EDITIONS.get(rec.edition)
    if spec is None or isinstance(spec, EditionInfo):
        return spec
    from ingest.registry import edition_info

    return edition_info(spec)


def add_course(g: Graph, info: EditionInfo) -> URIRef:
    """The course node of ``info``'s course (and the school giving it)."""
    course = course_iri(info.course_code)
    g.add((course, RDF.type, SDO.Course))
    g.add((course, SDO.courseCode, Literal(info.course_code)))
    if info.course_title:
        g.set((course, SDO.name, Literal(info.course_title, lang="en")))
    if info.institution:
        org = organization_iri(info.institution)
        g.add((org, RDF.type, SDO.CollegeOrUniversity))
        g.set((org, SDO.name, Literal(info.institution)))
        g.add((course, SDO.provider, org))
    return course


def _person_names(records: list[EditionRecords]) -> dict[str, str]:
    """The display name of each person key (see :func:`dlgraph.spellings.display_name`)."""
    return spellings.names(spellings.collect(records))


_DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%B %d, %Y", "%b %d, %Y", "%Y-%m-%d")


def date_literal(text: str) -> Literal:
    """``xsd:date`` when the page's date parses (``3 Feb 2020``), else the text as written."""
    clean = re.sub(r"\s+", " ", text.strip().rstrip("."))
    for fmt in _DATE_FORMATS:
        try:
            return Literal(datetime.strptime(clean, fmt).date(), datatype=XSD.date)
        except ValueError:
            continue
    return Literal(clean)


class _Builder:
    """Adds one edition's records to the graph."""

    def __init__(self, g: Graph, rec: EditionRecords, spec, names: dict[str, str]):
        self.g, self.rec, self.spec, self.names = g, rec, spec, names
        self.ed = edition_iri(rec.edition)
        # What an item, page or document is part of: its course (a CreativeWork, as
        # schema:isPartOf's range asks; the edition, an Event, is dlg:edition).
        self.course = course_iri(spec.course_code) if spec is not None else None

    def build(self) -> None:
        self.edition()
        self.provenance()
        for theme in self.rec.themes:
            self.theme(theme)
        pages_by_url = {p.url: p for p in self.rec.pages}
        for lecture in self.rec.lectures:
            self.lecture(lecture, pages_by_url)
        for page in self.rec.pages:
            self.page(page, pages_by_url)
        for doc in self.rec.documents:
            self.document(doc)

    # -- edition, people ------------------------------------------------------------------

    def edition(self) -> None:
        g, ed, spec = self.g, self.ed, self.spec
        g.add((ed, RDF.type, SDO.CourseInstance))
        g.add((ed, SDO.identifier, Literal(self.rec.edition)))
        if spec is not None:
            # the course code lives on the Course (schema:courseCode's domain), reached
            # from an edition through ^schema:hasCourseInstance
            g.add((course_iri(spec.course_code), SDO.hasCourseInstance, ed))
            g.add((ed, SDO.name, Literal(spec.title, lang="en")))
            g.add((ed, DLG.term, Literal(spec.term)))
            g.add((ed, DLG.year, Literal(str(spec.year), datatype=XSD.gYear)))
            if spec.site:
                g.add((ed, SDO.url, URIRef(spec.site)))
            if spec.repository:
                # lineage counts a notebook in any edition's repository as a course file
                g.add((ed, DLG.courseRepository, repository_url(spec.repository.partition("@")[0])))
        for ref in self.rec.people:
            self.person(ref, source=self.home_url())

    def home_url(self) -> URIRef | None:
        if self.spec is not None and self.spec.site:
            return URIRef(self.spec.site)
        return None

    def person(self, ref: PersonRef, source: URIRef | None = None) -> URIRef:
        """The person node, plus their role in this edition."""
        g = self.g
        p = person_iri(ref.key)
        g.add((p, RDF.type, SDO.Person))
        g.set((p, SDO.name, Literal(self.names.get(ref.key, ref.name))))
        g.add((p, DLG.personKey, Literal(ref.key)))
        if ref.email:
            g.add((p, SDO.email, Literal(ref.email)))
        role = role_iri(self.rec.edition, ref.role, ref.key)
        g.add((role, RDF.type, SDO.Role))
        g.add((role, SDO.roleName, Literal(ref.role)))
        # schema.org's Role pattern: the edition has a contributor, that Role, whose
        # contributor is the person. dlg:person is the same link as a shortcut.
        g.add((self.ed, SDO.contributor, role))
        g.add((role, SDO.contributor, p))
        g.add((role, DLG.person, p))
        g.add((role, DLG.edition, self.ed))
        if source is not None:
            g.add((role, PROV.wasDerivedFrom, source))
        if ref.role == "instructor":
            g.add((self.ed, SDO.instructor, p))
        return p

    def provenance(self) -> None:
        g = self.g
        for f in self.rec.fetches:
            if f.error or f.status >= 400:
                continue  # a dead link is reported by ingest, not an entity's source
            page = URIRef(f.url)
            when = Literal(f.fetched_at, datatype=XSD.dateTime)
            g.add((page, RDF.type, PROV.Entity))
            g.add((page, DLG.fromCache, Literal(f.from_cache)))
            g.add((page, DLG.httpStatus, Literal(f.status)))
            # The page as ingested is what its fetch generated: plain PROV, which every
            # provenance tool reads, says when (the fetch's end) without a dlg: twin.
            fetch = fetch_iri(f.url, f.fetched_at)
            g.add((fetch, RDF.type, PROV.Activity))
            g.add((page, PROV.wasGeneratedBy, fetch))
            g.add((fetch, PROV.endedAtTime, when))

    # -- home-page structure --------------------------------------------------------------

    def theme(self, theme) -> None:
        g = self.g
        t = theme_iri(theme.edition, theme.number)
        scheme = iri("edition", theme.edition, "themes")
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        g.add((scheme, DLG.edition, self.ed))
        g.add((t, RDF.type, SKOS.Concept))
        g.add((t, SKOS.inScheme, scheme))
        g.add((t, SKOS.prefLabel, Literal(theme.title, lang="en")))
        # The theme's number orders the themes (schema:position is for creative works and
        # list items, which a skos:Concept is not).
        g.add((t, SKOS.notation, Literal(str(theme.number))))
        g.add((t, DLG.edition, self.ed))

    def lecture(self, lec: Lecture, pages_by_url: dict[str, NotesPage]) -> None:
        g = self.g
        node = lecture_iri(lec.edition, lec.key)
        g.add((node, RDF.type, SDO.LearningResource))
        if lec.format == "homework":
            g.add((node, RDF.type, DLG.Homework))
        g.add((node, SDO.name, Literal(lec.title, lang="en")))
        g.add((node, SDO.learningResourceType, Literal(lec.format)))
        g.add((node, SDO.position, Literal(lec.position)))
        g.add((node, DLG.edition, self.ed))
        if self.course is not None:
            g.add((node, SDO.isPartOf, self.course))
        g.add((node, DLG.reused, Literal(lec.reused)))
        g.add((node, PROV.wasDerivedFrom, URIRef(lec.source_url)))
        if lec.week is not None:
            g.add((node, DLG.week, Literal(lec.week)))
        if lec.theme is not None:
            g.add((node, DLG.theme, theme_iri(lec.edition, lec.theme)))
        if lec.number is not None:
            g.add((node, DLG.itemNumber, Literal(lec.number)))
        if lec.group:
            g.add((node, DLG.group, Literal(lec.group, lang="en")))
        for note in lec.footnotes:
            g.add((node, DLG.footnote, Literal(note, lang="en")))
        for res in lec.resources:
            add_resource(self.g, node, res)
        for url in lec.notes_urls:
            page = URIRef(url)
            g.add((node, DLG.notesPage, page))
            g.add((page, SDO.about, node))
            notes = pages_by_url.get(url)
            if notes is not None:
                for ref in notes.lecturers:
                    g.add((node, DLG.lecturer, self.person(ref, source=page)))

    # -- notes and week pages -------------------------------------------------------------

    def page(self, page: NotesPage, pages_by_url: dict[str, NotesPage]) -> None:
        g = self.g
        node = URIRef(page.url)
        lang = page.language
        g.add((node, RDF.type, DLG.NotesPage if page.kind == "notes" else DLG.WeekPage))
        g.add((node, RDF.type, SDO.Article if page.kind == "notes" else SDO.WebPage))
        g.add((node, SDO.name, Literal(page.title, lang=lang)))
        g.add((node, SDO.inLanguage, Literal(lang)))
        g.add((node, SDO.url, node))
        g.add((node, DLG.edition, self.ed))
        if self.course is not None:
            g.add((node, SDO.isPartOf, self.course))
        g.add((node, DLG.part, Literal(page.part)))
        g.add((node, PROV.wasDerivedFrom, node))
        if page.week is not None:
            g.add((node, DLG.week, Literal(page.week)))
        if page.date:
            g.add((node, SDO.dateCreated, date_literal(page.date)))
        for ref in page.lecturers:
            g.add((node, DLG.lecturer, self.person(ref, source=node)))
        for ref in page.authors:
            g.add((node, SDO.author, self.person(ref, source=node)))
        for ref in page.translators:
            g.add((node, SDO.translator, self.person(ref, source=node)))
        if page.translation_of:
            original = URIRef(page.translation_of)
            g.add((node, SDO.translationOfWork, original))
            g.add((original, SDO.workTranslation, node))
            for lecture in g.objects(original, SDO.about):
                g.add((node, SDO.about, lecture))
        for sec in page.sections:
            s = section_iri(page.url, sec.anchor)
            g.add((s, RDF.type, SDO.CreativeWork))
            g.add((s, SDO.name, Literal(sec.heading, lang=lang)))
            g.add((s, SDO.position, Literal(sec.position)))
            g.add((s, DLG.headingLevel, Literal(sec.level)))
            if sec.text:
                g.add((s, SDO.text, Literal(sec.text, lang=lang)))
            for block in sec.code:  # also in the text; here so a reader can show it as code
                g.add((s, DLG.code, Literal(block.text)))
            g.add((s, SDO.isPartOf, node))
            g.add((node, SDO.hasPart, s))
            g.add((s, SDO.inLanguage, Literal(lang)))
            g.add((s, DLG.edition, self.ed))
            g.add((s, PROV.wasDerivedFrom, node))
            if sec.video is not None:
                add_resource(self.g, s, sec.video)

    # -- saved documents ------------------------------------------------------------------

    def document(self, doc: Document) -> None:
        g = self.g
        node = document_iri(doc.edition, doc.kind)
        source = URIRef(doc.url) if doc.url else node
        g.add((node, RDF.type, SDO.DigitalDocument))
        g.add((node, RDF.type, PROV.Entity))
        g.add((node, SDO.name, Literal(doc.title)))
        g.add((node, DLG.documentKind, Literal(doc.kind)))
        g.add((node, DLG.edition, self.ed))
        if self.course is not None:
            g.add((node, SDO.isPartOf, self.course))
        g.add((node, SDO.text, Literal(doc.text)))
        g.add((node, DLG.mojibakeRepaired, Literal(doc.repaired)))
        if doc.url:
            g.add((node, SDO.url, URIRef(doc.url)))
            g.add((node, PROV.wasDerivedFrom, source))
        if doc.date:
            g.add((node, SDO.dateCreated, date_literal(doc.date)))
        if doc.author:
            key = doc.author_key or doc.author.lower()
            p = person_iri(key)
            g.add((p, RDF.type, SDO.Person))
            if (p, SDO.name, None) not in g:
                g.add((p, SDO.name, Literal(self.names.get(key, doc.author))))
                g.add((p, DLG.personKey, Literal(key)))
            g.add((node, SDO.author, p))
        for ref in doc.people:
            p = self.person(ref, source=source)
            g.add((node, SDO.mentions, p))
        for pred, values in (
            (DLG.gradingItem, doc.grading),
            (DLG.policy, doc.policies),
            (DLG.scheduleItem, doc.schedule),
        ):
            for v in values:
                g.add((node, pred, Literal(v)))
