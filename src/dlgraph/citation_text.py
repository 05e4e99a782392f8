"""What a link's text says about the work it points to: a title, a citation (authors,
year) or both, and the bracketed citation a sentence gives right after a link.

Pure string reading, apart from :mod:`dlgraph.readings` (which builds the graph) so the
rules for link texts can be read, and tested, on their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_YEAR = r"(?:19|20)\d{2}"
_VENUES = re.compile(
    r"\b(?:NIPS|NeurIPS|ICML|ICLR|CVPR|ECCV|ICCV|ACL|EMNLP|NAACL|AAAI|IJCAI|JMLR|Proc\.?|"
    r"IEEE|Distill|arXiv)\b\.?",
)
_ET_AL = re.compile(r"\bet\.?\s*al\b\.?", re.I)
# Words that make a link text a pointer ("here", "this paper") rather than a title.
_POINTER = re.compile(
    r"^(?:here|this|that|link|pdf|paper|article|website|site|source|full paper|"
    r"this paper|the paper|ici|aquí|qui|hier|aqui)$|\bpaper\b|\barticle\b",
    re.I,
)
_SHORT_CITE = re.compile(r"^\(?([A-Z][A-Za-z'-]+)(\d{2})\)?$")  # "(Lecun88)"
# A person's name as citations write it: "Widrow", "Le Cun", "Marc’Aurelio Ranzato".
_CITED_NAME = r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}"
_CITED_NAMES = rf"{_CITED_NAME}(?:\s*(?:,\s*(?:and\s+)?|&|\band\b)\s*{_CITED_NAME})*"
# "(Nguyen & Widrow, ‘90)", "(Le Cun et al. (2006))", "(2017)" right after a link's text.
_CITED_AFTER = re.compile(
    rf"^\s*\(\s*(?:(?P<names>{_CITED_NAMES})(?P<etal>\s*,?\s+et\.?\s*al\b\.?)?\s*,?\s*)?"
    rf"\(?\s*(?:(?P<year>{_YEAR})|[‘’'`](?P<yy>\d{{2}}))\s*\)?\s*\)"
)
# "A Tutorial on Toys (Ada Toy, Bo Example, and Cy Test 2006)": a work named, not linked.
_NAMED_WORK = re.compile(
    rf"(?:^|\n|[.!?:]\s+)(?P<title>[A-Z][^\n().!?:]{{4,150}}?)\s*"
    rf"\((?P<names>{_CITED_NAMES}),?\s+(?P<year>{_YEAR})\)"
)


@dataclass
class Described:
    """What a link's text (and its sentence) says about the work it points to."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    et_al: bool = False
    as_written: str | None = None  # the citation as written, when the text is one
    bracketed: bool = False  # authors and year come from a bracket after the link


def describe_link(text: str, context: str = "", sentence: str | None = None) -> Described:
    """Read a link text as a title, a citation (authors, year) or both.

    ``"Attention Is All You Need"`` is a title; ``"Hochreiter, Schmidhuber, 1997"`` and
    ``"Hinton et al (2012)"`` are citations; ``"Sequence Modeling with CTC, Hannun. 2017,
    Distill"`` is both. Names the sentence introduces with "by …" or follows with "in 2014"
    are authors, and so are the names and year it cites in brackets right after the link
    (``"the Truck Backer-Upper (Nguyen & Widrow, ‘90)"``). Pointers ("here", "One of the
    good paper") and domain names say nothing by themselves. The bracket is looked for in
    ``sentence`` when given (``context`` run on past where it stops), else in ``context``.
    """
    d = _describe_text(text, context)
    if not d.authors and not d.year:
        cited = cited_after(text, context if sentence is None else sentence)
        if cited is not None:
            d.authors, d.year, d.et_al, written = cited
            d.as_written = d.as_written or written
            d.bracketed = True
    return d


def cited_after(text: str, context: str) -> tuple[tuple[str, ...], int, bool, str | None] | None:
    """``(authors, year, et_al, as written)`` of a bracketed citation right after ``text``.

    Only a bracket that holds a year (``1990``, ``‘90``), after capitalised names or
    alone, counts: a bracket of words ("(see below)") is not a citation.
    """
    text = " ".join((text or "").split())
    context = " ".join((context or "").split())
    if not text or not context:
        return None
    at = context.find(text)
    while at >= 0:
        m = _CITED_AFTER.match(context[at + len(text):])
        if m:
            if m.group("year"):
                year = int(m.group("year"))
            else:
                yy = int(m.group("yy"))
                year = (1900 if yy >= 50 else 2000) + yy
            names = _split_names(m.group("names") or "")
            written = m.group(0).strip()[1:-1].strip() if names else None
            return names, year, bool(m.group("etal")), written
        at = context.find(text, at + 1)
    return None


def _split_names(names: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in re.split(r",\s*(?:and\s+)?|&|\band\b", names) if n.strip())


def named_in(text: str, authors: tuple[str, ...], year: int | None) -> Described | None:
    """The one work ``text`` names as ``Title (Authors Year)`` matching what a citation says.

    ``authors`` and ``year`` are what a translation cites next to its link; the original's
    phrase must agree with all of it (first author's surname, spaces and case ignored; the
    year) and be the only phrase that does, else ``None``.
    """
    if not authors and not year:
        return None
    found = []
    for m in _NAMED_WORK.finditer(text or ""):
        names = _split_names(m.group("names"))
        if year and int(m.group("year")) != year:
            continue
        if authors and not (names and _fold_name(authors[0].split()[-1]) in _fold_name(names[0])):
            continue
        title = " ".join(m.group("title").split())
        if len(title.split()) < 2:
            continue
        found.append(Described(title=title, authors=names, year=int(m.group("year")),
                               as_written=" ".join(m.group(0).strip(" .!?:\n").split())))
    return found[0] if len(found) == 1 else None


def _fold_name(name: str) -> str:
    # Translations respell names ("Le Cun" for "LeCun"); letters alone compare.
    return re.sub(r"[\s'’-]+", "", name).casefold()


def _describe_text(text: str, context: str) -> Described:
    text = " ".join((text or "").split()).strip(" .")
    if not text:
        return Described()
    if text.startswith(("http://", "https://", "www.")) or re.fullmatch(r"[\w.-]+\.[a-z]{2,4}", text):
        return Described()
    if _POINTER.search(text):
        return Described()
    m = _SHORT_CITE.match(text)
    if m:
        yy = int(m.group(2))
        return Described(authors=(m.group(1),), year=(1900 if yy >= 50 else 2000) + yy,
                         as_written=text)
    parts = [p.strip() for p in text.split(",")]
    if len(parts) >= 2 and _leads_with_title(parts) and _is_citation(", ".join(parts[1:])):
        cited = _citation(", ".join(parts[1:]))
        cited.title = parts[0]
        cited.as_written = text
        return cited
    if _is_citation(text) or _names_in_context(text, context):
        cited = _citation(text)
        cited.as_written = text
        if cited.year is None:
            m = re.search(rf"{re.escape(text)}\s*(?:in|\()\s*({_YEAR})", context)
            cited.year = int(m.group(1)) if m else None
        return cited
    if len(text.split()) >= 2 or (len(text) >= 3 and any(c.isupper() for c in text)):
        return Described(title=text)
    return Described()


def _leads_with_title(parts: list[str]) -> bool:
    """Whether ``Title, Surname, et al. 2019`` leads with a title: 3+ words, or 2 before surnames."""
    words = len(parts[0].split())
    if words >= 3:
        return True
    names = [p for p in parts[1:] if not re.search(_YEAR, p) and not _ET_AL.fullmatch(p)]
    head = re.split(rf"\b{_YEAR}\b|{_ET_AL.pattern}", parts[1], flags=re.I)[0].strip(" .")
    return words == 2 and bool(head) and len(head.split()) == 1 and all(
        len(_ET_AL.split(p)[0].split()) <= 1 for p in names
    )


def _is_citation(text: str) -> bool:
    if re.search(_YEAR, text) or _ET_AL.search(text):
        return True
    parts = [p.strip() for p in re.split(r",|&|\band\b", text) if p.strip()]
    return len(parts) >= 2 and all(
        1 <= len(p.split()) <= 3 and all(w[:1].isupper() for w in p.split()) for p in parts
    )


def _names_in_context(text: str, context: str) -> bool:
    """The sentence introduces the link text as people: "by Antoine Bordes", "X in 2014"."""
    words = text.split()
    if not context or not (1 <= len(words) <= 4) or not all(w[:1].isupper() for w in words):
        return False
    t = re.escape(text)
    return bool(re.search(rf"\bby\s+{t}|{t}\s+in\s+{_YEAR}", context))


def _citation(text: str) -> Described:
    years = re.findall(_YEAR, text)
    et_al = bool(_ET_AL.search(text))
    head = re.split(rf"\(?\b{_YEAR}\b", text)[0]
    head = _ET_AL.split(head)[0]
    head = _VENUES.sub(" ", head)
    names = []
    for part in re.split(r",|&|\band\b", head):
        name = " ".join(part.replace("(", " ").replace(")", " ").split()).strip(" .")
        if name and any(c.isalpha() for c in name):
            names.append(name)
    return Described(authors=tuple(names), year=int(years[0]) if years else None, et_al=et_al)
