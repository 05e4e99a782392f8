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

Text normalisation is :mod:`dlgraph.topic_text`, the scheme :mod:`dlgraph.topic_scheme`,
label matching :mod:`dlgraph.topic_matcher`; this module scores and tags, and re-exports
the others' names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Graph, Literal, URIRef

from dlgraph.topic_matcher import Matcher, default_matcher
from dlgraph.topic_scheme import (
    Topic,
    ancestors,
    descendants,
    find_topic,
    scheme_graph,
    top_concept,
    topics_of,
)
from dlgraph.topic_text import normalise, tokens
from dlgraph.vocab import BIBO, DCTERMS, DLG, RDF, SDO, SKOS, TOPICS, XSD, tag_iri

#: field → (weight per match, most matches counted)
FIELDS = {"title": (1.0, 1), "heading": (0.5, 2), "text": (0.2, 3)}
#: Smallest summed score that tags an entity with a topic.
THRESHOLD = 0.5


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
