"""Page state in the address bar, so any view can be shared and reopened.

Each page keeps its widget values in prefixed session-state keys (``search_q``) and mirrors
them to short query parameters (``?q=…&edition=SP20&edition=FL22``). :func:`seed` copies the
URL into the widgets before they are drawn; :func:`publish` writes the widgets back after.
Streamlit's own ``bind="query-params"`` is not used: it names the parameter after the widget
key and stores the option's *label*, and our labels carry live facet counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import streamlit as st


def _url() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in sorted(st.query_params.keys())}


def _parse(values: list[str], default: Any) -> Any:
    if isinstance(default, list):
        # An absent parameter means the default; publish() leaves defaults out of the URL.
        return list(values) if values else list(default)
    if not values or values[-1] == "":
        return default
    if isinstance(default, bool):
        return values[-1].lower() in ("1", "true", "yes")
    if isinstance(default, int):
        try:
            return int(values[-1])
        except ValueError:
            return default
    return values[-1]


def seed(prefix: str, spec: Mapping[str, Any]) -> None:
    """Set ``st.session_state[f"{prefix}_{name}"]`` from ``?name=…`` when the URL is news.

    ``spec`` maps each parameter to its default; a list default means a repeated parameter,
    an int (or bool) default a number. The URL is news on the page's first run in a session
    and whenever it changed without this page writing it: a shared link, a link from another
    page, the browser's back button. Otherwise the widgets keep what the user set.
    """
    url = _url()
    mark = f"{prefix}__url"
    keys = [f"{prefix}_{name}" for name in spec]
    if st.session_state.get(mark) == url and all(k in st.session_state for k in keys):
        return
    for name, default in spec.items():
        st.session_state[f"{prefix}_{name}"] = _parse(st.query_params.get_all(name), default)
    st.session_state[mark] = url


def clamp(key: str, options: Iterable[Any], default: Any = None) -> None:
    """Drop a seeded value the widget cannot show (an edition a stale link names)."""
    allowed = list(options)
    value = st.session_state.get(key)
    if isinstance(value, list):
        kept = [v for v in value if v in allowed]
        if kept != value:
            st.session_state[key] = kept
    elif value is not None and value not in allowed:
        st.session_state[key] = default


def publish(prefix: str, spec: Mapping[str, Any]) -> None:
    """Write the page's widget values to the URL, leaving defaults out so links stay short."""
    params: dict[str, list[str]] = {}
    for name, default in spec.items():
        value = st.session_state.get(f"{prefix}_{name}")
        if value is None or value == default or value in ("", []):
            continue
        params[name] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    if params != _url():
        st.query_params.from_dict({k: v if len(v) > 1 else v[0] for k, v in params.items()})
    st.session_state[f"{prefix}__url"] = {k: params[k] for k in sorted(params)}
