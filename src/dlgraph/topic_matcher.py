"""Finding the scheme's labels in a text: longest label first, no overlaps, CJK labels as
substrings (step 2 of the rule that :mod:`dlgraph.topics` describes)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache

from rdflib import Graph, URIRef

from dlgraph.topic_scheme import scheme_graph, topics_of
from dlgraph.topic_text import CJK_RE, normalise, tokens


class Matcher:
    """Finds topic labels in text: longest match first, no overlaps (see module docstring)."""

    def __init__(self, labels: Iterable[tuple[str, URIRef]]):
        self.phrases: dict[tuple[str, ...], tuple[URIRef, str]] = {}
        self.cjk: dict[str, tuple[URIRef, str]] = {}
        self.clashes: list[tuple[str, URIRef, URIRef]] = []
        for label, topic in labels:
            if CJK_RE.search(label):
                key, table = normalise(label).replace(" ", ""), self.cjk
            else:
                key, table = tuple(tokens(label)), self.phrases
            if not key:
                continue
            if key in table and table[key][0] != topic:
                self.clashes.append((label, table[key][0], topic))
                continue
            table.setdefault(key, (topic, label))
        self.starts: dict[str, int] = defaultdict(int)
        for key in self.phrases:
            self.starts[key[0]] = max(self.starts[key[0]], len(key))
        self.cjk_keys = sorted(self.cjk, key=len, reverse=True)

    @classmethod
    def from_graph(cls, g: Graph) -> Matcher:
        """A matcher over every prefLabel and altLabel of the scheme in ``g``.

        Preferred labels come first, so a shared spelling reports the preferred label.
        """
        topics = topics_of(g)
        pairs = [(t.label, t.iri) for t in topics.values()]
        pairs += [(t.slug.replace("-", " "), t.iri) for t in topics.values()]
        pairs += [(a, t.iri) for t in topics.values() for a, _ in t.alt_labels]
        return cls(pairs)

    def _scan(self, toks: list[str]) -> Iterator[tuple[int, int, tuple[URIRef, str]]]:
        if self.starts.keys().isdisjoint(toks):  # most texts: no label starts here at all
            return
        i = 0
        while i < len(toks):
            longest = self.starts.get(toks[i], 0)
            for n in range(min(longest, len(toks) - i), 0, -1):
                hit = self.phrases.get(tuple(toks[i : i + n]))
                if hit:
                    yield i, i + n, hit
                    i += n
                    break
            else:
                i += 1

    def find(self, text: str) -> list[tuple[URIRef, str]]:
        """Every label occurrence in ``text`` as ``(topic, label as written in the scheme)``."""
        found = [hit for _, _, hit in self._scan(tokens(text))]
        if self.cjk_keys and CJK_RE.search(text):
            rest = normalise(text).replace(" ", "")
            for key in self.cjk_keys:
                if key in rest:
                    found.extend([self.cjk[key]] * rest.count(key))
                    # Blank the span out so a shorter label inside it does not count again.
                    rest = rest.replace(key, "\0")
        return found

    def spans(self, toks: list[str]) -> list[tuple[int, int, URIRef]]:
        """Token spans ``(start, end, topic)`` of the labels found in ``toks`` (see :func:`tokens`)."""
        return [(i, j, hit[0]) for i, j, hit in self._scan(toks)]


@lru_cache(maxsize=1)
def default_matcher() -> Matcher:
    """The matcher of the scheme shipped with the package (built once per process)."""
    return Matcher.from_graph(scheme_graph())
