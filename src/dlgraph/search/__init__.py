"""Full-text search across editions: the one package that imports Whoosh.

Documents come from :func:`dlgraph.searchable.documents` (the graph, never the scraper). Each
language group has its own ``title_<g>``/``body_<g>`` fields with its own analysis
(:mod:`.analysis`); :mod:`.build` writes the index and :mod:`.index` opens it.

A query is routed to the languages its words belong to (:mod:`.routing`): a query whose words
all occur in English pages searches the English fields, ``rétropropagation`` the French ones,
``卷积`` the Chinese ones (Chinese, Japanese and Korean are analysed alike, as character bigrams,
but apart); a language filter picks its own. Whoosh pays per field searched, and an
English query gains little from the translations: they collapse into the same lecture. People's
names, notebook file names and topic labels are part of a document's body; a query that names a
topic (any label of it, in any language, :mod:`.topics`) also brings what is tagged with it
(:mod:`.ranking`). :mod:`.query` parses, :mod:`.spelling` corrects, :mod:`.filters` filters.

Results collapse on :attr:`SearchDoc.group` (the lecture a page or section is about), so one
lecture's many sections and translations count once, and then on the recording, so SP21's and
FL22's copies of one video are one hit naming the other (``also_in``); ``total`` and the facet
counts count those units (:mod:`.results`, :mod:`.snippets`). Filter values and facet keys are
display values (``SP21``, ``Yann LeCun``, a topic label). :func:`search` (:mod:`.engine`) runs it
all.

The package itself is callable as :func:`search`: ``dlgraph.search`` is the package's name and
the public function's both, and importing the package rebinds ``dlgraph.search`` to it.
"""

from __future__ import annotations

import sys
import types

# first: Whoosh imported without what no search uses (:mod:`.whoosh_import`), before any
# other module of the package imports it
import dlgraph.search.whoosh_import  # noqa: F401

# isort: split
from dlgraph.search.analysis import LANGUAGE_GROUPS, language_group
from dlgraph.search.engine import language_totals, search
from dlgraph.search.errors import IndexMissing, SearchError
from dlgraph.search.index import SearchIndex, open_index
from dlgraph.search.layout import SCHEMA_VERSION, index_path
from dlgraph.search.query import BOOSTS, USER_FIELDS
from dlgraph.search.results import CARD_KINDS
from dlgraph.search.routing import route
from dlgraph.search.spelling import suggest
from dlgraph.search.units import FACETS


def build_index(*args, **kwargs):
    """Build the search index of a graph (:func:`dlgraph.search.build.build_index`).

    Imported on first use: a process that only searches never loads the builder (the graph's
    documents, rdflib).
    """
    from dlgraph.search.build import build_index as build

    return build(*args, **kwargs)


class _CallableModule(types.ModuleType):
    """``dlgraph.search(ix, "attention")`` keeps working once the package has replaced the
    function as ``dlgraph``'s attribute."""

    def __call__(self, *args, **kwargs):
        return search(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

__all__ = [
    "BOOSTS",
    "CARD_KINDS",
    "FACETS",
    "LANGUAGE_GROUPS",
    "SCHEMA_VERSION",
    "USER_FIELDS",
    "IndexMissing",
    "SearchError",
    "SearchIndex",
    "build_index",
    "index_path",
    "language_group",
    "language_totals",
    "open_index",
    "route",
    "search",
    "suggest",
]
