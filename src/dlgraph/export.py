"""Exports: the readings as BibTeX, RIS, CSV, JSON-LD or Markdown, and the whole graph as RDF.

Every function returns a string; the CLI decides where it goes. Readings come from
:func:`dlgraph.bibliography.readings_table` (optionally with the lecture items' slides and
notebooks); each entry says which editions and lectures cite it, in a ``note`` and in
``keywords``, so a reference manager keeps that context after import.
"""

from __future__ import annotations

import json
import re

import bibtexparser
import rispy
from bibtexparser.model import Entry, Field
from pylatexenc.latexencode import UnicodeToLatexEncoder
from rdflib import Graph

from dlgraph.bibliography import lecture_resources, readings_table
from dlgraph.identifiers import arxiv_primary_class
from dlgraph.names import split_name
from dlgraph.spreadsheet import csv_table
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


def format_readings(rows: list[dict], fmt: str, excel: bool = False) -> str:
    """Rows of ``readings_table`` (or ``lecture_resources``) in format ``fmt``.

    ``excel`` (CSV only) starts the file with a UTF-8 byte-order mark for Excel.
    """
    writers = {"bibtex": to_bibtex, "ris": to_ris, "csv": to_csv, "jsonld": to_jsonld,
               "markdown": to_markdown}
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(READING_FORMATS)})")
    if fmt == "csv":
        return to_csv(rows, excel=excel)
    return writers[fmt](rows)


def _keywords(row: dict) -> list[str]:
    # The reading's own topics, then those of the places citing it: why a topic filter
    # selected it, and what a reference manager's tags should say. The citing editions'
    # own course codes come first, so a reference manager can tag by course.
    topics = list(dict.fromkeys([*row["topics"], *row.get("context_topics", ())]))
    return [*row.get("courses", []), *row["editions"], *topics]


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
    # Dashes and typographic quotes are written as BibTeX's own ASCII ("---", "--") or as
    # plain UTF-8: the encoder's {\textemdash} is dropped by pandoc's BibTeX reader.
    pieces = re.split(r"([\u2014\u2013\u2018\u2019\u201c\u201d])", text)
    return "".join(_PLAIN_PUNCT.get(p) or _encode_plain(p) for p in pieces if p)


_PLAIN_PUNCT = {"\u2014": "---", "\u2013": "--", "\u2018": "\u2018", "\u2019": "\u2019",
                "\u201c": "\u201c", "\u201d": "\u201d"}


def _encode_plain(text: str) -> str:
    # The encoder spells '"' as {''}, a closing quote, so an opening one came back closing;
    # {"} is BibTeX's own escape for a straight quote and decodes to '"' in bibtexparser
    # and pybtex alike.
    latex = '{"}'.join(_LATEX.unicode_to_latex(part) for part in text.split('"'))
    # "--" is an en dash to LaTeX; a title that wrote two hyphens means two hyphens.
    return re.sub(r"-(?=-)", "-{}", latex)


# A word whose case a style must not change: an acronym (CNN, R-CNN), a capital after the
# first letter (PyTorch, LeCun, ImageNet, GPT-2), a capital letter before a hyphen (Q-learning).
def _needs_protection(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return any(c.isupper() for c in letters[1:]) or bool(re.match(r"[A-Z]-", word))


def latex_title(text: str) -> str:
    """A title as BibTeX field content, acronyms and inner capitals brace-protected.

    Styles that lower-case titles ("Fast r-cnn") keep a braced word as written; the braces
    vanish when a reader decodes the field.
    """
    text = " ".join(str(text).split())
    if not _nested(text) or "{" in text:
        return latex_escape(text)  # braces of its own: leave them as they are
    out = []
    for word in text.split(" "):
        core = word.strip(".,:;!?()[]\"'")
        if core and _needs_protection(core):
            lead = word[: word.index(core)]
            tail = word[word.index(core) + len(core):]
            out.append(latex_escape(lead) + "{" + latex_escape(core) + "}" + latex_escape(tail)
                       if lead or tail else "{" + latex_escape(word) + "}")
        else:
            out.append(latex_escape(word))
    return " ".join(out)


def _verbatim(value: str) -> str:
    # A brace or whitespace inside a URL would break the field; neither is needed there.
    return re.sub(r"[{}\s]", lambda m: f"%{ord(m.group()):02X}", value)


def arxiv_doi(arxiv_id: str) -> str:
    """The DOI arXiv registers for every paper: ``10.48550/arXiv.<id>``."""
    return f"10.48550/arXiv.{arxiv_id}"


def _doi(row: dict) -> str | None:
    return row["doi"] or (arxiv_doi(row["arxiv"]) if row["arxiv"] else None)


def _bib_entry_type(row: dict, names: list[str]) -> str:
    """``@book``/``@article`` only when complete, so plain.bst warns about no empty field."""
    kind = row["kind"]
    if kind == "book" and names and row.get("year") and row.get("publisher"):
        return "book"
    if kind == "paper" and names and row.get("year") and row.get("venue") and row["doi"]:
        return "article"
    return "misc"


def _bib_entry(row: dict) -> Entry:
    kind = row["kind"]
    names, et_al = _named_authors(row)
    entry_type = _bib_entry_type(row, names)
    fields: list[tuple[str, str, bool]] = [("title", latex_title(row["title"]), False)]
    if names:
        # "and others" is BibTeX's own spelling of "et al.": styles print it as such.
        authors = [latex_escape(split_name(a).bibtex()) for a in names] + (["others"] if et_al else [])
        fields.append(("author", " and ".join(authors), False))
    else:
        # plain.bst and friends sort and label by author, else by the key field.
        fields.append(("key", row["title"], True))
    if row.get("year"):
        fields.append(("year", str(row["year"]), False))
    if row.get("venue"):
        fields.append(("journal" if entry_type == "article" else "howpublished", row["venue"], True))
    elif kind == "book" and entry_type == "misc":
        fields.append(("howpublished", "Book", True))
    if row.get("publisher"):
        fields.append(("publisher", row["publisher"], True))
    if row["url"]:
        fields.append(("url", _verbatim(row["url"]), False))
    if row["arxiv"]:
        # Zotero reads eprint as an arXiv ID only beside eprinttype (biblatex's name);
        # archivePrefix/primaryClass are what arXiv's own BibTeX and natbib styles use.
        fields += [("eprint", row["arxiv"], False), ("eprinttype", "arxiv", False),
                   ("archivePrefix", "arXiv", False)]
        primary = row.get("primary_class") or arxiv_primary_class(row["arxiv"])
        if primary:
            fields.append(("primaryClass", primary, False))
    doi = _doi(row)
    if doi:
        fields.append(("doi", _verbatim(doi), False))
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


def _ris_type(row: dict) -> str:
    # An arXiv paper without a journal is a preprint. Zotero's RIS import has no preprint
    # type; a report with arXiv as institution and the ID as report number is what
    # Zotero's own arXiv translator long saved preprints as, and what it maps back.
    if row["arxiv"] and not (row.get("venue") and row["doi"]):
        return "RPRT"
    if row["kind"] == "paper" and not row.get("venue"):
        return "GEN"  # a paper of unknown venue: no empty journal field to fill
    return _RIS_TYPES.get(row["kind"], "ELEC")


def to_ris(rows: list[dict]) -> str:
    """An ``.ris`` file (Zotero, EndNote, Mendeley): one ``TY … ER`` record per reading."""
    refs = []
    for row in rows:
        ty = _ris_type(row)
        ref = {"type_of_reference": ty, "id": row["key"], "title": row["title"],
               "keywords": _keywords(row)}
        # RIS has no "et al." marker: an AU line is one person, so a cut list stays cut.
        # "Family, Given" is what RIS readers split; "Given Family" reads as one field.
        names, _ = _named_authors(row)
        if names:
            ref["authors"] = [split_name(a).inverted() for a in names]
        if row.get("year"):
            ref["year"] = str(row["year"])
        if row["url"]:
            ref["urls"] = [row["url"]]
        doi = _doi(row)
        if doi:
            ref["doi"] = doi
        if row["isbn"]:
            ref["issn"] = row["isbn"]  # RIS has one SN tag for ISSN and ISBN
        if ty == "RPRT" and row["arxiv"]:
            ref["publisher"] = "arXiv"
            ref["issn"] = f"arXiv:{row['arxiv']}"  # SN is a report's number
            ref["type_of_work"] = "Preprint"
        elif row.get("venue"):
            ref["journal_name"] = row["venue"]
        if row.get("publisher") and ty != "RPRT":
            ref["publisher"] = row["publisher"]
        if row["note"]:
            ref["notes"] = [row["note"]]
        refs.append(ref)
    return rispy.dumps(refs, implementation=_RisWriter)


# -- CSV --------------------------------------------------------------------------------

CSV_COLUMNS = ("key", "title", "authors", "year", "kind", "url", "arxiv", "doi", "isbn",
               "editions", "lectures", "sections", "listed_for", "details", "topics",
               "citations", "note", "iri")


def to_csv(rows: list[dict], excel: bool = False) -> str:
    """A CSV table with a header row; list cells are joined with ``"; "``; ``year`` is an
    integer column. ``excel`` starts the text with a byte-order mark so Excel reads UTF-8."""
    table = []
    for row in rows:
        cells = []
        for col in CSV_COLUMNS:
            value = row.get(col)
            if col in ("lectures", "sections"):
                value = "; ".join(x["title"] for x in value)
            elif isinstance(value, list):
                value = "; ".join(str(x) for x in value)
            elif col == "year" and value is not None:
                value = int(value)
            cells.append(value)
        table.append(cells)
    text = csv_table(CSV_COLUMNS, table)
    return "\ufeff" + text if excel else text


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
        node["author"] = [_jsonld_person(a) for a in names]
    if row.get("year"):
        node["datePublished"] = str(row["year"])
    if row["url"]:
        node["url"] = row["url"]
    same = [f"https://arxiv.org/abs/{row['arxiv']}"] if row["arxiv"] else []
    doi = _doi(row)
    same += [f"https://doi.org/{doi}"] if doi else []
    if doi:
        node["identifier"] = [row["key"], {"@type": "PropertyValue", "propertyID": "DOI",
                                           "value": doi}]
    if same:
        node["sameAs"] = same
    if row["isbn"]:
        node["isbn"] = row["isbn"]
    if row["note"]:
        node["description"] = row["note"]
    # schema:citation points from the citing work to the cited one: the lectures citing a
    # reading are its reverse citations. An edition (a CourseInstance, an Event) features
    # the reading and the lecture (schema:workFeatured); schema:isPartOf would need a
    # CreativeWork at both ends.
    citing = [{"@id": x["iri"], "@type": "LearningResource", "name": x["title"],
               "@reverse": {"workFeatured": _edition_ref(x["edition"])}}
              for x in row["lectures"]]
    reverse = {}
    if citing:
        reverse["citation"] = citing
    if row["editions"]:
        reverse["workFeatured"] = [_edition_ref(e) for e in row["editions"]]
    if reverse:
        node["@reverse"] = reverse
    return node


def _jsonld_person(name: str) -> dict:
    parts = split_name(name)
    person = {"@type": "Person", "name": name, "familyName": parts.family}
    if parts.given:
        person["givenName"] = parts.given
    if parts.suffix:
        person["honorificSuffix"] = parts.suffix
    return person


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


def export_graph(g: Graph, fmt: str) -> str:
    """The whole graph as ``turtle``, ``nt`` (N-Triples) or ``jsonld`` (expanded JSON-LD).

    Serialised by pyoxigraph (rdflib's Turtle writer takes minutes on the full graph), so
    the output is what a strict parser accepts: a damaged IRI (``…/[https:/…``) is written
    percent-encoded rather than breaking the file. A saved graph's Turtle is its
    ``graph.ttl``, written the same way when it was saved (``dlgraph.store.saved_turtle``):
    reading the whole store back costs seconds.
    """
    from dlgraph.serialise import FORMATS, Converted, serialise

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(GRAPH_FORMATS)})")
    if fmt == "turtle":
        from dlgraph.store import saved_turtle

        saved = saved_turtle(g)
        if saved is not None:
            return saved
    return serialise(Converted(g), fmt, g.namespaces())


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
