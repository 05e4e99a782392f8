"""Phrases and ANDs of words over arrays (:mod:`dlgraph.search.spans`,
:mod:`dlgraph.search.stepping`) against Whoosh itself, on hand-made documents where the word
matchers a phrase leaves behind after its last match stand on documents the query collects
(Whoosh reports a word there), and on seeded random ones."""

from __future__ import annotations

import pytest
from whoosh import fields, query
from whoosh.filedb.filestore import RamStorage
from whoosh.scoring import BM25F

from dlgraph.search import matching

#: (documents, query): "alpha beta" matches the first document; then Whoosh's search for its
#: next match leaves "beta" standing on a document "gamma" brings into the results.
CASES = [
    (["x alpha beta", "alpha z", "beta gamma"],
     query.Or([query.Phrase("body", ["alpha", "beta"]), query.Term("body", "gamma")], scale=0.9)),
    # a phrase that never matches: its words stand where building it left them
    (["beta alpha", "alpha gamma beta", "beta gamma", "alpha"],
     query.Or([query.Phrase("body", ["alpha", "beta"]), query.Term("body", "gamma")], scale=0.9)),
    # three words, a near match (a sequence), repeated words, another field
    (["alpha beta delta", "delta alpha", "beta alpha beta gamma", "alpha x beta delta gamma",
      "gamma delta beta", "beta beta alpha"],
     query.Or([query.Phrase("body", ["alpha", "beta", "delta"]),
               query.Sequence([query.Term("body", "alpha"), query.Phrase("body", ["beta", "delta"])],
                              slop=3),
               query.Phrase("title", ["beta", "alpha"]), query.Term("body", "gamma")], scale=0.9)),
    # a sequence one of whose phrases lacks a word
    (["alpha beta", "beta gamma", "gamma alpha beta"],
     query.Or([query.Sequence([query.Phrase("body", ["alpha", "omega"]),
                               query.Phrase("body", ["alpha", "beta"])], slop=3),
               query.Term("body", "gamma")], scale=0.9)),
]


class _Index:
    """What :func:`dlgraph.search.matching.all_matches` reads of an open index."""

    def __init__(self, searcher):
        self.searcher = searcher

    def frequency(self, fieldname, text):
        return self.searcher.reader().doc_frequency(fieldname, text)


@pytest.mark.parametrize("docs,q", CASES)
@pytest.mark.parametrize("terms", [True, False])
def test_phrases_over_arrays_report_what_whoosh_reports(docs, q, terms, monkeypatch):
    _compare(docs, q, terms, monkeypatch, arrays_only=True)


def _compare(docs, q, terms, monkeypatch, arrays_only=False):
    schema = fields.Schema(body=fields.TEXT(phrase=True), title=fields.TEXT(phrase=True))
    ix = RamStorage().create_index(schema)
    with ix.writer() as w:
        for text in docs:
            w.add_document(body=text, title=" ".join(reversed(text.split())))
    for name in ("ARRAY_POSTINGS", "IMPORT_POSTINGS"):
        monkeypatch.setattr(matching, name, 0)
    with ix.searcher(weighting=BM25F()) as searcher:
        arrays = matching.all_matches(_Index(searcher), q, None, terms)
        whoosh = matching._whoosh(searcher, q, None, terms)
    assert arrays.ids is not None or not arrays_only, "left to Whoosh"
    assert arrays.top_n == whoosh.top_n
    if terms and arrays.termdocs is not None:
        reported: dict[int, set] = {}
        for term, on in arrays.termdocs.items():
            for d in on.nonzero()[0].tolist():
                reported.setdefault(d, set()).add(term)
        assert reported == {d: set(t) for d, t in whoosh.docterms.items()}


def _random_case(rng):
    words = ["alpha", "beta", "gamma", "delta"]
    docs = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 7)))
            for _ in range(rng.randint(3, 12))]

    def phrase():
        return query.Phrase(rng.choice(["body", "title"]),
                            [rng.choice(words) for _ in range(rng.randint(2, 3))])

    subs = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.random()
        if kind < 0.45:
            subs.append(phrase())
        elif kind < 0.6:  # a word the analysis splits: an AND of its parts
            field = rng.choice(["body", "title"])
            subs.append(query.And([query.Term(field, rng.choice(words),
                                              boost=rng.choice([1.0, 3.0]))
                                   for _ in range(rng.randint(2, 3))]))
        elif kind < 0.75:
            field = rng.choice(["body", "title"])
            subs.append(query.Sequence([query.Term(field, rng.choice(words)),
                                        query.Phrase(field, [rng.choice(words), rng.choice(words)])],
                                       slop=rng.randint(1, 3)))
        else:
            subs.append(query.Term(rng.choice(["body", "title"]), rng.choice(words)))
    return docs, query.Or(subs, scale=rng.choice([None, 0.9]))


@pytest.mark.parametrize("seed", range(80))
def test_random_phrases_over_arrays_report_what_whoosh_reports(seed, monkeypatch):
    import random

    docs, q = _random_case(random.Random(seed))
    for terms in (True, False):
        _compare(docs, q, terms, monkeypatch)
