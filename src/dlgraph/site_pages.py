"""A site's home, README, FAQ and about pages, as pages of their language.

They carry no lecture, but they publish a language: SP20 is published in 16 languages, two
of them (hu, sr) with a home page and a README page only. Each is a ``dlg:SitePage`` (a
``schema:WebPage``) named by its live URL, so ``dlgraph stats`` can say which languages an
edition is published in (``site_languages``) beside those with notes (``languages``).
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef

from dlgraph.records import EditionRecords
from dlgraph.vocab import DLG, PROV, RDF, SDO, edition_iri


def add_site_pages(g: Graph, records: Iterable[EditionRecords]) -> int:
    """Add every record's site pages to ``g``; returns how many."""
    n = 0
    for rec in records:
        ed = edition_iri(rec.edition)
        for page in rec.site_pages:
            node = URIRef(page.url)
            g.add((node, RDF.type, DLG.SitePage))
            g.add((node, RDF.type, SDO.WebPage))
            if page.title:
                g.add((node, SDO.name, Literal(page.title, lang=page.language)))
            g.add((node, SDO.inLanguage, Literal(page.language)))
            g.add((node, SDO.url, node))
            g.add((node, DLG.pageKind, Literal(page.kind)))
            g.add((node, DLG.edition, ed))
            g.add((node, SDO.isPartOf, ed))
            g.add((node, PROV.wasDerivedFrom, node))
            n += 1
    return n


__all__ = ["add_site_pages"]
