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
    """Serialise an edition's records to a JSON string.

    Compact: with ``indent`` the json module writes in Python, not C, which was three
    times slower for an edition's tens of thousands of transcript passages.
    """
    return json.dumps(plain(records), ensure_ascii=False, separators=(",", ":"))


_SCALARS = (str, int, float, bool, type(None))


def plain(value: Any) -> Any:
    """``value`` as JSON values, as :func:`dataclasses.asdict` gives them but without its
    deep copy of every leaf (an ingest serialises a few hundred thousand records and memo
    entries)."""
    if isinstance(value, _SCALARS):
        return value
    names = _field_names(type(value))
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if isinstance(value, (list, tuple)):
        # scalars kept without a call: a passage's cue marks are thousands of pairs of ints
        return [item if isinstance(item, _SCALARS) else plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


@functools.cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    return tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None


def from_json(text: str) -> EditionRecords:
    """Rebuild :class:`EditionRecords` from :func:`to_json` output."""
    return _converter(EditionRecords)(json.loads(text))


def from_dict(cls: Any, data: dict) -> Any:
    """Rebuild a record of dataclass ``cls`` from ``dataclasses.asdict`` output."""
    return _converter(cls)(data)


def _same(value: Any) -> Any:
    return value


@functools.cache
def _converter(tp: Any) -> typing.Callable[[Any], Any]:
    """A function turning JSON values into ``tp``: worked out once per type from its
    annotations, since a data folder's records are a few hundred thousand values of a
    few dozen types (a re-run reads them all back)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _converter(inner[0])
    if origin is tuple:
        item = _converter(typing.get_args(tp)[0])
        if item is _same:
            return tuple
        return lambda value: tuple(None if v is None else item(v) for v in value)
    if dataclasses.is_dataclass(tp):
        return _DataclassConverter(tp)
    return _same


class _DataclassConverter:
    # The fields' converters are looked up on first use, so a dataclass whose fields name
    # itself (directly or not) does not recurse while its converter is made.
    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.fields: tuple[tuple[str, typing.Callable[[Any], Any]], ...] | None = None

    def __call__(self, data: dict) -> Any:
        fields = self.fields
        if fields is None:
            fields = self.fields = tuple((name, _converter(tp)) for name, tp in _field_types(self.cls))
        kwargs = {}
        for name, convert in fields:
            if name in data:
                value = data[name]
                kwargs[name] = None if value is None else convert(value)
        return self.cls(**kwargs)


@functools.cache
def _field_types(cls: Any) -> tuple[tuple[str, Any], ...]:
    # get_type_hints evaluates every annotation: once per class, not once per record.
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))
