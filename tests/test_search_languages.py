"""Search across languages: Chinese, Japanese and Korean analysed apart, CJK words matched in
their variants, moments and snippets in the hit's language, person names corrected whole.

The index is ``small_records`` plus hand-written translations of SP20's toy lecture (invented
text) in Chinese, Japanese, Korean and Turkish, citing its toy paper.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from dlgraph.querytext import CJK_RE
from dlgraph.search import build_index, open_index, route, search

SP20 = "https://atcold.github.io/NYU-DLSP20/"
EN_NOTES = f"{SP20}en/week02/02-1/"
PAPER = "https://arxiv.org/abs/1234.56789"


@pytest.fixture(scope="module")
def ix(small_records, tmp_path_factory):
    from dlgraph.pipeline import build
    from dlgraph.records import Link, NotesPage, PersonRef, Resource, Section

    def at(second):
        return Resource("video", f"https://www.youtube.com/watch?v=VIDtoy0001&t={second}s",
                        "VIDtoy0001", second)

    def page(lang, title, *sections, links=(), translators=()):
        return NotesPage(f"{SP20}{lang}/week02/02-1/", "SP20", lang, "notes", title, 2, "02-1",
                         translation_of=EN_NOTES, links=links, translators=translators,
                         sections=tuple(Section(f"s{n}", heading, 2, n, text, video, links)
                                        for n, (heading, text, video) in enumerate(sections, 1)))

    zh_cite = (Link(PAPER, "玩具网络的梯度技巧", "玩具网络的梯度技巧一文描述了这个技巧。", "s1"),)
    ja_cite = (Link(PAPER, "おもちゃのネットワークの勾配の技", "この技はおもちゃの論文にあります。", "s1"),)
    extra = (
        page("zh", "Wibbleton 玩具",
             ("玩具梯度", "梯度下降在玩具模型的能量曲面上走下坡路。我们用自我监督学习训练卷积神经网络，"
              "生成式对抗网络也是一个玩具。", at(29)),
             ("简介", "Wibbleton 是一个玩具。这一节很长：玩具模型有很多部分，每一个部分都要慢慢地"
              "讲清楚，先讲能量，再讲梯度，然后讲训练，最后讲怎样检查结果是不是对的。", at(100)),
             links=zh_cite),
        page("ja", "おもちゃの勾配",
             ("おもちゃの勾配", "勾配降下法はおもちゃのモデルのエネルギー面を下ります。", at(29)),
             ("使い方", "Wibbleton はおもちゃです。おもちゃのモデルで遊びます。Wibbleton で遊びます。", at(300)),
             links=ja_cite),
        page("ko", "장난감 기울기",
             ("합성곱 신경망", "합성곱 신경망은 장난감 이미지를 분류합니다.", at(29))),
        page("tr", "Oyuncak gradyanlar",
             ("Yan yana", "Yan yana duran oyuncak modeller. Deniz Yılmazer çevirdi.", None),
             ("Yan etkiler", "Oyuncak modellerin yan etkileri. Deniz Yılmazer çevirdi.", None),
             ("Yan yollar", "Gradyan yan yollardan iner. Deniz Yılmazer çevirdi.", None),
             ("Teşekkürler", "Deniz Yılmazer çevirdi.", None),
             translators=tuple(PersonRef(name, name.lower(), "translator") for name in (
                 "Deniz Yılmazer", "Toby Quince", "Bo Sampler"))),
    )
    records = [dataclasses.replace(r, pages=r.pages + extra) if r.edition == "SP20" else r
               for r in small_records]
    path = tmp_path_factory.mktemp("languages") / "index"
    build_index(build(records), path)
    with open_index(path) as opened:
        yield opened


def languages(result) -> set[str]:
    return {h["language"] for h in result["hits"]}


# -- Chinese, Japanese and Korean apart ------------------------------------------------------


def test_a_chinese_query_finds_no_korean_page_tagged_with_its_topic(ix):
    # 卷积神经网络 and 합성곱 신경망 are labels of one topic: the Korean page is tagged with it,
    # and was found through the tag when the three languages shared one analysis
    # (all four translations are one lecture unit: the language facet says which matched)
    result = search(ix, "卷积神经网络")
    assert result["hits"] and set(result["facets"]["language"]) == {"zh"}, result["facets"]


# -- CJK words in their variants ---------------------------------------------------------------


@pytest.mark.parametrize("query,written", [
    ("自监督学习", "自我监督学习"),  # a character more at the start of the typed word's bigrams
    ("生成对抗网络", "生成式对抗网络"),  # a character more inside
])
def test_a_chinese_word_finds_its_variant_with_one_character_more(ix, query, written):
    hits = search(ix, query)["hits"]
    assert any(written in h["snippet"].replace("[[", "").replace("]]", "") for h in hits), hits


#: Phrases and near matches (a CJK word's bigrams, quotes, a slop), alone and among words.
PHRASES = ["自监督学习", "生成对抗网络", "卷积神经网络", "网络神经", "玩具 卷积神经网络",
           "합성곱 신경망", "おもちゃの勾配", '"toy model"', '"model toy"~3', '"toy model" energy']


@pytest.mark.parametrize("query", PHRASES)
@pytest.mark.parametrize("terms", [False, True])
def test_phrases_over_arrays_match_whoosh_match_for_match(ix, query, terms, monkeypatch):
    """The phrases :mod:`dlgraph.search.spans` finds from positions are Whoosh's: the same
    documents, the same scores to the last bit, the same terms reported per document."""
    from dlgraph.search import matching
    from dlgraph.search.query import _parse

    groups, _ = route(ix, query)
    monkeypatch.setattr(matching, "ARRAY_POSTINGS", 0)
    monkeypatch.setattr(matching, "IMPORT_POSTINGS", 0)
    with ix.reading() as searcher:
        q = _parse(ix, query, groups, any_word=terms)
        arrays = matching.all_matches(ix, q, None, terms)
        whoosh = matching._whoosh(searcher, q, None, terms)
    assert arrays.top_n == whoosh.top_n
    if terms:
        assert arrays.ids is not None, "the query was left to Whoosh"
        reported = {}
        for term, docs in arrays.termdocs.items():
            for d in docs.nonzero()[0].tolist():
                reported.setdefault(d, set()).add(term)
        assert reported == {d: set(t) for d, t in whoosh.docterms.items()}


def test_a_short_chinese_word_and_a_quoted_one_stay_exact(ix):
    assert search(ix, "网络神经")["total"] == 0  # 神经网络 reversed
    assert search(ix, '"自监督学习"')["total"] == 0


def test_a_chinese_sentence_finds_the_pages_with_its_words(ix):
    # no page says 什么是卷积神经网络 ("what is a convolutional neural network") whole
    hits = search(ix, "什么是卷积神经网络")["hits"]
    assert hits and hits[0]["language"] == "zh" and "[[卷积神经网络]]" in hits[0]["snippet"]
    assert not search(ix, "什么是卷积神经网络")["cards"]


# -- moments and snippets in the hit's language ----------------------------------------------


def test_a_chinese_hit_names_a_chinese_moment(ix):
    # "Wibbleton" is in the Chinese and the Japanese pages only; the Japanese section says it
    # three times (it matches best), the Chinese page names it in its title (the best hit)
    result = search(ix, "Wibbleton")
    hit = result["hits"][0]
    assert hit["language"] == "zh" and hit["kind"] == "notes", hit
    assert hit["moment"] and hit["moment"]["heading"] == "简介", hit["moment"]
    assert hit["moment"]["start"] == 100


def test_a_reading_snippet_is_in_one_language(ix):
    card = next(c for c in search(ix, "gradient tricks", kind="reading")["hits"]
                if c["url"] and "1234.56789" in c["url"])
    assert "[[" in card["snippet"] and not CJK_RE.search(card["snippet"]), card["snippet"]


def test_a_reading_is_found_and_shown_in_the_query_language(ix):
    hits = search(ix, "梯度技巧", kind="reading")["hits"]
    assert hits, "the Chinese context of the reading is searchable in Chinese"
    snippet = hits[0]["snippet"]
    assert "[[梯度技巧]]" in snippet and not re.search(r"[A-Za-z\u3040-\u30ff]", snippet), snippet


# -- person names --------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["Yan LeCun", "yan lecun"])
def test_a_short_name_misspelled_next_to_the_surname_is_corrected(ix, query):
    # "yan" is a Turkish word (three Turkish sections say it): alone it is no misspelling
    result = search(ix, query)
    assert result["suggestion"] == "Yann LeCun"
    assert [c["title"] for c in result["cards"]][:1] == ["Yann LeCun"]
    assert "tr" not in languages(result)


def test_a_word_that_is_no_name_is_left_alone(ix):
    assert search(ix, "yan yana")["suggestion"] is None


def test_a_person_named_only_by_pages_of_one_language_is_found(ix):
    # the Turkish pages alone say the name, so the query is read as Turkish: the person, in
    # no language, is found there too
    result = search(ix, "Deniz Yılmazer")
    assert result["facets"]["language"].keys() == {"tr"}
    assert [c["title"] for c in result["cards"]][:1] == ["Deniz Yılmazer"]


def test_a_rare_word_of_a_name_is_not_corrected(ix):
    # "toby" is one edit from "toy", which every toy page says
    result = search(ix, "Toby Quince")
    assert result["suggestion"] is None
    assert [c["title"] for c in result["cards"]][:1] == ["Toby Quince"]


def test_a_name_typed_right_is_not_turned_into_a_similar_one(ix):
    # "Bo Sample" (a notes author) and "Bo Sampler" (a translator) are two people
    for name in ("Bo Sample", "Bo Sampler"):
        result = search(ix, name)
        assert result["suggestion"] is None
        assert [c["title"] for c in result["cards"]][:1] == [name]
