"""YouTube caption files (SubViewer ``.sbv``) → cues → passages of readable length.

Pure functions: :func:`parse_sbv` reads the text with webvtt-py's SubViewer blocks,
:func:`passages` groups the cues into stretches of about 20–60 seconds cut at cue
boundaries, and at the seconds the notes sections name, so a section and the passage
spoken under it start at the same moment.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from dlgraph.records import Passage

__all__ = ["Cue", "TranscriptError", "parse_sbv", "passages", "transcript_name"]

#: A passage grows to at least this many seconds, ends at a sentence after ``TARGET``
#: seconds, and never runs past ``LONGEST`` (unless one cue alone is longer). Unpunctuated
#: captions (SP20's English) run to ``LONGEST``; ``TARGET`` is set near it so that punctuated
#: ones (the translations) are cut into passages of about the same length: the same moment
#: ranks alike in every language, and each passage is a search document, graph node and
#: records row (a 30 s target gave French 4,236 passages of 35 s against English's 2,875 of
#: 56 s; 45 s gives 3,159 of 51 s).
SHORTEST, TARGET, LONGEST = 20, 45, 60

#: A SubViewer timing line; SP21's files leave out the milliseconds (``0:00:00,0:00:05``),
#: which webvtt-py's reader does not accept, so they are filled in before it reads them.
_TIMING = re.compile(r"^\s*(\d+:\d{1,2}:\d{1,2})(\.\d{1,3})?,(\d+:\d{1,2}:\d{1,2})(\.\d{1,3})?\s*$")
_SENTENCE_END = re.compile(r"[.?!…。؟]['\")\]»”]*$")
_NAME = re.compile(r"^(lecture|practicum)(\d+)([A-Za-z]?)$")


class TranscriptError(ValueError):
    """A caption file that cannot be read as SubViewer; the message says why."""


@dataclass(frozen=True)
class Cue:
    """One caption: start and end in seconds, and its text on one line."""

    start: float
    end: float
    text: str


def _ms(part: str | None) -> str:
    return (part or ".").ljust(4, "0")


def _normalise(text: str) -> str:
    """BOM and CR line ends off, missing milliseconds filled in."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for line in text.split("\n"):
        m = _TIMING.match(line)
        if m and (m.group(2) is None or m.group(4) is None or len(m.group(2)) < 4):
            line = f"{m.group(1)}{_ms(m.group(2))},{m.group(3)}{_ms(m.group(4))}"
        out.append(line)
    return "\n".join(out)


def parse_sbv(text: str) -> list[Cue]:
    """The cues of a SubViewer file, in time order, empty cues dropped.

    Handles a BOM, CRLF line ends and timings without milliseconds. Cues out of order are
    sorted; an end before its start is read as the start. Raises :class:`TranscriptError`
    when the file holds no readable cue (a damaged or empty file).
    """
    # webvtt-py's own blocks and cue-timing blocks, read as its SubViewer reader reads them
    # (``webvtt.sbv``), but without building its ``Caption`` objects: each one parses its
    # settings and re-parses its times from strings, four fifths of a cold ingest's reading
    # of the transcripts (70,000 captions).
    from webvtt.sbv import SBVCueBlock
    from webvtt.utils import iter_blocks_of_lines

    lines = _normalise(text).split("\n")
    if lines and not lines[-1]:
        lines.pop()
    blocks = iter_blocks_of_lines(lines)
    first = next(blocks, None)
    if len(lines) < 2 or first is None or not SBVCueBlock.is_valid(first):
        raise TranscriptError("not a SubViewer file (Invalid format)")
    cues = []
    for block in itertools.chain((first,), blocks):
        if not SBVCueBlock.is_valid(block):
            continue  # as webvtt-py does: a block that is not a cue is skipped
        cue = SBVCueBlock.from_lines(block)
        start, end = _milliseconds(cue.start), _milliseconds(cue.end)
        if start is None or end is None:
            continue
        words = " ".join(line.strip() for line in cue.payload if line.strip())
        if not words:
            continue
        start_s = start // 1000 + start % 1000 / 1000
        end_s = end // 1000 + end % 1000 / 1000
        cues.append(Cue(start_s, max(start_s, end_s), words))
    if not cues:
        raise TranscriptError("no cue with text")
    cues.sort(key=lambda c: (c.start, c.end))
    return cues


#: The largest time webvtt-py reads (``9999999999:59:59.999``); a cue past it is skipped.
_LARGEST_MS = 10**10 * 3_600_000 - 1


def _milliseconds(timing: str) -> int | None:
    """``h:mm:ss.mmm`` (as ``SBVCueBlock`` matched it) in milliseconds; a field past its range
    carries over, as webvtt-py reads SubViewer (``0:61:00.000`` is 1:01:00). ``None`` past
    the largest time."""
    hours, minutes, rest = timing.strip().split(":")
    seconds, millis = rest.split(".")
    if len(hours.lstrip("0")) > 17:
        return None
    total = ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)
    return total if total <= _LARGEST_MS else None


def passages(cues: Iterable[Cue], cuts: Iterable[int] = ()) -> tuple[Passage, ...]:
    """Group ``cues`` into passages of about 20–60 s, cut at cue boundaries.

    ``cuts`` are seconds where a passage must begin (the notes sections' video moments):
    the passage holding the cue that spans a cut starts exactly at that second, so its
    link and the section's link are the same moment. Elsewhere a passage ends at the
    first sentence end after ``TARGET`` seconds, and before ``LONGEST`` at the latest.
    """
    cues = list(cues)
    cut_seconds = {int(c) for c in cuts if c is not None and c >= 0}
    pending = sorted(cut_seconds)
    out: list[tuple[int, int, list[Cue]]] = []
    cur_start: int | None = None
    cur_end = 0.0
    words: list[Cue] = []

    def close() -> None:
        if words and cur_start is not None:
            out.append((cur_start, max(cur_start, round(cur_end)), list(words)))

    for cue in cues:
        forced = None
        while pending and pending[0] < cue.end:
            forced = pending.pop(0)  # several cuts inside one cue: the last one wins
        start = int(cue.start)
        if cur_start is not None:
            length = cue.end - cur_start
            ended = bool(_SENTENCE_END.search(words[-1].text)) if words else False
            if forced is not None or length > LONGEST or (cue.start - cur_start >= TARGET and ended):
                if forced is not None or cue.start - cur_start >= SHORTEST or length > LONGEST:
                    close()
                    cur_start, words = None, []
        if cur_start is None:
            cur_start = forced if forced is not None and abs(forced - start) <= 10 else start
            cur_end = cue.end
        words.append(cue)
        cur_end = max(cur_end, cue.end)
    close()
    # A short tail joins the passage before it rather than stand alone.
    if len(out) > 1 and out[-1][1] - out[-1][0] < SHORTEST / 2 and out[-1][0] not in cut_seconds:
        start, _end, prev = out[-2]
        out[-2:] = [(start, out[-1][1], prev + out[-1][2])]
    return tuple(_passage(s, e, w) for s, e, w in out)


def _passage(start: int, end: int, cues: list[Cue]) -> Passage:
    """The passage's text (single-spaced) and where in it each cue begins."""
    parts, marks, at = [], [], 0
    for cue in cues:
        words = " ".join(cue.text.split())
        marks.append((at, max(start, int(cue.start))))
        parts.append(words)
        at += len(words) + 1
    return Passage(start, end, " ".join(parts), tuple(marks))


def transcript_name(path: str) -> tuple[str, int, str] | None:
    """``("lecture", 5, "")`` for ``…/lecture05.sbv``, ``("practicum", 15, "A")`` for 15A."""
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    m = _NAME.match(stem)
    if not m:
        return None
    return m.group(1), int(m.group(2)), m.group(3).upper()
