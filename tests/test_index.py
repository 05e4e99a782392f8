"""The search index on the hand-written graph: fields, filters, facets, query syntax, snippets,
spelling, collapsing, video moments, bad queries, languages, building and opening."""

from __future__ import annotations

import dataclasses
import json

import pytest

from dlgraph.search import (
    FACETS,
    IndexMissing,
    SearchError,
    build_index,
    open_index,
    search,
    suggest,
)
from dlgraph.search.analysis import _chains
from dlgraph.search.snippets import _snippet
from dlgraph.searchable import KINDS, documents

SP20 = "https://atcold.github.io/NYU-DLSP20/"
REQUIRED_HIT_KEYS = {"iri", "kind", "edition", "title", "url", "video", "start", "language",
                     "score", "snippet", "lecture", "page_url", "heading", "theme", "topics",
                     "collapsed", "also_in", "moment"}


@pytest.fixture(scope="module")
def ix(small_graph, tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "index"
    build_index(small_graph, path)
    with open_index(path) as opened:
        yield opened


def iris(result) -> list[str]:
    return [h["iri"] for h in result["hits"]]


# -- building and opening -------------------------------------------------------------------


def test_one_document_per_searchable_thing(small_graph, ix):
    docs = documents(small_graph)
    assert len(ix) == len(docs)
    assert {d.kind for d in docs} == set(KINDS)


def test_progress_is_reported_up_to_the_total(small_graph, tmp_path):
    calls = []
    n = build_index(small_graph, tmp_path / "index", progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (n, n)
    assert all(total == n for _, total in calls)


def test_rebuild_swaps_the_new_index_in(small_graph, tmp_path):
    target = tmp_path / "index"
    build_index(small_graph, target)
    first = target.resolve()
    build_index(small_graph, target)
    assert target.is_symlink() and target.resolve() != first
    assert not first.exists(), "the previous build is removed"
    assert [p.name for p in tmp_path.iterdir() if p.name != "index"] == [target.resolve().name]
    with open_index(target) as opened:
        assert search(opened, "gradient")["total"] > 0


def test_a_missing_index_says_how_to_make_one(tmp_path):
    with pytest.raises(IndexMissing, match="dlgraph ingest"):
        open_index(tmp_path / "nothing-here")


def test_an_index_of_another_version_is_refused(small_graph, tmp_path):
    build_index(small_graph, tmp_path / "index")
    meta = tmp_path / "index" / "dlgraph-index.json"
    meta.write_text(json.dumps({"schema_version": -1}))
    with pytest.raises(IndexMissing, match="another dlgraph version"):
        open_index(tmp_path / "index")


# -- result shape ---------------------------------------------------------------------------


def test_result_has_exactly_the_contract_keys(ix):
    result = search(ix, "toy")
    assert set(result) == {"query", "total", "hits", "facets", "suggestion",
                                          "edition_words", "cards"}
    assert result["query"] == "toy"
    assert set(result["facets"]) == set(FACETS)
    assert result["hits"]
    for hit in result["hits"]:
        assert REQUIRED_HIT_KEYS <= set(hit)
        assert isinstance(hit["score"], float)


# -- fields: every kind is findable by its title --------------------------------------------


# a section is found by its heading; a transcript passage by what was said (its title is its
# lecture's, shown but not indexed: tests/test_search_media.py)
@pytest.mark.parametrize("kind", [k for k in KINDS if k not in ("section", "transcript")])
def test_every_kind_is_found_by_its_title(ix, small_graph, kind):
    docs = documents(small_graph)
    for doc in (d for d in docs if d.kind == kind):
        heads = iris(search(ix, f'"{doc.title}"', kind=kind, limit=50))
        # a notebook's cells and a deck's pages are one hit per file
        assert doc.iri in heads or any(o.group == doc.group and o.iri in heads for o in docs), (
            kind, doc.title)


def test_a_section_is_found_by_its_heading(ix):
    hit = search(ix, '"chain rule"')["hits"][0]
    assert hit["kind"] == "section"
    assert hit["heading"] == "The chain rule for toy modules"
    assert hit["title"] == "Introduction to toy gradients"  # the page it belongs to


def test_a_person_is_found_by_name(ix):
    result = search(ix, "LeCun")
    card = result["cards"][0]
    assert card["iri"].endswith("/person/yann-lecun")
    assert card["edition"] in card["editions"]
    # a card, beside the ranked hits (his lectures), not among them
    assert result["hits"] and not any(h["kind"] == "person" for h in result["hits"])
    assert search(ix, "LeCun", kind="person")["hits"][0]["iri"] == card["iri"]
    assert search(ix, "kind:person LeCun")["cards"] == []


def test_notebook_file_names_are_searchable(ix):
    lectures = {h["iri"].rsplit("/", 1)[-1] for h in search(ix, "toy_training")["hits"]
                if h["kind"] == "lecture"}
    assert {"02-3", "t1.2"} <= lectures  # SP20 and SP21 link 04-toy_training.ipynb


def test_title_weighs_more_than_body(ix):
    # "History" is FL22/01's whole title, one word of SP21/t1.1's, and body text of a theme
    hits = search(ix, "history")["hits"]
    assert hits[0]["iri"].endswith("/FL22/lecture/01")
    themes = search(ix, "history")["cards"]
    assert hits[0]["score"] > max(h["score"] for h in themes if h["kind"] == "theme")


# -- filters and facets ---------------------------------------------------------------------


def test_edition_filter(ix):
    result = search(ix, "toy", editions=["SP21"])
    assert result["hits"] and all("SP21" in h["editions"] for h in result["hits"])
    assert all(h["edition"] == "SP21" for h in result["hits"])


def test_several_editions(ix):
    result = search(ix, "energy", editions=["SP21", "FL22"])
    assert {h["edition"] for h in result["hits"]} == {"SP21", "FL22"}


def test_kind_filter(ix):
    result = search(ix, "toy", kind="section")
    assert result["hits"] and {h["kind"] for h in result["hits"]} == {"section"}


def test_language_filter(ix):
    result = search(ix, "gradient", lang="fr")
    assert result["hits"] and {h["language"] for h in result["hits"]} == {"fr"}


def test_theme_filter(ix):
    result = search(ix, "", theme="Toy energy models")
    assert result["total"] == 3  # the theme itself and its two items
    assert {h["theme"] for h in result["hits"]} == {"Toy energy models"}


def test_lecturer_filter(ix):
    result = search(ix, "", lecturer="lecun")
    assert result["hits"] and all("Yann LeCun" in h["lecturers"] for h in result["hits"])


def test_topic_filter(ix):
    label = next(iter(search(ix, "backprop")["facets"]["topic"]))
    result = search(ix, "", topic=label)
    assert result["hits"] and all(label in h["topics"] for h in result["hits"])


@pytest.mark.parametrize("bad,valid", [
    ({"editions": ["SP19"]}, "SP20, SP21"),
    ({"kind": "video"}, "lecture, section"),
    ({"lang": "zz"}, "en, fr"),
    ({"topic": "energy-based modelz zz"}, "energy-based-models"),
])
def test_unknown_filter_values_are_one_clear_error(ix, bad, valid):
    with pytest.raises(SearchError, match="unknown") as err:
        search(ix, "toy", **bad)
    assert valid in str(err.value)  # the valid values (or the close ones) are named


@pytest.mark.parametrize("name", ["EBM", "EBMs", "energy based model", "Energy-based models",
                                  "energy-based-models"])
def test_topic_filter_takes_any_label_like_dlgraph_path(ix, name):
    expected = {h["iri"] for h in search(ix, "", topic="energy-based-models", limit=50)["hits"]}
    assert expected
    assert {h["iri"] for h in search(ix, "", topic=name, limit=50)["hits"]} == expected


def test_an_empty_filter_value_is_no_filter(ix):
    assert search(ix, "toy", kind="", lang="", topic="")["total"] == search(ix, "toy")["total"]


@pytest.mark.parametrize("facet,param", [("edition", "editions"), ("kind", "kind"),
                                         ("language", "lang")])
def test_facet_counts_are_what_the_filter_gives(ix, facet, param):
    counts = search(ix, "toy")["facets"][facet]
    assert counts
    for value, count in counts.items():
        arg = [value] if param == "editions" else value
        assert search(ix, "toy", **{param: arg})["total"] == count, (facet, value)


def test_empty_query_lists_what_the_filters_let_through(ix, small_graph):
    groups = {d.group for d in documents(small_graph) if "FL22" in d.editions}
    assert search(ix, "", editions=["FL22"], limit=100)["total"] == len(groups)


# -- query syntax ---------------------------------------------------------------------------


def test_phrase_needs_the_words_in_order(ix):
    assert not any(h["heading"] == "The chain rule for toy modules"
                   for h in search(ix, '"rule chain"')["hits"])


def test_not(ix):
    assert not any(i.endswith("/FL22/lecture/05") for i in iris(search(ix, "energy NOT diagram")))
    assert any(i.endswith("/FL22/lecture/05") for i in iris(search(ix, "energy")))


def test_or(ix):
    found = iris(search(ix, "history OR practicum", limit=50))
    assert any(i.endswith("/FL22/lecture/01") for i in found)
    assert any(i.endswith("/SP20/lecture/02-3") for i in found)


def test_words_are_optional_and_more_of_them_rank_higher(ix):
    both = set(iris(search(ix, "toy AND history", kind="lecture")))
    assert len(both) == 1  # SP21 t1.1
    result = search(ix, "toy history", kind="lecture")
    assert result["total"] > 1  # a lecture with one of the words is still a result ...
    assert set(iris(result)[:1]) == both  # ... below those with both
    # no document has both words: any of them will do
    assert search(ix, "jouets history")["total"] > 0


@pytest.mark.parametrize("query,field,value", [
    ("edition:SP21 toy", "edition", "SP21"),
    ("kind:person example", "kind", "person"),
    ("lang:fr gradient", "language", "fr"),
    ("language:fr gradient", "language", "fr"),
])
def test_field_filters_in_the_query(ix, query, field, value):
    hits = search(ix, query)["hits"]
    assert hits and {h[field] for h in hits} == {value}


@pytest.mark.parametrize("query", ['topic:"energy-based models"', "topic:EBM",
                                   'topic:"Energy-based models"'])
def test_topic_field_takes_any_label(ix, query):
    expected = iris(search(ix, "", topic="energy-based-models", limit=50))
    assert sorted(iris(search(ix, query, limit=50))) == sorted(expected)


def test_a_quoted_keyword_value_is_any_of_its_words(ix):
    kinds = {h["kind"] for h in search(ix, 'kind:"lecture notes" toy', limit=50)["hits"]}
    assert kinds == {"lecture", "notes"}
    eds = {h["edition"] for h in search(ix, 'edition:"SP21 FL22" energy', limit=50)["hits"]}
    assert eds == {"SP21", "FL22"}
    # a translation collapses into its original's hit: the facet shows that both matched
    assert set(search(ix, 'lang:"fr en" gradient')["facets"]["language"]) == {"fr", "en"}


def test_a_query_whoosh_refuses_at_search_time_falls_back_to_its_words(ix, monkeypatch):
    from whoosh import query as wquery

    from dlgraph.search import engine

    real = engine._parse
    calls = []

    def phrase_in_keyword_field(ix_, text, groups, any_word=False):
        calls.append(text)
        if len(calls) == 1:  # a phrase in a field without positions: Whoosh raises QueryError
            return wquery.Phrase("kind", ["lecture", "notes"])
        return real(ix_, text, groups, any_word)

    monkeypatch.setattr(engine, "_parse", phrase_in_keyword_field)
    result = search(ix, "downhill")
    assert result["total"] > 0 and len(calls) == 2


def test_title_field(ix):
    hits = search(ix, "title:history")["hits"]
    assert {h["kind"] for h in hits} == {"lecture"}


# -- snippets ---------------------------------------------------------------------------------


def test_snippet_marks_matches_as_plain_text(ix):
    hit = search(ix, "downhill")["hits"][0]
    assert "[[downhill]]" in hit["snippet"]
    assert "<" not in hit["snippet"]


def test_snippet_marks_stemmed_forms(ix):
    assert "[[gradients]]" in " ".join(h["snippet"] for h in search(ix, "gradient")["hits"])


def test_literal_brackets_cannot_pass_for_marks():
    terms = frozenset(t.text for t in _chains()["en"]("gradient"))
    snippet = _snippet("see [[1, 2]] and the gradient", terms, "en")
    assert snippet.count("[[") == 1 and "[[gradient]]" in snippet


def test_long_text_snippet_is_an_excerpt_around_the_match():
    text = "filler words here " * 100 + "the gradient appears late " + "more filler " * 100
    terms = frozenset(t.text for t in _chains()["en"]("gradient"))
    snippet = _snippet(text, terms, "en")
    assert "[[gradient]]" in snippet and len(snippet) < 300
    assert snippet.startswith("… ") and snippet.endswith(" …")


# -- spelling -------------------------------------------------------------------------------


def test_did_you_mean(ix):
    result = search(ix, "gradeint")
    assert result["suggestion"] == "gradient"
    assert result["hits"], "the hits are the suggestion's"


def test_suggestion_can_be_refused(ix):
    result = search(ix, "gradeint", correct=False)
    assert result["suggestion"] is None and result["total"] == 0


def test_known_words_are_not_corrected(ix):
    assert suggest(ix, "toy gradient") is None
    assert suggest(ix, "edition:SP21 toy") is None


def test_a_word_typed_without_its_accent_is_not_a_typo(ix):
    assert suggest(ix, "energie") is None


# -- collapsing and video moments -----------------------------------------------------------


def test_one_lecture_collapses_to_one_hit(ix):
    hits = search(ix, "gradient")["hits"]
    lectures = [h["lecture"] for h in hits if h["lecture"]]
    assert len(lectures) == len(set(lectures))
    lecture = next(h for h in hits if h["lecture"] and h["lecture"].endswith("/SP20/lecture/02-1"))
    assert lecture["collapsed"] >= 2  # the notes page and the other section matched too


def test_total_counts_groups(ix):
    result = search(ix, "gradient", limit=100)
    assert result["total"] == len(result["hits"])


def test_same_recording_in_two_editions_is_one_hit_naming_the_other(ix):
    # SP21 t1.1 and FL22 01 show the same video (VIDtoy0101)
    result = search(ix, "history", limit=50)
    hits = [h for h in result["hits"] if h["video"] == "VIDtoy0101"]
    assert len(hits) == 1
    (hit,) = hits
    other = "SP21/lecture/t1.1" if hit["edition"] == "FL22" else "FL22/lecture/01"
    assert [a["iri"].split("/edition/")[1] for a in hit["also_in"]] == [other]
    also = hit["also_in"][0]
    assert also["edition"] in {"SP21", "FL22"} - {hit["edition"]}
    assert also["url"] == "https://www.youtube.com/watch?v=VIDtoy0101" and also["title"]
    assert result["total"] == len(result["hits"])


@pytest.mark.parametrize("edition,own", [("FL22", "/FL22/lecture/01"), ("SP21", "/SP21/lecture/t1.1")])
def test_an_edition_filter_shows_that_editions_own_copy(ix, edition, own):
    for result in (search(ix, "history", editions=[edition]),
                   search(ix, f"history edition:{edition}")):
        hit = next(h for h in result["hits"] if h["video"] == "VIDtoy0101")
        assert hit["iri"].endswith(own) and hit["edition"] == edition
        assert len(hit["also_in"]) == 1  # still says where else it is


def test_a_section_without_its_own_video_opens_its_parent_sections_moment(ix):
    # "The chain rule" (h3) follows "Toy gradients" (h2, at 29 s) and has no video link
    hit = search(ix, '"chain rule"')["hits"][0]
    assert hit["heading"] == "The chain rule for toy modules"
    assert (hit["video"], hit["start"]) == ("VIDtoy0001", 29)
    assert hit["url"] == "https://www.youtube.com/watch?v=VIDtoy0001&t=29s"
    assert hit["page_url"] == f"{SP20}en/week02/02-1/#chain-rule"


def test_a_lecture_hit_names_its_best_video_moment(ix):
    # "backprop" ranks the lecture item first; its matching section (timed through its
    # parent h2) is folded into it, and the hit still opens the video where it is said
    hit = search(ix, "backprop")["hits"][0]
    assert hit["kind"] == "lecture" and hit["iri"].endswith("SP20/lecture/02-1")
    assert hit["moment"] == {
        "heading": "The chain rule for toy modules", "start": 29,
        "url": "https://www.youtube.com/watch?v=VIDtoy0001&t=29s",
        "page_url": f"{SP20}en/week02/02-1/#chain-rule", "kind": "section",
    }


def test_a_section_hit_is_its_own_moment(ix):
    hit = next(h for h in search(ix, "downhill")["hits"] if h["heading"] == "Toy gradients")
    assert hit["moment"] is None


def test_timestamped_section_links_to_the_video_second(ix):
    hit = next(h for h in search(ix, "downhill")["hits"] if h["heading"] == "Toy gradients")
    assert hit["url"] == "https://www.youtube.com/watch?v=VIDtoy0001&t=29s"
    assert (hit["video"], hit["start"]) == ("VIDtoy0001", 29)
    assert hit["page_url"] == f"{SP20}en/week02/02-1/#toy-gradients"


def test_every_url_is_live(ix):
    for hit in search(ix, "", limit=100)["hits"]:
        for url in (hit["url"], hit["page_url"]):
            if url is not None:
                assert url.startswith("https://"), url
                assert "127.0.0.1" not in url and "localhost" not in url


def test_pages(ix):
    first = search(ix, "toy", limit=2, page=1)
    second = search(ix, "toy", limit=2, page=2)
    assert first["total"] == second["total"] > 4
    assert not set(iris(first)) & set(iris(second))
    assert search(ix, "toy", limit=2, page=99)["hits"] == []


# -- bad queries never crash ----------------------------------------------------------------

BAD = [
    'topic:"energy-based models"', 'kind:"lecture notes"', 'edition:"SP21 FL22"', 'lang:"fr en"',
    'video:"VIDtoy0001 x"', 'kind:""', 'topic:""', 'topic:"no such topic at all"', "topic:",
    'title:"chain rule" kind:"section lecture"', "\x1b[31mconvolution", "\x1b]0;x\x07toy",
    '"unbalanced quote', "unbalanced (paren", "closing) paren", "((((", "))))", '"', "()",
    "AND", "OR NOT", "energy AND", "NOT", "*", "?", "^^^", "~", "energy^", "::", "edition:",
    "nosuchfield:", "[a TO", "kind:[a TO b]", "x" * 10_000,
    "gradient " * 2_000, "gradient\x00\x07\x1b[31m\u200b\ufeff", "\t\n\r", "🙂", "the of and",
    "energ*", "*nergy", "title:", "lang:zz energy", "edition:SP99 toy",
]


@pytest.mark.parametrize("query", BAD, ids=lambda q: repr(q[:20]))
def test_bad_queries_never_crash(ix, query):
    result = search(ix, query)
    assert set(result) == {"query", "total", "hits", "facets", "suggestion",
                                          "edition_words", "cards"}
    assert result["query"] == query


def test_only_stop_words_match_nothing(ix):
    assert search(ix, "the of and")["total"] == 0


def test_an_unknown_field_is_plain_text(ix):
    assert iris(search(ix, "nosuchfield:energy")) == iris(search(ix, "nosuchfield energy"))
    assert search(ix, "nosuchfield:energy")["total"] > 0


@pytest.mark.parametrize("query", ["\x1b[31mdownhill\x1b[0m", "\x1b[1;32mdownhill",
                                   "\x1b]0;title\x07downhill", "downhill\x1b[K", "\x9b31mdownhill"])
def test_terminal_escape_sequences_are_ignored(ix, query):
    # the "[" an ANSI colour code leaves would open a range
    assert iris(search(ix, query)) == iris(search(ix, "downhill"))


def test_clean_query_drops_escape_sequences_but_keeps_words():
    from dlgraph.querytext import clean_query

    assert clean_query("\x1b[31mconvolution\x1b[0m nets") == "convolution nets"
    assert clean_query("a\x1bb") == "a b"  # a lone ESC before a word keeps the word


def test_control_characters_are_ignored(ix):
    assert iris(search(ix, "down\x00hill\x07")) == iris(search(ix, "down hill"))
    assert search(ix, "downhill\x1b")["total"] == search(ix, "downhill")["total"] > 0


def test_a_very_long_query_is_cut(ix):
    assert search(ix, "downhill " + "x" * 10_000)["total"] >= 0


def test_wildcard_prefix(ix):
    assert search(ix, "downh*")["total"] > 0


# -- languages ------------------------------------------------------------------------------


def test_french_stemming_finds_the_plural(ix):
    hit = search(ix, "jouet")["hits"][0]
    assert hit["language"] == "fr" and hit["heading"] == "Gradients jouets"


def test_french_accents_are_optional(ix):
    assert search(ix, "energie", lang="fr")["hits"][0]["language"] == "fr"
    assert search(ix, "modele jouet")["hits"][0]["language"] == "fr"


@pytest.mark.parametrize("group", ["zh", "ja", "ko"])
def test_cjk_text_becomes_bigrams(group):
    assert [t.text for t in _chains()[group]("卷积神经网络 PyTorch")] == [
        "卷积", "积神", "神经", "经网", "网络", "pytorch"]


@pytest.fixture(scope="module")
def multilingual_ix(small_records, tmp_path_factory):
    """The small records plus invented pages in Chinese, Japanese, Russian and Spanish."""
    from dlgraph.pipeline import build
    from dlgraph.records import NotesPage, Section

    def page(lang, title, heading, text):
        return NotesPage(f"{SP20}{lang}/week02/02-1/", "SP20", lang, "notes", title, 2, "02-1",
                         translation_of=f"{SP20}en/week02/02-1/",
                         sections=(Section("s1", heading, 2, 1, text),))

    extra = (
        page("zh", "玩具梯度简介", "玩具梯度", "梯度下降在玩具模型的能量曲面上走下坡路。卷积神经网络也可以这样训练。"),
        page("ja", "おもちゃの勾配", "おもちゃの勾配", "勾配降下法はおもちゃのモデルのエネルギー面を下ります。"),
        page("ru", "Игрушечные градиенты", "Игрушечные градиенты", "Градиентный спуск идёт вниз по энергетической поверхности игрушечной модели."),
        page("es", "Gradientes de juguete", "Gradientes de juguete", "El descenso de gradiente baja por la superficie de energía de un modelo de juguete."),
    )
    records = [dataclasses.replace(r, pages=r.pages + extra) if r.edition == "SP20" else r
               for r in small_records]
    path = tmp_path_factory.mktemp("multilingual") / "index"
    build_index(build(records), path)
    with open_index(path) as opened:
        yield opened


@pytest.mark.parametrize("query,lang", [
    ("卷积神经网络", "zh"), ("神经网络", "zh"), ("勾配降下法", "ja"), ("градиентный спуск", "ru"),
    ("градиенты", "ru"), ("descenso de gradiente", "es"), ("juguete", "es"),
])
def test_each_language_finds_its_pages(multilingual_ix, query, lang):
    hits = search(multilingual_ix, query)["hits"]
    assert hits and hits[0]["language"] == lang


def test_cjk_phrase_needs_the_characters_in_order(multilingual_ix):
    assert search(multilingual_ix, "网络神经")["total"] == 0


def test_cjk_snippet_marks_the_whole_word(multilingual_ix):
    hit = search(multilingual_ix, "卷积神经网络")["hits"][0]
    assert "[[卷积神经网络]]" in hit["snippet"]


def test_an_english_query_prefers_english_pages(multilingual_ix):
    hit = search(multilingual_ix, "toy gradients")["hits"][0]
    assert hit["language"] == "en"


# -- notebooks and recordings shared between items ----------------------------------------


@pytest.fixture(scope="module")
def shared_ix(small_records, tmp_path_factory):
    """The small records plus: a notebook (``09-echo_glider.ipynb``) that SP21 t2.1 and FL22 05
    link, SP20's second part of week 2 on 02-1's video (another title), and SP21 listing its
    "Toy energy based models" twice (same video)."""
    from dlgraph.pipeline import build
    from dlgraph.records import Lecture, Resource

    nb = Resource("notebook", "https://github.com/Atcold/NYU-DLSP20/blob/master/09-echo_glider.ipynb",
                  "github:Atcold/NYU-DLSP20/09-echo_glider.ipynb")
    video = Resource("video", "https://www.youtube.com/watch?v=VIDtoy0001", "VIDtoy0001")
    twice = Resource("video", "https://www.youtube.com/watch?v=VIDtoy0103", "VIDtoy0103")
    records = []
    for r in small_records:
        lectures = tuple(
            dataclasses.replace(lec, resources=lec.resources + (nb,))
            if (r.edition, lec.key) in {("SP21", "t2.1"), ("FL22", "05")} else lec
            for lec in r.lectures)
        if r.edition == "SP20":
            lectures += (Lecture("SP20", "02-2", 3, "Toy modules in practice", "lecture", SP20,
                                 week=2, resources=(video,)),)
        if r.edition == "SP21":
            lectures += (Lecture("SP21", "t2.3", 5, "Toy energy based models", "lecture",
                                 "https://atcold.github.io/NYU-DLSP21/", theme=2,
                                 resources=(twice,)),)
        records.append(dataclasses.replace(r, lectures=lectures))
    path = tmp_path_factory.mktemp("shared") / "index"
    build_index(build(records), path)
    with open_index(path) as opened:
        yield opened


@pytest.mark.parametrize("query", ["echo_glider", "echo glider", "09-echo_glider",
                                   "echo_glider.ipynb", "09-echo_glider.ipynb", "glider"])
def test_a_notebook_is_found_by_its_name_with_or_without_extension(shared_ix, query):
    found = set()
    for h in search(shared_ix, query, limit=50)["hits"]:
        found |= {h["lecture"], *(a["iri"] for a in h["also_in"])}
    base = "https://w3id.org/dlgraph/id/edition/"
    assert {f"{base}SP21/lecture/t2.1", f"{base}FL22/lecture/05"} <= found, query


def test_an_item_listed_twice_is_one_hit(shared_ix):
    hits = [h for h in search(shared_ix, "toy energy", limit=50)["hits"] if h["video"] == "VIDtoy0103"]
    assert len(hits) == 1
    assert [a["iri"].rsplit("/", 1)[-1] for a in hits[0]["also_in"]] == [
        "t2.3" if hits[0]["iri"].endswith("t2.1") else "t2.1"]


def test_parts_of_one_video_with_their_own_titles_stay_apart(shared_ix):
    # SP20 splits one week's video into parts with their own notes: both are shown
    hits = search(shared_ix, "toy", limit=100)["hits"]
    lectures = {h["lecture"].rsplit("/", 1)[-1] for h in hits
                if h["lecture"] and h["edition"] == "SP20"}
    assert {"02-1", "02-2"} <= lectures
    assert not any(h["also_in"] for h in hits if h["edition"] == "SP20")


def test_facets_count_the_collapsed_hits(shared_ix):
    result = search(shared_ix, "toy", limit=100)
    assert result["total"] == len(result["hits"])
    for edition, count in result["facets"]["edition"].items():
        assert search(shared_ix, "toy", editions=[edition], limit=100)["total"] == count


def test_editions_are_interleaved_at_the_top_but_keep_their_own_order():
    from types import SimpleNamespace

    from dlgraph.search.results import EDITION_DECAY, _varied

    fake = SimpleNamespace(editions=[["SP21"]] * 4 + [["FL22"]] * 2)
    heads = [(10.0, 0), (9.9, 1), (9.8, 2), (9.7, 3), (9.5, 4), (5.0, 5)]
    # FL22's best (9.5) beats SP21's second (9.9 × decay); each edition keeps its own order
    assert EDITION_DECAY * 9.9 < 9.5
    assert [d for _, d in _varied(fake, heads)] == [0, 4, 1, 2, 3, 5]
    one_edition = [(10.0, 0), (9.0, 1), (8.0, 2)]
    assert _varied(fake, one_edition) == one_edition
