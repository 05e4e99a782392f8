"""Readings: what the editions cite, filtered by edition, topic or lecture; every export format."""

import pandas as pd
import streamlit as st

from app_pages import cache, permalink
from app_pages.chrome import tab_title
from dlgraph.export import export_readings
from dlgraph.readings import readings_table
from dlgraph.vocab import slug

#: The ingested editions, oldest first (the graph's, not the configuration's).
EDITIONS = cache.editions()

#: Export format → (button label, file extension, MIME type).
FORMATS = {
    "bibtex": ("BibTeX", "bib", "application/x-bibtex"),
    "ris": ("RIS (Zotero)", "ris", "application/x-research-info-systems"),
    "csv": ("CSV", "csv", "text/csv"),
    "jsonld": ("JSON-LD", "jsonld", "application/ld+json"),
    "markdown": ("Markdown", "md", "text/markdown"),
}
SPEC = {"edition": None, "topic": None, "lecture": None}

permalink.seed("readings", SPEC)
everything = cache.query(readings_table)
editions = list(dict.fromkeys(e for r in everything for e in r["editions"]))
editions.sort(key=lambda e: EDITIONS.index(e) if e in EDITIONS else len(EDITIONS))
permalink.clamp("readings_edition", editions)

tab_title("Readings")
st.title("Readings")
st.caption("Papers and books the editions cite, one row per work however many pages cite it. "
           "Export the selection for Zotero (RIS), LaTeX (BibTeX) or a spreadsheet.")
c1, c2, c3 = st.columns([1, 2, 3])
edition = c1.selectbox("Edition", editions, index=None, key="readings_edition",
                       placeholder="All editions")
# The topic and lecture lists follow the edition, so no pair of choices is empty by design.
shown = [r for r in everything if edition is None or edition in r["editions"]]
topics = sorted({t for r in shown for t in r["topics"]}, key=str.lower)
lectures = {lec["iri"]: lec for r in shown for lec in r["lectures"]
            if edition is None or lec["edition"] == edition}
permalink.clamp("readings_topic", topics)
permalink.clamp("readings_lecture", lectures)
topic = c2.selectbox("Topic", topics, index=None, key="readings_topic", placeholder="Any topic")
lecture = c3.selectbox("Lecture", list(lectures), index=None, key="readings_lecture",
                       placeholder="Any lecture",
                       format_func=lambda i: f"{lectures[i]['edition']} · {lectures[i]['title']}")
permalink.publish("readings", SPEC)

rows = cache.query(readings_table, edition=edition, topic=topic, lecture=lecture)
st.caption(f"{len(rows)} of {len(everything)} readings")
if not rows:
    st.info("No reading matches all of these filters: clear one of them.",
            icon=":material/filter_alt_off:")
    st.stop()
frame = pd.DataFrame(
    [{
        "title": r["title"] or r["url"],
        "authors": ", ".join(r["authors"]) + (" et al." if r["et_al"] else ""),
        "year": str(r["year"] or ""),
        "kind": r["kind"],
        "editions": " ".join(r["editions"]),
        "cited in": r["note"].removeprefix(" / ".join(r.get("courses", [])) + " — "),
        "link": r["url"] or "",  # empty, not None: a null cell would read "None"
    } for r in rows],
    columns=["title", "authors", "year", "kind", "editions", "cited in", "link"],
)
st.dataframe(
    frame, hide_index=True, width="stretch",
    column_config={
        "year": st.column_config.TextColumn(width="small"),
        "kind": st.column_config.TextColumn(width="small"),
        "editions": st.column_config.TextColumn(width="small"),
        "link": st.column_config.LinkColumn(display_text="open ↗", width="small"),
    },
)

st.subheader("Download")
lecture_name = lecture and f"{lectures[lecture]['edition']}-{lecture.rsplit('/', 1)[-1]}"
suffix = "-".join(slug(x) for x in (edition, topic, lecture_name) if x)
cols = st.columns(len(FORMATS))
for col, (fmt, (label, ext, mime)) in zip(cols, FORMATS.items(), strict=True):
    text = cache.query(export_readings, fmt, edition=edition, topic=topic, lecture=lecture)
    col.download_button(label, text, f"dlgraph-readings{'-' + suffix if suffix else ''}.{ext}",
                        mime, icon=":material/download:", key=f"readings_download_{fmt}",
                        width="stretch", on_click="ignore")
