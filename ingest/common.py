"""Normalisation shared by every site parser: URLs, resources and people.

These helpers are what make cross-edition links possible: one YouTube video, Drive file,
GitHub file or person gets one key however a page happens to write it. All functions are
pure (strings in, values out).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qs, unquote, urljoin, urlsplit, urlunsplit

from dlgraph.records import PersonRef, Resource
from ingest.registry import SITE_HOST, repository_aliases

# -- URLs ----------------------------------------------------------------------------------

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


# -- resources -----------------------------------------------------------------------------

#: Emoji markers of the home pages and the resource kind each announces.
MARKERS = {
    "🎥": "video",
    "🖥": "slides",
    "🖥️": "slides",
    "📓": "notebook",
    "📝": "notes",
}


def kind_of_marker(marker: str) -> str | None:
    """Resource kind for an emoji marker (variation selectors ignored), else ``None``."""
    marker = marker.strip().replace("\ufe0f", "")
    if marker in ("homework", "video", "slides", "notebook", "notes", "other"):
        return marker
    return MARKERS.get(marker)


def canonical_url(url: str) -> str:
    """A URL with lower-case scheme and host, no fragment, no ``&amp;`` leftovers."""
    parts = urlsplit(url.strip())
    query = parts.query.replace("&amp;", "&")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, query, ""))


def resource_from_url(url: str, marker: str = "", page_url: str | None = None) -> Resource:
    """A :class:`~dlgraph.records.Resource` for a link, its kind from ``marker`` or the URL.

    ``marker`` is the emoji the page writes before the link (🎥 🖥 📓 📝) or ``"homework"``
    for a link of a homework item; without one the kind is guessed from the URL. Relative
    URLs are resolved against ``page_url``. The key follows the ``Resource`` docstring.
    """
    resolved = urljoin(page_url, absolute_href(url)) if page_url else url.strip()
    full = canonical_url(live_url(resolved, resolved))
    kind = kind_of_marker(marker) if marker else None
    yt = youtube_id_and_start(resolved)  # before the fragment (``#t=1m``) is dropped
    folder = drive_folder_id(full)
    drive = drive_file_id(full)
    gh = github_key(full)
    if yt:
        key, start = yt[0], yt[1]
        kind = kind or "video"
    else:
        start = None
        if folder:
            key = f"drive:{folder}"
            # A Drive folder is how homework is handed out on the themed home pages.
            kind = "homework" if kind in (None, "homework") else kind
        elif drive:
            key = f"drive:{drive}"
        elif gh:
            key = gh
        else:
            key = full
        kind = kind or _kind_from_url(full, gh)
    return Resource(kind=kind, url=full, key=key, start=start)


def _kind_from_url(url: str, gh: str | None) -> str:
    path = urlsplit(url).path.lower()
    host = (urlsplit(url).hostname or "").lower()
    if path.endswith(".ipynb") or host in ("colab.research.google.com", "nbviewer.org",
                                           "nbviewer.jupyter.org"):
        return "notebook"
    if path.endswith((".pdf", ".pptx", ".key")) and ("slides" in path or gh):
        return "slides"
    return "other"


# -- people --------------------------------------------------------------------------------

#: Variants of a person's name actually found in the pages, folded to one spelling
#: (keys and values already normalised by ``_fold``). Each was checked against the page
#: it translates or the other credits of the same translation team.
NAME_ALIASES = {
    # 18 SP20 pages (mostly French) credit the lecturer as "Yann Le Cun".
    "yann le cun": "yann lecun",
    # SP21 week 10 (en and fr) misspells the lecturer the SP20 pages call Ishan Misra.
    "ishan mishra": "ishan misra",
    # zh/week12/12-1 credits "Matt Lewis" where en/week12/12-1 credits Mike Lewis.
    "matt lewis": "mike lewis",
    # The Korean notes of week 1 transliterate Alfredo Canziani.
    "앨프레도 캔지아니": "alfredo canziani",
    # Translators credited by GitHub handle or first name on some pages, full name on others
    # of the same language.
    "marcozullich": "marco zullich",
    "choonghee": "choonghee lee",
    "seungheon": "seungheon doh",
    "matt taso": "matt tso",
}

# Letters that NFKD does not decompose but that people type without their mark.
_LETTERS = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th"})

#: E-mail addresses of people who are otherwise named, so an address alone finds them.
EMAIL_ALIASES = {
    "yann@cs.nyu.edu": "yann lecun",
    "canziani@nyu.edu": "alfredo canziani",
}

_AT = re.compile(r"\s*(?:\[\s*at\s*\]|\(\s*at\s*\)|\{\s*at\s*\}|\s+at\s+)\s*", re.I)
_DOT = re.compile(r"\s*(?:\[\s*dot\s*\]|\(\s*dot\s*\)|\{\s*dot\s*\})\s*", re.I)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def deobfuscate_email(text: str) -> str | None:
    """The e-mail address in ``text``, ``yann [ at ] cs.nyu.edu`` style undone; else ``None``."""
    plain = _DOT.sub(".", _AT.sub("@", text))
    m = _EMAIL.search(plain)
    return m.group(0).lower() if m else None


def _fold(text: str) -> str:
    # NFKD then dropping combining marks removes accents but keeps non-Latin scripts.
    norm = unicodedata.normalize("NFKD", text)
    norm = "".join(c for c in norm if not unicodedata.combining(c))
    # Recompose, or Hangul syllables stay split into jamo and never match an alias.
    norm = unicodedata.normalize("NFC", norm)
    norm = re.sub(r"[^\w]+", " ", norm.casefold().translate(_LETTERS))
    return " ".join(norm.split())


# "handle (Full Name)": some scribes sign with their GitHub handle and put the name in brackets.
_HANDLE_THEN_NAME = re.compile(r"^\s*[^\s()]+\s*\(\s*([^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*)+)\s*\)\s*$")

_ROLE_IN_BRACKETS = re.compile(
    r"\b(?:assistant|instructor|grader|lecturer|professor|editor|translator|teaching|TA)\b", re.I
)


def clean_person_name(text: str) -> str:
    """A display name: no e-mail, markup leftovers, role brackets or extra whitespace."""
    text = unicodedata.normalize("NFC", text)
    text = _EMAIL.sub("", _DOT.sub(".", _AT.sub("@", text)))
    handle = _HANDLE_THEN_NAME.match(text)
    if handle and not _ROLE_IN_BRACKETS.search(handle.group(1)):
        text = handle.group(1)
    text = re.sub(r"<[^>]*>|\([^)]*\)|\[[^\]]*\]", " ", text)
    text = re.sub(r"[*_`]+", " ", text)
    text = " ".join(text.split())
    return text.strip(" -–—,;:|·")


def name_fold(name: str) -> str:
    """A name as :func:`person_key` compares it before aliases apply: ``"yann le cun"``."""
    return _fold(clean_person_name(name))


def person_key(name_or_email: str) -> str:
    """The identity of a person however written: ``"yann-lecun"`` for "Yann Le Cun".

    Case, accents, spacing and the variants in :data:`NAME_ALIASES` collapse; text holding
    both a name and an address is keyed by the name; an address alone (obfuscated or not) by
    the person it belongs to when known, else by ``email-<address>``.
    """
    name = _fold(clean_person_name(name_or_email))
    if not name:
        email = deobfuscate_email(name_or_email)
        if email is None:
            return ""
        if email in EMAIL_ALIASES:
            name = EMAIL_ALIASES[email]
        else:
            return "email-" + re.sub(r"[^a-z0-9]+", "-", email).strip("-")
    name = NAME_ALIASES.get(name, name)
    # The key is a slug so it can sit in an IRI; non-Latin letters are kept as they are.
    return "-".join(name.split())


#: Separators between names in credit lines, as the translated pages write them.
# Word conjunctions are lower-case and spaced, so an initial such as "E." is not one.
_CONJUNCTIONS = r"(?:and|et|y|e|ve|und|и|và|és|و|및)"
_SEPARATORS = re.compile(
    rf"\s*(?:,|，|、|;|；|&)\s*(?:{_CONJUNCTIONS}\s+)?|\s+{_CONJUNCTIONS}\s+"
)


def split_names(text: str) -> list[str]:
    """The names in a credit line: ``"A, B and C"`` / ``"A & B"`` / ``"A、B"`` → a list."""
    names = [clean_person_name(part) for part in _SEPARATORS.split(text)]
    return [n for n in names if n]


# -- home pages ------------------------------------------------------------------------------

#: Role column values of SP20's "People" table, as ``records.ROLES`` names them.
_ROLE_WORDS = {"instructor": "instructor", "assistant": "teaching-assistant",
               "teaching assistant": "teaching-assistant", "ta": "teaching-assistant",
               "grader": "grader", "webmaster": "webmaster"}


def home_people(page) -> list[PersonRef]:
    """Instructors (and SP20's assistants) named by a home page's tables.

    ``page`` is the parsed page content (a BeautifulSoup ``Tag``). The first table's
    ``INSTRUCTORS`` row (``INSTRUCTEURS`` in French, ``INSTRUCTOR`` on FL22) names the
    instructors; SP20's "People" table adds their e-mail addresses, the assistant and the
    webmaster. Rows commented out in the page source are no content (the parser never sees
    them). Roles with no place in ``records.ROLES`` are left out.
    """
    people: dict[tuple[str, str], PersonRef] = {}
    first = page.find("table")
    rows = first.find_all("tr") if first else []
    for row in rows:
        cells = row.find_all(["td", "th"])
        if len(cells) >= 2 and re.match(r"^\s*instru", cells[0].get_text(), re.I):
            for name in split_names(cells[1].get_text(" ")):
                key = person_key(name)
                people[(key, "instructor")] = PersonRef(name=name, key=key, role="instructor")
    for table in page.find_all("table"):
        for row in table.find_all("tr"):
            cells = row.find_all("td")
            if len(cells) < 3:
                continue
            role = _ROLE_WORDS.get(" ".join(cells[0].get_text().split()).casefold())
            contact = cells[2]
            email = deobfuscate_email(contact.get_text(" "))
            link = contact.find("a")
            name = clean_person_name(link.get_text(" ") if link else contact.get_text(" "))
            if role is None or not name:
                continue
            key = person_key(name)
            people[(key, role)] = PersonRef(name=name, key=key, role=role, email=email)
    return list(people.values())


__all__ = [
    "EMAIL_ALIASES",
    "MARKERS",
    "NAME_ALIASES",
    "absolute_href",
    "canonical_url",
    "classify_url",
    "clean_person_name",
    "deobfuscate_email",
    "drive_file_id",
    "drive_folder_id",
    "home_people",
    "github_key",
    "kind_of_marker",
    "language_of",
    "live_url",
    "name_fold",
    "notes_slug",
    "parse_time",
    "published_url",
    "person_key",
    "resource_from_url",
    "split_names",
    "youtube_id_and_start",
]
