"""A course repository's files: from a local folder, or live from GitHub.

The sites only link to some of what their repositories hold (the transcripts are linked
from nowhere), so the repository's own file list is the source. Two readers share one
small interface, :class:`Repository` (``files()``, ``read(path)``):

- :class:`FolderRepository` reads ``<root>/<owner>/<name>/<path>`` (``--repos DIR``, laid
  out like ``../shared/repos``);
- :class:`GitHubRepository` asks GitHub's git-trees API for the file list and
  raw.githubusercontent.com for the files, through an ``ingest.fetch`` fetcher, so the
  crawl's politeness (robots.txt, retries, delay) and HTTP cache apply.

Either raises :class:`RepoError` with a one-line reason when something cannot be read.
Every URL handed out is a live one (:func:`blob_url`, :func:`file_url`), never a path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

from ingest.registry import RepoRef

__all__ = [
    "API_ROOT",
    "RAW_ROOT",
    "FolderRepository",
    "GitHubRepository",
    "RepoError",
    "RepoRef",
    "Repository",
    "blob_url",
    "file_url",
    "parse_tree",
    "raw_url",
    "tree_url",
]

#: GitHub's REST API and raw-file hosts (a test maps them onto a loopback server).
API_ROOT = "https://api.github.com/"
RAW_ROOT = "https://raw.githubusercontent.com/"


class RepoError(Exception):
    """A repository or one of its files could not be read; the message is one line."""


def blob_url(ref: RepoRef, path: str) -> str:
    """The file's page on GitHub (the form the home pages link notebooks and slides by)."""
    return f"https://github.com/{ref.owner}/{ref.name}/blob/{ref.branch}/{quote(path)}"


def raw_url(ref: RepoRef, path: str) -> str:
    """The file's raw bytes on raw.githubusercontent.com."""
    return f"{RAW_ROOT}{ref.owner}/{ref.name}/{ref.branch}/{quote(path)}"


def tree_url(ref: RepoRef) -> str:
    """The git-trees API URL answering the whole file list of the branch."""
    return f"{API_ROOT}repos/{ref.owner}/{ref.name}/git/trees/{quote(ref.branch)}?recursive=1"


def file_url(ref: RepoRef, path: str, site_url: str | None) -> str:
    """The live URL that names a file: its GitHub Pages URL under ``docs/``, else its blob URL.

    GitHub Pages publishes a repository's ``docs/`` folder at the site's base URL, so
    ``docs/en/week01/lecture01.sbv`` is ``<site>/en/week01/lecture01.sbv``.
    """
    if site_url and path.startswith("docs/"):
        return site_url.rstrip("/") + "/" + quote(path[len("docs/"):])
    return blob_url(ref, path)


def parse_tree(text: str) -> tuple[list[str], bool]:
    """The file paths (blobs) of a git-trees API answer, sorted, and whether it was truncated."""
    try:
        data = json.loads(text)
        entries = data["tree"]
        paths = sorted(e["path"] for e in entries if e.get("type") == "blob")
    except (ValueError, KeyError, TypeError) as exc:
        raise RepoError(f"file list is not a git-trees answer ({type(exc).__name__})") from None
    return paths, bool(data.get("truncated"))


class Repository(Protocol):
    """Anything that lists and reads the files of one repository at one branch."""

    ref: RepoRef

    def files(self) -> list[str]:
        """Every file path in the repository, sorted (raises :class:`RepoError`)."""
        ...

    def read(self, path: str) -> bytes:
        """The bytes of one file (raises :class:`RepoError`)."""
        ...


class FolderRepository:
    """A repository laid out as ``root/<owner>/<name>/<path>`` (``../shared/repos``)."""

    def __init__(self, root: Path, ref: RepoRef):
        self.ref = ref
        self.root = (Path(root) / ref.owner / ref.name).resolve()

    def files(self) -> list[str]:
        """Every file under the repository's folder; a missing folder is a :class:`RepoError`."""
        if not self.root.is_dir():
            raise RepoError(f"no folder {self.root} for {self.ref.full_name}")
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file())

    def read(self, path: str) -> bytes:
        """The file's bytes; a path outside the repository's folder is refused."""
        target = (self.root / path).resolve()
        if not target.is_relative_to(self.root):
            raise RepoError(f"{path}: outside the repository")
        try:
            return target.read_bytes()
        except OSError as exc:
            raise RepoError(f"{path}: {exc.strerror or type(exc).__name__}") from None


class GitHubRepository:
    """A repository read live: file list from the git-trees API, files from raw URLs.

    ``fetcher`` is an ``ingest.fetch`` fetcher (``HttpFetcher`` with the crawl's cached
    client; its ``origin`` mapping lets a loopback server answer for both hosts).
    """

    def __init__(self, fetcher, ref: RepoRef):
        self.fetcher = fetcher
        self.ref = ref

    def files(self) -> list[str]:
        """The branch's file list; a truncated answer is used as far as it goes."""
        page = self.fetcher.get(tree_url(self.ref))
        if not page.ok:
            raise RepoError(f"file list of {self.ref.full_name}: {page.error or page.status}")
        paths, _truncated = parse_tree(_body_text(page))
        return paths

    def read(self, path: str) -> bytes:
        """The raw bytes of ``path`` at the branch."""
        page = self.fetcher.get(raw_url(self.ref, path))
        if not page.ok:
            raise RepoError(f"{path}: {page.error or page.status}")
        return page.body or page.text.encode()


def _body_text(page) -> str:
    return page.body.decode("utf-8", "replace") if page.body else page.text
