"""The data folder's lock, its generation marker, and the clean-up of stale temporaries.

Records, graph and index are written one after the other, so a run stopped in between
(Ctrl-C, a crash, a full disk) leaves new records beside an old graph and index. And two
runs writing one folder at once interleave their files. Hence:

* :func:`lock` — one writer at a time: an exclusive ``flock`` on ``DATA_DIR/.lock``, which
  the kernel drops when the holder exits however it exits; a second writer is refused with
  a message naming the holder. Taking the lock also removes temporaries a killed run left.
* a marker, ``DATA_DIR/generation.json``: ``records`` counts the writes of the records;
  ``graph`` and ``index`` say which records generation each was built from. Readers call
  :func:`check` and refuse a mixed set, naming the command that rebuilds it; a folder
  without a marker (written before markers existed) is taken as it is.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "LOCK_FILE",
    "MARKER_FILE",
    "DataDamaged",
    "DataDirBusy",
    "DataOutOfDate",
    "check",
    "clean_stale",
    "lock",
    "mark",
    "read_marker",
]

LOCK_FILE = ".lock"
MARKER_FILE = "generation.json"


class DataDirBusy(RuntimeError):
    """Another process is writing the data folder; the message names it."""


class DataOutOfDate(FileNotFoundError):
    """The graph or index is older than what it is built from (an interrupted run).

    A ``FileNotFoundError`` because every caller already answers "no graph yet" with the
    command that makes one, which is the right answer here too.
    """


class DataDamaged(DataOutOfDate):
    """A derived file (graph, index) cannot be read; the message names the command rebuilding it."""


# -- the lock -------------------------------------------------------------------------------


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    if not isinstance(info, dict) or not info.get("pid"):
        return "another process"
    since = time.strftime("%H:%M:%S", time.localtime(info.get("since", 0)))
    return f"`{info.get('command', 'dlgraph')}` (pid {info['pid']} on {info.get('host', '?')}, since {since})"


@contextlib.contextmanager
def lock(data_dir: Path, command: str = "dlgraph") -> Iterator[None]:
    """Hold the data folder for one writing run; raise :class:`DataDirBusy` if another does.

    Never waits: a second ``dlgraph ingest`` into the same folder is told who holds it and
    stops, rather than queueing behind a crawl of unknown length.
    """
    import fcntl

    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DataDirBusy(f"{data_dir} is being written by {_holder(path)}; "
                              "wait for it to finish") from None
        info = {"pid": os.getpid(), "host": socket.gethostname(), "command": command,
                "since": time.time()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        clean_stale(data_dir)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def _locked(data_dir: Path) -> bool:
    """Whether a writer holds the folder right now (its lock file names a live process)."""
    path = Path(data_dir) / LOCK_FILE
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
        pid = int(info["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if info.get("host") != socket.gethostname():
        return True  # a writer on another machine (shared folder): assume it is alive
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# -- stale temporaries ----------------------------------------------------------------------


def clean_stale(data_dir: Path) -> list[Path]:
    """Remove what killed runs left: ``.graph.*.tmp``, ``records/.*.tmp``, unused ``.index-*``.

    Only called under :func:`lock`, so no live writer owns any of them. The folder the
    ``index`` link points at is the live index and is kept.
    """
    data_dir = Path(data_dir)
    removed: list[Path] = []
    for folder in (data_dir, data_dir / "records"):
        if folder.is_dir():
            for tmp in folder.glob(".*.tmp"):
                with contextlib.suppress(OSError):
                    tmp.unlink()
                    removed.append(tmp)
    index = data_dir / "index"
    live = index.resolve() if index.is_symlink() else None
    for built in data_dir.glob(".index-*"):
        if live is not None and built.resolve() == live:
            continue
        if built.is_symlink() or built.is_file():
            with contextlib.suppress(OSError):
                built.unlink()
        else:
            shutil.rmtree(built, ignore_errors=True)
        removed.append(built)
    return removed


# -- the generation marker ------------------------------------------------------------------


def read_marker(data_dir: Path) -> dict[str, int] | None:
    """The marker's counters, or ``None`` when there is no (readable) marker."""
    try:
        data = json.loads((Path(data_dir) / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    return {k: v for k, v in data.items() if isinstance(v, int) and not isinstance(v, bool)}


def mark(data_dir: Path, what: str, built_from: int | None = None) -> int:
    """Record a write of ``what`` (``records``, ``graph`` or ``index``); returns the new value.

    ``records`` counts up; the records are written *after* this, so a run stopped half-way
    is seen as records newer than the graph. ``graph`` and ``index`` take ``built_from``,
    the records generation they were built from (default: the current one). Only a records
    write creates the marker.
    """
    from dlgraph.atomic import atomic_write

    marker = read_marker(data_dir) or {}
    if what != "records" and "records" not in marker:
        return 0  # records saved before markers existed: nothing to compare with
    if what == "records":
        marker["records"] = marker.get("records", 0) + 1
    else:
        marker[what] = marker.get("records", 0) if built_from is None else built_from
    atomic_write(Path(data_dir) / MARKER_FILE, json.dumps(marker, sort_keys=True))
    return marker[what]


def check(data_dir: Path, *needs: str) -> None:
    """Raise :class:`DataOutOfDate` when ``needs`` (``"graph"``, ``"index"``) lag the records.

    Nothing is refused while a writer holds the folder (the previous graph and index stay
    readable during an ingest), nor in a folder without a marker.
    """
    marker = read_marker(data_dir)
    if not marker or "records" not in marker or _locked(data_dir):
        return
    # The index is rebuilt from the graph: only a current graph makes `dlgraph index` enough.
    fixes = {"graph": "dlgraph build",
             "index": "dlgraph index" if marker.get("graph") == marker["records"] else "dlgraph build"}
    for what in needs:
        # No entry: written before this folder had a marker, or by a caller that does not
        # mark (a test, a script): nothing says it is stale.
        if marker.get(what, marker["records"]) != marker["records"]:
            raise DataOutOfDate(f"the {what} in {data_dir} is older than the records (an "
                                f"ingest or build was interrupted): run `{fixes[what]}`")
