"""Building an index: the schema, each document's fields, the side files, the atomic swap."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import index as windex
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, STORED, Schema

from dlgraph.search.analysis import (
    CJK_GROUPS,
    LANGUAGE_GROUPS,
    _chain,
    _label_key,
    _names_analyzer,
    _spell_analyzer,
    language_group,
)
from dlgraph.search.editions import edition_table
from dlgraph.search.index_terms import ChainText, KeywordTerms
from dlgraph.search.layout import (
    _COLUMNS_FILE,
    _META_FILE,
    _TOPICS_FILE,
    SCHEMA_VERSION,
    encode_columns,
)
from dlgraph.search.spelling import _spelling_vocabulary
from dlgraph.searchable import KINDS, SearchDoc, documents, topic_labels

if TYPE_CHECKING:
    from rdflib import Graph


#: Kinds left out of the did-you-mean vocabulary: speech as transcribed is full of
#: fillers and one-off spellings, and analysing it twice more would double its index cost.
UNSPELLED = ("transcript",)


def _schema() -> Schema:
    fields = {
        "iri": STORED,  # shown and checked (index.py), never searched: no term per document
        # KeywordTerms: a KEYWORD field remembering the few values it is given (index_terms.py)
        "kind": KeywordTerms(lowercase=True),
        "edition": KeywordTerms(lowercase=True),
        "lang": KeywordTerms(lowercase=True),
        # ChainText: a TEXT field whose terms are worked out in one pass (index_terms.py)
        "theme": ChainText(analyzer=_chain("en")),
        "lecturer": ChainText(analyzer=_names_analyzer()),
        "topic": KeywordTerms(lowercase=True),
        "video": ID,
        "names": ChainText(analyzer=_names_analyzer()),
        "spell": ChainText(analyzer=_spell_analyzer(), phrase=False),
        "meta": STORED,
        "snippet": STORED,
        "snippets": STORED,  # {language: text} of a document's other languages (other_texts)
    }
    for g in LANGUAGE_GROUPS:
        # a CJK word is a run of bigrams, matched in order (query.cjk_run_query)
        multi = "cjk" if g in CJK_GROUPS else "and"
        fields[f"title_{g}"] = ChainText(analyzer=_chain(g), multitoken_query=multi)
        fields[f"body_{g}"] = ChainText(analyzer=_chain(g), multitoken_query=multi)
    return Schema(**fields)


_DOC_FIELDS = dataclass_fields(SearchDoc)


def _fields(d: SearchDoc, frequent: Callable[[SearchDoc], list[str]]) -> dict:
    g = language_group(d.language)
    # a passage's title is its lecture's: shown, not indexed, or a title query would turn
    # every passage of that lecture into a title hit
    title = "" if d.kind == "transcript" else d.heading or d.title
    # a shallow asdict(): every field is a string, number or tuple of them (asdict's deep copy
    # was a tenth of the build)
    meta = {f.name: getattr(d, f.name) for f in _DOC_FIELDS
            if f.name not in ("text", "context", "idents", "other_texts")}
    if d.video and d.marks:
        # (character offset, second) of each caption: the search spells the link of the
        # one it lands on (dlgraph.youtube)
        meta["marks"] = [(offset, sec) for offset, sec in d.marks]
    fields = {
        "iri": d.iri,
        "kind": d.kind,
        "edition": " ".join(d.editions),
        "lang": (d.language or "").lower(),
        "theme": d.theme or "",
        "lecturer": " ; ".join(d.lecturers),
        "topic": " ".join(d.topic_keys),
        "video": d.video or "",
        f"title_{g}": title,
        # one body field per language: Whoosh's cost grows with the fields a query searches
        f"body_{g}": "\n".join(x for x in (
            d.text, d.context, " ; ".join(d.names), " ".join(d.idents),
            # sections would all match their page's topics: they keep only the facet
            "" if d.kind == "section" else " ; ".join(d.topic_labels)) if x),
        "names": " ; ".join(d.names),
        "spell": "" if d.kind in UNSPELLED else " ".join(frequent(d)),
        "meta": meta,
        "snippet": d.text or d.heading or d.title,
    }
    if d.other_texts:
        # each language's text in its own group's body, and shown only in that language
        bodies: dict[str, list[str]] = {}
        for lang, text in d.other_texts:
            bodies.setdefault(f"body_{language_group(lang)}", []).append(text)
        for name, texts in bodies.items():
            fields[name] = "\n".join(filter(None, (fields.get(name), *texts)))
        fields["snippets"] = dict(d.other_texts)
    # an empty field is left out: Whoosh would run its analyzer and note a zero length for
    # it, the same index as none, at a cost per field of every passage and cell
    return {name: value for name, value in fields.items() if value != ""}


def build_index(
    g: Graph, index_dir: Path, progress: Callable[[int, int], None] | None = None
) -> int:
    """Build the search index of ``g`` into ``index_dir`` and return the number of documents.

    The index is written to a fresh sibling folder and swapped in atomically: ``index_dir``
    becomes a symbolic link to it, so a reader never sees half an index. ``progress(done,
    total)`` is called as documents are added.
    """
    index_dir = Path(index_dir)
    docs = documents(g)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    built = index_dir.with_name(f".{index_dir.name}-{uuid.uuid4().hex[:12]}")
    built.mkdir()
    try:
        ix = windex.create_in(str(built), _schema())
        # uncompressed postings: the build is a fifth faster and reading them is no slower
        writer = ix.writer(limitmb=256, codec=W3Codec(compression=0), compound=False)
        total = len(docs)
        frequent = _spelling_vocabulary([d for d in docs if d.kind not in UNSPELLED])
        for n, d in enumerate(docs, 1):
            writer.add_document(**_fields(d, frequent))
            if progress is not None and (n % 50 == 0 or n == total):
                progress(n, total)
        writer.commit()
        ix.close()
        (built / _COLUMNS_FILE).write_text(encode_columns(docs), encoding="utf-8")
        labels = {}
        for key, names in topic_labels(g).items():
            for name in names:
                labels.setdefault(_label_key(name), []).append(key)
        (built / _TOPICS_FILE).write_text(json.dumps(labels, ensure_ascii=False),
                                          encoding="utf-8")
        (built / _META_FILE).write_text(
            json.dumps({"schema_version": SCHEMA_VERSION, "documents": total,
                        "editions": edition_table(), "kinds": list(KINDS)}),
            encoding="utf-8")
        _swap_in(built, index_dir)
    except BaseException:
        shutil.rmtree(built, ignore_errors=True)
        raise
    return len(docs)


def _swap_in(built: Path, index_dir: Path) -> None:
    """Point ``index_dir`` at ``built`` with one atomic rename, then drop the previous build."""
    previous = index_dir.resolve() if index_dir.is_symlink() else None
    if index_dir.exists() and not index_dir.is_symlink():
        # an index folder from before symlinks: moved aside (the only non-atomic step)
        previous = index_dir.with_name(f".{index_dir.name}-old-{uuid.uuid4().hex[:12]}")
        index_dir.rename(previous)
    link = index_dir.with_name(f".{index_dir.name}-link-{uuid.uuid4().hex[:12]}")
    os.symlink(built.name, link)
    os.replace(link, index_dir)
    if previous is not None and previous != built and previous.exists():
        shutil.rmtree(previous, ignore_errors=True)
