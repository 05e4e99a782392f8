"""How the pages write each person's name: every spelling, where it was seen, which one to show.

``ingest.common.person_key`` folds case, accents, spacing and the checked variants of
``NAME_ALIASES`` into one identity, so "Yann Le Cun" and "Yann LeCun" are one person. Folding
must not lose what the pages say: each spelling is kept (``schema:alternateName``, and a
``dlg:Spelling`` naming the pages it was read from), the display name is the fullest form,
and a merge that joins different names ("Matt Lewis" into Mike Lewis) is reported by the
ingest summary rather than made silently.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from dlgraph.records import EditionRecords, PersonRef
from dlgraph.vocab import document_iri


@dataclass
class Spellings:
    """The spellings of one person key: how often each was seen, and on which pages."""

    key: str
    seen: Counter = field(default_factory=Counter)
    sources: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, name: str, source: str | None) -> None:
        self.seen[name] += 1
        if source:
            self.sources[name].add(source)


def _refs(records: Iterable[EditionRecords], home_urls: dict[str, str | None]):
    for rec in records:
        home = home_urls.get(rec.edition)
        for ref in rec.people:
            yield ref, home
        for page in rec.pages:
            for ref in (*page.lecturers, *page.authors, *page.translators):
                yield ref, page.url
        for doc in rec.documents:
            source = doc.url or str(document_iri(doc.edition, doc.kind))
            for ref in doc.people:
                yield ref, source


def collect(records: Iterable[EditionRecords],
            home_urls: dict[str, str | None] | None = None) -> dict[str, Spellings]:
    """Every spelling of every person key in ``records``, with the pages it was seen on.

    ``home_urls`` gives each edition's home page, the source of the people its home page
    names (``EditionRecords.people``).
    """
    out: dict[str, Spellings] = {}
    for ref, source in _refs(records, home_urls or {}):
        out.setdefault(ref.key, Spellings(ref.key)).add(ref.name, source)
    return out


def _words(key: str) -> str:
    return key.replace("-", " ")


def display_name(sp: Spellings) -> str:
    """The name to show: the spelling the key was made from, else the fullest, else the
    most frequent (ties: alphabetical).

    The key is the folded form of the name every variant was checked against (an alias
    target such as "choonghee lee"), so a spelling folding to it is the right one even
    when seen once ("ChoongHee Lee" over a more frequent "ChoongHee").
    """
    from ingest.common import name_fold

    def rank(item):
        name, count = item
        return (name_fold(name) != _words(sp.key), -len(name_fold(name).split()), -count, name)

    return sorted(sp.seen.items(), key=rank)[0][0]


@dataclass(frozen=True)
class Merge:
    """A spelling folded into a person whose name it does not spell (other letters)."""

    spelling: str
    name: str
    key: str
    sources: tuple[str, ...]


def merges(spellings: dict[str, Spellings]) -> list[Merge]:
    """Spellings joined to a person by an alias although their letters differ from the
    name shown (spaces, case and accents aside): "Ishan Mishra" → "Ishan Misra"."""
    from ingest.common import name_fold

    out = []
    for key, sp in sorted(spellings.items()):
        name = display_name(sp)
        target = name_fold(name).replace(" ", "")
        for spelling in sorted(sp.seen):
            if name_fold(spelling).replace(" ", "") != target:
                out.append(Merge(spelling, name, key, tuple(sorted(sp.sources[spelling]))))
    return out


def names(spellings: dict[str, Spellings]) -> dict[str, str]:
    """The display name of each person key."""
    return {key: display_name(sp) for key, sp in spellings.items()}


def add_spellings(g, records: Iterable[EditionRecords],
                  home_urls: dict[str, str | None] | None = None) -> int:
    """Give each person the pages write in more than one way every spelling seen.

    Each spelling but the display name becomes a ``schema:alternateName``, and every
    spelling a ``dlg:Spelling`` (``rdfs:label``, ``dlg:seenIn`` → the pages and documents
    it was read from; no schema.org type fits a spelling, hence no ``schema:name``). People spelled one way only get nothing: their name is the spelling.
    Returns the number of spellings added.
    """
    from rdflib import Literal, URIRef

    from dlgraph.vocab import DLG, RDF, RDFS, SDO, person_iri, spelling_iri

    added = 0
    for key, sp in collect(records, home_urls).items():
        if len(sp.seen) < 2:
            continue
        person = person_iri(key)
        if (person, RDF.type, SDO.Person) not in g:
            continue
        name = display_name(sp)
        for spelling in sorted(sp.seen):
            if spelling != name:
                g.add((person, SDO.alternateName, Literal(spelling)))
            node = spelling_iri(key, spelling)
            g.add((node, RDF.type, DLG.Spelling))
            g.add((node, RDFS.label, Literal(spelling)))
            for source in sorted(sp.sources[spelling]):
                g.add((node, DLG.seenIn, URIRef(source)))
            g.add((person, DLG.spelling, node))
            added += 1
    return added


def person_refs(records: Iterable[EditionRecords]) -> Iterable[PersonRef]:
    """Every person reference in ``records`` (home pages, notes credits, documents)."""
    for ref, _ in _refs(records, {}):
        yield ref


__all__ = ["Merge", "Spellings", "add_spellings", "collect", "display_name", "merges", "names", "person_refs"]
