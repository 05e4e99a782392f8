"""Small readers of one node's values, as the lecture view and the neighbourhood show
them: a label in a language, an integer, an edition's code and sort key, a person, a URL."""

from __future__ import annotations

from rdflib import Graph, Literal

from dlgraph.vocab import DLG, SDO


def text_of(g: Graph, node, *preds, lang: str = "en") -> str | None:
    """The first value of ``preds``, preferring the ``lang`` tag, then untagged, then any."""
    for pred in preds:
        values = list(g.objects(node, pred))
        if not values:
            continue
        for want in (lang, None):
            for v in values:
                if isinstance(v, Literal) and v.language == want:
                    return str(v)
        return str(values[0])
    return None


def preferred_text(values: list[Literal], lang: str | None = None) -> str:
    """Of a node's literals, the one in ``lang``, else English, else the first in sort order
    (the search documents' choice: the same text however the graph was opened)."""
    if not values:
        return ""
    ordered = sorted(values)
    for want in (lang, "en"):
        for v in ordered:
            if v.language == want:
                return str(v)
    return str(ordered[0])


def int_of(g: Graph, node, pred) -> int | None:
    value = g.value(node, pred)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def edition_code(g: Graph, edition) -> str | None:
    if edition is None:
        return None
    return str(g.value(edition, SDO.identifier) or str(edition).rsplit("/", 1)[-1])


def edition_sort_key(g: Graph, edition) -> tuple:
    year = g.value(edition, DLG.year) if edition is not None else None
    term = str(g.value(edition, DLG.term) or "") if edition is not None else ""
    return (str(year or "9999"), {"Spring": 0, "Summer": 1, "Fall": 2}.get(term, 9))


def person_of(g: Graph, p) -> dict:
    return {"iri": str(p), "name": text_of(g, p, SDO.name) or str(p).rsplit("/", 1)[-1]}


def people_of(g: Graph, nodes, pred) -> list[dict]:
    found = {p for n in nodes for p in g.objects(n, pred)}
    return sorted((person_of(g, p) for p in found), key=lambda d: d["name"].lower())


def url_of(g: Graph, node) -> str | None:
    url = g.value(node, SDO.url)
    return str(url) if url is not None else None
