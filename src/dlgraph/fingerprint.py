"""Digests of the code a derived file was made with, so a change of code or library
invalidates what was derived with the old one (parsed-page memo, graph and index)."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path


def code_digest(files: Iterable[tuple[str, Path]], distributions: Iterable[str]) -> str:
    """Digest of ``(name, path)`` files' bytes and the installed versions of ``distributions``."""
    h = hashlib.blake2b(digest_size=16)
    for name, path in files:
        h.update(name.encode())
        h.update(path.read_bytes())
    for dist in distributions:
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            pass
    return h.hexdigest()


@functools.cache
def package_digest() -> str:
    """Digest of the package's code and data files and the versions of the libraries the
    graph, its summaries and the index are built with (``dlgraph.pipeline`` keys its
    build on it)."""
    package = Path(__file__).parent
    files = sorted(p for p in package.rglob("*") if p.is_file() and p.suffix != ".pyc")
    return code_digest(((str(f.relative_to(package)), f) for f in files),
                       ("rdflib", "pyoxigraph", "whoosh-reloaded", "networkx"))
