"""Ranking: Whoosh's BM25F scores, topic tags and script weights, best first."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from whoosh import query as wquery

from dlgraph.querytext import has_syntax
from dlgraph.search.analysis import _label_key
from dlgraph.search.matching import Matches, all_matches
from dlgraph.search.query import USER_FIELDS

if TYPE_CHECKING:
    from dlgraph.search.index import SearchIndex


#: Share of the best score a document tagged with the topic a query names gains, scaled by
#: how strongly it is tagged (:data:`FULL_STRENGTH`). A lecture item gains up to the whole best
#: score, since an item is what a learner naming a topic looks for, but never more, so words
#: still beat tags: on bench/relevance.py (mean nDCG@10) a flat 0.6 for every kind gave 0.896,
#: these 0.915 (lecture 1.2 or 1.5 gave more to "convolutional neural networks" but buried the
#: pages naming "Barlow Twins" under their topic's lectures).
TOPIC_SHARE, LECTURE_TOPIC_SHARE = 0.6, 1.0


#: Tag strength (summed tag scores: 1.0 for the title, 0.5 per heading, 0.2 per mention) that
#: earns the whole share: a title and two headings naming the topic.
FULL_STRENGTH = 2.0
#: Score factor of a hit in another script than the query's, and of a Latin-script translation.
OTHER_SCRIPT, OTHER_LATIN = 0.5, 0.8
#: With every word optional, a document's score is scaled by the share of the query's words it
#: has, each weighted by its rarity (idf), to this power: the page with "backpropagation" but not
#: "work" ranks, under the pages having both. Tuned on bench/relevance.json only (mean nDCG@10:
#: no coverage factor 0.927, power 1 0.929, 2 0.927, 3 0.926; all-words-required was 0.918).
COVERAGE_POWER = 1.0
#: Score factor of what was said, coded or shown (transcript passages, notebook cells, slide
#: pages): they answer a quote, an API or a slide's word (the only documents with those words),
#: but a topic's lectures and notes still come first (bench/relevance.py, see MEDIA_KINDS).
MEDIA_WEIGHT = 0.5
MEDIA_KINDS = frozenset({"transcript", "notebook", "slides"})
#: ... except a document holding every word of a query this long: a sentence typed whole is
#: most likely a quote of what was said (the quote finds its passage first).
QUOTE_WORDS = 5


def _tagged(ix: SearchIndex, text: str, groups: tuple[str, ...]) -> dict[int, float]:
    """The documents in ``groups``' languages tagged with the topic the whole query names, with
    how strongly (the summed score of their tags for it).

    ``convolutional neural networks`` is a label of the *Convolutional nets* topic: the lecture
    items tagged with it belong in the results even when their titles say ``ConvNets``.
    """
    if not text or has_syntax(text, USER_FIELDS):
        return {}
    keys = {k.lower() for k in ix.topic_labels.get(_label_key(text), ())}
    out: dict[int, float] = {}
    for k in keys:
        for g in groups if k in ix.tagged else ():
            for d in ix.tagged[k].get(g, ()):
                out[d] = max(out.get(d, 0.0), ix.strength[d].get(k, 0.0))
    return out


def _coverage(ix: SearchIndex, q, found: Matches) -> dict[int, float]:
    """Per matching document, the idf-weighted share of the query's terms (of its language
    group's fields) it matched.

    The shares add up in the query's order of terms (the same in every process: a set's order
    would vary the last bit of a score between runs).
    """
    reader = ix.searcher.reader()
    n = reader.doc_count_all() + 1
    wanted: dict[str, dict[str, float]] = defaultdict(dict)  # group → term → idf
    for fieldname, text in q.iter_all_terms(phrases=True):
        kind, _, g = fieldname.partition("_")
        if kind in ("title", "body") and g and text not in wanted[g]:
            df = ix.text_frequency(g, text)
            wanted[g][text] = math.log(n / (df + 1)) + 1.0
    totals = {g: sum(terms.values()) for g, terms in wanted.items()}
    if found.docterms is None:
        return _coverage_arrays(found, wanted, totals)
    out = {}
    for d, matched in found.docterms.items():
        by_group: dict[str, set] = defaultdict(set)
        for fieldname, text in matched:
            kind, _, g = fieldname.partition("_")
            if kind in ("title", "body") and g in wanted:
                by_group[g].add(text.decode() if isinstance(text, bytes) else text)
        best = 0.0
        for g, texts in by_group.items():
            if totals[g]:
                share = 0.0
                for t, idf in wanted[g].items():
                    if t in texts:
                        share += idf
                best = max(best, share / totals[g])
        out[d] = best
    return out


def _coverage_arrays(found: Matches, wanted, totals):
    """:func:`_coverage` over each term's matching documents (:mod:`.matching`'s arrays):
    one share per document of ``found.ids``."""
    import numpy as np

    termdocs = found.termdocs
    ids = found.ids
    none = np.zeros(len(ids), dtype=bool)
    best = np.zeros(len(ids))
    for g, terms in wanted.items():
        if not totals[g]:
            continue
        share = np.zeros(len(ids))
        for t, idf in terms.items():
            key = t.encode("utf-8")
            on = none
            for field in (f"title_{g}", f"body_{g}"):
                if (field, key) in termdocs:
                    on = on | termdocs[(field, key)][ids]
            share = np.where(on, share + idf, share)
        best = np.maximum(best, share / totals[g])
    return best


def _run(ix: SearchIndex, q, allowed: set | None, script: str,
         tagged: dict[int, float] | None = None, any_word: bool = False
         ) -> list[tuple[float, int]]:
    """Every matching (score, docnum), best first, a page in the query's script first.

    Documents tagged with the query's topic (:func:`_tagged`) gain a share of the best score
    (:data:`TOPIC_SHARE`), whether or not they have the words: the pages that have both rank
    first.
    """
    if q is wquery.NullQuery or (allowed is not None and not allowed):
        return []
    found = all_matches(ix, q, allowed, terms=any_word)
    if found.ids is not None:
        return _weighted_arrays(ix, q, found, allowed, script, tagged, any_word)
    scores = dict((d, s) for s, d in found.top_n)
    coverage: dict[int, float] = {}
    if any_word and COVERAGE_POWER:
        coverage = _coverage(ix, q, found)
        scores = {d: s * coverage.get(d, 1.0) ** COVERAGE_POWER for d, s in scores.items()}
    quote = _quote(q)
    if tagged:
        best = max(scores.values(), default=1.0) / FULL_STRENGTH
        kinds = ix.kinds
        for d, strength in tagged.items():
            if allowed is None or d in allowed:
                share = LECTURE_TOPIC_SHARE if kinds[d] == "lecture" else TOPIC_SHARE
                scores[d] = scores.get(d, 0.0) + share * best * min(strength, FULL_STRENGTH)
    scripts, langs, kinds = ix.scripts, ix.languages, ix.kinds
    weighted = []
    for d, score in scores.items():
        if kinds[d] in MEDIA_KINDS and not (quote and coverage.get(d, 1.0) >= 0.999):
            score *= MEDIA_WEIGHT
        s = scripts[d]
        if s is not None and s != script:
            score *= OTHER_SCRIPT
        elif s == "latin" and script == "latin" and langs[d] != "en":
            score *= OTHER_LATIN
        weighted.append((score, d))
    weighted.sort(key=lambda sd: (-sd[0], sd[1]))
    return weighted


def _quote(q) -> bool:
    """Whether the query has :data:`QUOTE_WORDS` terms or more in one language group."""
    per_group: dict[str, set] = defaultdict(set)
    for fieldname, text in q.iter_all_terms(phrases=True):
        per_group[fieldname.partition("_")[2]].add(text)
    return max((len(t) for t in per_group.values()), default=0) >= QUOTE_WORDS


def _weighted_arrays(ix: SearchIndex, q, found: Matches, allowed, script: str, tagged,
                     any_word: bool) -> list[tuple[float, int]]:
    """:func:`_run`'s weighting over :mod:`.matching`'s arrays: the same operations, in the
    same order, on every match at once."""
    import numpy as np

    ids, scores = found.ids, found.scores
    coverage = None
    if any_word and COVERAGE_POWER:
        coverage = _coverage(ix, q, found)
        scores = scores * coverage ** COVERAGE_POWER
    quote = _quote(q)
    if tagged:
        best = (float(scores.max()) if len(scores) else 1.0) / FULL_STRENGTH
        at = dict(zip(ids.tolist(), range(len(ids)), strict=True))
        scores = scores.copy()
        extra, extra_scores = [], []
        kinds = ix.kinds
        for d, strength in tagged.items():
            if allowed is None or d in allowed:
                share = LECTURE_TOPIC_SHARE if kinds[d] == "lecture" else TOPIC_SHARE
                i = at.get(d)
                if i is None:
                    extra.append(d)
                    extra_scores.append(0.0 + share * best * min(strength, FULL_STRENGTH))
                else:
                    scores[i] = scores[i] + share * best * min(strength, FULL_STRENGTH)
        if extra:
            ids = np.concatenate([ids, np.array(extra, dtype=np.int64)])
            scores = np.concatenate([scores, np.array(extra_scores)])
            if coverage is not None:  # a document only tagged has no coverage: 1.0
                coverage = np.concatenate([coverage, np.ones(len(extra))])
    media, code, english, codes = _rank_arrays(ix)
    media = media[ids]
    if quote:  # a quote's media keep their weight where they hold all of it (no coverage: all)
        media = media & ~(coverage >= 0.999) if coverage is not None else np.zeros_like(media)
    scores = np.where(media, scores * MEDIA_WEIGHT, scores)
    s = code[ids]
    other = (s != -1) & (s != codes.get(script, -2))
    latin = ~other & (s == codes.get("latin", -2)) & (script == "latin") & ~english[ids]
    scores = np.where(other, scores * OTHER_SCRIPT, np.where(latin, scores * OTHER_LATIN, scores))
    order = np.lexsort((ids, -scores))
    return Ranked(ids[order], scores[order])


class Ranked(Sequence):
    """The ranked ``(score, docnum)`` pairs, held as arrays (``ids``, ``scores``) for the
    steps that read them whole (:mod:`.units`); a pair is made when it is read (a long
    question's thousands of pairs as Python tuples were a millisecond)."""

    def __init__(self, ids, scores):
        self.ids, self.scores = ids, scores
        self._pairs = None

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i):
        if isinstance(i, slice):
            if self._pairs is None:
                self._pairs = list(zip(self.scores.tolist(), self.ids.tolist(), strict=True))
            return self._pairs[i]
        return float(self.scores[i]), int(self.ids[i])

    def __iter__(self):
        return zip(self.scores.tolist(), self.ids.tolist(), strict=True)


def _rank_arrays(ix: SearchIndex):
    """Per-document arrays :func:`_weighted_arrays` reads: media kind, script code (-1: none),
    English, and the script → code table; made once per index."""
    got = getattr(ix, "_rank_arrays", None)
    if got is None:
        import numpy as np

        codes: dict[str, int] = {}
        code = np.array([-1 if s is None else codes.setdefault(s, len(codes))
                         for s in ix.scripts], dtype=np.int64)
        media = np.array([k in MEDIA_KINDS for k in ix.kinds], dtype=bool)
        english = np.array([lang == "en" for lang in ix.languages], dtype=bool)
        got = ix._rank_arrays = (media, code, english, codes)
    return got
