"""Readings: extract, normalise and deduplicate the works the editions cite.

A *reading* is a paper or a book one of the editions points to: FL23's reading lists, and
the papers linked from notes pages, week pages and saved documents. Each work is one node
(``id:reading/arxiv/<id>``, ``…/doi/<doi>``, ``…/book/<slug>``, ``…/url/<hash>``) whatever
spelling its links use (see :mod:`dlgraph.identifiers`); each place citing it is one
``dlg:Citation`` holding the sentence around the link. Titles, authors and years are what
the pages say: a link's text when it reads as a title ("Attention Is All You Need") or as
a citation ("Hochreiter, Schmidhuber, 1997"), the names and year bracketed right after a
link ("(Nguyen & Widrow, ‘90)"), FL23's list entries, for a translation's link the
"Title (Authors Year)" by which its original names the work without linking it, else the URL.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef

from dlgraph.bibliography import UnknownFilter, cite_keys, lecture_resources, readings_table
from dlgraph.identifiers import (
    arxiv_primary_class,
    arxiv_year,
    clean_url,
    live_url,
    normalize_url,
    reading_kind,
)
from dlgraph.records import LEAD_ANCHOR, EditionRecords, Link, NotesPage, Reading, Section
from dlgraph.vocab import (
    BIBO,
    DCTERMS,
    DLG,
    PROV,
    RDF,
    SDO,
    XSD,
    document_iri,
    edition_iri,
    iri,
    lecture_iri,
    section_iri,
    slug,
)

#: rdf:types of a reading, by kind.
KIND_TYPES = {
    "paper": (SDO.ScholarlyArticle, BIBO.AcademicArticle),
    "book": (SDO.Book, BIBO.Book),
    "other": (SDO.CreativeWork,),
}

# Source ranks: an explicit list entry beats an English link text, which beats a translated
# page's link text, which beats the names and year a translated sentence cites after a link,
# which beat what the URL alone says.
_LISTED, _ENGLISH, _TRANSLATED, _TRANSLATED_CITATION, _URL = 0, 1, 2, 3, 4

_YEAR = r"(?:19|20)\d{2}"
_VENUES = re.compile(
    r"\b(?:NIPS|NeurIPS|ICML|ICLR|CVPR|ECCV|ICCV|ACL|EMNLP|NAACL|AAAI|IJCAI|JMLR|Proc\.?|"
    r"IEEE|Distill|arXiv)\b\.?",
)
_ET_AL = re.compile(r"\bet\.?\s*al\b\.?", re.I)
# Words that make a link text a pointer ("here", "this paper") rather than a title.
_POINTER = re.compile(
    r"^(?:here|this|that|link|pdf|paper|article|website|site|source|full paper|"
    r"this paper|the paper|ici|aquí|qui|hier|aqui)$|\bpaper\b|\barticle\b",
    re.I,
)
_SHORT_CITE = re.compile(r"^\(?([A-Z][A-Za-z'-]+)(\d{2})\)?$")  # "(Lecun88)"
# A person's name as citations write it: "Widrow", "Le Cun", "Marc’Aurelio Ranzato".
_CITED_NAME = r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}"
_CITED_NAMES = rf"{_CITED_NAME}(?:\s*(?:,\s*(?:and\s+)?|&|\band\b)\s*{_CITED_NAME})*"
# "(Nguyen & Widrow, ‘90)", "(Le Cun et al. (2006))", "(2017)" right after a link's text.
_CITED_AFTER = re.compile(
    rf"^\s*\(\s*(?:(?P<names>{_CITED_NAMES})(?P<etal>\s*,?\s+et\.?\s*al\b\.?)?\s*,?\s*)?"
    rf"\(?\s*(?:(?P<year>{_YEAR})|[‘’'`](?P<yy>\d{{2}}))\s*\)?\s*\)"
)
# "A Tutorial on Toys (Ada Toy, Bo Example, and Cy Test 2006)": a work named, not linked.
_NAMED_WORK = re.compile(
    rf"(?:^|\n|[.!?:]\s+)(?P<title>[A-Z][^\n().!?:]{{4,150}}?)\s*"
    rf"\((?P<names>{_CITED_NAMES}),?\s+(?P<year>{_YEAR})\)"
)


@dataclass
class Described:
    """What a link's text (and its sentence) says about the work it points to."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    et_al: bool = False
    as_written: str | None = None  # the citation as written, when the text is one
    bracketed: bool = False  # authors and year come from a bracket after the link


def describe_link(text: str, context: str = "", sentence: str | None = None) -> Described:
    """Read a link text as a title, a citation (authors, year) or both.

    ``"Attention Is All You Need"`` is a title; ``"Hochreiter, Schmidhuber, 1997"`` and
    ``"Hinton et al (2012)"`` are citations; ``"Sequence Modeling with CTC, Hannun. 2017,
    Distill"`` is both. Names the sentence introduces with "by …" or follows with "in 2014"
    are authors, and so are the names and year it cites in brackets right after the link
    (``"the Truck Backer-Upper (Nguyen & Widrow, ‘90)"``). Pointers ("here", "One of the
    good paper") and domain names say nothing by themselves. The bracket is looked for in
    ``sentence`` when given (``context`` run on past where it stops), else in ``context``.
    """
    d = _describe_text(text, context)
    if not d.authors and not d.year:
        cited = cited_after(text, context if sentence is None else sentence)
        if cited is not None:
            d.authors, d.year, d.et_al, written = cited
            d.as_written = d.as_written or written
            d.bracketed = True
    return d


def cited_after(text: str, context: str) -> tuple[tuple[str, ...], int, bool, str | None] | None:
    """``(authors, year, et_al, as written)`` of a bracketed citation right after ``text``.

    Only a bracket that holds a year (``1990``, ``‘90``), after capitalised names or
    alone, counts: a bracket of words ("(see below)") is not a citation.
    """
    text = " ".join((text or "").split())
    context = " ".join((context or "").split())
    if not text or not context:
        return None
    at = context.find(text)
    while at >= 0:
        m = _CITED_AFTER.match(context[at + len(text):])
        if m:
            if m.group("year"):
                year = int(m.group("year"))
            else:
                yy = int(m.group("yy"))
                year = (1900 if yy >= 50 else 2000) + yy
            names = _split_names(m.group("names") or "")
            written = m.group(0).strip()[1:-1].strip() if names else None
            return names, year, bool(m.group("etal")), written
        at = context.find(text, at + 1)
    return None


def _split_names(names: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in re.split(r",\s*(?:and\s+)?|&|\band\b", names) if n.strip())


def named_in(text: str, authors: tuple[str, ...], year: int | None) -> Described | None:
    """The one work ``text`` names as ``Title (Authors Year)`` matching what a citation says.

    ``authors`` and ``year`` are what a translation cites next to its link; the original's
    phrase must agree with all of it (first author's surname, spaces and case ignored; the
    year) and be the only phrase that does, else ``None``.
    """
    if not authors and not year:
        return None
    found = []
    for m in _NAMED_WORK.finditer(text or ""):
        names = _split_names(m.group("names"))
        if year and int(m.group("year")) != year:
            continue
        if authors and not (names and _fold_name(authors[0].split()[-1]) in _fold_name(names[0])):
            continue
        title = " ".join(m.group("title").split())
        if len(title.split()) < 2:
            continue
        found.append(Described(title=title, authors=names, year=int(m.group("year")),
                               as_written=" ".join(m.group(0).strip(" .!?:\n").split())))
    return found[0] if len(found) == 1 else None


def _fold_name(name: str) -> str:
    # Translations respell names ("Le Cun" for "LeCun"); letters alone compare.
    return re.sub(r"[\s'’-]+", "", name).casefold()


def _describe_text(text: str, context: str) -> Described:
    text = " ".join((text or "").split()).strip(" .")
    if not text:
        return Described()
    if text.startswith(("http://", "https://", "www.")) or re.fullmatch(r"[\w.-]+\.[a-z]{2,4}", text):
        return Described()
    if _POINTER.search(text):
        return Described()
    m = _SHORT_CITE.match(text)
    if m:
        yy = int(m.group(2))
        return Described(authors=(m.group(1),), year=(1900 if yy >= 50 else 2000) + yy,
                         as_written=text)
    parts = [p.strip() for p in text.split(",")]
    if len(parts) >= 2 and _leads_with_title(parts) and _is_citation(", ".join(parts[1:])):
        cited = _citation(", ".join(parts[1:]))
        cited.title = parts[0]
        cited.as_written = text
        return cited
    if _is_citation(text) or _names_in_context(text, context):
        cited = _citation(text)
        cited.as_written = text
        if cited.year is None:
            m = re.search(rf"{re.escape(text)}\s*(?:in|\()\s*({_YEAR})", context)
            cited.year = int(m.group(1)) if m else None
        return cited
    if len(text.split()) >= 2 or (len(text) >= 3 and any(c.isupper() for c in text)):
        return Described(title=text)
    return Described()


def _leads_with_title(parts: list[str]) -> bool:
    """Whether ``Title, Surname, et al. 2019`` leads with a title: 3+ words, or 2 before surnames."""
    words = len(parts[0].split())
    if words >= 3:
        return True
    names = [p for p in parts[1:] if not re.search(_YEAR, p) and not _ET_AL.fullmatch(p)]
    head = re.split(rf"\b{_YEAR}\b|{_ET_AL.pattern}", parts[1], flags=re.I)[0].strip(" .")
    return words == 2 and bool(head) and len(head.split()) == 1 and all(
        len(_ET_AL.split(p)[0].split()) <= 1 for p in names
    )


def _is_citation(text: str) -> bool:
    if re.search(_YEAR, text) or _ET_AL.search(text):
        return True
    parts = [p.strip() for p in re.split(r",|&|\band\b", text) if p.strip()]
    return len(parts) >= 2 and all(
        1 <= len(p.split()) <= 3 and all(w[:1].isupper() for w in p.split()) for p in parts
    )


def _names_in_context(text: str, context: str) -> bool:
    """The sentence introduces the link text as people: "by Antoine Bordes", "X in 2014"."""
    words = text.split()
    if not context or not (1 <= len(words) <= 4) or not all(w[:1].isupper() for w in words):
        return False
    t = re.escape(text)
    return bool(re.search(rf"\bby\s+{t}|{t}\s+in\s+{_YEAR}", context))


def _citation(text: str) -> Described:
    years = re.findall(_YEAR, text)
    et_al = bool(_ET_AL.search(text))
    head = re.split(rf"\(?\b{_YEAR}\b", text)[0]
    head = _ET_AL.split(head)[0]
    head = _VENUES.sub(" ", head)
    names = []
    for part in re.split(r",|&|\band\b", head):
        name = " ".join(part.replace("(", " ").replace(")", " ").split()).strip(" .")
        if name and any(c.isalpha() for c in name):
            names.append(name)
    return Described(authors=tuple(names), year=int(years[0]) if years else None, et_al=et_al)


# -- collecting works and citations ---------------------------------------------------------


@dataclass
class _Work:
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
class _Cite:
    work: tuple[str, str]
    citing: URIRef
    edition: str
    source: URIRef
    context: str = ""
    lang: str | None = None
    label: str | None = None
    detail: str = ""


class _Collector:
    """Gathers every work and every citing place across all editions' records."""

    def __init__(self) -> None:
        self.works: dict[tuple[str, str], _Work] = {}
        self.cites: dict[tuple, _Cite] = {}
        self.aliases: dict[tuple[str, str], tuple[str, str]] = {}
        self.pages: dict[str, NotesPage] = {}

    def work(self, scheme: str, ident: str, kind: str) -> _Work:
        w = self.works.setdefault((scheme, ident), _Work(scheme, ident, kind))
        if w.kind == "other" and kind != "other":
            w.kind = kind
        return w

    def cite(self, c: _Cite) -> None:
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
        rank = _ENGLISH if lang == "en" else _TRANSLATED
        w = self.work(scheme, ident, kind)
        w.urls.append((rank, url))
        w.sources.add(source)
        # The page's sentence splitter may stop at "et al." inside the bracket after the
        # link; the section's text holds the rest of it.
        d = describe_link(link.text, link.context, _sentence(link.context, text))
        self.describe(w, d, rank, lang, d.bracketed)
        if not d.title and original is not None and rank == _TRANSLATED and not self.links_it(
            original, (scheme, ident)
        ):
            # A translation links a work its original names without a link: the original's
            # "Title (Authors Year)", when it cites what the translation cites, is its name.
            named = named_in(original.text, d.authors, d.year)
            if named is not None:
                self.describe(w, named, _ENGLISH, "en")
        self.cite(_Cite((scheme, ident), citing, edition, source, link.context, lang))

    @staticmethod
    def describe(w: _Work, d: Described, rank: int, lang: str, from_bracket: bool = False) -> None:
        if d.title:
            w.titles.append((rank, d.title, lang))
        # Names and years are not translated: a translation's bracketed citation may stand
        # in where no English page or list gives them.
        cited = _TRANSLATED_CITATION if from_bracket and rank == _TRANSLATED else rank
        if d.authors:
            w.authors.append((cited, d.authors))
        if d.year:
            w.years.append((cited, d.year))
        if d.as_written:
            w.written.append((cited, d.as_written))
        w.english = w.english or rank == _ENGLISH

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
            w.urls.append((_LISTED, url))
        w.sources.add(citing)
        if r.title:
            # A bare PDF link in a list is titled by its file name ("lecun-06"): any title a
            # page gives the work is better.
            stem = (url or "").rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
            w.titles.append((_URL if url and r.title == stem else _LISTED, r.title, "en"))
        if r.authors:
            w.authors.append((_LISTED, tuple(r.authors)))
        if r.detail and r.detail not in w.chapters:
            w.chapters.append(r.detail)
        self.cite(_Cite((scheme, ident), citing, edition, citing, r.context, "en",
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


def reading_iri(scheme: str, ident: str) -> URIRef:
    """The node of a work from its identity (see :func:`~dlgraph.identifiers.normalize_url`)."""
    if scheme == "arxiv":
        return iri("reading", "arxiv", ident)
    if scheme == "doi":
        return iri("reading", "doi", ident)
    if scheme in ("book", "isbn"):
        return iri("reading", "book", ident)
    return iri("reading", "url", hashlib.sha1(f"{scheme}:{ident}".encode()).hexdigest()[:16])


def _best(values: list[tuple]) -> tuple | None:
    """The best-ranked value; among equals the most frequent, then the longest."""
    if not values:
        return None
    top = min(v[0] for v in values)
    counts = Counter(v[1:] for v in values if v[0] == top)
    return max(counts, key=lambda v: (counts[v], len(str(v[0])), str(v[0])))


def _fallback_title(w: _Work, url: str | None) -> str:
    if w.scheme == "arxiv":
        return f"arXiv:{w.ident}"
    if w.scheme == "doi":
        return f"doi:{w.ident}"
    if w.scheme == "title":
        return w.ident
    if url:
        m = re.search(r"papers\.nips\.cc/paper/\d+-([^/]+?)(?:\.pdf)?$", url)
        if m:
            # Old NeurIPS URLs spell the title as their slug.
            words = m.group(1).replace("-", " ")
            return words[:1].upper() + words[1:]
        tail = url.rstrip("/").rsplit("/", 1)
        host = re.sub(r"^https?://(?:www\.)?", "", tail[0]).split("/")[0]
        return f"{tail[-1]} ({host})" if len(tail) == 2 else host
    return w.ident


def add_readings(g: Graph, records: Iterable[EditionRecords]) -> int:
    """Add every reading the editions cite, one node per work, with its citations.

    Reads FL23's reading lists (``Document.readings``), the outgoing links of notes and
    week pages (``Section.links``, ``NotesPage.links``), of saved documents
    (``Document.links``) and of home-page items, keeps the papers and books among them,
    and adds to ``g`` the reading nodes and one ``dlg:Citation`` per citing place, as
    ``docs/model.md`` describes. Returns the number of triples added.
    """
    before = len(g)
    records = list(records)
    col = _Collector()
    for rec in records:
        for doc in rec.documents:
            for r in doc.readings:
                col.alias(r)
        for r in (*rec.readings, *(r for lec in rec.lectures for r in lec.readings)):
            col.alias(r)
        col.pages.update((p.url, p) for p in rec.pages)
    for rec in records:
        col.records(rec)
    for key, w in sorted(col.works.items()):
        _add_work(g, reading_iri(*key), w)
    for c in sorted(col.cites.values(), key=lambda c: (c.work, str(c.citing), c.label or "")):
        _add_citation(g, c)
    return len(g) - before


def _add_work(g: Graph, node: URIRef, w: _Work) -> None:
    for t in (BIBO.Document, *KIND_TYPES[w.kind]):
        g.add((node, RDF.type, t))
    if w.english:
        # A translated page's link text is a translation ("Uno de los buenos artículos"):
        # trust it only for works no English page or list cites.
        for values in (w.titles, w.authors, w.years, w.written):
            values[:] = [v for v in values if v[0] != _TRANSLATED]
    best_url = _best(w.urls)
    url = live_url(w.scheme, w.ident, best_url[0]) if best_url else None
    if w.scheme == "arxiv":
        url = url or f"https://arxiv.org/abs/{w.ident}"
    if w.scheme == "doi":
        url = url or f"https://doi.org/{w.ident}"
    title = _best(w.titles)
    if title:
        g.add((node, DCTERMS.title, Literal(title[0], lang=title[1])))
    else:
        g.add((node, DCTERMS.title, Literal(_fallback_title(w, best_url[0] if best_url else None))))
    authors = _best(w.authors)
    if authors and authors[0] and (node, BIBO.authorList, None) not in g:
        # The names in order as an rdf:List (dcterms:creator would want agent nodes, not
        # names). Each cell's blank-node label comes from the reading's IRI and the cell's
        # place, so two builds write the same labels and the exports are byte-identical.
        stem = f"authors-{hashlib.sha1(str(node).encode()).hexdigest()[:16]}"
        cells = [BNode(stem if i == 0 else f"{stem}-{i}") for i in range(len(authors[0]))]
        for i, (cell, name) in enumerate(zip(cells, authors[0], strict=True)):
            g.add((cell, RDF.first, Literal(name)))
            g.add((cell, RDF.rest, cells[i + 1] if i + 1 < len(cells) else RDF.nil))
        g.add((node, BIBO.authorList, cells[0]))
    year = arxiv_year(w.ident) if w.scheme == "arxiv" else None
    year = year or (_best(w.years) or (None,))[0]
    if year:
        g.add((node, DCTERMS.issued, Literal(str(year), datatype=XSD.gYear)))
    written = _best(w.written)
    if written:
        g.add((node, DCTERMS.bibliographicCitation, Literal(written[0])))
    if url:
        g.add((node, SDO.url, URIRef(url)))
    if w.scheme == "arxiv":
        g.add((node, DLG.arxivId, Literal(w.ident)))
    elif w.scheme == "doi":
        g.add((node, BIBO.doi, Literal(w.ident)))
    elif w.scheme == "isbn":
        g.add((node, BIBO.isbn, Literal(w.ident)))
    for chapter in w.chapters:
        g.add((node, BIBO.chapter, Literal(chapter)))
    for src in w.sources:
        g.add((node, PROV.wasDerivedFrom, src))


def _add_citation(g: Graph, c: _Cite) -> None:
    reading = reading_iri(*c.work)
    key = f"{reading}|{c.citing}|{c.label or ''}"
    node = iri("citation", hashlib.sha1(key.encode()).hexdigest()[:16])
    g.add((node, RDF.type, DLG.Citation))
    g.add((node, DLG.reading, reading))
    g.add((node, DLG.citedIn, c.citing))
    g.add((node, DLG.edition, iri("edition", c.edition)))
    g.add((node, PROV.wasDerivedFrom, c.source))
    if c.context:
        g.add((node, DLG.context, Literal(c.context, lang=c.lang)))
    if c.label:
        g.add((node, DLG.readingFor, Literal(c.label, lang="en")))
    if c.detail:
        g.add((node, BIBO.chapter, Literal(c.detail)))
    g.add((c.citing, SDO.citation, reading))


__all__ = [
    "KIND_TYPES",
    "UnknownFilter",
    "cite_keys",
    "lecture_resources",
    "readings_table",
    "Described",
    "add_readings",
    "arxiv_primary_class",
    "cited_after",
    "describe_link",
    "named_in",
    "normalize_url",
    "reading_iri",
]
