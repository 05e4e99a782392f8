"""The one-pass index terms (``dlgraph.search.index_terms``) are the analysis chains' own.

Each text field of the schema is asked for its terms both ways: through :class:`ChainText`'s
one pass and through Whoosh's ``TEXT.index`` (the analyzer's token stream). Term bytes,
frequencies, weights and encoded positions must be equal, on texts written to hit every
step (stop words before the first word, British spellings, accents, dotted names, digits,
underscores, CJK inside Latin text) and on random texts over the same characters.
"""

from __future__ import annotations

import random

import pytest
from whoosh.fields import TEXT

from dlgraph.search.build import _schema
from dlgraph.search.index_terms import ChainText, one_pass

TEXTS = [
    "",
    "the",
    "The optimisation of the Energy-Based Models is what we organise.",
    "To be or not to be: a, an, the, is — stop words first, then words.",
    "torch.nn.LSTM and nn.Linear; x_1 + y_2 = 3.14159, version 1.0.2",
    "Réseaux de neurones convolutifs : l'apprentissage auto-supervisé, déjà vu à Paris",
    "Redes neuronales — optimización, regularización y generalización",
    "Reti neurali e l'ottimizzazione stocastica del gradiente",
    "Aprendizado auto-supervisionado e otimização não convexa",
    "Сверточные нейронные сети и обучение с учителем",
    "Öz denetimli öğrenme ve İstanbul'da ılık ışık",
    "Önfelügyelt tanulás és konvolúciós neurális hálózatok",
    "الشبكات العصبية التلافيفية والتعلم الذاتي",
    "PyTorch是一个深度学习框架 and 卷积神经网络 with ReLU",
    "自己教師あり学習とエネルギーベースモデル",
    "자기 지도 학습과 합성곱 신경망",
    "Yann LeCun ; Alfredo Canziani ; Jiachen Zhu ; José Müller",
    "organisation organisations organised organising realiser noise analysis",
    "A A A a a the the of of words words words repeated repeated",
]

_ALPHABET = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .._-,;:'éèàçüöİıßñ"
             "жзи卷积神经网络学习자기지도  \n\t")
_WORDS = ["the", "is", "a", "of", "optimisation", "organised", "Energy", "torch.nn.LSTM",
          "réseaux", "x_1", "3.14", "İstanbul", "学习", "to", "be", "ANALYSIS", "noise"]


def _random_texts(n: int) -> list[str]:
    rng = random.Random(1008)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(0, 30)):
            if rng.random() < 0.5:
                parts.append(rng.choice(_WORDS))
            else:
                parts.append("".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 9))))
        out.append(rng.choice([" ", "  ", "\n", ", "]).join(parts))
    return out


def _text_fields():
    schema = _schema()
    return [(name, schema[name]) for name in schema.names() if isinstance(schema[name], ChainText)]


def _both(field, text):
    fast = sorted(field.index(text))
    slow = sorted(TEXT.index(field, text))
    return fast, slow


@pytest.mark.parametrize("name,field", _text_fields(), ids=[n for n, _ in _text_fields()])
def test_one_pass_terms_are_the_chains(name, field):
    for text in TEXTS + _random_texts(300):
        fast, slow = _both(field, text)
        assert fast == slow, (name, text)


def test_every_chain_takes_the_one_pass():
    """The speed-up is real: no text field of the schema falls back on Whoosh's tokens
    (the CJK chains' bigrams included)."""
    fields = _text_fields()
    assert len(fields) >= 2 * 13 + 4
    assert [name for name, field in fields if field._terms() is None] == []


def test_cjk_pieces_are_the_filters():
    from dlgraph.search.analysis import CJKBigramFilter

    assert CJKBigramFilter.pieces("卷积神经") == ["卷积", "积神", "神经"]
    assert CJKBigramFilter.pieces("pytorch是") == ["pytorch", "是"]
    assert CJKBigramFilter.pieces("relu") == ["relu"]


def test_an_unknown_step_falls_back_to_whoosh():
    from whoosh.analysis import RegexTokenizer, StopFilter, SubstitutionFilter

    assert one_pass(RegexTokenizer() | SubstitutionFilter("a", "b")) is None
    assert one_pass(RegexTokenizer(r"\s+", gaps=True)) is None
    # a stop list after the bigrams would drop pieces: Whoosh's tokens, not the one pass
    from dlgraph.search.analysis import CJKBigramFilter

    after = RegexTokenizer() | CJKBigramFilter() | StopFilter(["卷积"])
    assert one_pass(after) is None
    field = ChainText(analyzer=after)
    assert sorted(field.index("卷积神经 the")) == sorted(TEXT.index(field, "卷积神经 the"))
    field = ChainText(analyzer=RegexTokenizer() | SubstitutionFilter("a", "b"))
    assert sorted(field.index("banana bread")) == sorted(TEXT.index(field, "banana bread"))


@pytest.mark.parametrize("name", ["body_en", "body_zh"])
def test_the_words_memo_starts_over_when_full(monkeypatch, name):
    import dlgraph.search.index_terms as it

    monkeypatch.setattr(it, "_MEMO_LIMIT", 3)
    field = ChainText(analyzer=_schema()[name].analyzer)
    for text in TEXTS:
        assert sorted(field.index(text)) == sorted(TEXT.index(field, text))


def test_a_pickled_schema_indexes_alike():
    import pickle

    schema = pickle.loads(pickle.dumps(_schema()))
    field = schema["body_fr"]
    assert "_one_pass" not in pickle.loads(pickle.dumps(field)).__dict__
    text = TEXTS[5]
    assert sorted(field.index(text)) == sorted(TEXT.index(field, text))


@pytest.mark.parametrize("name", ["kind", "edition", "lang", "topic"])
def test_keyword_fields_give_whooshs_own_terms_every_time(name):
    from whoosh.fields import KEYWORD

    from dlgraph.search.index_terms import KeywordTerms

    field = _schema()[name]
    assert isinstance(field, KeywordTerms)
    plain = KEYWORD(lowercase=True)
    rng = random.Random(7)
    words = ["sp20", "FL22", "transcript", "en", "Attention", "self-supervised", "zh"]
    values = ["", " ", "SP20 sp21\tFL22", "en en EN"] + [
        " ".join(rng.choice(words) for _ in range(rng.randint(1, 5))) for _ in range(60)]
    for value in values * 2:  # the second round comes from the memo
        assert list(field.index(value)) == list(plain.index(value)), value


def test_a_keyword_fields_memo_is_not_part_of_the_schema():
    import pickle

    field = _schema()["kind"]
    list(field.index("transcript"))
    assert field.__dict__.get("_seen")
    again = pickle.loads(pickle.dumps(field))
    assert "_seen" not in again.__dict__
    assert list(again.index("transcript")) == list(field.index("transcript"))


def test_leaving_out_empty_fields_writes_the_same_index():
    from whoosh.filedb.filestore import RamStorage

    from dlgraph.search.build import _fields
    from dlgraph.search_doc import SearchDoc

    docs = [SearchDoc(iri="https://example.org/t#t=12", kind="transcript", title="A lecture",
                      language="fr", editions=("SP20",), text="la descente de gradient",
                      video="abc", start=12, lecture="https://example.org/l"),
            SearchDoc(iri="https://example.org/p", kind="page", title="Gradient descent",
                      language="en", editions=("SP21",), text="We step downhill.",
                      theme="Optimisation", lecturers=("Ann Example",))]
    frequent = lambda d: ["gradient"] if d.kind != "transcript" else []  # noqa: E731
    readers = []
    for keep_empty in (False, True):
        ix = RamStorage().create_index(_schema())
        with ix.writer() as w:
            for d in docs:
                fields = _fields(d, frequent)
                if keep_empty:
                    assert "" not in fields.values()
                    fields = {**{name: "" for name in ix.schema.names()
                                 if name not in ("meta", "snippets")}, **fields}
                w.add_document(**fields)
        readers.append(ix.reader())
    left_out, full = readers
    # the one difference: an empty ID value is itself a term (video ""), which nothing asks for
    assert list(left_out.all_terms()) == [t for t in full.all_terms() if t != ("video", b"")]
    for name in ix.schema.scorable_names():
        assert [left_out.doc_field_length(n, name) for n in range(2)] == \
            [full.doc_field_length(n, name) for n in range(2)]
        assert left_out.field_length(name) == full.field_length(name)
    assert [left_out.stored_fields(n) for n in range(2)] == [
        {k: v for k, v in full.stored_fields(n).items() if v != ""} for n in range(2)]
