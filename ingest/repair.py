"""Repair the damaged copies of links that translated notes pages carry.

Translators copied the English pages by hand and some links did not survive: a YouTube ID
with its case lost (``tvwv14ykbys`` for ``tVwV14YkbYs``), an Arabic question mark in
``watch؟v=``, a markdown link pasted into an ``href`` (``[url](url)``), "LeCun" replaced by
"Le Cun" inside a URL, a relative path that lands nowhere (``es/week05/05-3/es/week04/04-1/``),
a localised folder name (``fr/semaine07/07-3/``). A link is repaired only when the English
page the translation comes from holds exactly one link it can be a copy of; otherwise a
damaged link is kept and marked ``broken``. Nothing is ever made up from a broken link.

Links to the site's former address (``atcold.github.io/pytorch-Deep-Learning/…``, declared
as aliases in ``ingest/registry.py``) are folded into the current site when the page exists.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from dlgraph.records import Link, NotesPage, Resource
from ingest.common import (
    classify_url,
    live_url,
    parse_time,
    resource_from_url,
    youtube_id_and_start,
)
from ingest.registry import EDITIONS, SITE_HOST

_YT_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_SCHEMELESS = re.compile(r"/((?:[a-z0-9-]+\.)+(?:com|org|net|edu|io|ai|gov|cc)/.*)$", re.I)
_NOTES_TAIL = re.compile(r"(\d{2}(?:-\d+)?)/?$")


def repair_links(
    pages: Sequence[NotesPage],
) -> tuple[list[NotesPage], list[Resource], list[Resource]]:
    """Repair damaged links of translated pages against the English pages they translate.

    Returns ``(pages, repaired, broken)``: the pages with repaired section videos and links
    (a repaired resource carries ``repaired_from``), every repaired resource, and every
    damaged link that could not be repaired (kept on its page, ``broken=True``).
    """
    by_url = {p.url: p for p in pages}
    known = set(by_url)
    bases = {_base(p.url) for p in pages}
    english_ids = {vid for p in pages if p.language == "en" for vid in _video_ids(p)}
    repaired: list[Resource] = []
    broken: list[Resource] = []
    out = []
    for page in pages:
        original = by_url.get(page.translation_of) if page.translation_of else None
        fixer = _Fixer(page, original, known, bases, english_ids)
        sections = []
        for s in page.sections:
            video = fixer.video(s.video) if s.video else None
            links = tuple(fixer.link(link) for link in s.links)
            sections.append(dataclasses.replace(s, video=video, links=links))
        links = tuple(fixer.link(link) for link in page.links)
        out.append(dataclasses.replace(page, sections=tuple(sections), links=links))
        repaired += fixer.repaired
        broken += fixer.broken
    return out, _unique(repaired), _unique(broken)


def _unique(resources: list[Resource]) -> list[Resource]:
    # A link sits both in its section and in the page's list; report it once.
    return list(dict.fromkeys(resources))


def _base(url: str) -> str:
    m = re.match(r"^(https?://[^/]+/[^/]+/)", url)
    return m.group(1) if m else url


def _video_ids(page: NotesPage) -> set[str]:
    ids = {s.video.key for s in page.sections if s.video and _YT_ID.match(s.video.key)}
    for link in page.links:
        yt = youtube_id_and_start(link.url)
        if yt:
            ids.add(yt[0])
    return ids


def loose(url: str) -> str:
    """A forgiving comparison form of a URL: what a damaged copy and its original share.

    Unwraps a markdown link or parentheses pasted into an ``href`` (keeping the innermost
    absolute URL), reads ``؟`` as ``?``, drops whitespace, scheme, ``www.``, case and a
    trailing slash.
    """
    text = re.sub(r"\s+", "", url.replace("؟", "?").replace("&amp;", "&"))
    inner = re.findall(r"https?:/+[^\s\[\]()]+", text, flags=re.I)
    if inner:
        text = inner[-1]
    host, _, path = re.sub(r"^https?:/+", "", text, flags=re.I).partition("/")
    if host.casefold() == SITE_HOST:
        # "yann.lecun.com/…" written without a scheme was resolved as a path of the site.
        m = _SCHEMELESS.search("/" + path)
        if m:
            text = m.group(1)
    text = re.sub(r"^https?:/+", "", text.casefold())
    text = re.sub(r"^www\.", "", text)
    return text.rstrip("/")


def _loose_video(url: str) -> tuple[str, int | None] | None:
    """Video ID and start read from a damaged YouTube URL (case of the ID unknown)."""
    text = loose(url)
    m = re.search(r"(?:youtube\.com/watch/?\?(?:.*&)?v=|youtu\.be/)([a-z0-9_-]{11})", text)
    if not m:
        return None
    t = re.search(r"[?&]\s*t=([0-9hms]+)", text)
    return m.group(1), parse_time(t.group(1)) if t else None


def _one_edit(a: str, b: str) -> bool:
    """``b`` is ``a`` with one character dropped, added or changed."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


class _Fixer:
    """Repairs the links of one page, collecting what it repaired and what stays broken."""

    def __init__(self, page, original, known, bases, english_ids):
        self.page = page
        self.original = original
        self.known = known
        self.bases = bases
        self.english_ids = english_ids
        self.repaired: list[Resource] = []
        self.broken: list[Resource] = []
        self._done: dict[str, Resource | None] = {}
        if original is not None:
            self.original_ids = _video_ids(original)
            urls = [link.url for link in original.links]
            urls += [s.video.url for s in original.sections if s.video]
            # The English page may itself use the site's former address.
            self.original_urls = urls + [a for u in urls if (a := self._alias(u))]
        else:
            self.original_ids, self.original_urls = set(), []

    # -- videos ----------------------------------------------------------------------------

    def _case_matches(self, vid: str) -> set[str]:
        """Known IDs equal to ``vid`` but for case: the English original's, else any English."""
        for pool in (self.original_ids, self.english_ids):
            hits = {i for i in pool if i.casefold() == vid.casefold()}
            if hits:
                return hits
        return set()

    def _video_url(self, vid: str, start: int | None) -> str:
        for url in self.original_urls:
            if youtube_id_and_start(url) == (vid, start):
                return url
        return f"https://www.youtube.com/watch?v={vid}" + (f"&t={start}s" if start else "")

    def video(self, res: Resource) -> Resource:
        """The section video, repaired when its ID is a damaged copy of a known one."""
        if res.broken or res.repaired_from:
            return res
        parsed = youtube_id_and_start(res.url)
        if parsed and (parsed[0] in self.english_ids or self.page.language == "en"):
            return res
        candidate = parsed or _loose_video(res.url)
        hits = self._case_matches(candidate[0]) if candidate else set()
        if not candidate:
            candidate, hits = self._near_match(res.url)
        if parsed and not hits:
            return res  # a well-formed video the English pages do not name: not a copy
        if len(hits) != 1:
            # Unreadable, or its case fits several videos: which one was meant is unknown.
            out = dataclasses.replace(res, broken=True)
            self.broken.append(out)
            return out
        real, start = hits.pop(), candidate[1]
        out = Resource(kind="video", url=self._video_url(real, start), key=real, start=start,
                       label=res.label, repaired_from=res.url)
        self.repaired.append(out)
        return out

    def _near_match(self, url: str) -> tuple[tuple[str, int | None] | None, set[str]]:
        """The original's one video a malformed ID is a copy of, a character lost or added.

        Only the page translated is searched, and its video must be linked at the same
        second: ``-NZb480zlg&t=4817s`` is ``--NZb480zlg`` at 4817 s of the English page.
        """
        m = re.search(r"(?:[?&]v=|youtu\.be/)([A-Za-z0-9_-]{8,14})(?:[&#?]|$)", url)
        if not m or self.original is None:
            return None, set()
        damaged = m.group(1)
        t = re.search(r"[?&#]t=([0-9hms]+)", url)
        start = parse_time(t.group(1)) if t else None
        moments = {youtube_id_and_start(u) for u in self.original_urls} - {None}
        hits = {vid for vid, at in moments if at == start and _one_edit(vid, damaged)}
        return (damaged, start), hits

    # -- links -----------------------------------------------------------------------------

    def link(self, link: Link) -> Link:
        """The link, its URL repaired or left alone (a broken one is reported)."""
        if link.url not in self._done:
            self._done[link.url] = self._fix(link.url)
        res = self._done[link.url]
        if res is None or res.broken:
            return link
        return dataclasses.replace(link, url=res.url)

    def _fix(self, url: str) -> Resource | None:
        if "youtu" in url.casefold():
            res = resource_from_url(url)
            video = self.video(Resource(kind="video", url=res.url, key=res.key, start=res.start))
            if video.broken or video.repaired_from:
                return video
            return None
        alias = self._alias(url)
        if alias:
            return self._repaired(alias, url)
        if url in self.original_urls:
            return None  # copied faithfully: whatever is wrong with it is the original's
        if not self._damaged(url):
            return None
        target = self._from_original(url)
        if target:
            return self._repaired(target, url)
        res = resource_from_url(url)
        out = dataclasses.replace(res, broken=True)
        self.broken.append(out)
        return out

    def _repaired(self, target: str, damaged: str) -> Resource:
        res = dataclasses.replace(resource_from_url(target), repaired_from=damaged)
        self.repaired.append(res)
        return res

    def _alias(self, url: str) -> str | None:
        for spec in EDITIONS.values():
            for old in spec.aliases:
                if spec.base_url and url.startswith(old):
                    new = live_url(spec.base_url + url[len(old):], spec.base_url)
                    if new in self.known:
                        return new
        return None

    def _in_site_page(self, url: str) -> bool:
        base = _base(url)
        return base in self.bases and classify_url(url, base) in ("notes", "week")

    def _damaged(self, url: str) -> bool:
        parts = urlsplit(url)
        if re.search(r"\s|؟", url) or re.search(r".https?:/", url):
            return True
        if parts.hostname == SITE_HOST:
            base = _base(url)
            if base not in self.bases:
                return False  # another site: its pages are not known here
            rest = url[len(base):]
            if _SCHEMELESS.search("/" + rest):
                return True  # a scheme-less external URL resolved as a path
            kind = classify_url(url, base)
            if kind in ("notes", "week"):
                return url not in self.known
            # A path under a language folder that is no known kind of page at all, such as
            # "fr/semaine07/07-3/" or "tr/week14/14-1/0/".
            return kind == "other" and bool(re.search(r"^[a-z]{2}/.*(?:week\d|/\d+(?:-\d+)?/$)", rest))
        return False

    def _from_original(self, url: str) -> str | None:
        if self.original is None:
            return None
        want = loose(url)
        hits = {u for u in self.original_urls if loose(u) == want}
        if len(hits) == 1:
            return hits.pop()
        # A notes/week path that points nowhere: the English page links the same slug.
        m = _NOTES_TAIL.search(urlsplit(url).path)
        if m and urlsplit(url).hostname == SITE_HOST:
            slug = m.group(1)
            targets = set()
            for u in self.original_urls:
                if self._in_site_page(u) and u.rstrip("/").endswith("/" + slug):
                    localised = u.replace("/en/", f"/{self.page.language}/", 1)
                    targets.add(localised if localised in self.known else u)
            if len(targets) == 1:
                return targets.pop()
        return None


__all__ = ["loose", "repair_links"]
