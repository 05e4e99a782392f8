"""Turning scraped text into safe Markdown: every page renders course text through here.

Scraped titles, headings and snippets are escaped for Markdown (no raw HTML is ever passed
to Streamlit: the app never uses ``unsafe_allow_html``), so a ``$`` in a notes page is not
typeset as math, ``:red[…]`` is not a Streamlit colour directive and ``[x](javascript:…)``
is not a link. Links are only made from http(s) URLs taken from the graph.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

# Markdown punctuation. A colon gets an entity instead: Streamlit expands ``:material/x:``
# icons before Markdown sees the backslash, so ``\:`` would still draw an icon.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$=&\"'^])")
_SPACE = re.compile(r"\s+")


def md(text: object) -> str:
    """``text`` escaped for ``st.markdown``: shown literally, on one line."""
    if text is None:
        return ""
    return _escape(_SPACE.sub(" ", str(text)).strip())


def safe_url(url: object) -> str | None:
    """``url`` fit for a Markdown link target, or ``None`` when it is not http(s)."""
    if not url or not re.match(r"https?://", str(url), re.I):
        return None
    return quote(str(url), safe=":/?#[]@!$&'*+,;=%~-._")


def link(label: object, url: object) -> str:
    """A Markdown link with an escaped label; just the label when the URL is unusable."""
    target = safe_url(url)
    text = md(label) or md(url)
    return f"[{text}]({target.replace('(', '%28').replace(')', '%29')})" if target else text


def page_href(page: str, **params: str) -> str:
    """A relative address of another page of the app (``lecture?lecture=…``)."""
    return f"{page}?{urlencode(params)}" if params else page


def app_link(label: object, page: str, **params: str) -> str:
    """A Markdown link to a page of the app, with an escaped label."""
    href = page_href(page, **params).replace("(", "%28").replace(")", "%29")
    return f"[{md(label)}]({href})"


def names(people: list[dict]) -> str:
    """``Ada Example, Bo Sample`` from ``[{name: …}]``, escaped."""
    return ", ".join(md(p["name"]) for p in people)


def hms(seconds: int | None) -> str:
    """``217`` → ``3:37``; ``3725`` → ``1:02:05``."""
    if seconds is None:
        return ""
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def highlight(snippet: str, marks: tuple[str, str] = ("<b>", "</b>")) -> str:
    """A search snippet with its matched terms in bold and everything else escaped.

    The index marks matches with ``marks``; the text between them is scraped text, so it is
    escaped piece by piece and only our own ``**`` is left as Markdown.
    """
    start, end = marks
    out, rest = [], snippet or ""
    while rest:
        i = rest.find(start)
        if i < 0:
            out.append(md_keep_space(rest))
            break
        out.append(md_keep_space(rest[:i]))
        rest = rest[i + len(start):]
        j = rest.find(end)
        term, rest = (rest, "") if j < 0 else (rest[:j], rest[j + len(end):])
        if term.strip():
            out.append(f"**{md(term)}**")
    return "".join(out).strip()


def md_keep_space(text: str) -> str:
    """Like :func:`md` but keeps a leading/trailing space (pieces of a sentence)."""
    return _escape(_SPACE.sub(" ", text))


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text).replace(":", "&#58;")


#: Language names as each language writes itself (the notes pages' languages).
LANGUAGES = {
    "en": "English", "fr": "Français", "es": "Español", "zh": "中文", "ja": "日本語",
    "ko": "한국어", "tr": "Türkçe", "it": "Italiano", "ar": "العربية", "pt": "Português",
    "fa": "فارسی", "bn": "বাংলা", "ru": "Русский", "vi": "Tiếng Việt", "hu": "Magyar",
    "sr": "Српски",
}


def language(code: str | None) -> str:
    """``fr`` → ``Français``; unknown codes as they are."""
    return LANGUAGES.get(code or "", code or "")
