"""The Streamlit app, page by page, with AppTest against a data folder built from ``small_graph``.

Every page renders without an exception, its widgets drive what it shows, its state
round-trips through the URL, and an empty data folder gets the first-run screen.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from rdflib import Literal
from streamlit.testing.v1 import AppTest

from dlgraph import store
from dlgraph.search import build_index
from dlgraph.vocab import SDO, lecture_iri, person_iri

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
PAGES = ("search", "lecture", "compare", "graph", "readings", "people", "sparql")
SP20_LECTURE = str(lecture_iri("SP20", "02-1"))
SP20_NOTES_FR = "https://atcold.github.io/NYU-DLSP20/fr/week02/02-1/"


def make_data(folder: Path, g) -> Path:
    store.save_graph(g, folder)
    build_index(g, folder / "index")
    return folder


@pytest.fixture(scope="session")
def app_data(tmp_path_factory, small_graph) -> Path:
    """A data folder (graph + index) from ``small_graph``, built once per session."""
    return make_data(tmp_path_factory.mktemp("app-data"), small_graph)


@pytest.fixture
def open_page(app_data, monkeypatch):
    """Run the app on a page with query parameters; returns the AppTest after the run."""

    def run(page: str = "search", data: Path | None = None, **params) -> AppTest:
        monkeypatch.setenv("DLGRAPH_DATA", str(data or app_data))
        at = AppTest.from_file(str(APP), default_timeout=60)
        if page == "search":
            at.query_params.update(params)
            return at.run()
        at.run()
        at.switch_page(f"app_pages/{page}.py")
        at.query_params = dict(params)
        return at.run()

    return run


def text_of(at: AppTest) -> str:
    """Everything the page wrote (Markdown, captions, titles, alerts, page links) as one string.

    The escaped colon (``&#58;``, see ``app_pages/render.py``) reads as ``:`` here.
    """
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info",
                                  "warning") for e in getattr(at, kind)]
    parts += [link.proto.label for link in at.get("page_link")]
    return "\n".join(str(p) for p in parts).replace("&#58;", ":")


def links_of(at: AppTest) -> list[str]:
    """Every link target in the page's Markdown."""
    return re.findall(r"\]\(([^)\s]+)\)", text_of(at))


# -- every page -------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_page_renders(open_page, page):
    at = open_page(page)
    assert not at.exception, at.exception


@pytest.mark.parametrize("page", PAGES)
def test_page_never_allows_html(open_page, page):
    at = open_page(page)
    assert not [m for m in at.markdown if m.proto.allow_html]


def test_app_sources_never_allow_html():
    sources = [APP, *sorted((ROOT / "app_pages").glob("*.py"))]
    assert not [p.name for p in sources if re.search(r"unsafe_allow_html\s*=", p.read_text())]


def test_first_run_screen(open_page, tmp_path):
    at = open_page(data=tmp_path)
    assert not at.exception
    assert "Welcome" in at.title[0].value
    commands = [c.value for c in at.code]
    assert any(c.startswith("dlgraph ingest") or "dlgraph ingest" in c for c in commands)
    assert str(tmp_path) in text_of(at)
    assert not at.text_input  # no search box without data


def test_first_run_then_data_appears(open_page, tmp_path, small_graph):
    at = open_page(data=tmp_path)
    make_data(tmp_path, small_graph)
    at.button[0].click().run()
    assert not at.exception
    assert at.text_input(key="search_q")


# -- search -----------------------------------------------------------------------------------


def test_search_landing_offers_examples(open_page):
    at = open_page()
    assert "energy based models" in [b.label for b in at.button]


def test_search_example_button_runs_it(open_page):
    at = open_page()
    next(b for b in at.button if b.label == "backpropagation").click().run()
    assert at.text_input(key="search_q").value == "backpropagation"
    assert at.query_params["q"] == "backpropagation"


def test_search_typing_shows_hits_from_several_editions(open_page):
    at = open_page()
    at.text_input(key="search_q").set_value("gradient").run()
    assert not at.exception
    assert re.search(r"\b[1-9]\d* results?\b", text_of(at))
    badges = set(re.findall(r":blue-badge\[(\w+)\]", text_of(at)))
    assert {"SP20", "SP21"} <= badges
    assert at.query_params["q"] == "gradient"


def test_search_hit_names_the_other_edition_of_its_recording(open_page):
    # SP21 "History of toy networks" and FL22 "History" show one video: one hit names both.
    at = open_page(q="history", kind="lecture")
    assert not at.exception
    text = text_of(at)
    assert re.search(r"same video in (SP21|FL22)\]", text), text


def test_a_lecture_hit_links_its_best_video_moment(open_page):
    at = open_page(q="backprop")
    assert "https://www.youtube.com/watch?v=VIDtoy0001&t=29s" in links_of(at)
    # the moment reads as its heading, then its time
    assert re.search(r":material/play_circle: \[“[^”\]]+” · 0:29\]\(", text_of(at)), text_of(at)


def test_search_hit_links_notes_and_video_at_its_second(open_page):
    at = open_page(q="toy gradients")
    targets = links_of(at)
    assert "https://www.youtube.com/watch?v=VIDtoy0001&t=29s" in targets
    assert any(t.startswith("https://atcold.github.io/NYU-DLSP20/en/week02/02-1/#") for t in targets)
    assert "Video at 0:29" in text_of(at)


def test_search_hit_links_to_its_lecture_page(open_page):
    at = open_page(q="toy gradients")
    # the title is a heading linking the Lecture page inside the app, with no "leaves the
    # app" mark; the links to the course site and YouTube carry one
    head = next(m.value for m in at.markdown if m.value.startswith("##### "))
    assert f"](lecture?lecture={quote(SP20_LECTURE, safe='')})" in head
    assert ":material/open_in_new:" not in head
    caption = next(c.value for c in at.caption if "Video at 0&#58;29" in c.value)
    assert caption.count(":material/open_in_new:") == caption.count("](https://")


def test_a_notes_page_hit_opens_the_video_not_the_notes_page(open_page):
    at = open_page(q="toy gradients", kind="notes")
    assert not at.exception
    videos = re.findall(r"Video[^\]]*\]\(([^)\s]+)\)", text_of(at))
    assert videos and all(v.startswith("https://www.youtube.com/watch?v=") for v in videos), videos


def test_search_says_an_edition_was_read_from_the_query(open_page):
    at = open_page(q="energy FL22")
    assert not at.exception
    assert "only FL22, as the query says" in text_of(at)
    assert "as the query says" not in text_of(open_page(q="energy"))


def test_search_hides_filter_options_nothing_matches(open_page):
    at = open_page(q="gradient")
    for key in ("search_edition", "search_kind"):
        options = at.pills(key=key).options
        assert options and not [o for o in options if o.endswith("· 0")], (key, options)
    assert len(at.pills(key="search_kind").options) < 8  # some kinds have no match


@pytest.mark.parametrize("q", ["chain rule", "gradients"])
def test_search_language_options_count_what_picking_them_gives(open_page, q):
    # "chain rule" is in no French page: French is not offered. "gradients" is read as English
    # (the facet counts English only), yet picking French finds its page: offered, counted.
    at = open_page(q=q)
    box = at.selectbox(key="search_lang")
    assert box.options
    shown = {}
    for option in box.options:
        label, count = option.rsplit(" · ", 1)
        shown[label] = int(count)
    assert all(shown.values()), shown
    assert ("Français" in shown or "French" in shown) == (q == "gradients"), shown
    for lang in ("en", "fr") if q == "gradients" else ("en",):
        at = open_page(q=q, lang=lang)
        total = int(re.search(r"\b(\d+) results?\b", text_of(at)).group(1))
        assert at.selectbox(key="search_lang").format_func(lang).endswith(f"· {total}"), lang


def test_people_are_cards_beside_the_hits(open_page):
    at = open_page(q="LeCun")
    assert not at.exception
    cards = [m.value for m in at.markdown if m.value.startswith(":material/person:")]
    assert len(cards) == 1 and "Yann LeCun" in cards[0]
    # in a column of its own, beside the hits
    beside = [col for col in at.columns
              if any(m.value.startswith(":material/person:") for m in col.markdown)]
    assert beside and not any(m.value.startswith(":material/school:") for m in beside[0].markdown)
    # the hits, a column apart, still open their Lecture pages in the app
    assert any("](lecture?lecture=" in m.value for m in at.markdown if m.value.startswith("##### "))


def test_search_edition_filter_narrows_and_counts(open_page):
    # "toy": SP21 has lecture hits, not only cards (readings, people), which no facet counts
    at = open_page(q="toy")
    pills = at.pills(key="search_edition")
    assert any(o.startswith("SP21 · ") for o in pills.options)
    pills.set_value(["SP21"]).run()
    assert not at.exception
    badges = re.findall(r":blue-badge\[(\w+)\]", text_of(at))
    assert badges and all(b in ("SP20", "SP21", "FL23") for b in badges)
    assert at.query_params["edition"] == "SP21"
    # the other editions stay pickable, with their counts
    assert any(o.startswith("SP20 · ") and not o.endswith("· 0") for o in pills.options)


def test_search_kind_filter(open_page):
    at = open_page(q="gradient")
    at.pills(key="search_kind").set_value("reading").run()
    assert "Gradient Tricks for Toy Networks" in text_of(at)
    assert "Notes sections" not in text_of(at)
    assert at.query_params["kind"] == "reading"


def test_search_language_filter(open_page):
    at = open_page(q="gradients")
    at.selectbox(key="search_lang").set_value("fr").run()
    assert not at.exception
    assert "Introduction aux gradients jouets" in text_of(at)
    assert "· English" not in text_of(at)
    assert at.query_params["lang"] == "fr"
    # the picked language shows the count of what is on screen, not the English reading's 0
    total = int(re.search(r"\b(\d+) results?\b", text_of(at)).group(1))
    box = at.selectbox(key="search_lang")
    assert box.format_func("fr").endswith(f"· {total}") and total > 0


def test_search_permalink_reopens_the_same_view(open_page):
    at = open_page(q="gradient", edition=["SP20", "FL23"], kind="reading")
    assert at.text_input(key="search_q").value == "gradient"
    assert at.pills(key="search_edition").value == ["SP20", "FL23"]
    assert at.pills(key="search_kind").value == "reading"
    assert "Gradient Tricks for Toy Networks" in text_of(at)


def test_search_stale_link_values_are_dropped(open_page):
    at = open_page(q="gradient", edition=["SP99", "SP20"], kind="nonsense")
    assert not at.exception
    assert at.pills(key="search_edition").value == ["SP20"]
    assert at.pills(key="search_kind").value is None


def test_search_unknown_language_and_topic_in_a_link(open_page):
    at = open_page(q="gradient", lang="zz", topic="Nope")
    assert not at.exception
    assert "without filters" in " ".join(w.value for w in at.warning)
    assert re.search(r"\b[1-9]\d* results?\b", text_of(at))
    assert "lang" not in at.query_params and "topic" not in at.query_params


def test_search_did_you_mean(open_page):
    at = open_page(q="toy gradent")
    button = at.button(key="search_did_you_mean")
    assert "toy gradient" in button.label
    button.click().run()
    assert at.text_input(key="search_q").value == "toy gradient"
    assert at.query_params["q"] == "toy gradient"


def test_search_exactly_as_typed(open_page):
    at = open_page(q="toy gradent")
    at.button(key="search_exactly").click().run()
    assert not at.exception
    assert at.query_params.get("exact") == "True"
    assert not [b for b in at.button if b.key == "search_did_you_mean"]
    # a new query asks for spelling correction again
    at.text_input(key="search_q").set_value("toy gradint").run()
    assert "exact" not in at.query_params
    assert [b for b in at.button if b.key == "search_did_you_mean"]


def test_search_nothing_found(open_page):
    at = open_page(q="zzzqqq")
    assert not at.exception
    assert "Nothing matches" in "\n".join(i.value for i in at.info)


# -- lecture ----------------------------------------------------------------------------------


def test_lecture_without_choice_asks_for_one(open_page):
    at = open_page("lecture")
    assert at.selectbox(key="lecture_lecture").value is None


def test_lecture_page_from_permalink(open_page):
    at = open_page("lecture", lecture=SP20_LECTURE)
    text = text_of(at)
    assert at.title[0].value == "Toy gradients and backprop"
    assert ":blue-badge[SP20]" in text and "Week 2" in text
    assert "Ada Example" in text and "Bo Sample" in text  # notes authors
    assert "Chloé Exemple" in text  # translator
    assert "Yann LeCun" in text  # lecturer
    assert "Gradient Tricks for Toy Networks" in text  # reading
    assert "https://www.youtube.com/watch?v=VIDtoy0001&t=29s" in links_of(at)
    # the notes' languages, then the transcript's
    assert [t.label for t in at.tabs] == ["English", "Français", "English", "Français"]


def test_lecture_page_shows_the_transcript_notebooks_and_slides(open_page):
    at = open_page("lecture", lecture=SP20_LECTURE)
    text, links = text_of(at), links_of(at)
    assert "quokka gradient never sleeps" in text
    assert "https://www.youtube.com/watch?v=VIDtoy0001&t=29s" in links  # ▶ 0:29
    assert at.text_input(key="lecture_find") is not None
    # only the open language's transcript is drawn; its tab shows the other
    assert "gradient du quokka" not in text
    at.session_state["lecture_said_lang"] = "Français"
    at.run()
    text = text_of(at)
    assert "gradient du quokka" in text and "quokka gradient never sleeps" not in text


def test_lecture_notes_draw_the_open_language_only(open_page):
    at = open_page("lecture", lecture=SP20_LECTURE)
    english = [m.value for m in at.markdown if m.value.startswith("#### [")]
    at.session_state["lecture_notes_lang"] = "Français"
    at.run()
    french = [m.value for m in at.markdown if m.value.startswith("#### [")]
    assert english and french and not set(english) & set(french)
    assert all("/fr/" in h for h in french) and not any("/fr/" in h for h in english)


def test_find_in_transcript_keeps_the_passages_saying_it(open_page):
    at = open_page("lecture", lecture=SP20_LECTURE)
    at.text_input(key="lecture_find").input("quokka").run()
    text = text_of(at)
    assert "quokka gradient never sleeps" in text and "we stop for today" not in text


def test_lecture_page_lists_notebook_cell_headings(open_page):
    at = open_page("lecture", lecture="https://w3id.org/dlgraph/id/edition/SP20/lecture/02-3")
    text = text_of(at).replace("\\", "")  # Markdown escapes the dots
    assert "Recurrent toy" in text and "torch.nn.LSTM" in text


def test_lecture_shows_code_blocks_as_code(open_page):
    from fixtures.small_records import TOY_CODE

    at = open_page("lecture", lecture=SP20_LECTURE)
    box = next(e for e in at.expander if "The chain rule for toy modules" in e.label)
    assert not at.code  # drawn once its expander is opened
    at.session_state[box.key] = True
    at.run()
    assert TOY_CODE in [c.value for c in at.code]  # verbatim, indentation kept


def test_lecture_from_a_notes_page_url(open_page):
    at = open_page("lecture", lecture=SP20_NOTES_FR)
    assert at.title[0].value == "Toy gradients and backprop"
    assert at.selectbox(key="lecture_lecture").value == SP20_LECTURE


def test_lecture_unknown_iri_warns(open_page):
    at = open_page("lecture", lecture="https://example.org/nothing")
    assert not at.exception
    assert at.warning
    assert at.selectbox(key="lecture_lecture").value is None


def test_lecture_picker_drives_page_and_url(open_page):
    at = open_page("lecture", lecture=SP20_LECTURE)
    other = str(lecture_iri("FL22", "01"))
    at.selectbox(key="lecture_lecture").set_value(other).run()
    assert at.title[0].value == "History"
    assert at.query_params["lecture"] == other
    assert ":orange-badge[reused recording from SP21]" in text_of(at)


def test_lecture_badges_a_recording_from_an_older_edition(open_page):
    # FL22 "History" is greyed and shows SP21's video; SP21 "History of toy networks" is the
    # original, so only the FL22 item is badged
    fl22 = open_page("lecture", lecture=str(lecture_iri("FL22", "01")))
    assert "reused recording from SP21" in text_of(fl22)
    sp21 = open_page("lecture", lecture=str(lecture_iri("SP21", "t1.1")))
    assert "reused recording" not in text_of(sp21)


def test_lecture_links_the_same_recording_elsewhere(open_page):
    at = open_page("lecture", lecture=str(lecture_iri("FL22", "01")))
    other = next(b for b in at.button if "same recording" in b.label and "SP21" in b.label)
    other.click().run()
    assert not at.exception
    # the view and the shareable address both move to the SP21 item
    assert at.query_params["lecture"] == str(lecture_iri("SP21", "t1.1"))
    assert at.selectbox(key="lecture_lecture").value == str(lecture_iri("SP21", "t1.1"))


# -- graph ------------------------------------------------------------------------------------


def test_graph_around_a_person(open_page):
    at = open_page("graph", focus=str(person_iri("yann lecun")))
    assert not at.exception
    assert at.selectbox(key="graph_focus").value == str(person_iri("yann lecun"))
    caption = next(c.value for c in at.caption if "nodes" in c.value)
    assert int(caption.split()[0]) > 3


def test_graph_depth_widens_the_view(open_page):
    at = open_page("graph", focus=SP20_LECTURE)

    def size():
        return int(next(c.value for c in at.caption if "nodes" in c.value).split()[0])

    one = size()
    at.segmented_control(key="graph_depth").set_value(2).run()
    assert size() > one
    assert at.query_params["depth"] == "2"


def test_graph_picker_lists_lectures_topics_people(open_page):
    at = open_page("graph")
    options = at.selectbox(key="graph_focus").options
    assert any(o.startswith("lecture · ") for o in options)
    assert any(o.startswith("person · ") for o in options)


# -- readings ---------------------------------------------------------------------------------


def test_readings_table_and_filters(open_page):
    at = open_page("readings")
    assert len(at.dataframe[0].value) == 2
    at.selectbox(key="readings_edition").set_value("SP21").run()
    assert list(at.dataframe[0].value["title"]) == ["Gradient Tricks for Toy Networks"]
    assert at.query_params["edition"] == "SP21"


def test_readings_lecture_list_follows_the_edition(open_page):
    at = open_page("readings", lecture=SP20_LECTURE)
    assert at.selectbox(key="readings_lecture").value == SP20_LECTURE
    at.selectbox(key="readings_edition").set_value("FL23").run()
    assert not at.exception
    # FL23 lists no SP20 lecture: the stale choice is dropped, not left to empty the table
    assert at.selectbox(key="readings_lecture").value is None
    assert not any(o.startswith("SP20") for o in at.selectbox(key="readings_lecture").options)
    assert len(at.dataframe[0].value) == 2


def test_readings_lecture_filter_from_permalink(open_page):
    at = open_page("readings", lecture=SP20_LECTURE)
    assert at.selectbox(key="readings_lecture").value == SP20_LECTURE
    assert list(at.dataframe[0].value["title"]) == ["Gradient Tricks for Toy Networks"]


def test_readings_download_every_format(open_page):
    at = open_page("readings")
    keys = [b.proto.id for b in at.get("download_button")]
    assert len(keys) == 5
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["BibTeX", "RIS (Zotero)", "CSV", "JSON-LD", "Markdown"]


def test_readings_downloads_follow_the_filters(open_page, small_graph):
    # Streamlit names a download by a hash of its bytes, MIME type and file name, so the
    # URL proves the button carries exactly this export under this name.
    from streamlit.runtime.memory_media_file_storage import _calculate_file_id

    from dlgraph.export import export_readings

    at = open_page("readings", edition="SP21")
    bibtex = at.get("download_button")[0].proto
    expected = export_readings(small_graph, "bibtex", edition="SP21")
    assert "Gradient Tricks for Toy Networks" in expected
    assert "Toy Deep Learning" not in expected
    file_id = _calculate_file_id(expected.encode(), "application/x-bibtex",
                                 "dlgraph-readings-sp21.bib")
    assert bibtex.url.endswith(file_id)


# -- sparql -----------------------------------------------------------------------------------


def results(at) -> list[str]:
    """The rows of the SPARQL page's result table (Markdown)."""
    table = next(m.value for m in at.markdown if m.value.startswith("| "))
    return table.splitlines()


def test_sparql_runs_the_first_example(open_page):
    at = open_page("sparql")
    assert not at.error
    assert len(results(at)) > 2


def test_sparql_query_from_the_box(open_page):
    at = open_page("sparql")
    at.text_area(key="sparql_query").set_value(
        "SELECT ?n WHERE { ?p a schema:Person ; schema:name ?n } ORDER BY ?n")
    at.button[0].click().run()
    assert "| Yann LeCun |" in results(at)
    assert at.query_params["query"].startswith("SELECT ?n")


def test_sparql_csv_download_defuses_formulas(open_page):
    from streamlit.runtime.memory_media_file_storage import _calculate_file_id

    at = open_page("sparql", query='SELECT ?x WHERE { BIND("=1+1" AS ?x) }')
    at.button[0].click().run()  # a query from a link runs when Run is pressed
    expected = "x\r\n'=1+1\r\n"
    file_id = _calculate_file_id(expected.encode(), "text/csv", "query.csv")
    assert at.get("download_button")[0].proto.url.rsplit("/", 1)[-1] == f"{file_id}.csv"


def test_sparql_link_waits_for_run(open_page):
    at = open_page("sparql", query="SELECT ?s WHERE { ?s ?p ?o . ?a ?b ?c }")
    assert not any(m.value.startswith("| ") for m in at.markdown) and not at.error
    assert any("Press **Run**" in i.value for i in at.info)
    at.button[0].click().run()
    assert len(results(at)) > 2 and any("Only the first 5,000" in w.value for w in at.warning)


def test_sparql_iris_link_to_their_pages(open_page):
    at = open_page("sparql", query="SELECT ?item ?who ?page ?v WHERE { "
                   "?item a schema:LearningResource ; dlg:edition/schema:identifier 'SP20' ; "
                   "dlg:lecturer ?who . ?page schema:about ?item . "
                   "OPTIONAL { ?item schema:video ?v } }")
    at.button[0].click().run()  # a query from a link waits for Run
    rows = "\n".join(results(at)[2:])
    # a lecture item and a notes page about it open the Lecture page; a person, People
    item = quote(SP20_LECTURE, safe="")
    assert f"[id&#58;edition/SP20/lecture/02\\-1](lecture?lecture={item})" in rows
    assert "](people?name=Yann+LeCun)" in rows
    assert f"NYU\\-DLSP20/fr/week02/02\\-1/](lecture?lecture={item})" in rows
    # anything else links to the IRI itself
    assert "](https://w3id.org/dlgraph/id/video/" in rows


def test_sparql_refuses_updates(open_page):
    at = open_page("sparql", query="DELETE WHERE { ?s ?p ?o }")
    assert at.error and "refused" in at.error[0].value
    assert not any(m.value.startswith("| ") for m in at.markdown)


# -- escaping ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def hostile_data(tmp_path_factory, small_graph) -> Path:
    """``small_graph`` with a lecture title written to break Markdown and HTML."""
    g = small_graph.__class__()
    for prefix, ns in small_graph.namespaces():
        g.bind(prefix, ns)
    for t in small_graph:
        g.add(t)
    node = lecture_iri("SP20", "02-1")
    g.remove((node, SDO.name, None))
    g.add((node, SDO.name, Literal("Toy <script>x</script> $a$ :red[b] [c](javascript:d)",
                                   lang="en")))
    return make_data(tmp_path_factory.mktemp("hostile-data"), g)


def test_scraped_text_is_escaped(open_page, hostile_data):
    at = open_page("lecture", data=hostile_data, lecture=SP20_LECTURE)
    title = at.title[0].value
    assert "<script>" not in title and "\\<script\\>" in title
    assert "\\$a\\$" in title and ":red\\[" not in title and "\\[c\\]\\(javascript" in title
    assert "javascript" not in " ".join(links_of(at))


def test_streamlit_does_not_collect_garbage_after_every_run():
    # With the graph, the index and the chart libraries loaded, a full gc.collect after each
    # script run (Streamlit's default) holds the GIL 60-200 ms, and the run's last messages
    # wait for it: .streamlit/config.toml turns it off, by an option this Streamlit knows.
    import tomllib

    from streamlit import config

    options = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert options["runner"]["postScriptGC"] is False
    assert "runner.postScriptGC" in config._config_options_template


# -- compare ----------------------------------------------------------------------------------


def test_compare_every_edition_by_default(open_page):
    at = open_page("compare")
    assert [t.label for t in at.tabs] == ["SP20 → SP21", "SP21 → FL22", "FL22 → FL23"]
    assert len(at.get("vega_lite_chart")) == 1  # the heatmap


def test_compare_an_edition_without_lectures_is_explained_not_dropped(open_page):
    at = open_page("compare")
    assert not at.tabs[2].children  # only the open pair is drawn
    at.session_state["compare_pair"] = "FL22 → FL23"
    at.run()
    last = at.tabs[2]
    assert last.label == "FL22 → FL23" and not at.tabs[0].children
    assert "FL23 lists no lecture items" in " ".join(i.value for i in last.info)
    assert not last.get("metric") and not last.dataframe
    assert not any(m.value.startswith("| Topic") for m in last.markdown)


def test_compare_two_editions_summary_and_table(open_page):
    at = open_page("compare", editions=["SP21", "FL22"])
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[":material/recycling: Same recording"] == "1"
    assert metrics[":material/videocam: Re-recorded"] == "1"
    # the fixture's FL22 greys out re-used items: what it lacks is not listed, not dropped
    assert metrics[":material/remove_circle: Dropped after SP21"] == "0"
    assert int(metrics[":material/visibility_off: Not listed"]) >= 1
    assert "FL22 lists only part of its syllabus" in text_of(at)
    table = next(m.value for m in at.markdown if m.value.startswith("| Topic | Status |"))
    head, rule, *rows = table.splitlines()
    assert head == "| Topic | Status | SP21 | FL22 |"
    row = next(r for r in rows if "[History](lecture?lecture=" in r)
    # every item links to its Lecture page, its whole title shown
    assert "same recording" in row and "[History of toy networks](lecture?lecture=" in row
    assert f"lecture?lecture={quote(str(lecture_iri('FL22', '01')), safe='')}" in row
    assert not at.dataframe  # no ten-row scrolling box cutting titles


def test_compare_picking_editions_drives_tabs_and_url(open_page):
    at = open_page("compare")
    at.pills(key="compare_editions").set_value(["SP20", "FL22"]).run()
    assert [t.label for t in at.tabs] == ["SP20 → FL22"]
    assert at.query_params["editions"] == ["SP20", "FL22"]


def test_compare_needs_two_editions(open_page):
    at = open_page("compare", editions="SP21")
    assert at.info and not at.tabs


def test_compare_status_filter(open_page):
    at = open_page("compare", editions=["SP21", "FL22"])
    at.pills(key="compare_status").set_value(["not-listed"]).run()
    table = next(m.value for m in at.markdown if m.value.startswith("| Topic | Status |"))
    rows = table.splitlines()[2:]
    assert rows and all("not listed" in r for r in rows)


@pytest.mark.parametrize("measure", ["items", "videos", "readings"])
@pytest.mark.parametrize("level", ["top", "all"])
def test_compare_heatmap_spec_is_what_altair_chart_sends(app_data, measure, level):
    # The page draws a kept Vega-Lite spec (st.vega_lite_chart) where it converted an Altair
    # chart of a DataFrame (st.altair_chart) on every run: the spec and its data must be
    # what st.altair_chart sends for that chart (Streamlit's own conversion), but the
    # dataset's name.
    import io
    import json

    import pandas as pd
    import pyarrow as pa
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    from app_pages.compare_heatmap import heatmap, heatmap_chart

    def parts(spec: dict) -> tuple[str, list[dict]]:
        spec = dict(spec)
        (name, data), = spec.pop("datasets").items()
        if isinstance(data, bytes):
            data = pa.ipc.open_stream(io.BytesIO(data)).read_all().to_pylist()
        assert spec["data"] == {"name": name}
        return json.dumps({**spec, "data": None}, sort_keys=True), data

    codes = ("SP20", "SP21", "FL22")
    kept = heatmap(store.load_graph(app_data), codes, measure, level)["spec"]
    assert kept is not None
    rows = kept["datasets"][kept["data"]["name"]]
    sent = _convert_altair_to_vega_lite_spec(
        heatmap_chart(rows, codes, measure, data=pd.DataFrame(rows)))
    assert parts(kept) == parts(sent)
    assert "config" not in kept and len(rows) > len(codes)


def test_the_heatmap_spec_is_the_same_whatever_theme_is_active():
    # Streamlit switches Altair's global theme while another session's chart converts: the
    # kept spec must not carry whichever theme is active at that instant.
    import altair as alt

    from app_pages.compare_heatmap import heatmap_chart, vega_lite_spec

    rows = [{"topic": "attention", "edition": "SP20", "count": 2},
            {"topic": "attention", "edition": "SP21", "count": 0}]
    plain = vega_lite_spec(heatmap_chart(rows, ("SP20", "SP21"), "items"))
    with alt.theme.enable("dark"):
        dark = vega_lite_spec(heatmap_chart(rows, ("SP20", "SP21"), "items"))
    assert dark == plain and "config" not in plain


def test_compare_heatmap_measure(open_page):
    at = open_page("compare", measure="readings")
    assert at.segmented_control(key="compare_measure").value == "readings"
    spec = at.get("vega_lite_chart")[0].proto.spec
    assert "Readings" in spec


# -- people -----------------------------------------------------------------------------------


def test_people_table_roles_across_editions(open_page):
    at = open_page("people")
    table = at.dataframe[0].value.set_index("name")
    assert table.loc["Yann LeCun", "SP20"] == "instructor, lecturer"
    assert table.loc["Yann LeCun", "FL22"] == "instructor"
    assert table.loc["Ada Example", "FL23"] == "grader"
    assert len(at.get("vega_lite_chart")) == 1


def test_people_filters(open_page):
    at = open_page("people")
    at.pills(key="people_role").set_value(["translator"]).run()
    assert list(at.dataframe[0].value["name"]) == ["Chloé Exemple"]
    assert at.query_params["role"] == "translator"
    at.pills(key="people_role").set_value([]).run()
    at.text_input(key="people_name").set_value("ada").run()
    assert list(at.dataframe[0].value["name"]) == ["Ada Example"]


def test_people_edition_filter_from_permalink(open_page):
    at = open_page("people", edition="FL23", role="teaching-assistant")
    assert list(at.dataframe[0].value["name"]) == ["Tee Assistant"]


def test_search_without_an_index_says_how_to_build_it(open_page, tmp_path, small_graph):
    store.save_graph(small_graph, tmp_path)
    at = open_page(data=tmp_path)
    assert not at.exception
    assert "dlgraph index" in at.error[0].value
    assert [c.value for c in at.code] == ["dlgraph index"]


def test_sparql_examples_load_into_the_box(open_page):
    at = open_page("sparql")
    box = at.selectbox(key="sparql_example")
    assert "Which SP21 recordings does FL22 reuse?" in box.options
    title = next(o for o in box.options if o.startswith("The French notes pages"))
    box.set_value(title).run()
    assert "schema:translationOfWork" in at.text_area(key="sparql_query").value \
        or "translation" in at.text_area(key="sparql_query").value.lower()


def test_lecture_topic_links_open_search_filtered_by_topic(open_page):
    at = open_page("lecture", lecture=SP20_LECTURE)
    topic_links = [link.proto for link in at.get("page_link")
                   if link.proto.query_string.startswith("topic=")]
    assert [t.query_string for t in topic_links] == ["topic=Backpropagation"]
    at = open_page(topic="Backpropagation")
    assert at.selectbox(key="search_topic").value == "Backpropagation"
    assert re.search(r"\b[1-9]\d* results?\b", text_of(at))


def test_the_warm_up_answers_the_compare_pages_first_view(open_page, app_data, monkeypatch):
    # cache._prepare_compare runs in the background after the landing: the Compare page then
    # draws its heatmap and tables from the cache, computing nothing (the keys must match).
    import importlib

    import streamlit as st

    from app_pages import cache

    st.cache_data.clear()
    cache._prepare_compare(str(app_data), cache.stamp(app_data))
    # cache._on_graph imports the library function's module only when it is not cached.
    calls = []
    real = importlib.import_module
    monkeypatch.setattr(importlib, "import_module",
                        lambda name, *a: calls.append(name) or real(name, *a))
    at = open_page("compare")
    assert not at.exception
    assert "Lecture by lecture" in text_of(at)
    assert not [name for name in calls
                if name.startswith(("dlgraph.", "app_pages.compare_heatmap"))], calls
