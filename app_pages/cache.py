"""What the pages share: the graph and the search index loaded once per process, and every
library call cached by its arguments (the widget values).

Caching lives here, never in the library. Cache keys include the data folder and the graph
file's modification time, so re-ingesting while the app runs is picked up on the next rerun.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from dlgraph import store


def data_dir() -> Path:
    """The data folder ``app.py`` resolved from ``$DLGRAPH_DATA``."""
    return Path(st.session_state["app_data_dir"])


def stamp(folder: Path) -> float:
    """Modification time of the saved graph: part of every cache key."""
    try:
        return os.stat(folder / store.GRAPH_TTL).st_mtime
    except OSError:
        return 0.0


# No spinner of its own: the warm-up thread calls it too, and a spinner drawn from a thread
# without a script run logs "missing ScriptRunContext" (graph() shows one instead).
@st.cache_resource(show_spinner=False, max_entries=2)
def _graph(folder: str, version: float):
    return store.load_graph(Path(folder))


@st.cache_resource(show_spinner=False, max_entries=2)
def _index(folder: str, version: float):
    from dlgraph.search import IndexMissing, open_index

    try:
        return open_index(Path(folder) / "index")
    except IndexMissing:
        raise
    except Exception as exc:
        # An index written by another dlgraph version can fail to unpickle its schema; to a
        # learner that is the same situation as a missing index, with the same remedy.
        raise IndexMissing(f"the search index in {folder}/index cannot be opened "
                           f"({type(exc).__name__}: {exc}); rebuild it") from exc


@st.cache_data(show_spinner=False, max_entries=4)
def _editions(folder: str, version: float) -> list[dict]:
    rows = store.load_editions(Path(folder))
    if rows is None:  # a data folder saved before the list was: ask the graph itself
        from dlgraph.graphs import edition_list

        rows = edition_list(_graph(folder, version))
    return rows


def edition_rows() -> list[dict]:
    """The editions the graph holds (what was ingested, not what is configured), oldest first."""
    folder = data_dir()
    return _editions(str(folder), stamp(folder))


def editions() -> tuple[str, ...]:
    """Codes of :func:`edition_rows`: every page's edition filters and charts follow them."""
    return tuple(row["code"] for row in edition_rows())


def courses() -> list[str]:
    """Titles (else codes) of the courses the graph holds, in the order of their editions."""
    return list(dict.fromkeys(r["course_title"] or r["course"] for r in edition_rows()
                              if r["course_title"] or r["course"]))


_loaded: set[tuple[str, float]] = set()


def graph():
    """The course graph (rdflib), loaded once per process and data version."""
    folder = data_dir()
    key = (str(folder), stamp(folder))
    if key in _loaded:
        return _graph(*key)
    with st.spinner("Loading the course graph…"):
        g = _graph(*key)
    _loaded.add(key)
    return g


_warming: set[tuple[str, float]] = set()
#: Seconds between the landing's run and the background loading (see :func:`warm`).
WARM_DELAY = 1.0
_warming_lock = threading.Lock()


def warm() -> None:
    """Open the search index, then read the graph, in the background (once per data version).

    The Search landing needs neither, so it renders first and then calls this: by the time a
    learner has typed a query the index is open, and by the time they open a lecture the graph
    is usually in memory. A page asking for either meanwhile waits on the same cache entry
    instead of loading it twice.
    """
    folder = data_dir()
    key = (str(folder), stamp(folder))
    with _warming_lock:
        if key in _warming:
            return
        _warming.add(key)
    # Not at once: the landing is still being sent and drawn, and on a busy machine loading
    # the index and graph beside it (a second of CPU) made it half as slow again.
    timer = threading.Timer(WARM_DELAY, _load_quietly, args=key)
    timer.name, timer.daemon = "dlgraph-warm", True
    timer.start()


def _load_quietly(folder: str, version: float) -> None:
    for load in (_index, _graph):
        try:
            load(folder, version)
        except Exception:  # the page that needs it will show the error itself
            continue
        if load is _graph:
            _loaded.add((folder, version))
    if (folder, version) in _loaded:
        _prepare_compare(folder, version)


def _prepare_compare(folder: str, version: float) -> None:
    """Answer the Compare page's first view (every edition) before anyone opens it.

    Its heatmap (its Vega-Lite spec, built with Altair) and one table per pair of editions
    take a second or two of graph work and the chart libraries' import; done here, in the
    background, the page draws from the cache (the keys are those ``query`` makes for the
    page's own calls).
    """
    try:
        import pandas  # noqa: F401  (Streamlit's charts send their data through it)

        from app_pages.compare_heatmap import heatmap
        from dlgraph.compare import compare_editions

        codes = tuple(row["code"] for row in _editions(folder, version))
        if len(codes) < 2:
            return
        _on_graph(folder, version, _name(heatmap), (codes, "items", "top"), ())
        for a, b in zip(codes, codes[1:], strict=False):
            _on_graph(folder, version, _name(compare_editions), (a, b), ())
    except Exception:  # the page computes (and reports) it itself
        return


def index_folder() -> Path | None:
    """The index folder when one has been built, without opening it (no whoosh import)."""
    folder = data_dir() / "index"
    return folder if folder.is_dir() and any(folder.iterdir()) else None


def index():
    """The opened Whoosh index, once per process and data version."""
    folder = data_dir()
    return _index(str(folder), stamp(folder))


@st.cache_data(show_spinner=False, max_entries=512)
def _search(folder: str, version: float, query: str, kwargs: tuple) -> dict:
    from dlgraph.search import search as run

    return run(_index(folder, version), query, **dict(kwargs))


def search(query: str, **kwargs: Any) -> dict:
    """``dlgraph.search`` on the app's index, cached by query and filters."""
    folder = data_dir()
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()))
    return _search(str(folder), stamp(folder), query, frozen)


@st.cache_data(show_spinner=False, max_entries=128)
def _language_totals(folder: str, version: float, query: str, languages: tuple,
                     kwargs: tuple) -> dict:
    from dlgraph.search import language_totals as run

    return run(_index(folder, version), query, languages, **dict(kwargs))


def language_totals(query: str, languages: tuple[str, ...], **kwargs: Any) -> dict:
    """``dlgraph.search.language_totals`` on the app's index, cached by query and filters."""
    folder = data_dir()
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()))
    return _language_totals(str(folder), stamp(folder), query, tuple(languages), frozen)


@st.cache_data(show_spinner=False, max_entries=256)
def _on_graph(folder: str, version: float, func: str, args: tuple, kwargs: tuple) -> Any:
    module, name = func.rsplit(".", 1)
    fn = getattr(importlib.import_module(module), name)
    return fn(_graph(folder, version), *args, **dict(kwargs))


def _name(fn: Callable[..., Any]) -> str:
    """Where ``_on_graph`` imports ``fn`` from: part of its cache key, so the background
    answers (``_prepare_compare``) and the page's own calls share entries."""
    return f"{fn.__module__}.{fn.__qualname__}"


def query(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(graph, *args, **kwargs)`` for a ``dlgraph`` function, cached by its arguments.

    Arguments must be hashable plain values (strings, numbers, tuples); results are plain
    data, which ``st.cache_data`` copies per caller so a page cannot spoil the cache.
    """
    graph()  # loads it under a spinner the first time; then a set lookup
    folder = data_dir()
    return _on_graph(str(folder), stamp(folder), _name(fn), args, tuple(sorted(kwargs.items())))


# -- SPARQL answers: cached only when small --------------------------------------------------

#: An answer larger than this (rows × columns, or Turtle characters / 64) is shown but not
#: kept: ``st.cache_data`` would hold up to 512 of them, and each would stay in memory.
SPARQL_CACHE_CELLS = 20_000
_sparql_answers: dict[tuple, dict] = {}
_sparql_lock = threading.Lock()
_SPARQL_KEEP = 64


def _cells(result: dict) -> int:
    if result["type"] == "SELECT":
        return len(result["rows"]) * max(1, len(result["vars"]))
    return len(result.get("turtle", "")) // 64


def sparql(text: str, **limits: Any) -> dict:
    """``dlgraph.sparql.run_query`` on the app's graph; small answers are kept for reuse.

    Errors are never kept (they raise), and neither are answers above
    :data:`SPARQL_CACHE_CELLS`, so a heavy query costs its own run only.
    """
    import copy

    from dlgraph.sparql import run_query

    folder = data_dir()
    key = (str(folder), stamp(folder), text, tuple(sorted(limits.items())))
    with _sparql_lock:
        kept = _sparql_answers.get(key)
    if kept is not None:
        return copy.deepcopy(kept)
    result = run_query(graph(), text, **limits)
    if _cells(result) <= SPARQL_CACHE_CELLS:
        with _sparql_lock:
            while len(_sparql_answers) >= _SPARQL_KEEP:
                _sparql_answers.pop(next(iter(_sparql_answers)))
            _sparql_answers[key] = copy.deepcopy(result)
    return result
