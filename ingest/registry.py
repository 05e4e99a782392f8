"""The courses and editions dlgraph knows: a TOML data file, read in one place.

The shipped file is ``ingest/editions.toml``. A user's file (``dlgraph ingest
--editions-file FILE`` or ``$DLGRAPH_EDITIONS_FILE``) adds courses and editions and
overrides fields of shipped ones, so another edition, or another course built with the same
site theme, is a config change. Nothing here says what a home page looks like: the
parsers recognise a page by what it holds (``ingest.home``).

:data:`EDITIONS` and :data:`COURSES` hold the configuration in force (the shipped one
until :func:`configure` installs another); they are updated in place so every module that
imported them sees the same editions.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from dlgraph.records import EditionInfo

#: The host every course site lives on; mirrors and loopback servers are mapped onto it.
SITE_HOST = "atcold.github.io"

#: The shipped data file (inside the installed package).
SHIPPED = "editions.toml"


class RegistryError(ValueError):
    """A bad editions file; the message is one line: ``file:line: what is wrong``."""


@dataclass(frozen=True)
class RepoRef:
    """A repository at a branch, as the registry writes it: ``"Atcold/NYU-DLSP20@master"``."""

    owner: str
    name: str
    branch: str = "master"

    @classmethod
    def parse(cls, text: str) -> RepoRef:
        """``"owner/name@branch"`` (branch optional, default ``master``) → :class:`RepoRef`."""
        spec, _, branch = text.strip().partition("@")
        owner, _, name = spec.partition("/")
        if not owner or not name or "/" in name:
            raise ValueError(f"repository must be written owner/name@branch, not {text!r}")
        return cls(owner, name, branch or "master")

    @property
    def full_name(self) -> str:
        """``owner/name``, as ``Resource.key`` spells a repository."""
        return f"{self.owner}/{self.name}"


@dataclass(frozen=True)
class CourseSpec:
    """A course: the code its editions share, its title and the school that gives it."""

    code: str
    title: str
    institution: str = ""
    #: who teaches every edition: a staff list with no roles names them the instructors
    instructors: tuple[str, ...] = ()


@dataclass(frozen=True)
class EditionSpec:
    """One edition (one run of a course)."""

    code: str
    term: str
    year: int
    title: str
    course_code: str
    base_url: str | None
    #: manifest ``kind`` values of the saved documents that belong to this edition
    documents: tuple[str, ...] = ()
    #: earlier site addresses whose links mean this site (old repository names)
    aliases: tuple[str, ...] = ()
    #: the course repository the site is built from, ``owner/name@branch``
    repository: str | None = None
    #: earlier ``owner/name`` spellings of that repository
    repository_aliases: tuple[str, ...] = ()

    @property
    def repo(self) -> RepoRef | None:
        """:attr:`repository` read as a :class:`RepoRef` (``None`` when the entry names none)."""
        return RepoRef.parse(self.repository) if self.repository else None

    @property
    def repository_name(self) -> str | None:
        """``owner/name`` of :attr:`repository` (without the branch)."""
        return self.repo.full_name if self.repository else None

    @property
    def repository_branch(self) -> str | None:
        """The branch of :attr:`repository` (``master`` when the entry names none)."""
        return self.repo.branch if self.repository else None


@dataclass
class Registry:
    """Courses and editions by code, editions in file order (the shipped ones first)."""

    courses: dict[str, CourseSpec] = field(default_factory=dict)
    editions: dict[str, EditionSpec] = field(default_factory=dict)

    def course_of(self, edition: EditionSpec) -> CourseSpec:
        return self.courses.get(edition.course_code) or CourseSpec(edition.course_code, "")


def edition_info(spec: EditionSpec, course_spec: CourseSpec | None = None) -> EditionInfo:
    """The record of what the configuration says of ``spec`` (kept with its records)."""
    c = course_spec or course(spec.course_code)
    return EditionInfo(title=spec.title, term=spec.term, year=spec.year,
                       course_code=spec.course_code, course_title=c.title,
                       institution=c.institution, site=spec.base_url,
                       repository=getattr(spec, "repository", None))


# -- reading a file ----------------------------------------------------------------------

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]*$")
_REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(?:@[A-Za-z0-9_./-]+)?$")
_COURSE_KEYS = {"code", "title", "institution", "instructors"}
_EDITION_KEYS = {"code", "course", "term", "year", "title", "site", "repository",
                 "repository_aliases", "documents", "aliases"}
_EDITION_FIELDS = {"course": "course_code", "site": "base_url"}


class _Lines:
    """Where a table or key sits in the file, for error messages (tomllib gives no positions)."""

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def table(self, name: str, index: int) -> int:
        """Line of the ``index``-th ``[[name]]`` header (1-based); 1 when not found."""
        pattern = re.compile(rf"^\s*\[\[\s*{name}\s*\]\]")
        hits = [n for n, line in enumerate(self.lines, 1) if pattern.match(line)]
        return hits[index] if index < len(hits) else 1

    def key(self, name: str, index: int, key: str) -> int:
        """Line of ``key = …`` inside that table; the header's line when not found."""
        start = self.table(name, index)
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for n in range(start, len(self.lines)):
            line = self.lines[n]
            if re.match(r"^\s*\[", line):
                break
            if pattern.match(line):
                return n + 1
        return start


def parse(text: str, source: str = SHIPPED, base: Registry | None = None) -> Registry:
    """The registry ``text`` describes, laid over ``base`` (entries added, fields overridden).

    Raises :class:`RegistryError` (``source:line: what``) for bad TOML, an unknown key, a
    missing or ill-typed field, an edition of an unknown course, or a duplicate code.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        where = f"{source}:{m.group(1)}" if m else source
        what = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "not valid TOML"
        raise RegistryError(f"{where}: {what}") from None
    lines = _Lines(text)
    reg = Registry(dict(base.courses) if base else {}, dict(base.editions) if base else {})

    def fail(line: int, what: str):
        raise RegistryError(f"{source}:{line}: {what}")

    extra = sorted(set(data) - {"course", "edition"})
    if extra:
        fail(1, f"unknown table {extra[0]!r} (expected [[course]] and [[edition]])")
    for name in ("course", "edition"):
        if name in data and not (isinstance(data[name], list)
                                 and all(isinstance(t, dict) for t in data[name])):
            fail(lines.table(name, 0), f"{name} must be an array of tables: write [[{name}]]")

    seen: set[str] = set()
    for i, table in enumerate(data.get("course", [])):
        _check_keys(table, _COURSE_KEYS, lambda k, i=i: lines.key("course", i, k), fail)
        code = _text(table, "code", lambda k, i=i: lines.key("course", i, k), fail, required=True)
        if code in seen:
            fail(lines.key("course", i, "code"), f"course {code!r} is declared twice")
        seen.add(code)
        old = reg.courses.get(code)
        title = _text(table, "title", lambda k, i=i: lines.key("course", i, k), fail,
                      required=old is None)
        institution = _text(table, "institution", lambda k, i=i: lines.key("course", i, k), fail)
        instructors = _strings(table, "instructors", lambda k, i=i: lines.key("course", i, k), fail,
                               f"course {code}: instructors must be a list of names")
        reg.courses[code] = CourseSpec(
            code=code,
            title=title if title is not None else old.title,
            institution=institution if institution is not None else (old.institution if old else ""),
            instructors=(instructors if instructors is not None
                         else (old.instructors if old else ())),
        )

    seen = set()
    for i, table in enumerate(data.get("edition", [])):
        where = lambda k, i=i: lines.key("edition", i, k)  # noqa: E731
        _check_keys(table, _EDITION_KEYS, where, fail)
        code = _text(table, "code", where, fail, required=True).upper()
        if not _CODE.match(code):
            fail(where("code"), f"edition code {code!r}: use letters, digits, '-' or '_'")
        if code in seen:
            fail(where("code"), f"edition {code!r} is declared twice")
        seen.add(code)
        reg.editions[code] = _edition(table, code, reg.editions.get(code), reg, where, fail)
    for code, spec in reg.editions.items():
        if spec.course_code not in reg.courses:
            i = next((n for n, t in enumerate(data.get("edition", []))
                      if str(t.get("code", "")).upper() == code), 0)
            fail(lines.key("edition", i, "course"),
                 f"edition {code}: unknown course {spec.course_code!r} "
                 f"(declare it in a [[course]] table; known: {', '.join(reg.courses) or 'none'})")
    return reg


def _edition(table: dict, code: str, old: EditionSpec | None, reg: Registry, where, fail
             ) -> EditionSpec:
    new = old is None
    values: dict = {}
    for key in ("course", "term", "title", "site", "repository"):
        value = _text(table, key, where, fail, required=new and key in ("course", "term"))
        if value is not None:
            values[_EDITION_FIELDS.get(key, key)] = value
    if "year" in table:
        year = table["year"]
        if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2200:
            fail(where("year"), f"edition {code}: year must be a number like 2024, not {year!r}")
        values["year"] = year
    elif new:
        fail(where("code"), f"edition {code}: missing year")
    for key in ("documents", "aliases", "repository_aliases"):
        items = _strings(table, key, where, fail, f"edition {code}: {key} must be a list of strings")
        if items is not None:
            values[key] = items
    site = values.get("base_url")
    if site is not None:
        if not re.match(r"^https?://[^/\s]+/", site + "/"):
            fail(where("site"), f"edition {code}: site must be an http(s) URL, not {site!r}")
        values["base_url"] = site if site.endswith("/") else site + "/"
    repo = values.get("repository")
    if repo is not None and not _REPOSITORY.match(repo):
        fail(where("repository"), f"edition {code}: repository must be owner/name@branch, not {repo!r}")
    if new:
        course = reg.courses.get(values["course_code"])
        term, year = values["term"], values["year"]
        values.setdefault("title", f"{course.title}, {term} {year}" if course else f"{term} {year}")
        values.setdefault("base_url", None)
        return EditionSpec(code=code, **values)
    return replace(old, **values)


def _strings(table: dict, key: str, where, fail, message: str) -> tuple[str, ...] | None:
    """``table[key]`` as a tuple of strings (``None`` when absent); anything else fails."""
    if key not in table:
        return None
    items = table[key]
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        fail(where(key), message)
    return tuple(items)


def _check_keys(table: dict, allowed: set[str], where, fail) -> None:
    for key in table:
        if key not in allowed:
            fail(where(key), f"unknown key {key!r} (expected one of: {', '.join(sorted(allowed))})")


def _text(table: dict, key: str, where, fail, required: bool = False) -> str | None:
    if key not in table:
        if required:
            what = f"edition {table['code']}" if "code" in table and key != "code" else "entry"
            fail(where("code" if "code" in table else key), f"{what}: missing {key}")
        return None
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        fail(where(key), f"{key} must be a non-empty string, not {value!r}")
    return value.strip()


def shipped() -> Registry:
    """The courses and editions shipped with dlgraph."""
    text = resources.files("ingest").joinpath(SHIPPED).read_text(encoding="utf-8")
    return parse(text, SHIPPED)


def load(path: Path | str | None = None) -> Registry:
    """The shipped registry, with the file at ``path`` (if any) laid over it."""
    base = shipped()
    if path is None:
        return base
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise RegistryError(f"{path}: cannot read editions file ({reason})") from None
    return parse(text, str(path), base)


# -- the configuration in force ----------------------------------------------------------

_SHIPPED = shipped()
#: Editions by code, in order (the shipped file's, then a user file's new ones).
EDITIONS: dict[str, EditionSpec] = dict(_SHIPPED.editions)
#: Courses by code.
COURSES: dict[str, CourseSpec] = dict(_SHIPPED.courses)


def configure(registry: Registry) -> Registry:
    """Make ``registry`` the configuration in force (in place, for every importer)."""
    EDITIONS.clear()
    EDITIONS.update(registry.editions)
    COURSES.clear()
    COURSES.update(registry.courses)
    return registry


def current() -> Registry:
    """The configuration in force."""
    return Registry(dict(COURSES), dict(EDITIONS))


def get(code: str) -> EditionSpec:
    """The edition with this code (case-insensitive); ``KeyError`` names the known ones."""
    try:
        return EDITIONS[code.upper()]
    except KeyError:
        known = ", ".join(EDITIONS)
        raise KeyError(f"unknown edition {code!r} (known: {known})") from None


def repository_aliases() -> dict[str, str]:
    """Lower-cased ``owner/name`` (the name itself and its earlier names) → the name as written."""
    out: dict[str, str] = {}
    for spec in EDITIONS.values():
        if spec.repository_name:
            for alias in (spec.repository_name, *spec.repository_aliases):
                out.setdefault(alias.lower(), spec.repository_name)
    return out


def course(code: str) -> CourseSpec:
    """The course with this code (a bare one when it is not configured)."""
    return COURSES.get(code) or CourseSpec(code, "")


__all__ = [
    "COURSES",
    "EDITIONS",
    "SITE_HOST",
    "CourseSpec",
    "EditionSpec",
    "Registry",
    "RegistryError",
    "configure",
    "course",
    "current",
    "edition_info",
    "get",
    "load",
    "parse",
    "repository_aliases",
    "shipped",
]
