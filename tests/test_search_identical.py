"""The speed-ups change no output: on the fixture graph, search answers exactly what it answered
before them (hits, order, scores, snippets, moments, facets, cards, suggestions, totals).

The answers are kept in ``tests/fixtures/search_golden.json``, written by the search before the
speed work of issue 15. A change meant to move an answer (new ranking, new analysis) rewrites it
with ``DLGRAPH_UPDATE_GOLDEN=1 pytest tests/test_search_identical.py`` and says why in its commit;
a change meant to be faster only must leave it alone and pass.
"""

from __future__ import annotations

import json
import os

import pytest
from conftest import FIXTURES_DIR

from dlgraph.search import build_index, matching, open_index, search, sparse, suggest, units

GOLDEN = FIXTURES_DIR / "search_golden.json"

#: (query, keyword arguments): plain words, questions, phrases, fields, operators, filters,
#: pages, misspellings, other languages, and queries matching nothing.
CASES: list[tuple[str, dict]] = [
    ("", {}), ("", {"limit": 100}), ("", {"editions": ["FL22"], "limit": 100}),
    ("", {"lecturer": "lecun"}), ("", {"theme": "Toy energy models"}),
    ("", {"topic": "energy-based-models", "limit": 50}),
    ("energy", {}), ("energy", {"limit": 50}), ("energy", {"editions": ["SP21", "FL22"]}),
    ("energy FL22", {}), ("energy FL22", {"editions": ["SP21"]}), ("energy SP21", {}),
    ("energy 2021", {}), ("energy NOT diagram", {}), ("nosuchfield energy", {}),
    ("nosuchfield:energy", {}), ('edition:"SP21 FL22" energy', {"limit": 50}),
    ("gradient", {}), ("gradient", {"limit": 100}), ("gradient", {"kind": "transcript"}),
    ("gradient", {"lang": "fr"}), ('lang:"fr en" gradient', {}), ("gradeint", {}),
    ("gradeint", {"correct": False}), ("backprop", {}), ("backprop quokka", {}),
    ("how does the toy energy model work", {}), ("what is a quokka?", {}),
    ("why does the gradient go downhill in the toy model", {"limit": 20}),
    ("history", {}), ("history", {"limit": 50}), ("history OR practicum", {"limit": 50}),
    ("title:history", {}), ("history edition:SP21", {}), ("toy AND history", {"kind": "lecture"}),
    ("toy history", {"kind": "lecture"}), ("jouet", {}), ("jouets history", {}),
    ("modele jouet", {}), ("energie", {"lang": "fr"}), ("toy", {}), ("toy", {"editions": ["SP21"]}),
    ("toy", {"kind": "notebook"}), ("toy", {"kind": "section"}), ("toy", {"kind": "slides"}),
    ("toy", {"limit": 2, "page": 1}), ("toy", {"limit": 2, "page": 2}),
    ("toy", {"limit": 2, "page": 99}), ('kind:"lecture notes" toy', {"limit": 50}),
    ("toy_training", {}), ("LeCun", {}), ("LeCun", {"kind": "person"}), ("kind:person LeCun", {}),
    ("Yann LeCun", {}), ("Alfredo Canziani", {}), ("downhill", {}), ("down hill", {}),
    ("downh*", {}), ("downhill?", {}), ("¿downhill ?", {}), ("hops sideways", {"kind": "transcript"}),
    ('"chain rule"', {}), ('"rule chain"', {}), ('"the quokka gradient never sleeps"', {}),
    ('"le gradient du quokka ne dort jamais"', {}), ("quokka", {}), ("zorblax", {}),
    ("the of and", {}), ("energy-based models", {}), ("EBM", {}), ("topic:EBM", {}),
    ("(toy OR energy) AND NOT history", {}),
    # a quote typed whole (five words or more): what was said keeps its weight
    ("the quokka gradient never sleeps", {}), ("the quokka gradient never sleeps at night", {}),
    ('"le gradient du quokka ne dort jamais"', {"kind": "transcript"}),
    ("quokka AND gradient AND never AND sleeps AND hops", {}),
]


def _answers(ix) -> list:
    out = []
    for query, kwargs in CASES:
        out.append({"query": query, "kwargs": kwargs, "answer": search(ix, query, **kwargs)})
    for word in ("gradeint", "backpropogation", "Yan LeCun", "energy"):
        out.append({"suggest": word, "answer": suggest(ix, word)})
    # through JSON, as the CLI and the app see it (tuples become lists)
    return json.loads(json.dumps(out, ensure_ascii=False, sort_keys=True))


@pytest.fixture(scope="module")
def built(small_graph, tmp_path_factory):
    path = tmp_path_factory.mktemp("golden") / "index"
    build_index(small_graph, path)
    return path


#: Every query scored by Whoosh's own loop (and collapsed one result at a time), and every query
#: its matcher tree allows scored over arrays (:mod:`dlgraph.search.matching`) and collapsed
#: over arrays (:mod:`dlgraph.search.units`), or (as in a process without numpy) every query of
#: words scored in plain Python (:mod:`dlgraph.search.sparse`), the others over arrays; by size
#: and by what the process has imported, a real search takes any of the three ways.
SCORING = {"whoosh": 10**12, "arrays": 0, "sparse": 0}


def _counting(fn, calls: list):
    def counted(*args, **kwargs):
        calls.append(1)
        return fn(*args, **kwargs)

    return counted


@pytest.fixture(scope="module", params=sorted(SCORING))
def answers(built, request):
    with pytest.MonkeyPatch.context() as mp:
        # (numpy's import is no reason to leave a query to Whoosh here: it may not be imported)
        mp.setattr(matching, "ARRAY_POSTINGS", SCORING[request.param])
        mp.setattr(matching, "IMPORT_POSTINGS", SCORING[request.param])
        mp.setattr(units, "UNIT_ARRAYS", SCORING[request.param])
        mp.setattr(matching, "numpy_imported", lambda: request.param != "sparse")
        with open_index(built) as ix:
            if request.param == "sparse":  # the golden cases do reach it
                used = []
                mp.setattr(sparse, "matches", _counting(sparse.matches, used))
                got = _answers(ix)
                assert len(used) > 5
                return got
            return _answers(ix)


def test_search_answers_are_unchanged(answers, request):
    if os.environ.get("DLGRAPH_UPDATE_GOLDEN") and "whoosh" in request.node.name:
        GOLDEN.write_text(json.dumps(answers, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                          encoding="utf-8")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert len(answers) == len(expected)
    for got, want in zip(answers, expected, strict=True):
        assert got == want, (want.get("query", want.get("suggest")), want.get("kwargs"))


def test_the_cases_reach_every_part_of_an_answer(answers):
    """The golden answers would catch a change in any part: each part is non-empty somewhere."""
    results = [a["answer"] for a in answers if "query" in a]
    hits = [h for r in results for h in r["hits"]]
    assert any(r["cards"] for r in results)
    assert any(r["suggestion"] for r in results)
    assert any(r["edition_words"] for r in results)
    assert any(h["moment"] for h in hits)
    assert any(h["also_in"] for h in hits)
    assert any(h["collapsed"] for h in hits)
    assert any("[[" in h["snippet"] for h in hits)
    assert all(any(r["facets"][f] for r in results) for f in results[0]["facets"])
    assert any(a["answer"] for a in answers if "suggest" in a)
