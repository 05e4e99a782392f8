"""Shared fixtures: fixture paths, a clean environment, and the real-data gates."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

#: Where Debian's ``chromium`` package puts the browser.
CHROMIUM = Path("/usr/bin/chromium")

FIXTURES_DIR = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch):
    """Keep a developer's DLGRAPH_* settings out of unit tests (real-data fixtures read them first)."""
    for name in ("DLGRAPH_DATA",):
        monkeypatch.delenv(name, raising=False)
    # Without --repos an ingest reads GitHub itself; a test that wants repositories says so
    # (session fixtures have read the real DLGRAPH_REPOS before this runs).
    monkeypatch.setenv("DLGRAPH_REPOS", "none")


_LOOPBACK = {"localhost", "127.0.0.1", "::1", "ip6-localhost"}


@pytest.fixture(autouse=True, scope="session")
def loopback_only():
    """Tests start their own servers on 127.0.0.1: a name lookup of any other host fails
    at once, so a code path that would go out to the internet fails loudly instead."""
    import socket

    real = socket.getaddrinfo

    def guarded(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in _LOOPBACK and not name.startswith("127."):
            raise socket.gaierror(socket.EAI_NONAME, f"tests stay on this machine: {name}")
        return real(host, *args, **kwargs)

    socket.getaddrinfo = guarded
    yield
    socket.getaddrinfo = real


def skip_or_fail(reason: str) -> None:
    """Skip for want of something CI always has; on CI (``CI=true``) that is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def _shared_dir(var: str, default_sub: str) -> Path:
    """A ../shared folder named by ``var``; skip when absent, fail when CI=true."""
    value = os.environ.get(var)
    path = Path(value) if value else None
    if path is None or not path.is_dir():
        skip_or_fail(f"{var} is not set or not a folder ({value!r}); set it to ../shared/{default_sub}")
    return path


@pytest.fixture(scope="session")
def mirror_dir() -> Path:
    """The real course-site mirror (``DLGRAPH_MIRROR``, e.g. ../shared/sites)."""
    return _shared_dir("DLGRAPH_MIRROR", "sites")


@pytest.fixture(scope="session")
def documents_dir() -> Path:
    """The saved source documents (``DLGRAPH_DOCUMENTS``, e.g. ../shared/seeds)."""
    return _shared_dir("DLGRAPH_DOCUMENTS", "seeds")


@pytest.fixture(scope="session")
def repos_dir() -> Path:
    """The course repositories' files (``DLGRAPH_REPOS``, e.g. ../shared/repos)."""
    return _shared_dir("DLGRAPH_REPOS", "repos")


def _repo_opener():
    """Open repositories under ``DLGRAPH_REPOS`` when it is set (else: pages only)."""
    from ingest.repos import FolderRepository

    value = os.environ.get("DLGRAPH_REPOS")
    if not value or not Path(value).is_dir():
        return None
    return lambda ref: FolderRepository(Path(value), ref)


@pytest.fixture(scope="session")
def small_records():
    """Hand-written records of all four editions (``tests/fixtures/small_records.py``)."""
    from fixtures.small_records import small_records as make

    return make()


@pytest.fixture(scope="session")
def small_graph(small_records):
    """The full graph (build + links + readings + topics + lineage) of ``small_records``.

    Session-scoped and shared: tests must not mutate it (copy it first).
    """
    from dlgraph.pipeline import build

    return build(small_records)


@pytest.fixture(scope="session")
def real_records(mirror_dir, documents_dir):
    """Every edition ingested from the real mirror and saved documents (once per session),
    with the repositories' transcripts, notebooks and slides when ``DLGRAPH_REPOS`` is set."""
    from ingest.mirror import MirrorFetcher
    from ingest.pipeline import ingest
    from ingest.registry import EDITIONS

    return ingest(list(EDITIONS), MirrorFetcher(mirror_dir), documents_dir, repos=_repo_opener())


@pytest.fixture(scope="session")
def real_graph(real_records):
    """The complete graph of the real editions (once per session; do not mutate)."""
    from dlgraph.pipeline import build

    return build(real_records)


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium for the browser tests (Playwright never downloads a browser here)."""
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} is missing: apt-get install chromium")
    return CHROMIUM
