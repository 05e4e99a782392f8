"""Where a citing place sits: its notes or week page, the lecture items it is about, and,
for a translated week page, the original section citing the same work."""

from __future__ import annotations

import re
from collections import defaultdict

from rdflib import Graph, URIRef

from dlgraph.bibliography_lookups import as_int
from dlgraph.vocab import DLG, RDF, SDO


class CitingPlaces:
    """Resolves a citing entity to its page, lectures and topics (memoised)."""

    def __init__(self, g: Graph):
        self.g = g
        self._lectures: dict = {}
        self._by_week: dict | None = None  # (edition, week) → {part number: item}

    def page(self, citing) -> URIRef | None:
        g = self.g
        for t in (DLG.NotesPage, DLG.WeekPage):
            if (citing, RDF.type, t) in g:
                return citing
        parent = g.value(citing, SDO.isPartOf)
        if parent is not None and any((parent, RDF.type, t) in g for t in (DLG.NotesPage, DLG.WeekPage)):
            return parent
        return None

    def lectures(self, citing, reading=None) -> list[URIRef]:
        """The lecture items ``citing`` is about; ``reading`` (what it cites) lets a
        translated week-page section fall back on the original section citing it."""
        if citing not in self._lectures:
            self._lectures[citing] = self._own_lectures(citing)
        out = self._lectures[citing]
        if not out and reading is not None:
            out = self.original_lectures(citing, reading)
        return out

    def _own_lectures(self, citing) -> list[URIRef]:
        g = self.g
        if (citing, RDF.type, SDO.LearningResource) in g:
            return [citing]
        page = self.page(citing)
        out = sorted(set(g.objects(page, SDO.about))) if page is not None else []
        if page is not None and page != citing and (page, RDF.type, DLG.WeekPage) in g:
            out = self.week_part(page, citing)
        return out

    def original_lectures(self, section, reading) -> list[URIRef]:
        """The items the original page's sections citing ``reading`` map to.

        A translation may split or merge its original's sections, so its own outline says
        nothing; the page it translates, citing the same work, says which part it is.
        """
        g = self.g
        page = self.page(section)
        original = g.value(page, SDO.translationOfWork) if page is not None else None
        if original is None or section == page or (page, RDF.type, DLG.WeekPage) not in g:
            return []
        found = set()
        for twin in g.objects(original, SDO.hasPart):
            if (twin, SDO.citation, reading) in g:
                found.update(self.week_part(original, twin))
        return sorted(found)

    def week_part(self, page, section) -> list[URIRef]:
        """The item a week-page section summarises.

        SP20 week pages have one section per part, in order ("Lecture part A", "Lecture
        part B", "Practicum" for NN-1, NN-2, NN-3); map by position only when the counts
        agree, since other weeks group parts differently.
        """
        g = self.g
        if self._by_week is None:
            self._by_week = defaultdict(dict)
            for lec in g.subjects(RDF.type, SDO.LearningResource):
                for notes in g.objects(lec, DLG.notesPage):
                    part = str(g.value(notes, DLG.part) or notes.rstrip("/").rsplit("/", 1)[-1])
                    m = re.match(r"^(\d+)-(\d+)$", part)
                    if m:
                        key = (g.value(lec, DLG.edition), int(m.group(1)))
                        self._by_week[key][int(m.group(2))] = lec
        items = self._by_week.get((g.value(page, DLG.edition), as_int(g.value(page, DLG.week))), {})
        sections = list(g.objects(page, SDO.hasPart))
        position = as_int(g.value(section, SDO.position))
        if len(sections) == len(items) and position in items:
            return [items[position]]
        # Translations keep their original's headings as empty ones (an HTML comment under
        # an <h2>): only sections with a heading or text count.
        content = sorted((s for s in sections if _has_content(g, s)),
                         key=lambda s: as_int(g.value(s, SDO.position)) or 0)
        if len(content) == len(items) and section in content and sorted(items) == list(
            range(1, len(items) + 1)
        ):
            return [items[content.index(section) + 1]]
        return []


def _has_content(g: Graph, section) -> bool:
    return any(str(o).strip() for p in (SDO.name, SDO.text) for o in g.objects(section, p))
