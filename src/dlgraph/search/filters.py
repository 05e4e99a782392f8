"""Filters: the documents an edition, kind, language, theme, topic or lecturer lets through."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dlgraph.querytext import slug
from dlgraph.search.errors import SearchError
from dlgraph.search.topics import _resolve_topic

if TYPE_CHECKING:
    from dlgraph.search.index import SearchIndex


def _filter_docs(ix: SearchIndex, editions, kind, lang, theme, topic, lecturer) -> set | None:
    """Document numbers passing the filters (``None`` for no filter); cached per filter."""
    # an empty value (a cleared widget) is no filter
    kind, lang, theme, topic, lecturer = ((v or "").strip() or None
                                          for v in (kind, lang, theme, topic, lecturer))
    key = (tuple(sorted(editions)), kind, lang, theme, topic, lecturer)
    if key == ((), None, None, None, None, None):
        return None
    if key in ix._filters:
        return ix._filters[key]
    eds = {e.upper() for e in editions}
    unknown = eds - set(ix.known_editions)
    if unknown:
        raise SearchError(
            f"unknown edition {sorted(unknown)[0]!r} (known: {', '.join(ix.known_editions)})")
    if kind is not None and kind not in ix.all_kinds:
        raise SearchError(f"unknown kind {kind!r} (one of: {', '.join(ix.all_kinds)})")
    lang_l = lang.lower() if lang else None
    if lang_l is not None and lang_l not in ix.known_languages:
        raise SearchError(
            f"unknown language {lang!r} (one of: {', '.join(ix.known_languages)})")
    topic_docs = None
    if topic is not None:
        try:
            topic_keys = _resolve_topic(ix, topic)
        except LookupError as err:
            raise SearchError(str(err)) from None
        topic_docs = set().union(*(docs for k in topic_keys if k in ix.tagged
                                   for docs in ix.tagged[k].values()))
    theme_s = slug(theme) if theme else None
    lect = set(slug(lecturer).split("-")) if lecturer else None
    keep = set()
    for d in range(len(ix.iris)):
        if eds and not eds.intersection(ix.editions[d]):
            continue
        if kind is not None and ix.kinds[d] != kind:
            continue
        if lang_l is not None and (ix.languages[d] or "").lower() != lang_l:
            continue
        if theme_s is not None and slug(ix.themes[d] or "") != theme_s:
            continue
        if topic_docs is not None and d not in topic_docs:
            continue
        if lect is not None and not any(lect <= set(slug(n).split("-")) for n in ix.lecturers[d]):
            continue
        keep.add(d)
    if len(ix._filters) > 256:
        ix._filters.clear()
    ix._filters[key] = keep
    return keep
