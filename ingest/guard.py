"""Keeping an edition's previous records when a new ingest of it would lose them.

A home page that comes back empty, binary, or without the headings its parser looks for
still "parses", into an edition with no lectures; saving that would silently replace good
records. So before anything is saved, each edition's new records are compared with what
the data folder already holds (:func:`shrink_reason`), and an edition that shrank, or that
failed to fetch or parse at all, keeps its previous records (:func:`keep_previous`). The
caller saves what this returns, reports every :class:`Kept` and exits non-zero.

Pure: the caller loads the previous records (``dlgraph.store.load_records``) and saves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dlgraph.records import EditionRecords

__all__ = ["SHRINK_FACTOR", "Kept", "counts", "keep_previous", "shrink_reason"]

#: An edition whose lectures, notes pages, week pages or documents fall below this share of
#: what it had before is taken to have lost its pages, not to have changed them.
SHRINK_FACTOR = 0.5


@dataclass(frozen=True)
class Kept:
    """An edition whose new records were not saved, and why (one line for the user).

    ``previous`` is false when there were no previous records to keep: nothing was saved
    for the edition at all.
    """

    edition: str
    reason: str
    previous: bool = True

    @property
    def message(self) -> str:
        """The line to print: what happened and what was done about it."""
        if not self.previous:
            return f"{self.edition}: {self.reason}; nothing saved for it (no previous records)"
        return (f"{self.edition}: {self.reason}; kept its previous records"
                + ("" if self.reason.startswith("failed") else " (--accept-shrink saves the new ones)"))


def counts(rec: EditionRecords) -> dict[str, int]:
    """What an edition holds, by the measures the shrink guard compares."""
    kinds = [p.kind for p in rec.pages]
    return {
        "lectures": len(rec.lectures),
        "notes pages": kinds.count("notes"),
        "week pages": kinds.count("week"),
        "documents": len(rec.documents),
    }


def shrink_reason(previous: EditionRecords, new: EditionRecords,
                  factor: float = SHRINK_FACTOR) -> str | None:
    """Why ``new`` looks like a loss of ``previous`` (``"lectures 0 (was 68)"``), or ``None``.

    A measure shrinks when it had something and keeps less than ``factor`` of it; growth,
    small changes, and measures that were zero before never count.
    """
    before, after = counts(previous), counts(new)
    lost = [f"{name} {after[name]} (was {had})" for name, had in before.items()
            if had and after[name] < had * factor]
    return "shrank: " + ", ".join(lost) if lost else None


def keep_previous(
    new: Iterable[EditionRecords],
    previous: Mapping[str, EditionRecords],
    *,
    failed: Mapping[str, str] | None = None,
    accept_shrink: bool = False,
) -> tuple[list[EditionRecords], list[Kept]]:
    """Which new records to save, and which editions keep their previous records instead.

    Parameters
    ----------
    new
        The editions just ingested.
    previous
        The records saved before, by edition code (``{rec.edition: rec for rec in
        store.load_records(data_dir)}``).
    failed
        Editions that could not be ingested at all, by code, with the one-line error. Each
        keeps its previous records (if any); the error is the reason.
    accept_shrink
        Save an edition that shrank anyway (``--accept-shrink``).

    Returns
    -------
    (to_save, kept)
        ``to_save``: the new records to write (other editions' files are left as they are);
        ``kept``: one :class:`Kept` per edition not saved, in input order, failures last.
    """
    to_save, kept = [], []
    for rec in new:
        old = previous.get(rec.edition)
        reason = None if accept_shrink or old is None else shrink_reason(old, rec)
        if reason is None:
            to_save.append(rec)
        else:
            kept.append(Kept(rec.edition, reason))
    for code, error in (failed or {}).items():
        kept.append(Kept(code, f"failed: {error}", previous=code in previous))
    return to_save, kept
