"""The editions dlgraph knows, declared once.

An edition is data, not code: its home page's *shape* selects the parser
(``week-table`` for SP20's lecture table, ``themes`` for SP21/FL22's theme lists,
``none`` when there is no site). Another edition built with the same jekyllbook theme is
one more :class:`EditionSpec` in :data:`EDITIONS`.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The host every course site lives on; mirrors and loopback servers are mapped onto it.
SITE_HOST = "atcold.github.io"


@dataclass(frozen=True)
class EditionSpec:
    """One edition of DS-GA 1008."""

    code: str
    term: str
    year: int
    title: str
    course_code: str
    base_url: str | None
    home_shape: str
    #: manifest ``kind`` values of the saved documents that belong to this edition
    documents: tuple[str, ...] = ()
    #: earlier site addresses whose links mean this site (old repository names)
    aliases: tuple[str, ...] = ()


EDITIONS: dict[str, EditionSpec] = {
    spec.code: spec
    for spec in (
        EditionSpec(
            code="SP20",
            term="Spring",
            year=2020,
            title="Deep Learning (with PyTorch), Spring 2020",
            course_code="DS-GA 1008",
            base_url="https://atcold.github.io/NYU-DLSP20/",
            home_shape="week-table",
            documents=("course-page",),
            aliases=(
                "https://atcold.github.io/pytorch-Deep-Learning/",
                "https://atcold.github.io/pytorch-Deep-Learning-Minicourse/",
            ),
        ),
        EditionSpec(
            code="SP21",
            term="Spring",
            year=2021,
            title="Deep Learning, Spring 2021",
            course_code="DS-GA 1008",
            base_url="https://atcold.github.io/NYU-DLSP21/",
            home_shape="themes",
            documents=("review",),
        ),
        EditionSpec(
            code="FL22",
            term="Fall",
            year=2022,
            title="Deep Learning, Fall 2022",
            course_code="DS-GA 1008",
            base_url="https://atcold.github.io/NYU-DLFL22/",
            home_shape="themes",
            documents=("faq", "home"),
        ),
        EditionSpec(
            code="FL23",
            term="Fall",
            year=2023,
            title="Deep Learning, Fall 2023",
            course_code="DS-GA 1008",
            base_url=None,
            home_shape="none",
            documents=("course-page",),
        ),
    )
}


def get(code: str) -> EditionSpec:
    """The edition with this code (case-insensitive); ``KeyError`` names the known ones."""
    try:
        return EDITIONS[code.upper()]
    except KeyError:
        known = ", ".join(EDITIONS)
        raise KeyError(f"unknown edition {code!r} (known: {known})") from None
