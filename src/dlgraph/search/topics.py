"""Topic names in queries and filters: a key or any label of a topic, in any language."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from dlgraph.querytext import slug
from dlgraph.search.analysis import _label_key

if TYPE_CHECKING:
    from rdflib import Graph

    from dlgraph.search.index import SearchIndex


@cache
def _scheme() -> Graph:
    # dlgraph.topics (rdflib, the scheme) is imported only when a name is no key or label the
    # index knows: a search that names none never loads it
    from dlgraph.topics import scheme_graph

    return scheme_graph()


def _topic_keys(ix: SearchIndex, name: str) -> frozenset[str]:
    """The keys of the topic ``name`` names, empty when it names none.

    ``name`` may be a key (``energy-based-models``), or a preferred or alternative label as
    :func:`dlgraph.topics.find_topic` (``dlgraph path``) resolves it: ``EBM``, ``Energy-based
    models``; labels it cannot compare (Chinese, Japanese, Korean) are looked up in the index's
    own label table.
    """
    try:
        return _resolve_topic(ix, name)
    except LookupError:
        return frozenset()


def _resolve_topic(ix: SearchIndex, name: str) -> frozenset[str]:
    """:func:`_topic_keys`, raising ``LookupError`` with close matches when nothing matches."""
    cached = ix._topic_names.get(name)
    if cached is not None:
        return cached
    key = slug(name)
    if key and key in ix.tagged:
        keys = frozenset({key})
    else:
        keys = frozenset(k.lower() for k in ix.topic_labels.get(_label_key(name), ()))
        if not keys:
            from dlgraph.topics import find_topic
            from dlgraph.topics import tokens as topic_tokens

            if not topic_tokens(name):
                # find_topic compares tokens: with none (an empty or a CJK name) it would
                # take whichever topic has a label without any
                raise LookupError(f"unknown topic {name!r}; try `dlgraph topics`")
            # find_topic raises LookupError naming close matches: the message a learner needs
            found = find_topic(_scheme(), name)
            keys = frozenset({str(found).rsplit("/", 1)[-1]})
    if len(ix._topic_names) > 256:
        ix._topic_names.clear()
    ix._topic_names[name] = keys
    return keys
