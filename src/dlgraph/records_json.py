"""Records to and from JSON, so ``data/records/<EDITION>.json`` can be re-read without
crawling again: :func:`to_json` / :func:`from_json` for an edition, :func:`from_dict` for
any record (the parsed-page memo). Types come from the dataclasses' own annotations."""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from typing import Any

from dlgraph.records import EditionRecords


def to_json(records: EditionRecords) -> str:
    """Serialise an edition's records to a JSON string."""
    return json.dumps(plain(records), ensure_ascii=False, indent=1)


_SCALARS = (str, int, float, bool, type(None))


def plain(value: Any) -> Any:
    """``value`` as JSON values, as :func:`dataclasses.asdict` gives them but without its
    deep copy of every leaf (a re-run serialises all records to see whether they changed)."""
    if isinstance(value, _SCALARS):
        return value
    names = _field_names(type(value))
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


@functools.cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    return tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None


def from_json(text: str) -> EditionRecords:
    """Rebuild :class:`EditionRecords` from :func:`to_json` output."""
    return _build(EditionRecords, json.loads(text))


def from_dict(cls: Any, data: dict) -> Any:
    """Rebuild a record of dataclass ``cls`` from ``dataclasses.asdict`` output."""
    return _build(cls, data)


def _build(cls: Any, data: Any) -> Any:
    kwargs = {}
    for name, tp in _field_types(cls):
        if name in data:
            kwargs[name] = _coerce(tp, data[name])
    return cls(**kwargs)


@functools.cache
def _field_types(cls: Any) -> tuple[tuple[str, Any], ...]:
    # get_type_hints evaluates every annotation: once per class, not once per record.
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))


def _coerce(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _coerce(inner[0], value)
    if origin is tuple:
        (item_tp, *_rest) = typing.get_args(tp)
        return tuple(_coerce(item_tp, v) for v in value)
    if dataclasses.is_dataclass(tp):
        return _build(tp, value)
    return value
