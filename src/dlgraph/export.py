"""Exports: the readings as BibTeX, RIS, CSV, JSON-LD or Markdown, and the whole graph as RDF.

Every function returns a string; the CLI decides where it goes. Readings come from
:func:`dlgraph.bibliography.readings_table` (optionally with the lecture items' slides and
notebooks); each entry says which editions and lectures cite it, in a ``note`` and in
``keywords``, so a reference manager keeps that context after import.
"""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import quote

import bibtexparser
import pyoxigraph as ox
import rispy
from bibtexparser.model import Entry, Field
from pylatexenc.latexencode import UnicodeToLatexEncoder
from rdflib import BNode, Graph, URIRef

from dlgraph.bibliography import lecture_resources, readings_table
from dlgraph.identifiers import arxiv_primary_class
from dlgraph.vocab import edition_iri

READING_FORMATS = ("bibtex", "ris", "csv", "jsonld", "markdown")
GRAPH_FORMATS = ("turtle", "jsonld", "nt")


def export_readings(
    g: Graph,
    fmt: str,
    edition: str | None = None,
    topic: str | None = None,
    lecture: str | None = None,
    include_resources: bool = False,
) -> str:
    """The readings of ``g`` (filtered as in ``readings_table``) in format ``fmt``.

    ``fmt`` is one of :data:`READING_FORMATS`. With ``include_resources``, the slides and
    notebooks of the selected lecture items follow the readings.
    """
    rows = readings_table(g, edition=edition, topic=topic, lecture=lecture)
    if include_resources:
        rows += lecture_resources(g, edition=edition, topic=topic, lecture=lecture)
    return format_readings(rows, fmt)


def format_readings(rows: list[dict], fmt: str) -> str:
    """Rows of ``readings_table`` (or ``lecture_resources``) in format ``fmt``."""
    writers = {"bibtex": to_bibtex, "ris": to_ris, "csv": to_csv, "jsonld": to_jsonld,
               "markdown": to_markdown}
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(READING_FORMATS)})")
    return writers[fmt](rows)


def _keywords(row: dict) -> list[str]:
    return ["DS-GA 1008", *row["editions"], *row["topics"]]


_ET_AL = re.compile(r"^(?:et\.?\s*al\.?|and\s+others|others)$", re.I)


def _named_authors(row: dict) -> tuple[list[str], bool]:
    """The row's authors that are people, and whether the list is cut short ("et al.")."""
    names = [a for a in row["authors"] if a.strip() and not _ET_AL.match(a.strip())]
    return names, bool(row.get("et_al")) or len(names) < len(row["authors"])


# -- BibTeX -----------------------------------------------------------------------------

# Encode LaTeX specials and non-ASCII letters (é → {\'e}) so plain BibTeX reads the file;
# URLs, DOIs and arXiv IDs stay verbatim, as the url/doi/eprint fields expect.
_LATEX = UnicodeToLatexEncoder(replacement_latex_protection="braces-all",
                               unknown_char_policy="keep", unknown_char_warning=False,
                               non_ascii_only=False)


def latex_escape(text: str) -> str:
    """``text`` as BibTeX field content: accents, ``& % _ # $ { } ~ ^ \\`` escaped."""
    text = " ".join(str(text).split())
    if _nested(text):
        return _encode(text)
    # BibTeX counts braces even after a backslash: an unbalanced one would end the field
    # early, so spell such braces as text commands.
    braces = {"{": r"{\textbraceleft}", "}": r"{\textbraceright}"}
    return "".join(braces.get(p) or _encode(p) for p in re.split(r"([{}])", text))


def _nested(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _encode(text: str) -> str:
    # The encoder spells '"' as {''}, a closing quote, so an opening one came back closing;
    # {"} is BibTeX's own escape for a straight quote and decodes to '"' in bibtexparser
    # and pybtex alike.
    latex = '{"}'.join(_LATEX.unicode_to_latex(part) for part in text.split('"'))
    # "--" is an en dash to LaTeX; a title that wrote two hyphens means two hyphens.
    return re.sub(r"-(?=-)", "-{}", latex)


def _verbatim(value: str) -> str:
    # A brace or whitespace inside a URL would break the field; neither is needed there.
    return re.sub(r"[{}\s]", lambda m: f"%{ord(m.group()):02X}", value)


def _bib_entry(row: dict) -> Entry:
    kind = row["kind"]
    entry_type = {"book": "book"}.get(kind, "article" if row.get("venue") and row["doi"] else "misc")
    fields: list[tuple[str, str, bool]] = [("title", row["title"], True)]
    names, et_al = _named_authors(row)
    if names:
        # "and others" is BibTeX's own spelling of "et al.": styles print it as such.
        authors = [latex_escape(a) for a in names] + (["others"] if et_al else [])
        fields.append(("author", " and ".join(authors), False))
    if row.get("year"):
        fields.append(("year", str(row["year"]), False))
    if row.get("venue"):
        fields.append(("journal" if entry_type == "article" else "howpublished", row["venue"], True))
    if row["url"]:
        fields.append(("url", _verbatim(row["url"]), False))
    if row["arxiv"]:
        fields += [("eprint", row["arxiv"], False), ("archivePrefix", "arXiv", False)]
        primary = row.get("primary_class") or arxiv_primary_class(row["arxiv"])
        if primary:
            fields.append(("primaryClass", primary, False))
    if row["doi"]:
        fields.append(("doi", _verbatim(row["doi"]), False))
    if row["isbn"]:
        fields.append(("isbn", row["isbn"], False))
    if kind in ("slides", "notebook"):
        fields.append(("howpublished", "Lecture slides" if kind == "slides" else "Jupyter notebook", True))
    if row["note"]:
        fields.append(("note", row["note"], True))
    fields.append(("keywords", ", ".join(_keywords(row)), True))
    return Entry(entry_type, row["key"],
                 [Field(k, latex_escape(v) if escape else v) for k, v, escape in fields])


def to_bibtex(rows: list[dict]) -> str:
    """A ``.bib`` file: ``@misc``/``@book``/``@article`` entries with unique keys."""
    library = bibtexparser.Library()
    seen: set[str] = set()
    for row in rows:
        if row["key"] in seen:  # a reading exported twice (rows concatenated by a caller)
            continue
        seen.add(row["key"])
        library.add(_bib_entry(row))
    return bibtexparser.write_string(library)


# -- RIS --------------------------------------------------------------------------------


class _RisWriter(rispy.RisWriter):
    """rispy's writer without the ``1.`` counter line it puts before each record."""

    def set_header(self, count: int) -> str:
        return ""


_RIS_TYPES = {"paper": "JOUR", "book": "BOOK", "slides": "SLIDE", "notebook": "COMP"}


def to_ris(rows: list[dict]) -> str:
    """An ``.ris`` file (Zotero, EndNote, Mendeley): one ``TY … ER`` record per reading."""
    refs = []
    for row in rows:
        ref = {"type_of_reference": _RIS_TYPES.get(row["kind"], "ELEC"), "id": row["key"],
               "title": row["title"], "keywords": _keywords(row)}
        # RIS has no "et al." marker: an AU line is one person, so a cut list stays cut.
        names, _ = _named_authors(row)
        if names:
            ref["authors"] = names
        if row.get("year"):
            ref["year"] = str(row["year"])
        if row["url"]:
            ref["urls"] = [row["url"]]
        if row["doi"]:
            ref["doi"] = row["doi"]
        if row["isbn"]:
            ref["issn"] = row["isbn"]  # RIS has one SN tag for ISSN and ISBN
        if row["arxiv"]:
            ref["journal_name"] = f"arXiv:{row['arxiv']}"
        elif row.get("venue"):
            ref["journal_name"] = row["venue"]
        if row["note"]:
            ref["notes"] = [row["note"]]
        refs.append(ref)
    return rispy.dumps(refs, implementation=_RisWriter)


# -- CSV --------------------------------------------------------------------------------

CSV_COLUMNS = ("key", "title", "authors", "year", "kind", "url", "arxiv", "doi", "isbn",
               "editions", "lectures", "sections", "listed_for", "details", "topics",
               "citations", "note", "iri")


def to_csv(rows: list[dict]) -> str:
    """A CSV table with a header row; list cells are joined with ``"; "``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        cells = []
        for col in CSV_COLUMNS:
            value = row.get(col)
            if col in ("lectures", "sections"):
                value = "; ".join(x["title"] for x in value)
            elif isinstance(value, list):
                value = "; ".join(str(x) for x in value)
            cells.append("" if value is None else value)
        writer.writerow(cells)
    return out.getvalue()


# -- JSON-LD ----------------------------------------------------------------------------

#: schema.org as the vocabulary, inline so the file parses offline.
JSONLD_CONTEXT = {"@vocab": "https://schema.org/", "url": {"@type": "@id"},
                  "sameAs": {"@type": "@id"}}
_SCHEMA_TYPES = {"paper": "ScholarlyArticle", "book": "Book", "slides": "PresentationDigitalDocument",
                 "notebook": "SoftwareSourceCode"}


def _jsonld_entry(row: dict) -> dict:
    node = {"@id": row["iri"], "@type": _SCHEMA_TYPES.get(row["kind"], "CreativeWork"),
            "name": row["title"], "identifier": row["key"], "keywords": _keywords(row)}
    names, _ = _named_authors(row)
    if names:
        node["author"] = [{"@type": "Person", "name": a} for a in names]
    if row.get("year"):
        node["datePublished"] = str(row["year"])
    if row["url"]:
        node["url"] = row["url"]
    same = [f"https://arxiv.org/abs/{row['arxiv']}"] if row["arxiv"] else []
    same += [f"https://doi.org/{row['doi']}"] if row["doi"] else []
    if same:
        node["sameAs"] = same
    if row["isbn"]:
        node["isbn"] = row["isbn"]
    if row["note"]:
        node["description"] = row["note"]
    # schema:citation points from the citing work to the cited one: the lectures citing a
    # reading are its reverse citations, each part of its edition.
    citing = [{"@id": x["iri"], "@type": "LearningResource", "name": x["title"],
               "isPartOf": _edition_ref(x["edition"])}
              for x in row["lectures"]]
    if citing:
        node["@reverse"] = {"citation": citing}
    if row["editions"]:
        node["isPartOf"] = [{**_edition_ref(e), "courseCode": "DS-GA 1008"} for e in row["editions"]]
    return node


def _edition_ref(code: str) -> dict:
    # The graph's own edition node, so an imported file joins the full graph on it.
    return {"@id": str(edition_iri(code)), "@type": "CourseInstance", "identifier": code}


def to_jsonld(rows: list[dict]) -> str:
    """A JSON-LD document (schema.org vocabulary): one node per reading in ``@graph``."""
    doc = {"@context": JSONLD_CONTEXT, "@graph": [_jsonld_entry(r) for r in rows]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# -- Markdown ---------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def to_markdown(rows: list[dict]) -> str:
    """A Markdown list: one ``- `` item per reading, with its link and who cites it."""
    lines = ["# Readings", ""]
    for row in rows:
        parts = [f"**{_md(row['title'])}**"]
        names, et_al = _named_authors(row)
        authors = ", ".join(names) + (" et al." if et_al and names else "")
        if authors or row.get("year"):
            parts.append(_md(" ".join(x for x in (authors, f"({row['year']})" if row.get("year") else "") if x)))
        if row["url"]:
            parts.append(f"<{row['url']}>")
        if row["arxiv"]:
            parts.append(f"arXiv:{_md(row['arxiv'])}")
        if row["doi"]:
            parts.append(f"doi:{_md(row['doi'])}")
        if row["note"]:
            parts.append(_md(row["note"]))
        lines.append("- " + " · ".join(parts))
    return "\n".join(lines) + "\n"


# -- the whole graph --------------------------------------------------------------------


_OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "jsonld": ox.RdfFormat.JSON_LD}
# Characters an IRI may not hold unescaped (RFC 3987); a damaged link can carry them.
_NOT_IRI = re.compile(r"[\s<>\"{}|\\^`\[\]]")


def export_graph(g: Graph, fmt: str) -> str:
    """The whole graph as ``turtle``, ``nt`` (N-Triples) or ``jsonld`` (expanded JSON-LD).

    Serialised by pyoxigraph (rdflib's Turtle writer takes minutes on the full graph), so
    the output is what a strict parser accepts: a damaged IRI (``…/[https:/…``) is written
    percent-encoded rather than breaking the file.
    """
    if fmt not in _OX_FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(GRAPH_FORMATS)})")
    nodes: dict = {}
    triples = sorted(g, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    out = [ox.Triple(*(_ox_term(t, nodes) for t in triple)) for triple in triples]
    used = {str(n.value) for n in nodes.values()}
    prefixes = {p: str(ns) for p, ns in g.namespaces()
                if p and any(u.startswith(str(ns)) for u in used)} if fmt == "turtle" else None
    data = ox.serialize(out, format=_OX_FORMATS[fmt], prefixes=prefixes)
    return data.decode("utf-8")


def _ox_term(term, nodes: dict):
    if isinstance(term, URIRef):
        node = nodes.get(term)
        if node is None:
            text = _NOT_IRI.sub(lambda m: quote(m.group(), safe=""), str(term))
            node = nodes[term] = ox.NamedNode(text)
        return node
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=_ox_term(term.datatype, nodes))
    return ox.Literal(str(term))


__all__ = [
    "CSV_COLUMNS",
    "GRAPH_FORMATS",
    "JSONLD_CONTEXT",
    "READING_FORMATS",
    "export_graph",
    "export_readings",
    "format_readings",
    "latex_escape",
    "to_bibtex",
    "to_csv",
    "to_jsonld",
    "to_markdown",
    "to_ris",
]
