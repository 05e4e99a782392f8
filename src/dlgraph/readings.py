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

This module writes the nodes; reading a link's text is :mod:`dlgraph.citation_text`, and
walking the records for works and citing places :mod:`dlgraph.reading_collector`.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, URIRef

from dlgraph.bibliography import UnknownFilter, cite_keys, lecture_resources, readings_table
from dlgraph.citation_text import Described, cited_after, describe_link, named_in
from dlgraph.identifiers import arxiv_primary_class, arxiv_year, live_url, normalize_url
from dlgraph.reading_collector import TRANSLATED, Cite, Collector, Work
from dlgraph.records import EditionRecords
from dlgraph.vocab import BIBO, DCTERMS, DLG, PROV, RDF, SDO, XSD, iri

#: rdf:types of a reading, by kind.
KIND_TYPES = {
    "paper": (SDO.ScholarlyArticle, BIBO.AcademicArticle),
    "book": (SDO.Book, BIBO.Book),
    "other": (SDO.CreativeWork,),
}

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


def _fallback_title(w: Work, url: str | None) -> str:
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
    col = Collector()
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


def _add_work(g: Graph, node: URIRef, w: Work) -> None:
    for t in (BIBO.Document, *KIND_TYPES[w.kind]):
        g.add((node, RDF.type, t))
    if w.english:
        # A translated page's link text is a translation ("Uno de los buenos artículos"):
        # trust it only for works no English page or list cites.
        for values in (w.titles, w.authors, w.years, w.written):
            values[:] = [v for v in values if v[0] != TRANSLATED]
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


def _add_citation(g: Graph, c: Cite) -> None:
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
