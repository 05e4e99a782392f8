"""Search: one box over every edition, filters with facet counts, hits grouped by lecture.

This is the first page, so its landing (no query, no filter) touches neither the index nor
the graph: it shows the box, the editions and example queries, then opens the index and reads
the graph in the background. The search engine is imported only once there is something to
search.
"""

import math
import re
import time

import streamlit as st

from app_pages import cache, permalink
from app_pages.chrome import tab_title
from app_pages.render import app_link, highlight, hms, language, link, md, safe_url

#: The ingested editions, oldest first (the graph's, not the configuration's).
EDITIONS = cache.editions()

PER_PAGE = 10
KINDS = {
    "lecture": "Lectures", "section": "Notes sections", "notes": "Notes pages",
    "week": "Week pages", "theme": "Themes", "reading": "Readings", "person": "People",
    "document": "Documents", "transcript": "Transcripts", "notebook": "Notebooks",
    "slides": "Slides",
}
ICONS = {
    "lecture": ":material/school:", "section": ":material/segment:",
    "notes": ":material/article:", "week": ":material/date_range:",
    "theme": ":material/category:", "reading": ":material/menu_book:",
    "person": ":material/person:", "document": ":material/description:",
    "transcript": ":material/record_voice_over:", "notebook": ":material/code:",
    "slides": ":material/slideshow:",
}
#: After every link that leaves the app, so in-app and external links look different.
OUT = " :material/open_in_new:"
RESOURCES = {"slides": (":material/slideshow:", "Slides"), "notebook": (":material/code:", "Notebook"),
             "notes": (":material/description:", "Notes handout"),
             "homework": (":material/assignment:", "Homework")}
#: The line the index writes for a lecture item with no text of its own ("Lecture · theme: …").
SUMMARY = re.compile(r"(Lecture|Practicum|Homework) · ")
EXAMPLES = ("energy based models", "backpropagation", "attention transformer",
            "self-supervised learning", "rétropropagation", "convolution")
SPEC = {"q": "", "edition": [], "kind": None, "lang": None, "theme": None, "topic": None,
        "exact": False, "page": 1}


def out(label: str, url: str | None) -> str:
    """A link that leaves the app, marked as such."""
    return link(label, url) + OUT if safe_url(url) else md(label)


def use_query(text: str) -> None:
    """Example chips and "did you mean": replace the query and start from page 1."""
    st.session_state["search_q"] = text
    st.session_state["search_exact"] = False
    st.session_state["search_page"] = 1


def search_exactly() -> None:
    st.session_state["search_exact"] = True
    st.session_state["search_page"] = 1


def turn_page(key: str) -> None:
    st.session_state["search_page"] = st.session_state[key]


def first_page() -> None:
    st.session_state["search_page"] = 1


def new_query() -> None:
    """A newly typed query starts on page 1 with spelling correction back on."""
    st.session_state["search_page"] = 1
    st.session_state["search_exact"] = False


def filters(**override) -> dict:
    """The library's filter arguments from the widgets (``override`` drops one for facets)."""
    state = st.session_state
    args = {"editions": tuple(state["search_edition"]), "kind": state["search_kind"],
            "lang": state["search_lang"], "theme": state["search_theme"],
            "topic": state["search_topic"]}
    args.update(override)
    return args


def counts(result: dict, facet: str, param: str, off) -> dict:
    """Counts for one filter's options, as if that filter were not set (so others stay pickable)."""
    if not filters()[param] or filters()[param] == off:
        return result["facets"][facet]
    other = cache.search(query, **filters(**{param: off}), limit=1,
                         correct=not st.session_state["search_exact"])
    return other["facets"][facet]


def labelled(values: dict, name=str):
    """A format_func showing each option with its facet count."""
    return lambda v: f"{name(v)} · {values.get(v, 0)}"


permalink.seed("search", SPEC)
permalink.clamp("search_edition", EDITIONS)
permalink.clamp("search_kind", KINDS)
st.title("Search the course")
st.caption(f"Every edition of {' and '.join(cache.courses()) or 'the course'} "
           f"({' · '.join(EDITIONS)}): lectures, notes sections with their video moments, "
           "translations, readings and people.")
st.text_input("Search", key="search_q", on_change=new_query, label_visibility="collapsed",
              placeholder="Search lectures, notes, readings, people…  e.g. energy based models",
              icon=":material/search:")
query = st.session_state["search_q"].strip()
tab_title(f"“{query}”" if query else "", "Search")
filter_area = st.container()

def no_index(message: str) -> None:
    """The graph is there but its index is not (or predates this dlgraph): how to rebuild."""
    st.error(md(message), icon=":material/manage_search:")
    st.code("dlgraph index", language="bash")
    st.stop()


if cache.index_folder() is None:
    no_index(f"There is no search index in {cache.data_dir() / 'index'} yet: build it with "
             "`dlgraph index`.")

if not query and not any(filters().values()):
    # The landing: a person reads it while the index and the graph load behind it.
    st.pills("Editions", EDITIONS, selection_mode="multi", key="search_edition",
             on_change=first_page, help="Browse one edition's lectures, notes and readings")
    st.markdown("**Try:**")
    cols = st.columns(len(EXAMPLES))
    for col, example in zip(cols, EXAMPLES, strict=True):
        col.button(example, on_click=use_query, args=(example,), width="stretch")
    permalink.publish("search", SPEC)
    cache.warm()
    st.stop()

from dlgraph.nodes import resources  # noqa: E402 - reads the graph, not needed by the landing
from dlgraph.search import IndexMissing, SearchError  # noqa: E402 - not needed by the landing

began = time.perf_counter()
try:
    result = cache.search(query, **filters(), limit=PER_PAGE,
                          page=max(1, st.session_state["search_page"]),
                          correct=not st.session_state["search_exact"])
except IndexMissing as exc:
    no_index(str(exc))
except SearchError as exc:
    # A stale link with an edition, kind, language or topic this index does not know: drop
    # every filter (the widgets are drawn below, so their state may still change) and say so.
    st.warning(f"Showing results without filters. {md(exc)}", icon=":material/filter_alt_off:")
    for name in ("edition", "kind", "lang", "theme", "topic"):
        st.session_state[f"search_{name}"] = SPEC[name]
    result = cache.search(query, limit=PER_PAGE, correct=not st.session_state["search_exact"])
took = time.perf_counter() - began

# -- filters, each option with its count -----------------------------------------------------
with filter_area:
    ed_counts = counts(result, "edition", "editions", ())
    kind_counts = counts(result, "kind", "kind", None)
    # an option nothing would match is hidden, unless it is the one picked
    picked = set(st.session_state["search_edition"]) | {st.session_state["search_kind"]}
    st.pills("Editions", [e for e in EDITIONS if ed_counts.get(e) or e in picked],
             selection_mode="multi", key="search_edition",
             format_func=labelled(ed_counts), on_change=first_page)
    # The other filters fold, so on a phone the first hit is on the first screen; they stay
    # open while one is set.
    chosen = sum(1 for k in ("kind", "lang", "theme", "topic") if st.session_state[f"search_{k}"])
    folder = st.expander("Filters" + (f" · {chosen} set" if chosen else ""), expanded=bool(chosen),
                         icon=":material/tune:")
    folder.pills("Kind", [k for k in KINDS if kind_counts.get(k) or k in picked],
                 key="search_kind", on_change=first_page,
                 format_func=labelled(kind_counts, KINDS.get))
    c1, c2, c3 = folder.columns(3)
    for col, facet, param, key, label, name in (
        (c1, "language", "lang", "search_lang", "Language", language),
        (c2, "theme", "theme", "search_theme", "Theme", str),
        (c3, "topic", "topic", "search_topic", "Topic", str),
    ):
        values = counts(result, facet, param, None)
        options = list(values)
        if facet == "language":
            # The facet counts the languages the query was read in (an English word, English
            # pages); another language, once picked, may still match (a topic's label, a name):
            # it is offered with what picking it would give, and hidden when that is nothing.
            # Same arguments as the unfiltered landing search, so it is one cache entry.
            every = cache.search("", **filters(editions=(), kind=None, lang=None, theme=None,
                                               topic=None), limit=PER_PAGE, page=1,
                                 correct=True)["facets"]["language"]
            others = tuple(lang for lang in every if lang not in values)
            if others:
                more = cache.language_totals(query, others, **filters(lang=None),
                                             correct=not st.session_state["search_exact"])
                values = {**values, **{lang: n for lang, n in more.items() if n}}
                options = list(values)
            if st.session_state.get(key):
                # Unfiltered, the query is read in its own language only, so a picked
                # language's count is that of the results on screen.
                values = {**values, st.session_state[key]: result["total"]}
        current = st.session_state.get(key)
        if current and current not in options:
            options.append(current)  # keep a chosen value visible even at zero
        col.selectbox(label, options, key=key, index=None, placeholder=f"Any {label.lower()}",
                      format_func=labelled(values, name), on_change=first_page)
permalink.publish("search", SPEC)

# -- did you mean --------------------------------------------------------------------------
if result["suggestion"]:
    # The library already answers with the corrected query; the user can take it or refuse it.
    with st.container(horizontal=True, vertical_alignment="center"):
        st.button(f"Did you mean “{md(result['suggestion'])}”?", icon=":material/spellcheck:",
                  on_click=use_query, args=(result["suggestion"],), key="search_did_you_mean")
        st.caption("Showing its results.")
        st.button(f"Search for “{md(query)}” instead", on_click=search_exactly,
                  type="tertiary", key="search_exactly")

total = result["total"]
read = ""
if result.get("edition_words"):
    # "attention SP21": the library read an edition from the words; say so
    read = f" · only {md(', '.join(result['edition_words']))}, as the query says"
st.caption(f"{total} result{'s' if total != 1 else ''} · {took * 1000:.0f} ms{read}")
if not total:
    st.info("Nothing matches. Try fewer words, or remove a filter.", icon=":material/search_off:")

# -- cards: people, readings and themes, beside the ranked hits -------------------------------
hits_area = st.container()
if result.get("cards"):
    hits_area, cards_area = st.columns([3, 1])
    with cards_area:
        for number, card in enumerate(result["cards"]):
            with st.container(border=True, key=f"search_card_{number}"):
                name = md(card["title"] or card["iri"])
                st.markdown(f"{ICONS[card['kind']]} **{out(card['title'], card['url']) if card['url'] else name}**")
                facts = [f":blue-badge[{md(e)}]" for e in card["editions"]]
                facts.append(KINDS.get(card["kind"], card["kind"]))
                st.markdown(" · ".join(facts))
                if card["snippet"]:
                    st.caption(highlight(card["snippet"], ("[[", "]]")))


def video_link(hit: dict) -> str | None:
    """Where a hit's "Video" opens: YouTube at its moment (a section's own second, else the
    lecture's best-matching moment, else the start), never the notes page."""
    if not hit["video"]:
        return None
    if hit["kind"] == "section" and hit["url"] and "youtube.com/" in hit["url"]:
        return hit["url"]
    if hit.get("moment") and hit["moment"].get("url"):
        return hit["moment"]["url"]
    from dlgraph.vocab import video_url  # the one place URLs are spelled

    return str(video_url(hit["video"], hit["start"]))


# -- hits: the library collapses a lecture's notes, sections and translations into one -----
bare_lectures = tuple(h["lecture"] for h in result["hits"]
                      if h["kind"] == "lecture" and SUMMARY.match(h["snippet"] or ""))
# Only lectures without text need the graph (for their slides and notebooks).
lecture_resources = cache.query(resources, bare_lectures) if bare_lectures else {}
for number, hit in enumerate(result["hits"]):
    with hits_area, st.container(border=True, key=f"search_hit_{number}"):
        title = (hit["title"] or hit["iri"]) + (f" › {hit['heading']}" if hit["heading"] else "")
        # A heading, so the title reads larger than the text under it; a lecture's title
        # opens its Lecture page in the app, anything else its page on the web.
        if hit["lecture"]:
            head = app_link(title, "lecture", lecture=hit["lecture"])
        else:
            head = out(title, hit["url"])
        st.markdown(f"##### {ICONS[hit['kind']]} {head}")
        bare = hit["kind"] == "lecture" and SUMMARY.match(hit["snippet"] or "")
        facts = [f":blue-badge[{md(e)}]" for e in hit["editions"]]
        # The same recording shown by other editions is folded into this hit: name them.
        also = list(dict.fromkeys(a["edition"] for a in hit.get("also_in") or ()
                                  if a["edition"] not in hit["editions"]))
        if also:
            facts.append(":gray-badge[:material/recycling: same video in "
                         + md(", ".join(also)) + "]")
        facts.append(KINDS.get(hit["kind"], hit["kind"]))
        if hit["language"] and hit["kind"] in ("section", "notes", "week", "transcript"):
            facts.append(language(hit["language"]))
        if hit["theme"] and not bare:
            facts.append(md(hit["theme"]))
        if hit["lecturers"]:
            facts.append(md(", ".join(hit["lecturers"])))
        st.markdown(" · ".join(facts))
        if bare:
            # No notes text matched, only the index's summary line: show what the lecture
            # offers instead of repeating its kind and theme.
            offers = [f"{RESOURCES[r['kind']][0]} {out(RESOURCES[r['kind']][1], r['url'])}"
                      for r in lecture_resources.get(hit["lecture"], ()) if r["kind"] in RESOURCES]
            st.markdown(" · ".join([f"Theme: {md(hit['theme'])}"] * bool(hit["theme"]) + offers)
                        or "No slides or notebook linked.")
        elif hit["snippet"]:
            st.markdown(highlight(hit["snippet"], ("[[", "]]")))
        links = []
        if hit["page_url"] and hit["kind"] in ("section", "notes", "week", "lecture"):
            # An item without notes points at its edition's home page: say so.
            label = "Notes" if "/week" in hit["page_url"] else "Syllabus"
            links.append(f":material/article: {out(label, hit['page_url'])}")
        if hit["video"]:
            start = hit["start"] if hit["kind"] == "section" else (hit.get("moment") or {}).get(
                "start", hit["start"])
            at = f" at {hms(start)}" if start else ""
            links.append(f":material/smart_display: {out('Video' + at, video_link(hit))}")
        if hit.get("moment") and hit["kind"] != "section":
            # The heading, then the time: "“Additional resources” · 19:44".
            mo = hit["moment"]
            moment = f"“{mo['heading']}” · {hms(mo['start'])}"
            links.append(f":material/play_circle: {out(moment, mo['url'])}")
        if hit["kind"] in ("notebook", "slides") and hit["url"]:
            # a deck opens at the page (#page=N); GitHub gives a notebook's cells no anchor
            label = "Open on GitHub" if hit["kind"] == "notebook" else "Open the deck at this page"
            links.append(f":material/open_in_new: {out(label, hit['url'])}")
        if hit["kind"] == "transcript" and hit["page_url"]:
            links.append(f":material/subtitles: {out('Caption file', hit['page_url'])}")
        if hit["collapsed"]:
            more = hit["collapsed"]
            links.append(f"+{more} more match{'es' if more != 1 else ''} in this "
                         f"{'lecture' if hit['lecture'] else 'group'}")
        if links:
            st.caption(" · ".join(links))

pages = max(1, math.ceil(total / PER_PAGE))
if pages > 1:
    permalink.clamp("search_page", range(1, pages + 1), 1)
    shown = st.session_state["search_page"]
    # The pager gets a key of its own per page shown: ``search_page`` is set by links and
    # filters, and a widget whose value is also set through session state makes Streamlit
    # log a warning (with a stack trace) on every first use.
    st.pagination(pages, default=shown, key=f"search_pager_{shown}", on_change=turn_page,
                  args=(f"search_pager_{shown}",))
    permalink.publish("search", SPEC)

# The other pages need the graph: read it in the background once this page is on screen.
cache.warm()
