"""Which editions list their whole syllabus, and labels that tell same-titled items apart.

A comparison of editions needs both: an item missing from an edition whose site lists only
its new lessons was not dropped, only not listed; and two rows titled alike need what tells
them apart.
"""

from __future__ import annotations

import re
from collections import defaultdict

from rdflib import Graph, Literal, URIRef

from dlgraph.lineage import edition_items
from dlgraph.vocab import DLG, SDO, SKOS

# -- editions that list only part of their syllabus ---------------------------------------

#: A sentence of a home page saying the site puts only new material online ("Only the new
#: lessons … will come online"); English, as every edition's home page is.
_ONLY_NEW = re.compile(
    r"[^.\n]*\bonly\s+(?:the\s+)?new\s+(?:lessons|lectures|material|content)\b[^.\n]*\.?",
    re.I,
)


def partial_listing(g: Graph, code: str) -> str | None:
    """Why edition ``code``'s site lists only part of its syllabus, or ``None`` if it does not.

    Two signs, both read from the graph: items its home page marks as re-used from an
    earlier edition (``dlg:reused``: the site greys them out instead of listing the whole
    course afresh), and a sentence of its home page saying only new material goes online.
    An item missing from such an edition is *not listed*, not dropped.
    """
    items = edition_items(g, code)
    reused = sum(1 for i in items if _reused(g, i))
    stated = None
    for doc in g.subjects(DLG.documentKind, Literal("home")):
        ed = g.value(doc, DLG.edition)
        if ed is None or str(g.value(ed, SDO.identifier)) != code:
            continue
        for text in g.objects(doc, SDO.text):
            found = _ONLY_NEW.search(str(text))
            if found:
                stated = found.group().strip()
                break
    if not reused and not stated:
        return None
    parts = []
    if stated:
        parts.append(f"its home page says “{stated}”")
    if reused:
        parts.append(f"it marks {reused} of its {len(items)} items as re-used from an "
                     "earlier edition")
    return f"{code} lists only part of its syllabus: " + " and ".join(parts) + "."


def _reused(g: Graph, item: URIRef) -> bool:
    value = g.value(item, DLG.reused)
    return value is not None and bool(value.toPython())


# -- telling identical titles apart ------------------------------------------------------


def tell_apart(g: Graph, items: list[dict]) -> None:
    """Give every item (:func:`dlgraph.lineage.item_dict`) ``key``, ``theme`` and a ``label``: its title, plus what tells it from a same-titled item.

    SP21 lists "Energy based models (V)" twice (theme 4 and theme 5, one video): the theme
    is what a reader can tell them apart by, then the item's key (``t5.1``), as the Lecture
    picker does.
    """
    seen: dict[tuple, int] = defaultdict(int)
    for i in items:
        seen[(i["edition"], i["title"])] += 1
    for i in items:
        node = URIRef(i["iri"])
        theme = g.value(node, DLG.theme)
        i["key"] = i["iri"].rsplit("/", 1)[-1]
        i["theme"] = (
            {"number": int(g.value(theme, SKOS.notation) or 0),
             "label": str(g.value(theme, SKOS.prefLabel) or "")}
            if theme is not None else None
        )
        label = i["title"]
        if seen[(i["edition"], i["title"])] > 1:
            extra = [f"theme {i['theme']['number']}: {i['theme']['label']}"] if i["theme"] else []
            label += f" ({', '.join([*extra, i['key']])})"
        i["label"] = label


__all__ = ["partial_listing", "tell_apart"]
