"""The Compare page's topic × edition heatmap, as the Vega-Lite spec the browser draws.

Built with Altair, then kept as plain data by ``cache.query`` (by editions, measure and
level): building and validating the Altair chart for ``st.altair_chart`` took 0.05–0.2 s of
every run of the page, and 0.4 s the first time in a process. The page draws the kept spec
with ``st.vega_lite_chart``; the spec is the one ``st.altair_chart`` would have sent for the
same chart (no theme, the cells as a named dataset: ``tests/test_app.py`` compares the two).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

MEASURES = {"items": "Lecture items", "videos": "Distinct videos", "readings": "Readings"}


def heatmap_chart(rows: list[dict], codes: tuple[str, ...], measure: str, data: Any = None):
    """The Altair chart of ``rows`` (``{topic, edition, count}``, topics in their order).

    Its data are ``rows`` inline unless ``data`` is given (a DataFrame of the same rows draws
    the same chart). Inline values, not a DataFrame: Altair then runs no data transformer,
    which ``st.altair_chart`` switches globally (under a lock of its own) while it converts
    a chart in another session's thread.
    """
    import altair as alt

    order = list(dict.fromkeys(r["topic"] for r in rows))
    base = alt.Chart(alt.Data(values=rows) if data is None else data).encode(
        x=alt.X("edition:N", sort=list(codes), title=None,
                axis=alt.Axis(orient="top", labelAngle=0)),
        # Topic names get what a narrow screen can spare, so the cells keep their room.
        y=alt.Y("topic:N", sort=order, title=None,
                axis=alt.Axis(labelLimit=alt.ExprRef("min(320, containerSize()[0] * 0.45)"))),
    )
    heat = base.mark_rect(cornerRadius=3).encode(
        # An empty cell is grey, not the palest blue, so "none" never reads as "a few".
        color=alt.condition(
            alt.datum.count > 0,
            # Each cell has its number written in, so no legend is needed (and none
            # overflows a phone screen).
            alt.Color("count:Q", title=MEASURES[measure], scale=alt.Scale(scheme="blues"),
                      legend=None),
            alt.value("#f0f2f6"),
        ),
        tooltip=["topic:N", "edition:N", alt.Tooltip("count:Q", title=MEASURES[measure])],
    )
    most = max(r["count"] for r in rows)
    labels = base.mark_text(fontSize=12).encode(
        text=alt.Text("count:Q"),
        color=alt.condition(alt.datum.count > most / 2, alt.value("white"), alt.value("#31333f")),
        opacity=alt.condition(alt.datum.count > 0, alt.value(1), alt.value(0)),
    )
    # One fixed-height band per topic, so no topic name is dropped for lack of room.
    return (heat + labels).properties(height=alt.Step(26))


def vega_lite_spec(chart) -> dict[str, Any]:
    """``chart.to_dict()`` without a theme's config, as ``st.altair_chart`` sends it (it
    converts under the theme "none"; switching the global theme here would race it).

    :func:`heatmap_chart` configures nothing itself, so whatever config (and embed options)
    the spec holds are the active theme's: dropped whole, whichever theme another session's
    chart has switched to in that instant (comparing it with the default theme's was a race
    between two reads).
    """
    spec = chart.to_dict()
    spec.pop("config", None)
    spec.pop("usermeta", None)
    if "values" in spec.get("data", {}):
        # The values as a named dataset, where st.altair_chart puts a chart's data.
        values = spec.pop("data")["values"]
        name = "data-" + hashlib.blake2s(json.dumps(values).encode(), digest_size=16).hexdigest()
        spec["data"], spec["datasets"] = {"name": name}, {name: values}
    return spec


def heatmap(graph, codes: tuple[str, ...], measure: str, level: str) -> dict[str, Any]:
    """``{"spec": …, "empty": [codes]}``: the spec is ``None`` when no cell counts anything;
    ``empty`` names the editions whose column is empty. Raises ``CompareError`` as
    ``timeline`` does."""
    from dlgraph.compare import timeline

    matrix = timeline(graph, codes, level=level)
    rows = [{"topic": ("  " * t["depth"]) + t["topic"], "edition": code,
             "count": t["cells"][code][measure]}
            for t in matrix["topics"] for code in codes]
    if not any(r["count"] for r in rows):
        return {"spec": None, "empty": list(codes)}
    empty = [c for c in codes if not any(r["count"] for r in rows if r["edition"] == c)]
    return {"spec": vega_lite_spec(heatmap_chart(rows, codes, measure)), "empty": empty}
