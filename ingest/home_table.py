"""Parse SP20's home page: the lecture table (week · format · title · resources).

The table uses ``rowspan`` heavily: a week cell spans the week's rows, a ``Lecture`` format
cell spans both lecture rows, and one resource cell serves both lectures of a week (they
share one recording and one slide deck). The table is laid out into a grid first, so
every row sees the cells that cover it.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from dlgraph.records import HomePage, Lecture, Resource
from ingest.common import home_people, live_url, resource_from_url

#: Circled numbers ①–⑳ that the table uses for week numbers.
_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}
_FORMATS = {"lecture": "lecture", "practicum": "practicum", "practica": "practicum"}
_SLUG = re.compile(r"week(\d{1,2})/(\d{1,2}-\d+)/?$")
_WEEK = re.compile(r"week(\d{1,2})/\d{1,2}/?$")


def parse_home(html: str, url: str, edition: str) -> HomePage:
    """Parse a week-table home page (SP20) into a :class:`~dlgraph.records.HomePage`.

    One :class:`~dlgraph.records.Lecture` per table row, in order; ``key`` is the notes
    slug (``02-1``). People come from the instructors row (and the People table).
    """
    url = live_url(url, url)
    soup = BeautifulSoup(html, "lxml")
    page = soup.select_one("main div.page") or soup.body or soup
    table = _lecture_table(page)
    lectures = []
    if table is not None:
        for position, row in enumerate(_grid(table), start=1):
            lectures.append(_lecture(row, position, url, edition))
    return HomePage(edition=edition, url=url, lectures=tuple(lectures),
                    people=tuple(home_people(page)))


def _lecture_table(page: Tag) -> Tag | None:
    """The table whose body links notes pages (``…/weekNN/NN-K``)."""
    for table in page.find_all("table"):
        if table.find("a", href=_SLUG):
            return table
    return None


def _grid(table: Tag) -> list[list[Tag]]:
    """Body rows as full lists of cells, ``rowspan`` cells repeated in every row they cover."""
    body = table.find("tbody") or table
    pending: dict[int, tuple[Tag, int]] = {}  # column → (cell, rows still to cover)
    rows = []
    for tr in body.find_all("tr", recursive=False):
        cells = iter(tr.find_all(["td", "th"], recursive=False))
        row: list[Tag] = []
        col = 0
        while True:
            if col in pending:
                cell, left = pending[col]
                row.append(cell)
                if left <= 1:
                    del pending[col]
                else:
                    pending[col] = (cell, left - 1)
                col += 1
                continue
            cell = next(cells, None)
            if cell is None:
                if any(c >= col for c in pending):
                    col += 1
                    continue
                break
            span = int(cell.get("rowspan", 1) or 1)
            if span > 1:
                pending[col] = (cell, span - 1)
            row.append(cell)
            col += 1
        rows.append(row)
    return rows


def _lecture(row: list[Tag], position: int, page_url: str, edition: str) -> Lecture:
    week_cell, format_cell, title_cell, resource_cell = (row + [None] * 4)[:4]
    week = _week(week_cell)
    link = title_cell.find("a", href=True) if title_cell else None
    notes_url = live_url(link["href"], page_url) if link else None
    slug_match = _SLUG.search(notes_url or "")
    key = slug_match.group(2) if slug_match else f"{week or 0:02d}-{position}"
    if week is None and slug_match:
        week = int(slug_match.group(1))
    fmt_text = " ".join(format_cell.get_text().split()).casefold() if format_cell else ""
    return Lecture(
        edition=edition,
        key=key,
        position=position,
        title=" ".join(title_cell.get_text().split()) if title_cell else "",
        format=_FORMATS.get(fmt_text, "other"),
        source_url=page_url,
        week=week,
        notes_urls=(notes_url,) if notes_url else (),
        resources=tuple(_resources(resource_cell, page_url)),
    )


def _week(cell: Tag | None) -> int | None:
    if cell is None:
        return None
    link = cell.find("a", href=True)
    if link and (m := _WEEK.search(link["href"])):
        return int(m.group(1))
    text = cell.get_text().strip()
    if text in _CIRCLED:
        return _CIRCLED[text]
    return int(text) if text.isdigit() else None


def _resources(cell: Tag | None, page_url: str) -> list[Resource]:
    if cell is None:
        return []
    out = []
    for a in cell.find_all("a", href=True):
        res = resource_from_url(a["href"], marker=a.get_text().strip(), page_url=page_url)
        out.append(res)
    return out


__all__ = ["parse_home"]
