"""URLs as every site parser needs them: one key per YouTube video, Drive file or GitHub
file however a page writes it, links made absolute and live, and which course page (notes,
week, language) a site URL is. Pure functions."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urljoin, urlsplit, urlunsplit

from ingest.registry import SITE_HOST, repository_aliases

_YT_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YT_HOSTS = ("youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com",
             "www.youtube-nocookie.com")
_TIME = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$", re.I)
# A file extension on the last path segment means "not a directory page".
_HAS_EXT = re.compile(r"\.[A-Za-z0-9]{1,8}$")


def _split(url: str):
    return urlsplit(url.strip())


def parse_time(value: str) -> int | None:
    """Seconds in a YouTube ``t``/``start`` value: ``2211``, ``217s``, ``1h2m3s``."""
    m = _TIME.match(value.strip())
    if not m or not any(m.groups()):
        return None
    h, mi, s = (int(g) if g else 0 for g in m.groups())
    return h * 3600 + mi * 60 + s


def youtube_id_and_start(url: str) -> tuple[str, int | None] | None:
    """The video ID and start second of a YouTube link, ``None`` if it is not one.

    Handles ``youtu.be/ID?t=2211``, ``youtube.com/watch?v=ID&t=217s``, ``t=1h2m3s``,
    ``/embed/ID?start=…`` and ``/shorts/ID``. A playlist link without a video is ``None``.
    """
    parts = _split(url)
    host = (parts.hostname or "").lower()
    query = parse_qs(parts.query.replace("&amp;", "&"))
    # Query keys are sometimes written with a stray space after the ``&``.
    query = {k.strip(): v for k, v in query.items()}
    video = None
    if host == "youtu.be":
        video = parts.path.strip("/").split("/")[0]
    elif host in _YT_HOSTS:
        path = parts.path.rstrip("/")
        if path == "/watch":
            video = (query.get("v") or [None])[0]
        else:
            m = re.match(r"^/(?:embed|v|shorts|live)/([^/]+)$", path)
            video = m.group(1) if m else None
    if not video or not _YT_ID.match(video):
        return None
    start = None
    for name in ("t", "start", "time_continue"):
        if name in query:
            start = parse_time(query[name][0])
            break
    if start is None and parts.fragment.startswith("t="):
        start = parse_time(parts.fragment[2:])
    return video, start


def drive_file_id(url: str) -> str | None:
    """The Google Drive file ID of ``open?id=``, ``uc?id=`` or ``file/d/ID/…`` links."""
    parts = _split(url)
    if (parts.hostname or "").lower() not in ("drive.google.com", "docs.google.com"):
        return None
    m = re.match(r"^/(?:file|presentation|document|spreadsheets)/d/([A-Za-z0-9_-]+)", parts.path)
    if m:
        return m.group(1)
    if parts.path.rstrip("/") in ("/open", "/uc"):
        ids = parse_qs(parts.query).get("id")
        # ``open?id=`` is also used for folders; a folder ID is told apart by the caller's
        # context only, so a bare ``open?id=`` counts as a file (as the home pages use it).
        return ids[0] if ids else None
    return None


def drive_folder_id(url: str) -> str | None:
    """The Google Drive folder ID of a ``drive/folders/ID`` link."""
    parts = _split(url)
    if (parts.hostname or "").lower() != "drive.google.com":
        return None
    m = re.match(r"^/drive/(?:u/\d+/)?folders/([A-Za-z0-9_-]+)", parts.path)
    return m.group(1) if m else None


def _repo(owner: str, repo: str) -> str:
    # A configured repository's spellings (any case, its earlier names) fold into its name.
    name = f"{owner}/{repo}"
    return repository_aliases().get(name.lower(), name)


def github_key(url: str) -> str | None:
    """``github:<owner>/<repo>/<path>`` for a file or folder in a GitHub repository.

    Accepts ``blob``/``raw``/``tree`` links, ``raw.githubusercontent.com``, and nbviewer or
    Colab links to GitHub notebooks. The branch is dropped (every course link is on the
    default branch), the path percent-decoded, and the repository's old name folded into
    its current one. A bare repository link gives ``github:<owner>/<repo>``.
    """
    parts = _split(url)
    host = (parts.hostname or "").lower()
    segs = [unquote(s) for s in parts.path.split("/") if s]
    if host in ("github.com", "www.github.com"):
        if len(segs) < 2:
            return None
        owner, repo, rest = segs[0], segs[1], segs[2:]
        if rest and rest[0] in ("blob", "raw", "tree") and len(rest) >= 2:
            rest = rest[2:]
        elif rest:
            return None  # issues, pulls, releases: not files
    elif host == "raw.githubusercontent.com":
        if len(segs) < 3:
            return None
        owner, repo, rest = segs[0], segs[1], segs[3:]
    elif host == "nbviewer.org" or host == "nbviewer.jupyter.org":
        # nbviewer.org/github/<owner>/<repo>/blob/<branch>/<path>
        if len(segs) < 3 or segs[0] != "github":
            return None
        owner, repo, rest = segs[1], segs[2], segs[3:]
        if rest and rest[0] in ("blob", "tree", "raw"):
            rest = rest[2:]
    elif host == "colab.research.google.com":
        # colab.research.google.com/github/<owner>/<repo>/blob/<branch>/<path>
        if len(segs) < 3 or segs[0] != "github":
            return None
        owner, repo, rest = segs[1], segs[2], segs[3:]
        if rest and rest[0] in ("blob", "tree", "raw"):
            rest = rest[2:]
    else:
        return None
    if repo.endswith(".git"):
        repo = repo[:-4]
    return "github:" + "/".join([_repo(owner, repo), *rest])


def published_url(url: str) -> str | None:
    """The GitHub Pages URL of a Markdown file in a repository's ``docs/`` folder, else ``None``.

    GitHub Pages serves ``github.com/<owner>/<repo>/blob/<branch>/docs/<path>.md`` at
    ``https://<owner>.github.io/<repo>/<path>/`` (the sites' pretty permalinks). The README
    pages of SP20's translations are linked only this way, never within the site.
    """
    parts = _split(url)
    if (parts.hostname or "").lower() not in ("github.com", "www.github.com"):
        return None
    segs = [unquote(s) for s in parts.path.split("/") if s]
    if len(segs) < 6 or segs[2] != "blob" or segs[4] != "docs" or not segs[-1].endswith(".md"):
        return None
    owner, repo = _repo(segs[0], segs[1]).split("/")
    path = "/".join([*segs[5:-1], segs[-1][: -len(".md")]])
    return f"https://{owner.lower()}.github.io/{repo}/{path}/"


# A scheme-less href whose first segment is a host name ("yann.lecun.com/exdb/…"): a
# writer dropped the "http://", and resolving it against the page would invent a course
# page. A file name ("notebook.ipynb", "index.html/") is no host, hence the extensions.
_BARE_HOST = re.compile(
    r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?!(?:html?|md|ipynb|pdf|py|txt|png|jpe?g|gif|svg"
    r"|css|js|json|xml|zip|csv|pptx?|key|mp4)/)[a-z]{2,}/",
    re.I,
)


def absolute_href(href: str) -> str:
    """``href`` with ``http://`` put back when it starts with a bare host name."""
    href = href.strip()
    return f"http://{href}" if _BARE_HOST.match(href) else href


def live_url(href: str, page_url: str) -> str:
    """The absolute live URL of ``href`` as written on the page at ``page_url``.

    Relative links are resolved (a link starting with a host name, as
    ``yann.lecun.com/x.pdf``, is taken as ``http://`` to that host), the ``#fragment``
    dropped, and on the course host a trailing ``index.html`` removed and a directory URL
    given its trailing ``/``.
    """
    url = urljoin(page_url, absolute_href(href))
    parts = urlsplit(url)
    scheme, netloc, path = parts.scheme.lower(), parts.netloc.lower(), parts.path
    if netloc == SITE_HOST:
        if path.endswith("/index.html"):
            path = path[: -len("index.html")]
        last = path.rsplit("/", 1)[-1]
        if last and not _HAS_EXT.search(last):
            path += "/"
        if not path:
            path = "/"
    return urlunsplit((scheme, netloc, path, parts.query, ""))


_NOTES = re.compile(r"^(?P<lang>[a-z]{2}(?:-[a-z]{2})?)/week(?P<w>\d{1,2})/(?P=w)-(?P<k>\d+)/$")
_WEEK = re.compile(r"^(?P<lang>[a-z]{2}(?:-[a-z]{2})?)/week(?P<w>\d{1,2})/(?P=w)/$")
_LANG = re.compile(r"^([a-z]{2}(?:-[a-z]{2})?)/")


def _rest(url: str, base_url: str) -> str | None:
    url, base = live_url(url, base_url), live_url(base_url, base_url)
    if not url.startswith(base):
        return None
    return url[len(base):]


def classify_url(url: str, base_url: str) -> str | None:
    """What an in-site URL points at: ``home``, ``notes``, ``week`` or ``other``.

    ``notes`` is ``/<lang>/weekNN/NN-K/``, ``week`` is ``/<lang>/weekNN/NN/``; language
    homes, FAQ, about and ``README-XX`` pages are ``other``. ``None`` when the URL is
    outside ``base_url`` or names a file that is not a page (images, PDFs, notebooks).
    """
    rest = _rest(url, base_url)
    if rest is None:
        return None
    if rest == "":
        return "home"
    last = rest.rstrip("/").rsplit("/", 1)[-1]
    if _HAS_EXT.search(last) and not last.endswith(".html"):
        return None
    if _NOTES.match(rest):
        return "notes"
    if _WEEK.match(rest):
        return "week"
    return "other"


def language_of(url: str, base_url: str) -> str:
    """The language folder of an in-site URL (``en``, ``fr``, ``zh``…); root pages are ``en``."""
    rest = _rest(url, base_url) or ""
    m = _LANG.match(rest)
    return m.group(1) if m else "en"


def notes_slug(url: str, base_url: str) -> tuple[int | None, str]:
    """``(week, slug)`` of a notes or week page URL: ``(2, "02-1")`` or ``(2, "02")``."""
    rest = _rest(url, base_url) or ""
    m = _NOTES.match(rest) or _WEEK.match(rest)
    if not m:
        return None, ""
    slug = rest.rstrip("/").rsplit("/", 1)[-1]
    return int(m.group("w")), slug
