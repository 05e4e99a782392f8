"""Collecting the works the editions cite and the places citing them, from the records.

:class:`Collector` walks every edition's pages, documents, home-page readings and lecture
items; :mod:`dlgraph.readings` turns what it gathered into graph nodes. Each value it
gathers keeps the rank of its source, so the best-attested title, authors and year win.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from dlgraph.citation_text import Described, describe_link, named_in
from dlgraph.identifiers import clean_url, normalize_url, reading_kind
from dlgraph.records import LEAD_ANCHOR, EditionRecords, Link, NotesPage, Reading, Section
from dlgraph.vocab import document_iri, edition_iri, lecture_iri, section_iri, slug

# Source ranks: an explicit list entry beats an English link text, which beats a translated
# page's link text, which beats the names and year a translated sentence cites after a link,
# which beat what the URL alone says.
LISTED, ENGLISH, TRANSLATED, TRANSLATED_CITATION, FROM_URL = 0, 1, 2, 3, 4


@dataclass
class Work:
    """One cited work as gathered: every value with the rank of its source."""

    scheme: str
    ident: str
    kind: str
    urls: list[tuple[int, str]] = field(default_factory=list)
    titles: list[tuple[int, str, str | None]] = field(default_factory=list)
    authors: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)
    years: list[tuple[int, int]] = field(default_factory=list)
    written: list[tuple[int, str]] = field(default_factory=list)
    chapters: list[str] = field(default_factory=list)
    sources: set[URIRef] = field(default_factory=set)
    english: bool = False  # cited by an English page, a document or a reading list


@dataclass(frozen=True)
class Cite:
    """One place citing a work (a section, page, document or lecture item)."""

    work: tuple[str, str]
    citing: URIRef
    edition: str
    source: URIRef
    context: str = ""
    lang: str | None = None
    label: str | None = None
    detail: str = ""


class Collector:
    """Gathers every work and every citing place across all editions' records."""

    def __init__(self) -> None:
        self.works: dict[tuple[str, str], Work] = {}
        self.cites: dict[tuple, Cite] = {}
        self.aliases: dict[tuple[str, str], tuple[str, str]] = {}
        self.pages: dict[str, NotesPage] = {}

    def work(self, scheme: str, ident: str, kind: str) -> Work:
        w = self.works.setdefault((scheme, ident), Work(scheme, ident, kind))
        if w.kind == "other" and kind != "other":
            w.kind = kind
        return w

    def cite(self, c: Cite) -> None:
        # One citation per citing place, reading and list label: a page repeating a link
        # in one section is still one place citing it.
        self.cites.setdefault((c.work, c.citing, c.label), c)

    def link(self, link: Link, citing: URIRef, edition: str, source: URIRef, lang: str,
             text: str = "", original: Section | None = None) -> None:
        """One link: ``text`` is the citing section's text, ``original`` the section it
        translates (when the page is a translation)."""
        url = clean_url(link.url)
        if url is None:
            return
        kind = reading_kind(url)
        key = normalize_url(url)
        if key in self.aliases:
            kind = kind or "other"
        elif kind is None:
            return
        scheme, ident = self.aliases.get(key, key)
        rank = ENGLISH if lang == "en" else TRANSLATED
        w = self.work(scheme, ident, kind)
        w.urls.append((rank, url))
        w.sources.add(source)
        # The page's sentence splitter may stop at "et al." inside the bracket after the
        # link; the section's text holds the rest of it.
        d = describe_link(link.text, link.context, _sentence(link.context, text))
        self.describe(w, d, rank, lang, d.bracketed)
        if not d.title and original is not None and rank == TRANSLATED and not self.links_it(
            original, (scheme, ident)
        ):
            # A translation links a work its original names without a link: the original's
            # "Title (Authors Year)", when it cites what the translation cites, is its name.
            named = named_in(original.text, d.authors, d.year)
            if named is not None:
                self.describe(w, named, ENGLISH, "en")
        self.cite(Cite((scheme, ident), citing, edition, source, link.context, lang))

    @staticmethod
    def describe(w: Work, d: Described, rank: int, lang: str, from_bracket: bool = False) -> None:
        if d.title:
            w.titles.append((rank, d.title, lang))
        # Names and years are not translated: a translation's bracketed citation may stand
        # in where no English page or list gives them.
        cited = TRANSLATED_CITATION if from_bracket and rank == TRANSLATED else rank
        if d.authors:
            w.authors.append((cited, d.authors))
        if d.year:
            w.years.append((cited, d.year))
        if d.as_written:
            w.written.append((cited, d.as_written))
        w.english = w.english or rank == ENGLISH

    def links_it(self, section: Section, work: tuple[str, str]) -> bool:
        for link in section.links:
            url = clean_url(link.url)
            if url and self.aliases.get(normalize_url(url), normalize_url(url)) == work:
                return True
        return False

    @staticmethod
    def kind_of(r: Reading, url: str | None) -> str:
        return {"book": "book", "paper": "paper", "pdf": "paper", "article": "paper"}.get(
            r.kind, (reading_kind(url) if url else None) or "other"
        )

    def identity(self, r: Reading, url: str | None) -> tuple[str, str]:
        kind = self.kind_of(r, url)
        if url:
            scheme, ident = normalize_url(url)
            # A book's link is a catalogue page; unless it names an ISBN, the title is the work.
            if kind == "book" and scheme not in ("isbn", "doi"):
                return "book", slug(r.title)
            return scheme, ident
        return ("book", slug(r.title)) if kind == "book" else ("title", slug(r.title))

    def reading(self, r: Reading, citing: URIRef, edition: str) -> tuple[str, str]:
        url = clean_url(r.url) if r.url else None
        scheme, ident = self.identity(r, url)
        w = self.work(scheme, ident, self.kind_of(r, url))
        w.kind = self.kind_of(r, url)  # what the list says it is beats what its URL suggests
        w.english = True
        if url:
            w.urls.append((LISTED, url))
        w.sources.add(citing)
        if r.title:
            # A bare PDF link in a list is titled by its file name ("lecun-06"): any title a
            # page gives the work is better.
            stem = (url or "").rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
            w.titles.append((FROM_URL if url and r.title == stem else LISTED, r.title, "en"))
        if r.authors:
            w.authors.append((LISTED, tuple(r.authors)))
        if r.detail and r.detail not in w.chapters:
            w.chapters.append(r.detail)
        self.cite(Cite((scheme, ident), citing, edition, citing, r.context, "en",
                        r.lecture, r.detail))
        return scheme, ident

    def alias(self, r: Reading) -> None:
        """Remember that links to a listed reading's URL mean that reading (a book's page)."""
        url = clean_url(r.url) if r.url else None
        if url:
            self.aliases[normalize_url(url)] = self.identity(r, url)

    def records(self, rec: EditionRecords) -> None:
        ed = rec.edition
        for page in rec.pages:
            page_node = URIRef(page.url)
            in_sections = set()
            originals = _aligned(page, self.pages.get(page.translation_of or ""))
            for sec in page.sections:
                s = section_iri(page.url, sec.anchor)
                for link in sec.links:
                    in_sections.add((link.url, sec.anchor))
                    self.link(link, s, ed, page_node, page.language, sec.text,
                              originals.get(sec.position))
            for link in page.links:
                if (link.url, link.section) not in in_sections:
                    self.link(link, page_node, ed, page_node, page.language)
        for doc in rec.documents:
            d = document_iri(doc.edition, doc.kind)
            listed = {self.reading(r, d, ed) for r in doc.readings}
            for link in doc.links:
                url = clean_url(link.url)
                # The list entry already cites it, with its lecture label and chapter.
                if url and self.aliases.get(normalize_url(url), normalize_url(url)) in listed:
                    continue
                self.link(link, d, ed, d, "en")
        home = URIRef(rec.info.site) if rec.info is not None and rec.info.site else None
        for r in rec.readings:  # a home page's "Suggested readings"
            self.reading(r, home or edition_iri(ed), ed)
        for lec in rec.lectures:
            node = lecture_iri(lec.edition, lec.key)
            listed = {self.reading(r, node, ed) for r in lec.readings}
            for res in lec.resources:
                url = clean_url(res.url) if listed and res.kind == "other" else None
                if url and self.aliases.get(normalize_url(url), normalize_url(url)) in listed:
                    continue  # the item's reading already cites it, with its chapter
                if res.kind == "other" and not res.broken:
                    self.link(Link(res.url, res.label), node, ed, URIRef(lec.source_url), "en")


def _sentence(context: str, text: str) -> str:
    """``context`` run on to the end of its sentence in ``text`` (brackets included)."""
    context = " ".join((context or "").split())
    flat = " ".join((text or "").split())
    at = flat.find(context) if context else -1
    if at < 0:
        return context
    depth = context.count("(") - context.count(")")
    if depth <= 0 and context.endswith((".", "!", "?")):
        return context
    rest = flat[at + len(context):at + len(context) + 200]
    for i, ch in enumerate(rest):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch in ".!?" and depth <= 0 and rest[i + 1:i + 2] in ("", " "):
            return context + rest[: i + 1]
    return context + rest


def _aligned(page: NotesPage, original: NotesPage | None) -> dict[int, Section]:
    """The original's section at each position, while both pages' outlines agree.

    A translation keeps its original's headings in order; where the levels part ways (a
    section added or dropped) nothing further is paired.
    """
    if original is None:
        return {}

    def headed(p: NotesPage) -> list[Section]:
        # A lead section (text before the first heading) is no heading to pair.
        return sorted((s for s in p.sections if s.anchor != LEAD_ANCHOR), key=lambda s: s.position)

    out = {}
    for sec, twin in zip(headed(page), headed(original), strict=False):
        if twin.level != sec.level:
            break
        out[sec.position] = twin
    return out
