"""Rows as BibTeX: LaTeX-escaped fields, titles whose case a style must keep braced,
URLs and identifiers verbatim (bibtexparser writes the file)."""

from __future__ import annotations

import re

import bibtexparser
from bibtexparser.model import Entry, Field
from pylatexenc.latexencode import UnicodeToLatexEncoder

from dlgraph.export.rows import keywords, named_authors, row_doi
from dlgraph.identifiers import arxiv_primary_class
from dlgraph.names import split_name

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
    names, et_al = named_authors(row)
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
    doi = row_doi(row)
    if doi:
        fields.append(("doi", _verbatim(doi), False))
    if row["isbn"]:
        fields.append(("isbn", row["isbn"], False))
    if kind in ("slides", "notebook"):
        fields.append(("howpublished", "Lecture slides" if kind == "slides" else "Jupyter notebook", True))
    if row["note"]:
        fields.append(("note", row["note"], True))
    fields.append(("keywords", ", ".join(keywords(row)), True))
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
