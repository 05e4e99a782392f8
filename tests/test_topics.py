"""The curated topic scheme (data/topics.ttl) and the tagging rule of dlgraph.topics."""

from __future__ import annotations

import pytest
from fixtures.small_records import SP20
from rdflib import Graph, Literal, URIRef

from dlgraph import topics
from dlgraph.topics import Matcher, explain, find_topic, scheme_graph, score_fields, topics_of
from dlgraph.vocab import DCTERMS, DLG, RDF, SKOS, TOPIC_SCHEME, lecture_iri, section_iri, topic_iri


@pytest.fixture(scope="module")
def scheme() -> Graph:
    return scheme_graph()


@pytest.fixture(scope="module")
def concepts(scheme) -> list[URIRef]:
    return sorted(set(scheme.subjects(RDF.type, SKOS.Concept)))


# -- the scheme file ---------------------------------------------------------------------


def test_scheme_parses_with_many_concepts(scheme, concepts):
    assert (TOPIC_SCHEME, RDF.type, SKOS.ConceptScheme) in scheme
    assert len(concepts) >= 60


def test_every_concept_is_in_the_scheme_with_one_english_preflabel(scheme, concepts):
    for c in concepts:
        assert (c, SKOS.inScheme, TOPIC_SCHEME) in scheme, c
        prefs = list(scheme.objects(c, SKOS.prefLabel))
        assert [p.language for p in prefs] == ["en"], c
        assert str(c).startswith(str(topic_iri(""))), c


def test_broader_and_narrower_mirror_each_other(scheme):
    broader = set(scheme.subject_objects(SKOS.broader))
    narrower = {(n, b) for b, n in scheme.subject_objects(SKOS.narrower)}
    assert broader == narrower
    assert broader


def test_related_is_symmetric(scheme):
    related = set(scheme.subject_objects(SKOS.related))
    assert related == {(b, a) for a, b in related}


def test_top_concepts_are_exactly_the_concepts_without_broader(scheme, concepts):
    tops = set(scheme.objects(TOPIC_SCHEME, SKOS.hasTopConcept))
    assert tops == {c for c in concepts if (c, SKOS.broader, None) not in scheme}
    assert tops == set(scheme.subjects(SKOS.topConceptOf, TOPIC_SCHEME))


def test_no_cycles_in_broader(scheme, concepts):
    all_topics = topics_of(scheme)
    for c in concepts:
        chain = topics.ancestors(all_topics, c)
        assert chain[0] == c and c not in chain[1:]


def test_no_label_belongs_to_two_concepts(scheme):
    assert Matcher.from_graph(scheme).clashes == []


@pytest.mark.parametrize(
    "slug",
    [
        "backpropagation", "gradient-descent", "convolutional-nets", "recurrent-nets",
        "lstm-and-gating", "attention-and-transformers", "transformers", "energy-based-models",
        "latent-variable-ebms", "autoencoders", "variational-autoencoders",
        "generative-adversarial-networks", "self-supervised-learning", "joint-embedding-methods",
        "contrastive-learning", "graph-neural-nets", "planning-and-control", "optimisation",
        "regularisation", "structured-prediction", "pytorch-practice",
    ],
)
def test_the_issue_subjects_are_concepts(scheme, slug):
    assert (topic_iri(slug), RDF.type, SKOS.Concept) in scheme


def test_labels_in_translation_languages(scheme):
    langs = {lit.language for lit in scheme.objects(topic_iri("energy-based-models"), SKOS.altLabel)}
    assert {"en", "fr", "es", "it", "zh"} <= langs


# -- matching ----------------------------------------------------------------------------


def _slugs(hits):
    return [str(t).rsplit("/", 1)[-1] for t, _ in hits]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ConvNets in practice", ["convolutional-nets"]),
        ("Training LV-EBMs", ["latent-variable-ebms"]),
        ("Inference for latent-variable energy-based models", ["latent-variable-ebms"]),
        ("Graph convolutional nets (II)", ["graph-neural-nets"]),
        ("Graph transformer nets", ["graph-transformer-networks"]),
        ("AEs with PyTorch and GANs", ["autoencoders", "pytorch-practice", "generative-adversarial-networks"]),
        ("La rétropropagation et la descente de gradient", ["backpropagation", "gradient-descent"]),
        ("Optimization vs optimisation", ["optimisation", "optimisation"]),
        ("卷积神经网络和注意力机制", ["convolutional-nets", "attention-and-transformers"]),
        ("A toy history lesson", ["history-and-motivation"]),
        ("Nothing to see here", []),
    ],
)
def test_matcher_finds_longest_labels(text, expected):
    assert sorted(_slugs(topics.default_matcher().find(text))) == sorted(expected)


#: Main subjects that every translation language with many pages should name in its own words.
MAIN_SUBJECTS = [
    "neural-networks", "backpropagation", "gradient-descent", "convolutional-nets",
    "recurrent-nets", "lstm-and-gating", "attention-and-transformers", "transformers",
    "energy-based-models", "autoencoders", "generative-adversarial-networks",
    "self-supervised-learning", "contrastive-learning", "graph-neural-nets", "optimisation",
    "planning-and-control", "loss-functions", "language-models",
]


@pytest.mark.parametrize("lang", ["ru", "ar", "fa"])
def test_main_subjects_have_labels_in_the_weakly_tagged_languages(scheme, lang):
    missing = [
        slug
        for slug in MAIN_SUBJECTS
        if lang not in {lit.language for lit in scheme.objects(topic_iri(slug), SKOS.altLabel)}
    ]
    assert missing == []


@pytest.mark.parametrize("lang", ["bn", "hu", "sr"])
def test_some_labels_in_further_languages(scheme, lang):
    langs = {lit.language.split("-")[0] for lit in scheme.objects(topic_iri("neural-networks"), SKOS.altLabel)}
    assert lang in langs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Russian case endings: genitive plural, instrumental, ё written as е.
        ("Обучение нейронных сетей", ["neural-networks"]),
        ("Метод обратного распространения ошибки", ["backpropagation"]),
        ("Сверточными нейронными сетями", ["convolutional-nets"]),
        ("Модели, основанные на энергии", ["energy-based-models"]),
        ("ТРАНСФОРМЕРЫ и механизм внимания", ["transformers", "attention-and-transformers"]),
        # Arabic: the article, the feminine and plural endings, optional vowel marks.
        ("الشبكات العصبية", ["neural-networks"]),
        ("شبكة عصبية", ["neural-networks"]),
        ("الشَّبَكَة العَصَبِيَّة", ["neural-networks"]),
        ("الانتشار الخلفي والانحدار التدريجي", ["backpropagation", "gradient-descent"]),
        ("الشبكات العصبية الالتفافية", ["convolutional-nets"]),
        ("الالتفاف", ["convolution"]),
        # Persian: plural joined by a zero-width non-joiner, written apart, or with ezafe.
        ("شبکه‌های عصبی", ["neural-networks"]),
        ("شبکه های عصبی", ["neural-networks"]),
        ("شبکه‌ی عصبی بازگشتی", ["recurrent-nets"]),
        ("مدل‌های مبتنی بر انرژی", ["energy-based-models"]),
        ("پس انتشار", ["backpropagation"]),
        # Bengali: vowel signs belong to the word.
        ("নিউরাল নেটওয়ার্ক", ["neural-networks"]),
        ("গ্রেডিয়েন্ট ডিসেন্ট", ["gradient-descent"]),
    ],
)
def test_matcher_in_more_scripts(text, expected):
    assert sorted(_slugs(topics.default_matcher().find(text))) == sorted(expected)


def test_persian_everyday_words_are_not_subjects():
    # "با توجه به" is "according to": attention needs "مکانیزم توجه" or the like.
    assert topics.default_matcher().find("با توجه به این مدل") == []


def test_tokens_keep_words_whole_in_more_scripts():
    assert topics.tokens("নিউরাল নেটওয়ার্ক") == ["নিউরাল", "নেটওয়ার্ক"]
    assert topics.tokens("شبکه‌های عصبی") == topics.tokens("شبكة عصبية")
    assert topics.tokens("нейронных сетей") == topics.tokens("Нейронная сеть")


def test_cjk_label_is_not_counted_again_inside_a_longer_one():
    hits = _slugs(topics.default_matcher().find("卷积神经网络"))
    assert hits == ["convolutional-nets"]


def test_title_match_alone_tags():
    result = score_fields({"title": ["Toy backprop"]})
    (ev,) = result[topic_iri("backpropagation")]
    assert (ev.field, ev.score, ev.labels) == ("title", 1.0, ["backprop"])


def test_one_heading_tags_but_one_mention_in_text_does_not():
    assert topic_iri("dropout") in score_fields({"heading": ["Use dropout"]})
    assert score_fields({"text": ["We mention dropout once."]}) == {}


def test_three_mentions_in_text_tag_and_count_at_most_three():
    text = "Dropout here, dropout there, dropout everywhere, dropout again."
    (ev,) = score_fields({"text": [text]})[topic_iri("dropout")]
    assert ev.matches == 4 and ev.score == 0.6


# -- the graph stage (small_graph) ---------------------------------------------------------


def test_lecture_tagged_from_its_title(small_graph):
    item = lecture_iri("SP20", "02-1")
    assert (item, DCTERMS.subject, topic_iri("backpropagation")) in small_graph


def test_tag_nodes_hold_topic_field_label_and_score(small_graph):
    item = lecture_iri("SP20", "02-1")
    tags = list(small_graph.objects(item, DLG.tag))
    assert tags
    for tag in tags:
        assert (tag, RDF.type, DLG.TopicTag) in small_graph
        assert small_graph.value(tag, DLG.topic) is not None
        assert str(small_graph.value(tag, DLG.matchedIn)) in topics.FIELDS
        assert small_graph.value(tag, DLG.score).toPython() > 0
        assert list(small_graph.objects(tag, DLG.matchedLabel))


def test_explain_says_which_label_matched_where(small_graph):
    (first, *_) = explain(small_graph, lecture_iri("SP20", "02-1"))
    assert first["slug"] == "backpropagation"
    assert {"field": "title", "labels": ["backprop"], "score": 1.0} in first["matches"]


def test_theme_heading_tags_its_items(small_graph):
    # SP21's theme 2 is "Toy energy models": its homework gets the topic from the heading.
    matches = explain(small_graph, lecture_iri("SP21", "t2.2"))
    ebm = next(m for m in matches if m["slug"] == "energy-based-models")
    assert ebm["matches"] == [{"field": "heading", "labels": ["energy model"], "score": 0.5}]


def test_section_heading_tags_the_section(small_graph):
    sec = section_iri(f"{SP20}en/week02/02-1/", "chain-rule")
    assert (sec, DCTERMS.subject, topic_iri("backpropagation")) in small_graph


def test_readings_are_tagged(small_graph):
    readings = set(small_graph.subjects(RDF.type, URIRef("http://purl.org/ontology/bibo/Document")))
    assert readings
    assert any((r, DCTERMS.subject, None) in small_graph for r in readings)


def test_item_without_a_label_stays_untagged(small_graph):
    assert (lecture_iri("SP20", "02-3"), DCTERMS.subject, None) not in small_graph


def test_scheme_is_loaded_into_the_graph(small_graph):
    assert (TOPIC_SCHEME, RDF.type, SKOS.ConceptScheme) in small_graph
    assert (topic_iri("energy-based-models"), SKOS.prefLabel, Literal("Energy-based models", lang="en")) in small_graph


def test_tagging_again_adds_nothing(small_graph):
    g = Graph()
    g += small_graph
    assert topics.tag_graph(g) == 0


# -- finding a topic by name ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["energy-based-models", "Energy-based models", "EBM", "ebms", "modèles à base d'énergie"])
def test_find_topic_by_slug_label_or_alt_label(small_graph, name):
    assert find_topic(small_graph, name) == topic_iri("energy-based-models")


def test_unknown_topic_lists_close_matches(small_graph):
    with pytest.raises(LookupError, match="close matches: .*energy-based-models"):
        find_topic(small_graph, "enrgy models")
