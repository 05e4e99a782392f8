"""Parse a site's other pages: translated home pages, README, FAQ and about pages.

They hold no lecture, but they are how a language is published: SP20's Hungarian and Serbian
exist only as a home page and a README page. Recognised by path: ``<lang>/`` (home),
``<lang>/README-<LANG>/`` (readme), ``<lang>/faq/`` and ``<lang>/about/``; the title is the
page's ``h1.page-title``.
"""

from __future__ import annotations

import re

import lxml.html

from dlgraph.records import SitePage
from ingest.common import language_of, live_url
from ingest.notes import base_url_of

_KINDS = (
    (re.compile(r"^[a-z]{2}(?:-[a-z]{2})?/$"), "home"),
    (re.compile(r"^[a-z]{2}(?:-[a-z]{2})?/readme-[a-z]{2}(?:-[a-z]{2})?/$", re.I), "readme"),
    (re.compile(r"^[a-z]{2}(?:-[a-z]{2})?/faq/$"), "faq"),
    (re.compile(r"^[a-z]{2}(?:-[a-z]{2})?/about/$"), "about"),
)


def site_page_kind(url: str, base_url: str) -> str | None:
    """``home`` / ``readme`` / ``faq`` / ``about`` for such a page of the site, else ``None``."""
    url = live_url(url, url)
    if url == live_url(base_url, base_url):
        return "home"
    if not url.startswith(base_url):
        return None
    rest = url[len(base_url):]
    return next((kind for pattern, kind in _KINDS if pattern.match(rest)), None)


def parse_site_page(html: str, url: str, edition: str) -> SitePage | None:
    """The :class:`~dlgraph.records.SitePage` of a home, README, FAQ or about page, else ``None``."""
    url = live_url(url, url)
    base = base_url_of(url, edition)
    kind = site_page_kind(url, base)
    if kind is None:
        return None
    doc = lxml.html.fromstring(html)
    title = " ".join(doc.xpath("string((//h1[contains(@class, 'page-title')])[1])").split())
    title = title or " ".join(doc.xpath("string(//title)").split())
    return SitePage(url=url, edition=edition, language=language_of(url, base), kind=kind,
                    title=title)


__all__ = ["parse_site_page", "site_page_kind"]
