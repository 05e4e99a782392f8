"""SubViewer transcripts: reading cues (CRLF, BOM, empty, unordered, no milliseconds) and passages."""

from __future__ import annotations

import pytest
from conftest import FIXTURES_DIR

from ingest import transcripts
from ingest.transcripts import (
    LONGEST,
    TARGET,
    Cue,
    TranscriptError,
    parse_sbv,
    passages,
    transcript_name,
)

REPO = FIXTURES_DIR / "repos" / "Prof" / "course-repo"


def _read(rel: str) -> str:
    return (REPO / rel).read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def cues():
    return parse_sbv(_read("docs/en/week01/lecture01.sbv"))


def test_crlf_and_bom_do_not_reach_the_text(cues):
    assert cues[0].text == "Good morning, today we talk about tiny widgets."
    assert all("\r" not in c.text and "\ufeff" not in c.text for c in cues)


def test_empty_cue_is_dropped(cues):
    assert len(cues) == 7
    assert all(c.text for c in cues)


def test_unordered_cues_are_sorted(cues):
    starts = [c.start for c in cues]
    assert starts == sorted(starts)
    assert cues[3].text == "The lever turns the quokka gear slowly."


def test_timing_without_milliseconds_is_read(cues):
    assert (cues[4].start, cues[4].end) == (40.0, 52.0)


def test_damaged_file_raises_with_a_reason():
    with pytest.raises(TranscriptError, match="not a SubViewer file"):
        parse_sbv(_read("docs/en/week02/lecture02.sbv"))


@pytest.mark.parametrize("text", ["0:00:00.000,0:00:02.000\n \n\n", "", "\ufeff\r\n"])
def test_file_without_a_cue_raises(text):
    with pytest.raises(TranscriptError):
        parse_sbv(text)


def test_passages_cut_at_sentence_ends_and_stay_short(cues, monkeypatch):
    monkeypatch.setattr(transcripts, "TARGET", 30)
    found = passages(cues)
    # the first sentence end after 30 s closes a passage; the 15 s tail stands alone
    assert [(p.start, p.end) for p in found] == [(0, 31), (31, 65), (65, 80)]
    assert found[0].text.startswith("Good morning") and found[0].text.endswith("makes it spin.")


def test_punctuated_passages_run_about_as_long_as_unpunctuated_ones(cues):
    # every cue here ends a sentence: the passage still grows to the first end after TARGET
    # seconds (45), near the LONGEST an unpunctuated run is cut at
    found = passages(cues)
    assert [(p.start, p.end) for p in found] == [(0, 52), (52, 80)]
    assert TARGET <= found[0].end - found[0].start <= LONGEST


def test_passage_starts_exactly_at_a_section_second(cues, monkeypatch):
    monkeypatch.setattr(transcripts, "TARGET", 30)
    found = passages(cues, cuts=[25])
    assert [p.start for p in found] == [0, 25, 65]
    assert found[1].text.startswith("Turning the knob")


def test_one_long_run_is_cut_before_the_longest():
    run = [Cue(float(s), float(s + 5), "and then") for s in range(0, 300, 5)]
    found = passages(run)
    assert all(p.end - p.start <= LONGEST for p in found)
    assert len(found) == 5


def test_overlapping_cues_keep_the_latest_end():
    found = passages([Cue(0, 30, "one."), Cue(10, 25, "two.")])
    assert [(p.start, p.end) for p in found] == [(0, 30)]


@pytest.mark.parametrize(("path", "expected"), [
    ("docs/en/week05/lecture05.sbv", ("lecture", 5, "")),
    ("docs/fr/week15/practicum15A.sbv", ("practicum", 15, "A")),
    ("docs/en/week01/notes.sbv", None),
])
def test_transcript_name(path, expected):
    assert transcript_name(path) == expected


def test_a_section_second_cuts_a_passage_at_the_shipped_target(cues):
    found = passages(cues, cuts=[25])
    assert [p.start for p in found] == [0, 25]
    assert found[1].text.startswith("Turning the knob")
