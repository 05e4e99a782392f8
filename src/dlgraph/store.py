"""The data folder: the only module that writes it.

Every write goes through :func:`atomic_write` (a temporary file in the same folder, then
``os.replace``), so a run that fails half-way leaves the previous files whole.
Layout under ``data_dir``: ``records/<EDITION>.json`` (one edition's records);
``graph.ttl`` (the graph as Turtle, the human-readable export) and ``graph.pickle`` (the same
graph in the form :func:`load_graph` reads fast; ``bench/graph.py`` has the figures).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from dlgraph.records import EditionRecords, from_json, to_json

# rdflib is imported where a graph is read or written: the app's first screen only asks
# graph_exists, and importing rdflib would delay it by a fifth of a second.
if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "atomic_write",
    "graph_exists",
    "load_graph",
    "load_records",
    "records_dir",
    "save_graph",
    "save_records",
]


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` all at once: readers see the old file or the new one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        os.fchmod(fd, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@functools.cache
def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def records_dir(data_dir: Path) -> Path:
    """Where the per-edition records files live."""
    return Path(data_dir) / "records"


def save_records(records: Iterable[EditionRecords], data_dir: Path) -> list[Path]:
    """Write each edition to ``data_dir/records/<EDITION>.json``; other editions' files stay.

    Every edition is serialised before the first file is replaced, so an edition that
    cannot be serialised leaves all previous files untouched.
    """
    from dlgraph import datadir

    out = records_dir(data_dir)
    payloads = [(out / f"{rec.edition}.json", to_json(rec)) for rec in records]
    if payloads:
        # Counted before the first file changes: a run stopped from here on leaves records
        # newer than the graph, and readers can tell (``datadir.check``).
        datadir.mark(data_dir, "records")
    for path, text in payloads:
        atomic_write(path, text)
    return [path for path, _ in payloads]


def load_records(data_dir: Path, *, skip_damaged: bool = False) -> list[EditionRecords]:
    """Every edition saved under ``data_dir``, oldest edition first; ``[]`` when none.

    A file that cannot be read as records raises ``datadir.DataDamaged`` naming the command
    that writes it again, or is left out with ``skip_damaged`` (an ingest about to replace it).
    """
    from dlgraph.datadir import DataDamaged

    folder = records_dir(data_dir)
    if not folder.is_dir():
        return []
    loaded = []
    for path in sorted(folder.glob("*.json")):
        try:
            loaded.append(from_json(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            if skip_damaged:
                continue
            raise DataDamaged(
                f"{path} is damaged ({type(exc).__name__}): ingest it again with "
                f"`dlgraph ingest --editions {path.stem}`") from None
    return sorted(loaded, key=_edition_order)


def _edition_order(rec: EditionRecords) -> tuple[int, str]:
    # Chronological (SP20, SP21, FL22, FL23) when the registry knows the edition.
    from ingest.registry import EDITIONS

    codes = list(EDITIONS)
    return (codes.index(rec.edition) if rec.edition in codes else len(codes), rec.edition)


# -- the graph ---------------------------------------------------------------------------

GRAPH_TTL = "graph.ttl"
GRAPH_PICKLE = "graph.pickle"

#: Bumped whenever the pickled payload changes shape, so an old file is ignored, not misread.
_PICKLE_FORMAT = 1


def _digest(data: bytes) -> str:
    """Content digest of the Turtle a pickle mirrors: survives copies, changes with any edit."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def save_graph(g: Graph, data_dir: Path, built_from: int | None = None) -> Path:
    """Write ``g`` as ``data_dir/graph.ttl`` and ``data_dir/graph.pickle``; returns the Turtle path.

    ``built_from`` is the records generation ``g`` was built from (``datadir.read_marker``
    when the records were loaded; default: the current one).
    """
    import rdflib

    from dlgraph import datadir

    data_dir = Path(data_dir)
    ttl = g.serialize(format="turtle", encoding="utf-8")
    # The pickle records which Turtle it mirrors, so a hand-edited or re-exported graph.ttl
    # wins over a stale pickle instead of being silently ignored.
    payload = {
        "format": _PICKLE_FORMAT,
        "rdflib": rdflib.__version__,
        "ttl": _digest(ttl),
        "graph": g,
    }
    blob = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    atomic_write(data_dir / GRAPH_TTL, ttl)
    atomic_write(data_dir / GRAPH_PICKLE, blob)
    datadir.mark(data_dir, "graph", built_from)
    return data_dir / GRAPH_TTL


def graph_exists(data_dir: Path) -> bool:
    """Whether a graph has been saved under ``data_dir``."""
    return (Path(data_dir) / GRAPH_TTL).is_file()


def load_graph(data_dir: Path) -> Graph:
    """The graph saved under ``data_dir``: the pickle when it mirrors ``graph.ttl``, else the Turtle.

    Raises ``FileNotFoundError`` naming the commands that create the graph when there is none,
    or that rebuild it when it is older than the records (``datadir.DataOutOfDate``).
    """
    from rdflib import Graph

    from dlgraph import datadir

    data_dir = Path(data_dir)
    ttl_path = data_dir / GRAPH_TTL
    if not ttl_path.is_file():
        raise FileNotFoundError(
            f"no graph in {data_dir}: run `dlgraph ingest` (or `dlgraph build` from saved records)"
        )
    datadir.check(data_dir, "graph")
    ttl = ttl_path.read_bytes()
    g = _load_pickle(data_dir / GRAPH_PICKLE, _digest(ttl))
    if g is None:
        g = Graph()
        try:
            g.parse(data=ttl, format="turtle")
        except Exception as exc:  # rdflib raises plain Exceptions for bad Turtle
            where = f" (line {exc.lines})" if getattr(exc, "lines", None) else ""
            raise datadir.DataDamaged(
                f"{ttl_path} is damaged ({type(exc).__name__}{where}): rebuild it from the "
                "records with `dlgraph build`") from None
    return g


def _load_pickle(path: Path, ttl_digest: str) -> Graph | None:
    """The pickled graph if it is ours, current and mirrors the Turtle; ``None`` otherwise."""
    import rdflib
    from rdflib import Graph

    if not path.is_file():
        return None
    data = path.read_bytes()
    # Unpickling allocates a million small objects; the cyclic GC would scan them over and
    # over for nothing (none is garbage), which costs a third of the load time.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        # Only ever a file save_graph wrote into the user's own data folder.
        payload = pickle.loads(data)
    except Exception:
        # A truncated or incompatible pickle only costs the slower Turtle load.
        return None
    finally:
        if gc_was_enabled:
            gc.enable()
    if (
        not isinstance(payload, dict)
        or payload.get("format") != _PICKLE_FORMAT
        or payload.get("rdflib") != rdflib.__version__
        or payload.get("ttl") != ttl_digest
        or not isinstance(payload.get("graph"), Graph)
    ):
        return None
    return payload["graph"]
