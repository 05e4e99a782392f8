"""Lecture: everything about one lecture item; opened from a search hit as ``?lecture=<iri>``."""

import hashlib
from urllib.parse import urlsplit

import streamlit as st

from app_pages import cache, permalink
from app_pages.chrome import tab_title
from app_pages.render import hms, language, link, md, names
from dlgraph.lecture import lecture_list, lecture_view
from dlgraph.lecture_media import find_in_transcript, lecture_media

#: The ingested editions, oldest first (the graph's, not the configuration's).
EDITIONS = cache.editions()

#: Resource kind → (icon, label); the host is shown beside it instead of the raw URL.
RESOURCES = {
    "video": (":material/smart_display:", "Video"),
    "slides": (":material/slideshow:", "Slides"),
    "notebook": (":material/code:", "Notebook"),
    "notes": (":material/description:", "Notes handout"),
    "homework": (":material/assignment:", "Homework"),
    "other": (":material/link:", "Link"),
}
HOSTS = {"www.youtube.com": "YouTube", "youtube.com": "YouTube", "drive.google.com": "Google Drive",
         "github.com": "GitHub", "docs.google.com": "Google Docs"}
SPEC = {"lecture": None}
#: Transcript passages drawn at first, and added by each "Show more": a few screens of the
#: 560-pixel box; a whole transcript (about 90,000 characters of links) is most of what a
#: browser spends on this page.
PASSAGES = 25


def open_lecture(iri: str) -> None:
    """Show another lecture (a callback, so it runs before the picker is drawn)."""
    st.session_state["lecture_lecture"] = iri


def notes_page(page: dict) -> None:
    """One notes page: its title, who wrote it, its sections with their video moments."""
    st.markdown(f"#### {link(page['title'] or page['url'], page['url'])}")
    who = []
    if page["authors"]:
        who.append(f"Notes by {names(page['authors'])}")
    if page["translators"]:
        who.append(f"translated by {names(page['translators'])}")
    if page["date"]:
        who.append(md(page["date"]))
    if who:
        st.caption(" · ".join(who))
    lines = []
    for sec in page["sections"]:
        indent = "    " * max(sec["level"] - 2, 0)
        heading = link(sec["heading"], sec["iri"])
        when = f" — [▶ {hms(sec['start'])}]({sec['video_url']})" if sec["video_url"] else ""
        lines.append(f"{indent}- {heading}{when}")
    if lines:
        st.markdown("\n".join(lines))
    # Code blocks as the notes write them: monospaced, indentation kept. Drawn only once
    # opened (a rerun): highlighted code is the costliest thing a browser draws here, and
    # a notes page can hold a dozen blocks.
    for sec in (s for s in page["sections"] if s["code"]):
        key = "lecture_code_" + hashlib.blake2s(sec["iri"].encode(), digest_size=6).hexdigest()
        with st.expander(f"Code · {sec['heading']}", icon=":material/code:", key=key,
                         on_change="rerun") as box:
            if box.open:
                for block in sec["code"]:
                    st.code(block, language="python")


def show_more() -> None:
    """The transcript's next passages (a callback: the count grows before the page draws)."""
    st.session_state["lecture_shown"] += PASSAGES


permalink.seed("lecture", SPEC)
lectures = cache.query(lecture_list)
by_iri = {r["iri"]: r for r in lectures}
# SP21 lists two items with one title: their keys tell them apart in the picker.
seen: set = set()
twice = {k for k in ((r["edition"], r["title"]) for r in lectures) if k in seen or seen.add(k)}

# A link may name a notes page or a section instead of the item: open the item it is about.
wanted = st.session_state.get("lecture_lecture")
if wanted and wanted not in by_iri:
    found = cache.query(lecture_view, wanted)
    st.session_state["lecture_lecture"] = found["iri"] if found else None
    if not found:
        st.warning(f"No lecture found for {md(wanted)}.", icon=":material/help:")

iri = st.selectbox(
    "Lecture",
    list(by_iri),
    format_func=lambda i: f"{by_iri[i]['edition']} · {by_iri[i]['title']}"
    + (f" ({i.rsplit('/', 1)[-1]})" if (by_iri[i]["edition"], by_iri[i]["title"]) in twice else ""),
    placeholder="Choose a lecture, or open one from Search…",
    key="lecture_lecture",
    label_visibility="collapsed",
)
permalink.publish("lecture", SPEC)

if not iri:
    tab_title("Lectures")
    st.title("Lectures")
    st.caption("Pick a lecture above; every search hit links here too.")
    st.stop()

view = cache.query(lecture_view, iri)
media = cache.query(lecture_media, iri) or {"transcripts": [], "notebooks": [], "slides": []}

# -- heading -------------------------------------------------------------------------------
tab_title(f"{view['title']} ({view['edition']})")
st.title(md(view["title"]))
facts = [f":blue-badge[{md(view['edition'])}]"]
if view["theme"]:
    facts.append(f"Theme {view['theme']['number']}: {md(view['theme']['label'])}")
if view["week"] is not None:
    facts.append(f"Week {view['week']}")
facts.append(md(view["format"]).capitalize())
# Greyed out on its home page, or (SP21's "[from last year]") the video of an older edition.
older = [o["edition"] for o in view["other_editions"] if o["relation"] == "same recording"
         and o["edition"] in EDITIONS and view["edition"] in EDITIONS
         and EDITIONS.index(o["edition"]) < EDITIONS.index(view["edition"])]
if view["reused"] or older:
    facts.append(":orange-badge[reused recording"
                 + (f" from {md(', '.join(dict.fromkeys(older)))}" if older else "") + "]")
st.markdown(" · ".join(facts))
if view["edition_name"]:
    st.caption(link(view["edition_name"], view["edition_url"]) if view["edition_url"]
               else md(view["edition_name"]))
for note in view["footnotes"]:
    st.caption(f"Note: {md(note)}")

main, side = st.columns([3, 2], gap="large")

# -- notes sections beside the transcript, one tab per language --------------------------------
with main:
    notes_col, said_col = st.columns(2, gap="medium") if media["transcripts"] else (st.container(), None)

with notes_col:
    st.subheader("Notes")
    pages = [p for p in view["pages"] if p["kind"] == "notes"] or view["pages"]
    if not pages:
        st.caption("This lecture has no notes pages.")
    else:
        langs = list(dict.fromkeys(p["language"] for p in pages))
        # Lazy tabs (a rerun on switching): only the open language is drawn, where st.tabs
        # would send and draw all of them (SP20 lectures have up to twelve).
        tabs = st.tabs([language(lang) for lang in langs], key="lecture_notes_lang",
                       on_change="rerun")
        for tab, lang in zip(tabs, langs, strict=True):
            if tab.open:
                with tab:
                    for page in (p for p in pages if p["language"] == lang):
                        notes_page(page)

if said_col is not None:
    with said_col:
        st.subheader("Transcript")
        # Every passage is a ▶ link to its second; the box keeps only passages saying it.
        wanted = st.text_input("Find in transcript", key="lecture_find",
                               placeholder="Find in transcript…", label_visibility="collapsed")
        spoken = media["transcripts"]
        tabs = st.tabs([language(t["language"]) for t in spoken], key="lecture_said_lang",
                       on_change="rerun")
        for tab, tr in zip(tabs, spoken, strict=True):
            if not tab.open:
                continue
            with tab:
                found = find_in_transcript(tr["passages"], wanted)
                # The first passages, then more on request (PASSAGES); the box above still
                # searches every passage.
                if st.session_state.get("lecture_shown_for") != (iri, tr["iri"], wanted):
                    st.session_state["lecture_shown_for"] = (iri, tr["iri"], wanted)
                    st.session_state["lecture_shown"] = PASSAGES
                shown = found[:st.session_state["lecture_shown"]]
                st.caption(f"{len(found)} of {len(tr['passages'])} passages · "
                           + link("caption file", tr["url"]))
                with st.container(height=560, border=False, key="lecture_passages"):
                    st.markdown("\n\n".join(
                        f"[▶ {hms(p['start'])}]({p['url']}) {md(p['text'])}" for p in shown)
                        or "_Not said in this transcript._")
                    if len(found) > len(shown):
                        left = len(found) - len(shown)
                        st.button(f"Show {min(left, PASSAGES)} more ({left} left)",
                                  key="lecture_more", icon=":material/expand_more:",
                                  type="tertiary", on_click=show_more)

# -- resources, people, topics, readings, other editions -----------------------------------
with side:
    st.markdown("#### Resources")
    lines = []
    for res in view["resources"]:
        if not res["url"]:
            continue
        icon, label = RESOURCES.get(res["kind"], RESOURCES["other"])
        if res["start"]:
            label += f" at {hms(res['start'])}"
        host = urlsplit(res["url"]).netloc
        line = f"- {icon} {link(label, res['url'])} · {md(HOSTS.get(host, host))}"
        if res["kind"] == "notebook" and res["identifier"]:
            line += f" · {md(res['identifier'].rsplit('/', 1)[-1])}"
        lines.append(line)
    if lines:
        st.markdown("\n".join(lines))
    for url in view["broken_links"]:
        st.caption(f":material/link_off: broken link on the home page: {md(url)}")
    if not view["resources"] and not view["broken_links"]:
        st.caption("No linked resources.")
    # What the notebooks and decks hold, read from the course repository.
    for nb in media["notebooks"]:
        with st.expander(f":material/code: {md(nb['title'])} · {nb['cells']} cells"):
            st.markdown("\n".join(f"- {link(c['heading'], nb['url'])}" for c in nb["headings"])
                        or "_No headings._")
            if nb["apis"]:
                st.caption("Uses " + md(", ".join(a for a in nb["apis"] if a.count(".") >= 2)[:600]))
    for deck in media["slides"]:
        with st.expander(f":material/slideshow: {md(deck['title'])} · {len(deck['pages'])} pages"):
            st.markdown("\n".join(
                f"{pg['number']}. " + link(pg["title"] or f"page {pg['number']}", pg["url"])
                for pg in deck["pages"]))

    st.markdown("#### People")
    if view["lecturers"]:
        st.markdown(f"**Lecturer** {names(view['lecturers'])}")
    if view["notes_authors"]:
        st.markdown(f"**Notes authors** {names(view['notes_authors'])}")
    if view["translators"]:
        st.markdown(f"**Translators** {names(view['translators'])}")
    if not (view["lecturers"] or view["notes_authors"] or view["translators"]):
        st.caption("No people named.")

    if len(view["other_editions"]) or len(view["languages"]) > 1:
        st.markdown("#### Elsewhere")
    # A button, not a page_link: a link to this same page changes the view but leaves the
    # old ?lecture= in the address bar; setting the picker lets publish() rewrite the URL.
    for n, other in enumerate(view["other_editions"]):
        st.button(
            f"{md(other['relation'])}: {md(other['edition'])} · {md(other['title'])}",
            icon=":material/history:", type="tertiary", key=f"lecture_elsewhere_{n}",
            on_click=open_lecture, args=(other["iri"],),
        )
    if len(view["languages"]) > 1:
        st.caption("Notes in " + ", ".join(language(lang) for lang in view["languages"]))

    if view["topics"]:
        st.markdown("#### Topics")
        # Side by side, wrapping: each opens Search filtered to that topic, across editions.
        with st.container(horizontal=True, gap="small"):
            for topic in view["topics"]:
                st.page_link("app_pages/search.py", label=md(topic["label"]),
                              icon=":material/sell:", query_params={"topic": topic["label"]})

    st.markdown("#### Readings")
    if view["readings"]:
        for r in view["readings"]:
            by = f" — {md(', '.join(r['creators']))}" if r["creators"] else ""
            st.markdown(f"- {link(r['title'], r['url'])}{by}")
    else:
        st.caption("No readings cited.")
    st.page_link("app_pages/graph.py", label="See it in the graph", icon=":material/hub:",
                 query_params={"focus": view["iri"]})
