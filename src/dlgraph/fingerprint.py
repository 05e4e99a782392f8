"""Digests of the code a derived file was made with, so a change of code or library
invalidates what was derived with the old one (parsed-page memo, graph and index)."""

from __future__ import annotations

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
