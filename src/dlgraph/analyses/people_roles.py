"""Who did what in which editions."""

from __future__ import annotations

from collections import defaultdict

from rdflib import Graph, URIRef

from dlgraph.graphs import editions
from dlgraph.vocab import DLG, RDF, SDO

#: What each role name means, in the words ``people_roles`` reports.
ROLE_VERBS = {
    "instructor": "taught",
    "lecturer": "lectured",
    "teaching-assistant": "assisted",
    "grader": "graded",
    "notes-author": "wrote notes",
    "translator": "translated",
    "webmaster": "ran the website",
}


def people_roles(g: Graph) -> list[dict]:
    """Who taught, lectured, assisted, graded, wrote notes or translated, in which editions.

    Returns
    -------
    list of dict
        ``{"person", "name", "roles": {role: [editions]}, "editions": [...],
        "pages": {"notes-author": n, "translator": n}}`` per person, those present in more
        editions first, then by name. ``pages`` counts the notes pages a person wrote or
        translated (every language).
    """
    order = {code: n for n, code in enumerate(editions(g))}
    pages = set(g.subjects(RDF.type, DLG.NotesPage)) | set(g.subjects(RDF.type, DLG.WeekPage))
    people: dict[URIRef, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for role in g.subjects(RDF.type, SDO.Role):
        person = g.value(role, DLG.person)
        name = g.value(role, SDO.roleName)
        ed = g.value(role, DLG.edition)
        if person is None or name is None or ed is None:
            continue
        people[person][str(name)].add(str(g.value(ed, SDO.identifier)))
    out = []
    for person, roles in people.items():
        eds = sorted(set().union(*roles.values()), key=lambda c: order.get(c, 99))
        out.append(
            {
                "person": str(person),
                "name": str(g.value(person, SDO.name) or ""),
                "roles": {
                    r: sorted(roles[r], key=lambda c: order.get(c, 99))
                    for r in sorted(roles, key=_role_rank)
                },
                "editions": eds,
                "pages": {
                    "notes-author": len(set(g.subjects(SDO.author, person)) & pages),
                    "translator": len(set(g.subjects(SDO.translator, person)) & pages),
                },
            }
        )
    return sorted(out, key=lambda d: (-len(d["editions"]), -len(d["roles"]), d["name"].casefold()))


def _role_rank(role: str) -> tuple[int, str]:
    verbs = list(ROLE_VERBS)
    return (verbs.index(role) if role in verbs else len(verbs), role)
