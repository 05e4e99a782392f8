"""``search``: a query and filters in, the ranked, collapsed, faceted answer out."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from whoosh import query as wquery

from dlgraph.querytext import CJK_RE, clean_query, has_syntax, script_of
from dlgraph.search.analysis import cjk_spread, language_group
from dlgraph.search.editions import edition_words
from dlgraph.search.errors import IndexMissing, SearchError
from dlgraph.search.filters import _filter_docs
from dlgraph.search.query import (
    _EDITION_FIELD_RE,
    _KIND_FIELD_RE,
    _LANG_FIELD_RE,
    USER_FIELDS,
    _field_values,
    _parse,
    _plain,
    _query_terms,
    unpunctuated,
)
from dlgraph.search.ranking import _run, _tagged
from dlgraph.search.results import CARD_KINDS, CARDS_SHOWN, _hit, _moments, _varied
from dlgraph.search.routing import route
from dlgraph.search.spelling import suggest
from dlgraph.search.units import _units

if TYPE_CHECKING:
    from dlgraph.search.index import SearchIndex


def search(
    ix: SearchIndex,
    query: str,
    *,
    editions: Iterable[str] = (),
    kind: str | None = None,
    lang: str | None = None,
    theme: str | None = None,
    topic: str | None = None,
    lecturer: str | None = None,
    limit: int = 10,
    page: int = 1,
    correct: bool = True,
) -> dict:
    """Search the index; return ``{"query", "total", "hits", "facets", "suggestion",
    "edition_words", "cards"}``.

    ``query`` takes plain words (every one optional: documents with more of the rarer ones
    rank higher; a word naming an edition, ``SP21``, ``2021``, ``fall 2022``, filters on it
    when no edition filter is given, and ``edition_words`` lists the editions so read),
    ``"phrases"``, ``AND``/``OR``/``NOT``, parentheses and fields (``edition:SP21``,
    ``kind:section``, ``lang:fr``, ``title:…``, ``lecturer:lecun``, ``topic:…``; any other
    ``word:`` is plain text; a quoted value of a keyword field is several values,
    ``edition:"SP21 FL22"``). An empty query lists everything the filters let through.
    People, readings and themes matching a query are ``cards`` (at most
    :data:`~dlgraph.search.results.CARDS_SHOWN`, on the first page), apart from the ranked
    ``hits``, unless a kind is asked for (``kind=``, ``kind:person``); the facets count them.
    ``total`` counts result units: a lecture with its notes, sections and translations is one,
    and so are the items of several editions showing the same recording (:func:`_units`).
    Each hit is its unit's best document, with ``collapsed`` other matches and ``also_in``, the
    other lecture items (``iri``, ``edition``, ``title``, ``url``) of the same recording, and
    ``moment``, the best-matching timestamped section or transcript passage of a hit that is
    not one itself (or
    ``None``; see :func:`_moments`).
    When a word looks misspelled and ``correct`` is true, the hits are those of
    ``suggestion``, the corrected query (``None`` otherwise, and when the correction finds
    nothing). A hit from a notes section has
    ``url`` = the YouTube URL at the second its section (or the section it is part of) starts
    and ``page_url`` = the notes page with its anchor. Snippets are plain text with matches
    marked ``[[…]]``. ``topic`` is a topic's key or any of its labels (``EBM``). Raises
    :class:`SearchError` for an unknown edition, kind, language or topic; no query text makes
    it raise anything else. An index that cannot be read raises :class:`IndexMissing`, never
    an empty or partial answer. Safe to call from several threads on one index.
    """
    with ix.reading():
        try:
            return _search(ix, query, editions=editions, kind=kind, lang=lang, theme=theme,
                           topic=topic, lecturer=lecturer, limit=limit, page=page,
                           correct=correct)
        except SearchError:
            raise
        except Exception as exc:
            # Whoosh failing to read its files (a damaged segment): no partial answer, and
            # an IndexMissing, so every caller offers the rebuild it already offers.
            raise IndexMissing(f"the search index in {ix.path} could not be read "
                               f"({type(exc).__name__}): run `dlgraph index`") from exc


def language_totals(ix: SearchIndex, query: str, languages: Iterable[str], **filters) -> dict:
    """``{language: total}``: how many results ``search(ix, query, lang=language, **filters)``
    gives, for each of ``languages``.

    The ``language`` facet counts the languages a query was read in (an English word searches
    English pages); picking another language reads the query in that language's pages, where
    it may still match (a topic's label, a name, an English term a translation kept). A filter
    offering a language shows this count, and hides the language when it is zero.
    """
    filters = {k: v for k, v in filters.items() if k not in ("lang", "limit", "page")}
    return {lang: search(ix, query, lang=lang, limit=1, **filters)["total"] for lang in languages}


def _search(ix: SearchIndex, query: str, *, editions, kind, lang, theme, topic, lecturer,
            limit, page, correct) -> dict:
    limit = max(1, min(int(limit), 100))
    page = max(1, int(page))
    text = unpunctuated(clean_query(query))
    named: tuple[str, ...] = ()
    if not editions and text and not has_syntax(text, USER_FIELDS):
        # "attention SP21", "autoencoders 2021": an edition named among plain words filters
        rest, named = edition_words(ix, text)
        named = tuple(e for e in named if e in ix.known_editions)
        if named:
            text = rest
    allowed = _filter_docs(ix, tuple(editions or named), kind, lang, theme, topic, lecturer)
    suggestion = suggest(ix, text) if correct and text else None
    run = suggestion or text
    typed = [lang] if lang else _field_values(_LANG_FIELD_RE, run)
    if typed:
        groups = tuple(dict.fromkeys(language_group(t) for t in typed))
    else:
        groups, _ = route(ix, run)
    script = script_of(run)
    tagged = _tagged(ix, run, groups)
    # Plain words are all optional: a page lacking one common word of a question ("how does
    # backpropagation work") still ranks, below those that have more of the query's words
    # (Whoosh's coordination bonus). Typed syntax (fields, quotes, operators) is taken as typed.
    words = len(re.findall(r"[^\W_]+", run))
    any_word = words > 1 and not has_syntax(run, USER_FIELDS)
    q, results = _searched(ix, run, groups, allowed, script, tagged, any_word=any_word)
    spread = False
    if not results and CJK_RE.search(run) and not has_syntax(run, USER_FIELDS):
        # A CJK sentence ("什么是卷积神经网络": no spaces) is one word that no page has whole:
        # its bigrams, each optional, rank the pages with more of the rarer ones first. A
        # shorter run is a word, and stays one (网络神经 finds nothing).
        bigrams = cjk_spread(run)
        if bigrams != run:
            if not typed:
                groups, _ = route(ix, bigrams)
            q, results = _searched(ix, bigrams, groups, allowed, script, tagged, any_word=True)
            spread = True
    if suggestion and not results:
        # a correction that finds nothing is no help: search the words as typed
        return search(ix, query, editions=editions, kind=kind, lang=lang, theme=theme,
                      topic=topic, lecturer=lecturer, limit=limit, page=page, correct=False)
    asked_kind = kind or _field_values(_KIND_FIELD_RE, run)
    apart = CARD_KINDS if run and not asked_kind else frozenset()
    heads, facets, per_unit = _units(ix, results, apart)
    heads = _varied(ix, heads)
    card_heads: list[tuple[float, int]] = []
    if apart:
        kinds = ix.kinds
        # a person, reading or theme sharing a bigram with a CJK sentence is no answer to it
        card_heads = [] if spread else [
            sd for sd in heads if kinds[sd[1]] in CARD_KINDS][:CARDS_SHOWN]
        heads = [sd for sd in heads if kinds[sd[1]] not in CARD_KINDS]
    shown = {e.upper() for e in (*editions, *named, *_field_values(_EDITION_FIELD_RE, run))}
    first = (page - 1) * limit
    terms = _query_terms(q)
    page_heads = heads[first : first + limit]
    moments = _moments(ix, results, page_heads, terms)
    hits = [_hit(ix, d, score, per_unit[ix.groups[d]] - 1, terms, shown,
                 moments.get(ix.groups[d]))
            for score, d in page_heads]
    cards = [_hit(ix, d, score, per_unit[ix.groups[d]] - 1, terms, shown)
             for score, d in card_heads] if page == 1 else []
    return {"query": query, "total": len(heads), "hits": hits, "facets": facets,
            "suggestion": suggestion, "edition_words": list(named), "cards": cards}


def _searched(ix: SearchIndex, text: str, groups: tuple[str, ...], allowed: set | None,
              script: str, tagged: dict[int, float], any_word: bool = False):
    """The parsed query and its results (:func:`_run`); the words alone when Whoosh refuses it.

    Some queries parse but fail only when run (Whoosh checks a field's positions then): a
    learner's query must never end in a traceback, so its plain words are searched instead.
    """
    if not text:
        q = wquery.Every()
        return q, _run(ix, q, allowed, script, tagged)
    q = _parse(ix, text, groups, any_word)
    try:
        return q, _run(ix, q, allowed, script, tagged, any_word)
    except wquery.QueryError:
        # Only a query Whoosh refuses to run is retried. Any other error is the index failing
        # to read, and an answer made of what was read would be a wrong answer: it raises.
        q = _parse(ix, _plain(text), groups, any_word)
        return q, _run(ix, q, allowed, script, tagged, any_word)
