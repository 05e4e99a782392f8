"""What identifies a cited work: an arXiv ID, a DOI, an ISBN, or one canonical URL.

Pages spell the same paper many ways (``arxiv.org/abs/1706.03762v2``,
``arxiv.org/pdf/1706.03762.pdf``, a proceedings PDF next to its abstract page). These pure
functions fold each spelling to one identity, so one work is one reading node whichever
edition or language cites it. :func:`reading_kind` decides whether a link is a reading at
all: papers and books are, blog posts, tools and the course's own slides are not.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

_ARXIV_HOSTS = {"arxiv.org", "export.arxiv.org", "browse.arxiv.org"}
_ARXIV_ID = r"\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7}"
_ARXIV_PATH = re.compile(
    rf"^/(?:abs|pdf|format|html|ps)/(?P<id>{_ARXIV_ID})(?:v\d+)?(?:\.pdf)?/*$"
)
_ARXIV_TEXT = re.compile(rf"^arxiv:\s*(?P<id>{_ARXIV_ID})(?:v\d+)?$", re.I)
_DOI = re.compile(r"(10\.\d{4,9}/[^\s?#]+)")
_DOI_HOSTS = {"doi.org", "dx.doi.org"}
# Publishers that put the DOI in the path: ACM, Wiley, Springer, Science, Taylor & Francis …
_DOI_IN_PATH = re.compile(r"^/(?:doi|article|chapter|content)/(?:(?:abs|full|pdf|epdf)/)?(10\.\d{4,9}/.+)$")
_ISBN = re.compile(r"(?<!\d)(97[89]\d{10})(?!\d)")
_NIPS_OLD = re.compile(r"^/paper/(\d+)-[^/]*?(?:\.pdf)?/?$")
_NIPS_HASH = re.compile(
    r"^/paper(?:_files/paper)?/(\d{4})/(?:hash|file)/([0-9a-f]{32})-(?:Abstract|Paper)[^/]*$"
)
_PMLR = re.compile(r"^/(v\d+)/([^/.]+)(?:/\2[^/]*)?(?:\.pdf|\.html)?/?$")
_CVF = re.compile(r"^/(content_[^/]+|content/[^/]+)/(?:papers|html)/(.+?)(?:_paper)?\.(?:pdf|html)$")
_ACL = re.compile(r"^/(?:anthology/)?([A-Z]\d{2}-\d{4}|\d{4}\.[a-z-]+(?:\.[a-z]+)?\.\d+)(?:\.pdf)?/?$")
_TRACKING = re.compile(r"^(?:utm_|fbclid$|gclid$)")

#: Hosts whose pages are papers (conference proceedings, journals, preprint servers).
SCHOLARLY_HOSTS = frozenset({
    "arxiv.org", "export.arxiv.org", "doi.org", "dx.doi.org", "openreview.net",
    "papers.nips.cc", "proceedings.neurips.cc", "papers.neurips.cc",
    "proceedings.mlr.press", "jmlr.org", "openaccess.thecvf.com", "aclanthology.org",
    "aclweb.org", "dl.acm.org", "ieeexplore.ieee.org", "link.springer.com",
    "www.sciencedirect.com", "www.nature.com", "www.science.org", "ecva.net",
    "www.ecva.net", "ojs.aaai.org", "www.ijcai.org", "biorxiv.org", "www.biorxiv.org",
    "www.semanticscholar.org", "distill.pub", "iclr.cc", "icml.cc", "neurips.cc",
})
#: Hosts whose pages are books.
BOOK_HOSTS = frozenset({
    "www.goodreads.com", "goodreads.com", "books.google.com", "www.deeplearningbook.org",
    "deeplearningbook.org", "mml-book.github.io", "d2l.ai", "www.d2l.ai",
})
# The course's own material (slides, notebooks, handouts) is a lecture resource, not a
# reading, even when it is a PDF.
_COURSE_HOSTS = frozenset({
    "atcold.github.io", "github.com", "raw.githubusercontent.com", "drive.google.com",
    "docs.google.com", "colab.research.google.com", "www.youtube.com", "youtube.com",
    "youtu.be", "bit.ly", "bitly.com",
})


def _host(parts) -> str:
    return (parts.hostname or "").lower()


def clean_url(url: str) -> str | None:
    """``url`` with spaces in its path percent-encoded, or ``None`` when it is no URL.

    Some translated pages damage a link's host (``yann.Le Cun.com``) and a text capture
    turns an underscore into a space: the first is no URL at all, the second still is.
    """
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if re.search(r"\s", parts.netloc):
        return None
    return re.sub(r"\s+", "%20", url)


def normalize_url(url: str) -> tuple[str, str]:
    """The identity of the work a link points to, as ``(scheme, id)``.

    ``("arxiv", "1706.03762")`` for any arXiv abs/pdf/version spelling,
    ``("doi", "10.1145/3065386")`` (lower-cased) for doi.org and publisher DOI paths,
    ``("isbn", "9782738149312")`` for a URL carrying an ISBN-13, otherwise
    ``("url", canonical)`` where ``canonical`` folds http/https, ``www.``, trailing slashes,
    fragments and tracking parameters, and one proceedings paper's PDF and abstract pages.

    >>> normalize_url("https://arxiv.org/pdf/1706.03762v5.pdf")
    ('arxiv', '1706.03762')
    """
    text = url.strip()
    m = _ARXIV_TEXT.match(text)
    if m:
        return "arxiv", m.group("id")
    if text.lower().startswith("doi:"):
        return "doi", _clean_doi(text[4:])
    parts = urlsplit(text)
    host = _host(parts)
    path = unquote(parts.path)
    if host.removeprefix("www.") in _ARXIV_HOSTS:
        m = _ARXIV_PATH.match(path)
        if m:
            return "arxiv", m.group("id")
    if host in _DOI_HOSTS:
        m = _DOI.search(path)
        if m:
            return "doi", _clean_doi(m.group(1))
    m = _DOI_IN_PATH.match(path)
    if m and host not in _COURSE_HOSTS:
        return "doi", _clean_doi(m.group(1))
    m = _ISBN.search(path)
    if m:
        return "isbn", m.group(1)
    special = _proceedings_url(host, path, parts.query)
    if special:
        return "url", special
    return "url", _canonical(parts, host)


def _clean_doi(doi: str) -> str:
    doi = unquote(doi.strip()).lower()
    doi = re.sub(r"(?:/|\.pdf|/pdf|/full|/abstract)+$", "", doi)
    return doi.rstrip(".,;)")


def _proceedings_url(host: str, path: str, query: str) -> str | None:
    """One live URL for a proceedings paper, whichever of its pages was linked."""
    bare = host.removeprefix("www.")
    if bare == "openreview.net":
        ident = (parse_qs(query).get("id") or [None])[0]
        if ident and path.rstrip("/") in ("/forum", "/pdf", "/attachment"):
            return f"https://openreview.net/forum?id={ident}"
    if bare in ("papers.nips.cc", "proceedings.neurips.cc", "papers.neurips.cc"):
        m = _NIPS_HASH.match(path)
        if m:
            return f"https://proceedings.neurips.cc/paper/{m.group(1)}/hash/{m.group(2)}-Abstract.html"
        m = _NIPS_OLD.match(path)
        if m:
            # The paper number is the identity; the slug after it varies (and has typos).
            return f"https://papers.nips.cc/paper/{m.group(1)}"
    if bare == "proceedings.mlr.press":
        m = _PMLR.match(path)
        if m:
            return f"https://proceedings.mlr.press/{m.group(1)}/{m.group(2)}.html"
    if bare == "openaccess.thecvf.com":
        m = _CVF.match(path)
        if m:
            return f"https://openaccess.thecvf.com/{m.group(1)}/html/{m.group(2)}_paper.html"
    if bare == "goodreads.com":
        m = re.match(r"^/book/show/(\d+)", path)
        if m:
            return f"https://www.goodreads.com/book/show/{m.group(1)}"
    if bare in ("aclanthology.org", "aclweb.org"):
        m = _ACL.match(path)
        if m:
            return f"https://aclanthology.org/{m.group(1)}/"
    return None


def _canonical(parts, host: str) -> str:
    host = host.removeprefix("www.")
    if parts.port:
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/") or "/"
    query = "&".join(
        p for p in parts.query.replace("&amp;", "&").split("&")
        if p and not _TRACKING.match(p.split("=", 1)[0])
    )
    return f"https://{host}{path}" + (f"?{query}" if query else "")


def live_url(scheme: str, ident: str, cited: str) -> str:
    """The URL to show for a work: arXiv abs page, doi.org resolver, else as cited.

    Proceedings papers get their canonical page when it is a live one (OpenReview forum,
    NeurIPS abstract, PMLR, CVF and ACL Anthology pages).
    """
    if scheme == "arxiv":
        return f"https://arxiv.org/abs/{ident}"
    if scheme == "doi":
        return f"https://doi.org/{ident}"
    if scheme == "url":
        parts = urlsplit(cited.strip())
        special = _proceedings_url(_host(parts), unquote(parts.path), parts.query)
        # An old NeurIPS paper number alone is an identity, not a page: keep the cited URL.
        if special == ident and not ident.startswith("https://papers.nips.cc/paper/"):
            return ident
    return cited.strip()


def reading_kind(url: str) -> str | None:
    """``"paper"``, ``"book"``, or ``None`` when a link is not a reading.

    Papers: arXiv, DOIs, OpenReview, proceedings and journal hosts, Distill articles, and
    PDF files outside the course's own hosts. Books: an ISBN in the URL or a book host.
    """
    scheme, _ = normalize_url(url)
    if scheme in ("arxiv", "doi"):
        return "paper"
    url = clean_url(url)
    if url is None:
        return None
    parts = urlsplit(url.strip())
    host = _host(parts)
    path = unquote(parts.path).lower()
    goodreads = host in ("www.goodreads.com", "goodreads.com")
    if scheme == "isbn" or (host in BOOK_HOSTS and (not goodreads or path.startswith("/book/"))):
        return "book"
    if host in _COURSE_HOSTS:
        return None
    if host == "distill.pub":
        return "paper" if re.match(r"^/\d{4}/[^/]+", path) else None
    if host in SCHOLARLY_HOSTS:
        return "paper"
    if path.rstrip("/").endswith(".pdf"):
        return "paper"
    return None


def arxiv_year(arxiv_id: str) -> int | None:
    """The year an arXiv ID was first submitted: ``1207.0580`` → 2012, ``math/0503066`` → 2005."""
    m = re.match(r"^(?:[a-z][a-z-]*(?:\.[A-Z]{2})?/)?(\d{2})\d{2}", arxiv_id)
    if not m:
        return None
    yy = int(m.group(1))
    return 1900 + yy if yy >= 91 else 2000 + yy


def arxiv_primary_class(arxiv_id: str) -> str | None:
    """The archive an old-style arXiv ID names (``math/0503066`` → ``math``), else ``None``."""
    return arxiv_id.split("/", 1)[0] if "/" in arxiv_id else None


__all__ = [
    "BOOK_HOSTS",
    "SCHOLARLY_HOSTS",
    "arxiv_primary_class",
    "arxiv_year",
    "clean_url",
    "live_url",
    "normalize_url",
    "reading_kind",
]
