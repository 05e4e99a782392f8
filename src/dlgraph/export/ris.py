"""Rows as RIS (rispy), typed the way Zotero's RIS import reads them back."""

from __future__ import annotations

import rispy

from dlgraph.export.rows import keywords, named_authors, row_doi
from dlgraph.names import split_name


class _RisWriter(rispy.RisWriter):
    """rispy's writer without the ``1.`` counter line it puts before each record."""

    def set_header(self, count: int) -> str:
        return ""


_RIS_TYPES = {"paper": "JOUR", "book": "BOOK", "slides": "SLIDE", "notebook": "COMP"}


def _ris_type(row: dict) -> str:
    # An arXiv paper without a journal is a preprint. Zotero's RIS import has no preprint
    # type; a report with arXiv as institution and the ID as report number is what
    # Zotero's own arXiv translator long saved preprints as, and what it maps back.
    if row["arxiv"] and not (row.get("venue") and row["doi"]):
        return "RPRT"
    if row["kind"] == "paper" and not row.get("venue"):
        return "GEN"  # a paper of unknown venue: no empty journal field to fill
    return _RIS_TYPES.get(row["kind"], "ELEC")


def to_ris(rows: list[dict]) -> str:
    """An ``.ris`` file (Zotero, EndNote, Mendeley): one ``TY … ER`` record per reading."""
    refs = []
    for row in rows:
        ty = _ris_type(row)
        ref = {"type_of_reference": ty, "id": row["key"], "title": row["title"],
               "keywords": keywords(row)}
        # RIS has no "et al." marker: an AU line is one person, so a cut list stays cut.
        # "Family, Given" is what RIS readers split; "Given Family" reads as one field.
        names, _ = named_authors(row)
        if names:
            ref["authors"] = [split_name(a).inverted() for a in names]
        if row.get("year"):
            ref["year"] = str(row["year"])
        if row["url"]:
            ref["urls"] = [row["url"]]
        doi = row_doi(row)
        if doi:
            ref["doi"] = doi
        if row["isbn"]:
            ref["issn"] = row["isbn"]  # RIS has one SN tag for ISSN and ISBN
        if ty == "RPRT" and row["arxiv"]:
            ref["publisher"] = "arXiv"
            ref["issn"] = f"arXiv:{row['arxiv']}"  # SN is a report's number
            ref["type_of_work"] = "Preprint"
        elif row.get("venue"):
            ref["journal_name"] = row["venue"]
        if row.get("publisher") and ty != "RPRT":
            ref["publisher"] = row["publisher"]
        if row["note"]:
            ref["notes"] = [row["note"]]
        refs.append(ref)
    return rispy.dumps(refs, implementation=_RisWriter)
