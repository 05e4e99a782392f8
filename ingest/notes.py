"""Parse a lecture-notes page (``weekNN/NN-K/``) or week page (``weekNN/NN/``), any language.

All editions share the jekyllbook theme, so one parser serves them: the content sits in
``main div.page``; credits are ``🎙️ <i>lecturer</i>``, ``📝 <i>scribes</i>``, a flag icon
``<i class="fa flag-placeholder lang-is-xx"></i> <i>translators</i>`` and a bare
``<i>date</i>``; ``h2``–``h4`` headings carry an anchor id and, on notes pages, a link to
the lecture video at the second the section starts. Some pages write a section heading as a
second ``h1`` (kramdown's ``#``), so every ``h1`` but the page title opens a section too.
"""

from __future__ import annotations

import re
from datetime import datetime

from bs4 import BeautifulSoup, Comment, NavigableString, SoupStrainer, Tag

from dlgraph.records import LEAD_ANCHOR, CodeBlock, Link, NotesPage, PersonRef, Resource, Section
from ingest.common import (
    classify_url,
    clean_person_name,
    language_of,
    live_url,
    notes_slug,
    person_key,
    resource_from_url,
    split_names,
)
from ingest.registry import EDITIONS

_HEADINGS = ("h1", "h2", "h3", "h4")
_BLOCKS = frozenset(
    "p li ul ol table tr td th div blockquote pre h1 h2 h3 h4 h5 h6 br hr dd dt figure center".split()
)
_SKIP = frozenset(("style", "script", "noscript", "template"))
_SENTENCE_END = re.compile(r"(?<=[.!?。！？؟])\s+")
_MAX_CONTEXT = 400


def base_url_of(url: str, edition: str) -> str:
    """The site root a page belongs to: the registry's, else the URL's first path segment."""
    spec = EDITIONS.get(edition.upper())
    if spec and spec.base_url and url.startswith(spec.base_url):
        return spec.base_url
    m = re.match(r"^(https?://[^/]+/[^/]+/)", url)
    return m.group(1) if m else url


def parse_page(html: str, url: str, edition: str) -> NotesPage:
    """Parse a notes or week page into a :class:`~dlgraph.records.NotesPage`.

    ``url`` is the page's live URL; it decides the kind (``notes`` / ``week``), week, slug
    and language. Raises ``ValueError`` for a URL that is neither kind of page.
    """
    url = live_url(url, url)
    base = base_url_of(url, edition)
    kind = classify_url(url, base)
    if kind not in ("notes", "week"):
        raise ValueError(f"not a notes or week page: {url}")
    week, part = notes_slug(url, base)
    language = language_of(url, base)
    translation_of = None
    if language != "en":
        translation_of = base + url[len(base):].replace(f"{language}/", "en/", 1)

    # Only <main> holds content; skipping the sidebar (every page's TOC) halves parse time.
    soup = BeautifulSoup(html, "lxml", parse_only=SoupStrainer("main"))
    if soup.find("main") is None:
        soup = BeautifulSoup(html, "lxml")
    page = soup.select_one("main div.page") or soup.find("main") or soup.body or soup
    title_tag = page.find("h1", class_="page-title") or page.find("h1")
    title = _text(title_tag) if title_tag else ""
    if title_tag:
        title_tag.decompose()
    # The theme hides KaTeX macro definitions in a display:none div (SP20's week 10 part 3
    # in a <div hidden>); they are not content.
    for div in page.find_all("div", style=re.compile(r"display:\s*none")):
        div.decompose()
    for hidden in page.find_all(hidden=True):
        hidden.decompose()

    lecturers, authors, translators, date = _credits(page)
    front = _stray_front_matter(page)
    title = title or front.get("title", "")
    lecturers = lecturers or split_names(front.get("lecturer", ""))
    authors = authors or split_names(front.get("author", ""))
    translators = translators or split_names(front.get("translator", ""))
    date = date or _date(front.get("date", "") or front.get("translation-date", ""))
    sections, links = _sections(page, url, title)
    return NotesPage(
        url=url,
        edition=edition,
        language=language,
        kind=kind,
        title=title,
        week=week,
        part=part,
        lecturers=tuple(_people(lecturers, "lecturer")),
        authors=tuple(_people(authors, "notes-author")),
        translators=tuple(_people(translators, "translator")),
        date=date,
        translation_of=translation_of,
        sections=tuple(sections),
        links=tuple(links),
    )


# -- credits -------------------------------------------------------------------------------


def _previous(node: Tag):
    prev = node.previous_sibling
    while prev is not None and (
        isinstance(prev, Comment) or (isinstance(prev, NavigableString) and not prev.strip())
    ):
        prev = prev.previous_sibling
    return prev


def _credits(page: Tag) -> tuple[list[str], list[str], list[str], str | None]:
    """Lecturers, scribes, translators and date; their nodes are removed from ``page``."""
    lecturers: list[str] = []
    authors: list[str] = []
    translators: list[str] = []
    date = None
    spent: list = []
    for i in page.find_all("i"):
        if i.get("class"):
            continue
        prev = _previous(i)
        text = _text(i)
        if isinstance(prev, NavigableString) and not isinstance(prev, Comment):
            marker = str(prev)
            if "🎙" in marker:
                lecturers += split_names(text)
                spent += [i, prev]
                continue
            if "📝" in marker:
                authors += split_names(text)
                spent += [i, prev]
                continue
        if isinstance(prev, Tag) and "flag-placeholder" in (prev.get("class") or []):
            translators += split_names(text)
            spent += [i, prev]
            continue
        if i.parent is page and date is None and (parsed := _date(text)):
            date = parsed
            spent.append(i)
    for node in spent:
        if isinstance(node, Tag):
            node.decompose()
        else:
            # Keep the text around the emoji (there is none in practice) but drop the marker.
            node.replace_with(re.sub(r"[🎙📝\ufe0f]", "", str(node)))
    return lecturers, authors, translators, date


def _stray_front_matter(page: Tag) -> dict[str, str]:
    """YAML front matter that a page's source broke, so Jekyll rendered it as a paragraph.

    SP20's ``tr/week13/13/`` shows its ``lang:``/``title:``/``translator:`` block as text
    and its title is empty; the values are read and the paragraph removed from the content.
    """
    p = page.find("p")
    if p is None:
        return {}
    lines = p.get_text().splitlines()
    pairs = [re.match(r"^\s*([a-z-]+):\s*(.*?)\s*$", line) for line in lines]
    if len(lines) < 2 or not pairs[0] or pairs[0].group(1) not in ("lang", "title", "lang-ref"):
        return {}
    p.decompose()
    return {m.group(1): m.group(2) for m in pairs if m}


_DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%B %d %Y", "%b %d %Y", "%Y-%m-%d")


def _date(text: str) -> str | None:
    """ISO date of a credit line such as ``3 Feb 2020`` / ``14th April 2021``, else ``None``."""
    clean = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.replace(",", " "))
    clean = " ".join(clean.split())
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(clean, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _people(names: list[str], role: str) -> list[PersonRef]:
    seen: set[str] = set()
    out = []
    for name in names:
        name = clean_person_name(name)
        key = person_key(name)
        if key and key not in seen:
            seen.add(key)
            out.append(PersonRef(name=name, key=key, role=role))
    return out


# -- sections and links --------------------------------------------------------------------


def _text(node) -> str:
    return " ".join(node.get_text().split())


# A translator's "[Heading] (https://youtube…)" with a space kramdown does not read as a link:
# the heading text then holds the bare URL, which is still the section's moment.
_BARE_VIDEO = re.compile(r"[(（]?\s*(https?://(?:www\.|m\.)?youtu(?:\.be|be\.com)/[^\s)）]+)\s*[)）]?")


def _heading_text(heading: Tag) -> str:
    """The heading as a reader sees it: a bare video URL and its brackets left out."""
    text = _text(heading)
    if not heading.find("a", href=True) and _BARE_VIDEO.search(text):
        text = " ".join(_BARE_VIDEO.sub(" ", text).replace("[", " ").replace("]", " ").split())
    return text


def _video(heading: Tag, page_url: str) -> Resource | None:
    for a in heading.find_all("a", href=True):
        res = resource_from_url(a["href"], page_url=page_url)
        if res.kind == "video" or "youtu" in a["href"].lower():
            if res.kind != "video":
                # A damaged YouTube link (see ingest.repair) is still the section's video.
                res = Resource(kind="video", url=res.url, key=res.key)
            return Resource(kind="video", url=res.url, key=res.key, start=res.start,
                            label=_text(heading))
    bare = None if heading.find("a", href=True) else _BARE_VIDEO.search(_text(heading))
    if bare:
        # Arabic pages type the query's "?" as "؟" in such text.
        res = resource_from_url(bare.group(1).replace("؟", "?"), page_url=page_url)
        # A damaged ID (ja/week05/05-2 lost a dash of "--NZb480zlg") is still the section's
        # video: ingest.repair mends it from the English page or reports it broken.
        return Resource(kind="video", url=res.url, key=res.key, start=res.start,
                        label=_heading_text(heading))
    return None


def _context(a: Tag) -> str:
    block = a.find_parent(("p", "li", "td", "th", "dd", "blockquote", "figcaption")) or a.parent
    text = _text(block)
    anchor = _text(a)
    for sentence in _SENTENCE_END.split(text):
        if anchor and anchor in sentence:
            return sentence[:_MAX_CONTEXT]
    return text[:_MAX_CONTEXT]


def _keep_link(href: str) -> bool:
    href = href.strip()
    return bool(href) and not href.startswith(("#", "mailto:", "javascript:", "tel:"))


def _container(node) -> str | None:
    """``"heading"`` or ``"pre"`` when ``node`` sits inside one, else ``None``."""
    # A plain parent walk: bs4's find_parent costs a filter object per call.
    while node is not None:
        if node.name in _HEADINGS:
            return "heading"
        if node.name == "pre":
            return "pre"
        node = node.parent
    return None


def _in_heading(node) -> bool:
    return _container(node) == "heading"


def _code_block(pre: Tag) -> CodeBlock:
    """A ``<pre>`` as written; kramdown puts the language on the inner ``<code>``'s class."""
    language = None
    code = pre.find("code")
    for cls in (code.get("class") or []) if code is not None else []:
        if cls.startswith("language-"):
            language = cls[len("language-"):]
    # Only the final newline kramdown adds is dropped: leading spaces are the code's own.
    return CodeBlock(text=pre.get_text().rstrip("\n"), language=language)


def _new_section(anchor: str, heading: str, level: int, video: Resource | None) -> dict:
    return {"anchor": anchor, "heading": heading, "level": level, "video": video,
            "parts": [], "links": [], "code": []}


def _is_section_heading(node: Tag) -> bool:
    # A heading whose only content is an HTML comment (``<h2><!--Lecture part A--></h2>``,
    # a translator's hidden copy of the English heading) is not a section: no name, and
    # often no anchor either. Its text, if any, stays with the section before it.
    return bool(_text(node)) or node.find("a", href=True) is not None


def _sections(page: Tag, page_url: str, title: str = "") -> tuple[list[Section], list[Link]]:
    # Text before the first heading is the lead, a section of its own (kept only when the
    # page has some): eight pages open with paragraphs their translators left unheaded.
    lead = _new_section(LEAD_ANCHOR, title, 1, None)
    sections: list[dict] = [lead]
    links: list[Link] = []
    current: dict = lead
    for node in page.descendants:
        if isinstance(node, Tag):
            if node.name in _HEADINGS and _is_section_heading(node):
                current = _new_section(node.get("id") or "", _heading_text(node),
                                       int(node.name[1]), _video(node, page_url))
                sections.append(current)
            elif node.name == "a" and node.get("href") and _keep_link(node["href"]):
                if _in_heading(node) and "youtu" in node["href"].casefold():
                    continue  # the section's video, kept in Section.video
                link = Link(
                    url=live_url(node["href"], page_url),
                    text=_text(node),
                    context=_context(node),
                    section=current["anchor"],
                )
                links.append(link)
                current["links"].append(link)
            elif node.name == "pre" and _container(node.parent) is None:
                # A placeholder line now, the verbatim code once the prose is normalised.
                current["parts"].append(f"\n{_CODE_MARK}{len(current['code'])}{_CODE_MARK}\n")
                current["code"].append(_code_block(node))
            elif node.name in _BLOCKS:
                current["parts"].append("\n")
            continue
        if isinstance(node, Comment):
            continue
        parent = node.parent
        if parent.name in _SKIP:
            if parent.name == "script" and (parent.get("type") or "").startswith("math/tex"):
                # Live pages may still carry MathJax scripts; keep the math as TeX text.
                display = "mode=display" in parent.get("type", "")
                current["parts"].append(f"\\[{node}\\]" if display else f"\\({node}\\)")
            continue
        if _container(parent) is not None:
            continue  # heading text is the section's name; code is added whole
        current["parts"].append(str(node))
    out = []
    for s in sections:
        text = _section_text(s["parts"], s["code"])
        if s is lead and not (text or s["links"]):
            continue
        out.append(
            Section(
                anchor=s["anchor"],
                heading=s["heading"],
                level=s["level"],
                position=len(out) + 1,
                text=text,
                video=s["video"],
                links=tuple(s["links"]),
                code=tuple(s["code"]),
            )
        )
    return out, links


_CODE_MARK = "\x00"


def _section_text(parts: list[str], code: list[CodeBlock]) -> str:
    """Prose with its whitespace collapsed per line; code blocks verbatim on their own lines."""
    lines = []
    for raw in "".join(parts).split("\n"):
        line = " ".join(raw.split())
        if line.startswith(_CODE_MARK) and line.endswith(_CODE_MARK) and len(line) > 2:
            lines.append(code[int(line.strip(_CODE_MARK))].text)
        elif line:
            lines.append(line)
    return "\n".join(lines)


__all__ = ["base_url_of", "parse_page"]
