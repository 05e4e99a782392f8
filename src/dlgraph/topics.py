"""The curated topic scheme and the transparent rule that tags entities with topics.

The scheme is ``dlgraph/data/topics.ttl`` (a SKOS concept scheme we write and ship). Tagging
is a plain label match, so every tag can be explained:

1. Text is normalised (Unicode NFKD, accents and Arabic vowel marks dropped, lower case,
   Arabic and Persian letter variants folded) and split into tokens (Indic vowel signs stay
   in their word); a trailing plural ``s`` is dropped from tokens longer than three letters,
   so ``ConvNets`` matches ``ConvNet``. Russian case endings and the Arabic article and
   plural, feminine and Persian plural and ezafe suffixes are stemmed off too, so
   "нейронных сетей", "الشبكات العصبية" and "شبکه‌های عصبی" match the label "neural network"
   in their language. Labels are normalised the same way.
2. Labels are found in token order, longest label first, without overlaps, so
   ``graph convolutional nets`` counts as graph neural nets and not also as convolutional
   nets. Labels written in Chinese, Japanese or Korean are found as substrings (those
   scripts do not separate words with spaces).
3. Each field an entity offers contributes ``weight × min(matches, cap)`` to a topic:
   ``title`` 1.0 (cap 1), ``heading`` 0.5 (cap 2), ``text`` 0.2 (cap 3).
4. An entity gets ``dcterms:subject`` → topic when the sum reaches :data:`THRESHOLD` (0.5):
   one title match, one heading match, or three matches in running text. Each contributing
   field is kept as a ``dlg:TopicTag`` (topic, field, labels matched, that field's score).

Fields per entity: a lecture item's title is its name, its headings are its theme and the
titles and section headings of its notes pages; a notes page has its title and its section
headings (a week page also the text of its part summaries); a section has its heading and
its text; a reading has its title, the per-lecture label it is listed under (as a heading)
and the sentences citing it (as text); a saved document has its title and its text.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from rdflib import Graph, Literal, URIRef

from dlgraph.vocab import (
    BIBO,
    DCTERMS,
    DLG,
    RDF,
    SDO,
    SKOS,
    TOPIC_SCHEME,
    TOPICS,
    XSD,
    tag_iri,
)

#: field → (weight per match, most matches counted)
FIELDS = {"title": (1.0, 1), "heading": (0.5, 2), "text": (0.2, 3)}
#: Smallest summed score that tags an entity with a topic.
THRESHOLD = 0.5

_CJK = (
    r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f\uf900-\ufaff"
)
_CJK_RE = re.compile(f"[{_CJK}]")
# Python's \w leaves out the vowel signs of Indic scripts, so "নিউরাল" would fall apart into
# letters; their blocks (but not the danda) count as word characters.
_INDIC = r"\u0900-\u0963\u0966-\u097f\u0980-\u09ff"
# Latin, Greek and Cyrillic accents; Arabic vowel marks, hamza carriers once NFKD split them
# off (أ → ا), Quranic marks and the tatweel stretch: optional in writing, so dropped.
_MARKS_RE = re.compile(r"[\u0300-\u036f\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Latin runs and runs of other scripts are separate tokens, so "的CNN模型" still yields "cnn".
_TOKEN_RE = re.compile(rf"[a-z0-9]+|(?:[^\W_a-z0-9{_CJK}]|[{_INDIC}])+")
# Arabic and Persian spell some letters differently (ك/ک, ي/ی, ة/ه); one spelling each. The
# zero-width non-joiner only glues a Persian suffix to its word ("شبکه‌های"): dropped, the
# suffix is then stemmed off.
_FOLD = {"ك": "ک", "ي": "ی", "ى": "ی", "ة": "ه", "ە": "ه", "ٱ": "ا", "\u200c": "", "\u200d": ""}
# str.translate looks every character of a long text up in a dict; a regex finds the few.
_FOLD_RE = re.compile(f"[{''.join(_FOLD)}]")


# -- the scheme --------------------------------------------------------------------------


def scheme_graph() -> Graph:
    """The topic scheme shipped with the package, as a fresh graph."""
    import pyoxigraph as ox

    from dlgraph.oxstore import from_ox

    g = Graph()
    data = resources.files("dlgraph").joinpath("data/topics.ttl").read_bytes()
    # Oxigraph's parser: rdflib's takes a fifth of a second over these 3,000 triples, which
    # every `dlgraph compare` and `path` waited for.
    parsed = ox.parse(data, format=ox.RdfFormat.TURTLE)
    for t in parsed:
        g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
    for prefix, ns in parsed.prefixes.items():
        g.bind(prefix, ns)
    return g


@dataclass(frozen=True)
class Topic:
    """One concept of the scheme, as plain data."""

    iri: URIRef
    slug: str
    label: str
    alt_labels: tuple[tuple[str, str], ...]  # (label, language)
    broader: tuple[URIRef, ...]
    narrower: tuple[URIRef, ...]


def topics_of(g: Graph) -> dict[URIRef, Topic]:
    """Every concept of the curated scheme found in ``g``, in a stable order (by slug)."""
    out = {}
    for t in sorted(g.subjects(SKOS.inScheme, TOPIC_SCHEME)):
        pref = _english(g.objects(t, SKOS.prefLabel)) or str(t).rsplit("/", 1)[-1]
        alts = tuple(sorted((str(lit), lit.language or "") for lit in g.objects(t, SKOS.altLabel)))
        out[t] = Topic(
            t,
            str(t).rsplit("/", 1)[-1],
            pref,
            alts,
            tuple(sorted(g.objects(t, SKOS.broader))),
            tuple(sorted(g.objects(t, SKOS.narrower))),
        )
    return out


def _english(literals: Iterable[Literal]) -> str | None:
    lits = list(literals)
    for lit in lits:
        if lit.language == "en":
            return str(lit)
    return str(lits[0]) if lits else None


def ancestors(topics: dict[URIRef, Topic], topic: URIRef) -> list[URIRef]:
    """``topic`` and everything broader, nearest first."""
    seen, queue = [], [topic]
    while queue:
        t = queue.pop(0)
        if t in seen or t not in topics:
            continue
        seen.append(t)
        queue.extend(topics[t].broader)
    return seen


def descendants(topics: dict[URIRef, Topic], topic: URIRef) -> list[URIRef]:
    """``topic`` and everything narrower."""
    seen, stack = [], [topic]
    while stack:
        t = stack.pop()
        if t in seen or t not in topics:
            continue
        seen.append(t)
        stack.extend(topics[t].narrower)
    return seen


def top_concept(topics: dict[URIRef, Topic], topic: URIRef) -> URIRef:
    """The top concept above ``topic`` (its first broader chain's end)."""
    t = topic
    while topics.get(t) and topics[t].broader:
        t = topics[t].broader[0]
    return t


def find_topic(g: Graph, name: str) -> URIRef:
    """The topic whose slug, prefLabel or altLabel is ``name`` (case and accents ignored).

    Raises
    ------
    LookupError
        When nothing matches; the message lists close matches.
    """
    topics = topics_of(g)
    key = " ".join(tokens(name))
    names: dict[str, URIRef] = {}
    for t in topics.values():
        for label in (t.slug.replace("-", " "), t.label, *(a for a, _ in t.alt_labels)):
            names.setdefault(" ".join(tokens(label)), t.iri)
    if key in names:
        return names[key]
    close = difflib.get_close_matches(key, list(names), n=5, cutoff=0.6)
    labels = sorted({topics[names[c]].slug for c in close})
    hint = f"; close matches: {', '.join(labels)}" if labels else "; try `dlgraph topics`"
    raise LookupError(f"unknown topic {name!r}{hint}")


# -- matching ----------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Lower case without accents or Arabic vowel marks; CJK characters kept (after NFKD)."""
    if text.isascii():
        return text.lower()
    # Dropping combining marks is enough: labels and text go through the same function.
    stripped = _MARKS_RE.sub("", unicodedata.normalize("NFKD", text))
    folded = unicodedata.normalize("NFKC", stripped).casefold().replace("ı", "i")
    return _FOLD_RE.sub(lambda m: _FOLD[m.group()], folded)


# Russian inflects nouns and adjectives by case and number ("нейронная сеть", "нейронных
# сетей"): the longest of these endings comes off, leaving at least three letters. Written
# naturally here and normalised like any text (й → и).
_CYRILLIC_ENDINGS = tuple(
    sorted(
        {
            normalise(e)
            for e in """иями ями ами ием иям иях ией ого его ому ему ыми ими ым им ой ей ий ый
            ая яя ое ее ые ие ую юю ов ев ом ем ам ям ах ях ых их ию ия ии ью ья ье ьи
            а я о е ы и у ю ь й""".split()
        },
        key=len,
        reverse=True,
    )
)
# Arabic attaches the article and some prepositions to the word ("الشبكات"), and both
# languages mark plural, gender and the Persian ezafe with suffixes ("شبکه‌های", "العصبية").
# Light stemming in the manner of Larkey's light10, kept conservative: suffixes that end
# many plain words (ان, ون, ین) stay on. Forms are after normalise (ة → ه, ي → ی).
_ARABIC_PREFIXES = ("وال", "بال", "کال", "فال", "لل", "ال")
_ARABIC_SUFFIXES = ("هایی", "های", "ها", "ات", "یه", "ه", "ی")
# Persian writes the plural suffix apart as often as joined ("مدل های"): alone it is no word.
_DETACHED = frozenset({"ها", "های", "هایی"})


def _strip(token: str, affixes: tuple[str, ...], *, prefix: bool, times: int) -> str:
    for _ in range(times):
        for a in affixes:
            if len(token) - len(a) >= 3 and (token.startswith(a) if prefix else token.endswith(a)):
                token = token[len(a) :] if prefix else token[: -len(a)]
                break
        else:
            break
    return token


# Texts repeat few distinct words: each is stemmed once per process.
@lru_cache(maxsize=1 << 16)
def _stem(token: str) -> str:
    first = token[0]
    if "\u0400" <= first <= "\u04ff":
        return _strip(token, _CYRILLIC_ENDINGS, prefix=False, times=1)
    if "\u0600" <= first <= "\u06ff":
        token = _strip(token, _ARABIC_PREFIXES, prefix=True, times=2)
        return _strip(token, _ARABIC_SUFFIXES, prefix=False, times=2)
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def tokens(text: str) -> list[str]:
    """Normalised, lightly stemmed tokens of ``text`` (CJK characters are left out)."""
    return [_stem(t) for t in _TOKEN_RE.findall(normalise(text)) if t not in _DETACHED]


class Matcher:
    """Finds topic labels in text: longest match first, no overlaps (see module docstring)."""

    def __init__(self, labels: Iterable[tuple[str, URIRef]]):
        self.phrases: dict[tuple[str, ...], tuple[URIRef, str]] = {}
        self.cjk: dict[str, tuple[URIRef, str]] = {}
        self.clashes: list[tuple[str, URIRef, URIRef]] = []
        for label, topic in labels:
            if _CJK_RE.search(label):
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
        if self.cjk_keys and _CJK_RE.search(text):
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


# -- scoring -----------------------------------------------------------------------------


@dataclass
class Evidence:
    """What one field contributed to one topic."""

    field: str
    matches: int
    labels: list[str]

    @property
    def score(self) -> float:
        weight, cap = FIELDS[self.field]
        return round(weight * min(self.matches, cap), 2)


def score_fields(
    fields: dict[str, list[str]], matcher: Matcher | None = None
) -> dict[URIRef, list[Evidence]]:
    """Topics of an entity from its fields, with the evidence of each (threshold applied).

    Parameters
    ----------
    fields
        ``{"title": [...], "heading": [...], "text": [...]}``; each string is matched
        separately, and a heading counts once however often its label repeats in it.
    matcher
        Defaults to the package scheme's matcher.

    Returns
    -------
    dict
        ``{topic: [Evidence, …]}`` for the topics whose summed score reaches
        :data:`THRESHOLD`.
    """
    matcher = matcher or default_matcher()
    evidence: dict[URIRef, dict[str, Evidence]] = defaultdict(dict)
    for field, texts in fields.items():
        for text in texts:
            if not text:
                continue
            hits = matcher.find(text)
            per_topic: dict[URIRef, list[str]] = defaultdict(list)
            for topic, label in hits:
                per_topic[topic].append(label)
            for topic, labels in per_topic.items():
                ev = evidence[topic].setdefault(field, Evidence(field, 0, []))
                # A title or heading is one place: repeating a label inside it adds nothing.
                ev.matches += len(labels) if field == "text" else 1
                for label in labels:
                    if label not in ev.labels:
                        ev.labels.append(label)
    out = {}
    for topic, by_field in evidence.items():
        evs = [by_field[f] for f in FIELDS if f in by_field]
        if sum(e.score for e in evs) >= THRESHOLD - 1e-9:
            out[topic] = evs
    return out


# -- the graph stage ---------------------------------------------------------------------


def _texts(g: Graph, s: URIRef, p: URIRef) -> list[str]:
    return [str(o) for o in g.objects(s, p)]


def _sections(g: Graph, page: URIRef) -> list[URIRef]:
    return sorted(g.objects(page, SDO.hasPart), key=lambda s: g.value(s, SDO.position) or 0)


def entity_fields(g: Graph) -> Iterator[tuple[URIRef, str, dict[str, list[str]]]]:
    """Every taggable entity with its kind and fields (see the module docstring)."""
    pages = set(g.subjects(RDF.type, DLG.NotesPage)) | set(g.subjects(RDF.type, DLG.WeekPage))
    for item in sorted(g.subjects(RDF.type, SDO.LearningResource)):
        headings = []
        theme = g.value(item, DLG.theme)
        if theme is not None:
            headings += _texts(g, theme, SKOS.prefLabel)
        for page in sorted(g.objects(item, DLG.notesPage)):
            headings += _texts(g, page, SDO.name)
            headings += [str(g.value(s, SDO.name) or "") for s in _sections(g, page)]
        yield item, "lecture", {"title": _texts(g, item, SDO.name), "heading": headings}
    week_pages = set(g.subjects(RDF.type, DLG.WeekPage))
    for page in sorted(pages):
        secs = _sections(g, page)
        fields = {
            "title": _texts(g, page, SDO.name),
            "heading": [str(g.value(s, SDO.name) or "") for s in secs],
        }
        if page in week_pages:
            # A week page's headings are "Lecture part A" and the like: its subjects are in
            # the summaries under them.
            fields["text"] = [t for s in secs for t in _texts(g, s, SDO.text)]
        yield page, "page", fields
        for s in secs:
            yield s, "section", {"heading": _texts(g, s, SDO.name), "text": _texts(g, s, SDO.text)}
    for reading in sorted(g.subjects(RDF.type, BIBO.Document)):
        cites = list(g.subjects(DLG.reading, reading))
        yield (
            reading,
            "reading",
            {
                "title": _texts(g, reading, DCTERMS.title),
                "heading": sorted({t for c in cites for t in _texts(g, c, DLG.readingFor)}),
                "text": [t for c in cites for t in _texts(g, c, DLG.context)],
            },
        )
    for doc in sorted(set(g.subjects(DLG.documentKind, None))):
        yield doc, "document", {"title": _texts(g, doc, SDO.name), "text": _texts(g, doc, SDO.text)}


def tag_graph(g: Graph) -> int:
    """Load the topic scheme into ``g`` and tag every lecture item, page, section and reading.

    Parameters
    ----------
    g
        The graph after ``readings.add_readings``; modified in place.

    Returns
    -------
    int
        The number of triples added (scheme included).
    """
    before = len(g)
    scheme = scheme_graph()
    g += scheme
    g.bind("topic", TOPICS)
    matcher = Matcher.from_graph(scheme)
    slugs = {t: s.slug for t, s in topics_of(scheme).items()}
    for entity, _kind, fields in list(entity_fields(g)):
        for topic, evs in score_fields(fields, matcher).items():
            g.add((entity, DCTERMS.subject, topic))
            for ev in evs:
                tag = tag_iri(entity, slugs[topic], ev.field)
                g.add((entity, DLG.tag, tag))
                g.add((tag, RDF.type, DLG.TopicTag))
                g.add((tag, DLG.topic, topic))
                g.add((tag, DLG.matchedIn, Literal(ev.field)))
                g.add((tag, DLG.score, _decimal(ev.score)))
                for label in ev.labels:
                    g.add((tag, DLG.matchedLabel, Literal(label)))
    return len(g) - before


def _decimal(score: float) -> Literal:
    """``score`` to two places as an ``xsd:decimal`` in canonical form (``0.6``, ``1``).

    The canonical form is what Oxigraph keeps (it stores the value, not the text), so the
    saved graph holds the very literal that was built.
    """
    return Literal(format(Decimal(f"{score:.2f}").normalize(), "f"), datatype=XSD.decimal)


def explain(g: Graph, entity: URIRef) -> list[dict]:
    """Why ``entity`` has each of its topics: labels matched, field, score.

    Returns
    -------
    list of dict
        One dict per topic, highest score first: ``{"topic", "slug", "label", "score",
        "matches": [{"field", "labels", "score"}]}``.
    """
    topics = topics_of(g)
    by_topic: dict[URIRef, list[dict]] = defaultdict(list)
    for tag in g.objects(URIRef(entity), DLG.tag):
        topic = g.value(tag, DLG.topic)
        by_topic[topic].append(
            {
                "field": str(g.value(tag, DLG.matchedIn)),
                "labels": sorted(str(x) for x in g.objects(tag, DLG.matchedLabel)),
                "score": float(g.value(tag, DLG.score).toPython()),
            }
        )
    order = list(FIELDS)
    out = []
    for topic, matches in by_topic.items():
        matches.sort(key=lambda m: order.index(m["field"]) if m["field"] in order else 9)
        info = topics.get(topic)
        out.append(
            {
                "topic": str(topic),
                "slug": info.slug if info else str(topic).rsplit("/", 1)[-1],
                "label": info.label if info else str(topic),
                "score": round(sum(m["score"] for m in matches), 2),
                "matches": matches,
            }
        )
    return sorted(out, key=lambda d: (-d["score"], d["slug"]))


def subjects_of(g: Graph, entity: URIRef) -> list[URIRef]:
    """The topics of ``entity``, strongest first (by summed tag score, then IRI)."""
    scores: dict[URIRef, float] = defaultdict(float)
    for tag in g.objects(entity, DLG.tag):
        scores[g.value(tag, DLG.topic)] += float(g.value(tag, DLG.score).toPython())
    for topic in g.objects(entity, DCTERMS.subject):
        scores.setdefault(topic, 0.0)
    return sorted(scores, key=lambda t: (-scores[t], str(t)))


__all__ = [
    "FIELDS",
    "THRESHOLD",
    "Matcher",
    "Topic",
    "ancestors",
    "default_matcher",
    "descendants",
    "entity_fields",
    "explain",
    "find_topic",
    "normalise",
    "scheme_graph",
    "score_fields",
    "subjects_of",
    "tag_graph",
    "tokens",
    "top_concept",
    "topics_of",
]
