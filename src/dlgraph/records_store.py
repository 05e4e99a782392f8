"""The records half of the data folder: each edition's records, the editions list, the build
state and the parse memo. Every write goes through :func:`atomic_write`."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from dlgraph.atomic import atomic_write
from dlgraph.records import EditionRecords
from dlgraph.records_json import from_json, to_json


def records_dir(data_dir: Path) -> Path:
    """Where the per-edition records files live."""
    return Path(data_dir) / "records"


def save_records(records: Iterable[EditionRecords], data_dir: Path,
                 previous: Mapping[str, EditionRecords] | None = None) -> list[Path]:
    """Write each edition to ``data_dir/records/<EDITION>.json``; other editions' files stay.

    Every edition is serialised before the first file is replaced, so an edition that
    cannot be serialised leaves all previous files untouched. An edition whose records are
    those of its file but for when and whether from cache each page was fetched keeps its
    file: a re-run that finds nothing new changes nothing, and the graph and index built
    from the records stay current (their retrieval times are those of the run that last
    found a change). ``previous``, the records read from those files before the run (by
    edition), spares serialising an edition equal to them: a re-run that finds nothing new
    then writes nothing without turning every record into JSON first. Returns every
    edition's path.
    """
    from dlgraph import datadir

    out = records_dir(data_dir)
    previous = previous or {}
    paths, changed = [], []
    for rec in records:
        path = out / f"{rec.edition}.json"
        paths.append(path)
        old = previous.get(rec.edition)
        if old is not None and _without_fetch_times_of(old) == _without_fetch_times_of(rec):
            continue
        text = to_json(rec)
        if not _same_content(path, text):
            changed.append((path, text))
    if changed:
        # Counted before the first file changes: a run stopped from here on leaves records
        # newer than the graph, and readers can tell (``datadir.check``).
        datadir.mark(data_dir, "records")
    for path, text in changed:
        atomic_write(path, text)
    return paths


def _without_fetch_times_of(rec: EditionRecords) -> EditionRecords:
    fetches = tuple(dataclasses.replace(f, fetched_at="", from_cache=False) for f in rec.fetches)
    return dataclasses.replace(rec, fetches=fetches)


def _same_content(path: Path, text: str) -> bool:
    """Whether the records file at ``path`` holds ``text``'s records, fetch times aside."""
    try:
        old = path.read_text(encoding="utf-8")
    except OSError:
        return False
    if old == text:
        return True
    try:
        return _without_fetch_times(json.loads(old)) == _without_fetch_times(json.loads(text))
    except (ValueError, TypeError, AttributeError):
        return False


def _without_fetch_times(data: dict) -> dict:
    fetches = [{k: v for k, v in f.items() if k not in ("fetched_at", "from_cache")}
               for f in data.get("fetches", ())]
    return {**data, "fetches": fetches}


EDITIONS_JSON = "editions.json"


def save_editions(rows: list[dict], data_dir: Path) -> Path:
    """Write what the graph holds of each edition (``graphs.edition_list``) beside it."""
    path = Path(data_dir) / EDITIONS_JSON
    atomic_write(path, json.dumps({"editions": rows}, ensure_ascii=False, indent=1))
    return path


def load_editions(data_dir: Path) -> list[dict] | None:
    """The editions the saved graph holds, oldest first; ``None`` when no list was saved."""
    try:
        return json.loads((Path(data_dir) / EDITIONS_JSON).read_text(encoding="utf-8"))["editions"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def stored_editions(data_dir: Path) -> list[str]:
    """Codes of the editions whose records ``data_dir`` holds (without reading them)."""
    folder = records_dir(data_dir)
    return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []


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


def records_digest(data_dir: Path, salt: str = "") -> str | None:
    """Digest of every records file under ``data_dir`` (and ``salt``); ``None`` when none."""
    files = sorted(records_dir(data_dir).glob("*.json"))
    if not files:
        return None
    h = hashlib.blake2b(salt.encode(), digest_size=16)
    for path in files:
        h.update(path.name.encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


#: What the saved graph and index were built from (``dlgraph.pipeline.after_ingest``).
BUILD_STATE = "build.json"


def build_state(data_dir: Path) -> dict:
    """The saved :data:`BUILD_STATE`; ``{}`` when there is none or it is unreadable."""
    try:
        state = json.loads((Path(data_dir) / BUILD_STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def save_build_state(data_dir: Path, state: dict) -> None:
    """Record what the graph and index now in ``data_dir`` were built from."""
    atomic_write(Path(data_dir) / BUILD_STATE, json.dumps(state, ensure_ascii=False, indent=1))


#: Parsed pages of earlier runs (``ingest.memo``), so a re-run parses only what changed.
PARSE_MEMO = Path("cache") / "parsed-pages.json"


def load_parse_memo(data_dir: Path):
    """The :class:`ingest.memo.ParseMemo` saved under ``data_dir`` (empty when none)."""
    from ingest.memo import ParseMemo

    try:
        return ParseMemo.from_json((Path(data_dir) / PARSE_MEMO).read_text(encoding="utf-8"))
    except OSError:
        return ParseMemo()


def save_parse_memo(memo, data_dir: Path) -> None:
    """Save ``memo`` under ``data_dir`` when this run added to it."""
    if memo.dirty:
        atomic_write(Path(data_dir) / PARSE_MEMO, memo.to_json())


def _edition_order(rec: EditionRecords) -> tuple[int, str]:
    # Chronological (SP20, SP21, FL22, FL23) when the registry knows the edition.
    from ingest.registry import EDITIONS

    codes = list(EDITIONS)
    return (codes.index(rec.edition) if rec.edition in codes else len(codes), rec.edition)
