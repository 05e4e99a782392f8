"""Records are plain containers that survive a JSON round trip unchanged."""

import dataclasses

import pytest

from dlgraph.records import EditionRecords
from dlgraph.records_json import from_json, to_json


def test_round_trip_is_identity(small_records):
    for rec in small_records:
        assert from_json(to_json(rec)) == rec


def test_the_records_file_is_what_dataclasses_asdict_writes(small_records):
    # to_json skips asdict's deep copies; the file is byte for byte asdict's, compact
    import json

    for rec in small_records:
        assert to_json(rec) == json.dumps(dataclasses.asdict(rec), ensure_ascii=False,
                                           separators=(",", ":"))


def test_round_trip_keeps_nested_types(small_records):
    sp20 = from_json(to_json(small_records[0]))
    page = sp20.pages[0]
    assert isinstance(page.sections, tuple)
    assert page.sections[0].video.start == 29
    assert page.lecturers[0].role == "lecturer"


def test_records_are_frozen(small_records):
    with pytest.raises(dataclasses.FrozenInstanceError):
        small_records[0].edition = "XX"  # type: ignore[misc]


@pytest.mark.parametrize("rec", range(4))
def test_every_record_has_an_edition(small_records, rec):
    records: EditionRecords = small_records[rec]
    assert records.edition
    for item in (*records.lectures, *records.pages, *records.documents, *records.themes):
        assert item.edition == records.edition
