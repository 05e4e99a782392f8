"""Saved source documents (``--documents DIR``): manifest, decoding, markdown, dispatch.

A documents folder holds a ``manifest.json`` (the format of ``../shared/seeds``) naming each
file with its edition, kind, title, stated URL and format. Files are read as bytes, decoded
and repaired (:func:`read_text`), stripped of YAML front matter and rendered to HTML
(:func:`to_html`) so the same BeautifulSoup code that reads the live sites reads them, then
handed to the parser of their shape (:func:`parse_document`). Only :func:`load_manifest`
and :func:`load_documents` touch the file system.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers the "sloppy-windows-*" codecs)
import yaml
from ftfy.badness import badness, is_bad
from ftfy.chardata import CHARMAP_ENCODINGS
from markdown_it import MarkdownIt

from dlgraph.records import DOCUMENT_KINDS, Document
from ingest import article, class_page, early_class_page
from ingest.common import MARKERS
from ingest.registry import COURSES, EDITIONS

# -- manifest --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ManifestEntry:
    """One ``documents[]`` entry of ``manifest.json``."""

    file: str
    edition: str
    kind: str
    title: str
    url: str | None
    format: str
    notes: str = ""


#: Manifest ``format`` values and what they mean to the reader.
FORMATS = ("jekyll-markdown", "text")


def load_manifest(documents_dir: Path) -> list[ManifestEntry]:
    """The entries of ``documents_dir/manifest.json``; ``ValueError`` (one line) if unusable.

    Every entry must name an existing file, a known edition (``ingest/registry.py``), a
    known kind and format, and a title.
    """
    path = Path(documents_dir) / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"no manifest.json in {documents_dir}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"unreadable manifest {path}: {exc}") from None
    items = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ValueError(f"manifest {path} has no 'documents' list")
    return [_entry(item, i, path) for i, item in enumerate(items)]


def contained(folder: Path, name: str) -> Path | None:
    """``folder/name`` with every link resolved, or ``None`` when that is outside ``folder``.

    A manifest is data, not code: ``../../etc/passwd``, an absolute path or a symbolic link
    out of the folder must not get a local file into the graph and the search index.
    """
    root = Path(folder).resolve()
    try:
        target = (root / name).resolve()
    except (OSError, RuntimeError, ValueError):  # a link loop, a NUL byte
        return None
    return target if target.is_relative_to(root) else None


def _entry(item: object, i: int, path: Path) -> ManifestEntry:
    where = f"manifest {path}, document {i}"
    if not isinstance(item, dict):
        raise ValueError(f"{where}: not an object")
    missing = [k for k in ("file", "edition", "kind", "title", "format") if not item.get(k)]
    if missing:
        raise ValueError(f"{where}: missing {', '.join(missing)}")
    wrong = [k for k in ("file", "edition", "kind", "title", "format", "url", "notes")
             if item.get(k) is not None and not isinstance(item[k], str)]
    if wrong:
        raise ValueError(f"{where}: {', '.join(wrong)} must be text, not "
                         f"{type(item[wrong[0]]).__name__}")
    if item["edition"] not in EDITIONS:
        raise ValueError(f"{where}: unknown edition {item['edition']!r}")
    if item["kind"] not in DOCUMENT_KINDS:
        raise ValueError(f"{where}: unknown kind {item['kind']!r}")
    if item["format"] not in FORMATS:
        raise ValueError(f"{where}: unknown format {item['format']!r}")
    inside = contained(path.parent, item["file"])
    if inside is None:
        raise ValueError(f"{where}: file {item['file']!r} is outside the documents folder")
    if not inside.is_file():
        raise ValueError(f"{where}: file {item['file']!r} not found")
    return ManifestEntry(
        file=item["file"], edition=item["edition"], kind=item["kind"], title=item["title"],
        url=item.get("url") or None, format=item["format"], notes=item.get("notes") or "",
    )


# -- decoding and mojibake -------------------------------------------------------------------

#: Emoji the course pages use as markers (resources, and 🎙 for the lecturer). When a repair
#: has to guess a byte the mis-decoder dropped, these are the characters it may restore.
COURSE_EMOJI = frozenset(m.replace("\ufe0f", "") for m in MARKERS) | {"🎙"}


def read_text(data: bytes) -> tuple[str, bool]:
    """Decoded text of a saved document and whether mojibake was repaired.

    UTF-8 text that ftfy finds clean comes back unchanged. Mojibake (UTF-8 read as a
    Windows code page, then saved as UTF-8 again) is undone over the whole document: it is
    encoded back with the first code page (ftfy's list) that fits every character and
    decoded as UTF-8, kept only if ftfy finds the result less damaged. Bytes
    the wrong code page does not define were dropped by the mis-decoder (``🎥`` became
    ``ğŸ¥``); such a byte is restored only when exactly one candidate is a course emoji.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text, _encoding = ftfy.guess_bytes(data)
    if not is_bad(text):
        return text, False
    # Only a whole-document re-decoding is trusted. ftfy's piecewise fix_encoding also
    # "repairs" correct text that merely looks damaged ("IRMÃ É" becomes "IRMà É").
    fixed = _redecode(text)
    return (fixed, True) if fixed is not None else (text, False)


def _redecode(text: str) -> str | None:
    for codec in CHARMAP_ENCODINGS:
        try:
            raw = text.encode(codec)
        except UnicodeEncodeError:
            continue
        fixed = _decode_utf8_lossy(raw, codec)
        if fixed != text and badness(fixed) < badness(text):
            return fixed
    return None


def _lost_bytes(codec: str) -> bytes:
    """Bytes the real code page behind ``codec`` leaves undefined.

    A decoder told to ignore errors drops them, so they are the bytes missing from the
    mojibake (ftfy's "sloppy" codecs keep them as C1 controls instead).
    """
    strict = codec.removeprefix("sloppy-")
    lost = []
    for b in range(0x80, 0x100):
        try:
            bytes([b]).decode(strict)
        except UnicodeDecodeError:
            lost.append(b)
    return bytes(lost)


def _utf8_length(lead: int) -> int:
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def _decode_utf8_lossy(raw: bytes, codec: str) -> str:
    """UTF-8 decode of ``raw``, restoring one dropped byte per sequence where unambiguous.

    A sequence that cannot be decoded is put back as it was (``codec`` characters).
    """
    lost = _lost_bytes(codec)
    out: list[str] = []
    i = 0
    while i < len(raw):
        n = _utf8_length(raw[i])
        if raw[i] < 0x80 or n == 0:
            out.append(raw[i : i + 1].decode(codec))
            i += 1
            continue
        j = i + 1
        while j < min(i + n, len(raw)) and 0x80 <= raw[j] <= 0xBF:
            j += 1
        seq = raw[i:j]
        char = _complete(seq, n, lost)
        out.append(char if char is not None else seq.decode(codec))
        i = j
    return "".join(out)


def _complete(seq: bytes, n: int, lost: bytes) -> str | None:
    if len(seq) == n:
        try:
            return seq.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if len(seq) != n - 1:
        return None
    found = set()
    for pos in range(1, len(seq) + 1):
        for b in lost:
            try:
                found.add((seq[:pos] + bytes([b]) + seq[pos:]).decode("utf-8"))
            except UnicodeDecodeError:
                continue
    course = found & COURSE_EMOJI
    return course.pop() if len(course) == 1 else None


# -- markdown --------------------------------------------------------------------------------

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_FENCE = re.compile(r"^\s{0,3}(?:>\s?)*(```|~~~)")
_ROW = re.compile(r"^\s{0,3}\|.*\|\s*$")
_SEPARATOR = re.compile(r"^\s{0,3}\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")

# Smart quotes as Jekyll's kramdown renders them, so a source reads like its site page.
_MD = MarkdownIt("commonmark", {"html": True, "typographer": True}).enable(["table", "smartquotes"])


def to_html(text: str) -> tuple[str, dict]:
    """HTML of a markdown document and its YAML front matter (``{}`` when there is none).

    Raw HTML (``<span class="missing">``, ``<a href>``, ``<u>``) is kept as written.
    Dates in the front matter come back as ISO strings. ``ValueError`` when the front
    matter is not a YAML mapping.
    """
    text = text.lstrip("\ufeff")
    front: dict = {}
    m = _FRONT.match(text)
    if m:
        try:
            loaded = yaml.safe_load(m.group(1))
        except yaml.YAMLError as exc:
            raise ValueError(f"invalid YAML front matter: {exc}".splitlines()[0]) from None
        if loaded is not None and not isinstance(loaded, dict):
            raise ValueError("YAML front matter is not a mapping")
        front = {str(k): _plain(v) for k, v in (loaded or {}).items()}
        text = text[m.end() :]
    return _MD.render(_headerless_tables(text)), front


def _plain(value: object) -> object:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _headerless_tables(text: str) -> str:
    """Kramdown renders ``| a | b |`` rows without a ``|---|`` line as a table; CommonMark
    tables need that line, so such blocks are turned into HTML tables here."""
    lines = text.split("\n")
    out: list[str] = []
    fenced = False
    i = 0
    while i < len(lines):
        if _FENCE.match(lines[i]):
            fenced = not fenced
        if fenced or not _ROW.match(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and _ROW.match(lines[j]):
            j += 1
        block = lines[i:j]
        if any(_SEPARATOR.match(line) for line in block):
            out.extend(block)
        else:
            out.extend(["", _table(block), ""])
        i = j
    return "\n".join(out)


def _table(rows: list[str]) -> str:
    html = ["<table>", "<tbody>"]
    for row in rows:
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        html.append("<tr>" + "".join(f"<td>{_MD.renderInline(c)}</td>" for c in cells) + "</tr>")
    html += ["</tbody>", "</table>"]
    return "\n".join(html)


# -- dispatch --------------------------------------------------------------------------------

Parser = Callable[[str, Document], Document]


def _markdown_parser(parse: Callable[[str, Document, dict], Document]) -> Parser:
    def run(text: str, doc: Document) -> Document:
        html, front = to_html(text)
        return parse(html, doc, front)

    return run


def _early_class_page(html: str, doc: Document, front: dict) -> Document:
    spec = EDITIONS.get(doc.edition)
    course = COURSES.get(spec.course_code) if spec else None
    return early_class_page.parse_early_class_page(
        html, doc, front, instructors=course.instructors if course else ())


#: The parser of each document shape, by manifest (kind, format); ``None`` = any format.
PARSERS: dict[tuple[str, str | None], Parser] = {
    # FL23's capture is plain text with markdown-style headings and tab-separated tables,
    # which a markdown renderer would scramble (a leading tab starts a code block).
    ("course-page", "text"): class_page.parse_class_page,
    ("course-page", "jekyll-markdown"): _markdown_parser(_early_class_page),
    ("faq", None): _markdown_parser(article.parse_article),
    ("review", None): _markdown_parser(article.parse_article),
    ("home", None): _markdown_parser(article.parse_article),
}


def parse_document(entry: ManifestEntry, text: str) -> Document:
    """The :class:`Document` of one saved document's decoded ``text`` (pure).

    Edition, kind, title, URL and file name are the manifest's; the rest comes from the
    parser of the document's shape (see :data:`PARSERS`).
    """
    parse = PARSERS.get((entry.kind, entry.format)) or PARSERS.get((entry.kind, None))
    if parse is None:
        raise ValueError(f"{entry.file}: no parser for a {entry.format} {entry.kind}")
    doc = Document(entry.edition, entry.kind, entry.title, entry.url, entry.file, text="")
    return parse(text, doc)


def load_documents(documents_dir: Path) -> list[Document]:
    """Every document of ``documents_dir`` in manifest order (reads the manifest and files)."""
    docs = []
    for entry in load_manifest(documents_dir):
        # Resolved again at the read: the folder may have changed since the manifest check.
        path = contained(Path(documents_dir), entry.file)
        if path is None:
            raise ValueError(f"{entry.file}: outside the documents folder")
        text, repaired = read_text(path.read_bytes())
        try:
            doc = parse_document(entry, text)
        except ValueError as exc:
            raise ValueError(f"{entry.file}: {exc}") from None
        docs.append(dataclasses.replace(doc, repaired=repaired))
    return docs


__all__ = [
    "COURSE_EMOJI",
    "FORMATS",
    "PARSERS",
    "ManifestEntry",
    "load_documents",
    "load_manifest",
    "parse_document",
    "read_text",
    "to_html",
]
