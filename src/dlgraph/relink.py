"""Links to a repository file the pages spell otherwise, keyed by the file that exists.

The repository stage (``ingest.media``) resolves a linked notebook or deck that its
repository lacks to the one file of the same folder spelled alike ('-' for '_'), and keeps
the pair in ``EditionRecords.resolved_files``. Another edition's page may link the same
misspelled file of that repository (SP21's truck lecture links SP20's notebook as SP20's home
page does): :func:`relinked` applies every edition's pairs to every edition, so both items
link one node, the read file's, whichever editions were ingested together.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from dlgraph.records import EditionRecords, Resource

__all__ = ["rekeyed", "relinked"]

#: Resource kinds a repository file can be linked as.
FILE_KINDS = ("notebook", "slides")


def rekeyed(rec: EditionRecords, moved: Mapping[str, str]) -> EditionRecords:
    """``rec`` with each lecture item's notebook or deck whose key is in ``moved`` re-keyed.

    Only the key changes: the URL as the page wrote it stays (the graph keeps it as
    ``dlg:linkedAs`` beside the existing file's URL).
    """
    def fixed(res: Resource) -> Resource:
        if res.key in moved and res.kind in FILE_KINDS and not res.broken:
            return dataclasses.replace(res, key=moved[res.key])
        return res

    if not any(r.key in moved for lec in rec.lectures for r in lec.resources):
        return rec
    lectures = tuple(dataclasses.replace(lec, resources=tuple(fixed(r) for r in lec.resources))
                     for lec in rec.lectures)
    return dataclasses.replace(rec, lectures=lectures)


def relinked(records: Iterable[EditionRecords]) -> list[EditionRecords]:
    """``records`` with every edition's resolved files applied to every edition's links."""
    records = list(records)
    moved = {linked: key for rec in records for linked, key in rec.resolved_files}
    return [rekeyed(rec, moved) for rec in records] if moved else records
