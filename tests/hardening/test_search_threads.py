"""One opened index, many threads: the same answers as one by one, and no silent partial ones."""

from __future__ import annotations

import json
import threading

import pytest

from dlgraph.search import IndexMissing, build_index, open_index, search

QUERIES = [("a*", {}), ("conv*", {}), ("t*", {"kind": "section"}), ("energy", {}),
           ("gradient descent", {}), ('"toy"', {}), ("lang:fr réseaux", {}), ("", {}),
           ("backpropogation", {}), ("e*", {"editions": ["SP21"]})]


@pytest.fixture(scope="module")
def ix(small_graph, tmp_path_factory):
    folder = tmp_path_factory.mktemp("threads") / "index"
    build_index(small_graph, folder)
    opened = open_index(folder)
    yield opened
    opened.close()


def _answer(ix, i):
    query, kwargs = QUERIES[i]
    return json.dumps(search(ix, query, limit=50, **kwargs), sort_keys=True)


def _in_threads(work, n: int = 8) -> None:
    """``work(k)`` in ``n`` threads at once (k = 0 … n-1), until all are done."""
    threads = [threading.Thread(target=work, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_eight_threads_get_the_sequential_answers(ix):
    expected = [_answer(ix, i) for i in range(len(QUERIES))]
    wrong, errors = [], []
    barrier = threading.Barrier(8)

    def work(offset):
        barrier.wait()
        for n in range(60):
            i = (n + offset) % len(QUERIES)
            try:
                if _answer(ix, i) != expected[i]:
                    wrong.append(QUERIES[i][0])
            except Exception as exc:  # noqa: BLE001 - counted, then asserted on
                errors.append(repr(exc))

    _in_threads(work)
    assert (wrong, errors) == ([], [])
    assert len(ix._every) <= 9  # searchers are reused, not opened per search


def test_threads_on_the_array_paths_share_the_index_tables_safely(small_graph, tmp_path,
                                                                  monkeypatch):
    """Every query scored, phrased and collapsed over arrays, on a fresh index: the
    per-index tables (:mod:`dlgraph.search.units`) are built while eight threads ask."""
    from dlgraph.search import matching, units

    folder = tmp_path / "index"
    build_index(small_graph, folder)
    for name in ("ARRAY_POSTINGS", "IMPORT_POSTINGS"):
        monkeypatch.setattr(matching, name, 0)
    monkeypatch.setattr(units, "UNIT_ARRAYS", 0)
    queries = QUERIES + [('"chain rule"', {}), ("how does the toy energy model work", {})]
    with open_index(folder) as alone:
        expected = [json.dumps(search(alone, q, limit=50, **kw), sort_keys=True)
                    for q, kw in queries]
    wrong, errors = [], []
    barrier = threading.Barrier(8)
    with open_index(folder) as shared:

        def work(offset):
            barrier.wait()
            for n in range(3 * len(queries)):
                i = (n + offset) % len(queries)
                query, kwargs = queries[i]
                try:
                    got = json.dumps(search(shared, query, limit=50, **kwargs), sort_keys=True)
                    if got != expected[i]:
                        wrong.append(query)
                except Exception as exc:  # noqa: BLE001 - counted, then asserted on
                    errors.append(repr(exc))

        _in_threads(work)
    assert (wrong, errors) == ([], [])


def test_a_read_error_is_an_error_not_an_empty_answer(ix, monkeypatch):
    import dlgraph.search.engine as engine

    def broken(*args, **kwargs):
        raise EOFError("Ran out of input")

    monkeypatch.setattr(engine, "_run", broken)
    with pytest.raises(IndexMissing, match="could not be read.*dlgraph index"):
        search(ix, "energy")
