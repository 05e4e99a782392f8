"""Every schema.org property the graph and its JSON-LD export use, against its domain and range.

The table of domains and ranges is ``tests/fixtures/schemaorg.py`` (schema.org's own
definitions). A subject must have a schema.org type inside the property's domain; an object
must be a literal of a range datatype, a node typed inside the range, or an IRI where the
range allows a URL. schema.org's Role pattern is honoured: ``A p Role . Role p B``
with the Role in the middle is how schema.org qualifies a link, so the Role may stand at
either end of ``p``.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from fixtures.schemaorg import DATATYPES, PROPERTIES, ancestors
from rdflib import BNode, Graph, Literal, URIRef

from dlgraph.export import export_readings
from dlgraph.vocab import RDF, SDO

_SDO = str(SDO._NS)


def _local(term) -> str | None:
    text = str(term)
    return text[len(_SDO):] if text.startswith(_SDO) else None


def _classes(g: Graph, node) -> set[str]:
    out = set()
    for t in g.objects(node, RDF.type):
        name = _local(t)
        if name:
            out |= ancestors(name)
    return out


def _literal_ok(o: Literal, ranges: set[str]) -> bool:
    kind = None if o.datatype is None else str(o.datatype).rsplit("#", 1)[-1]
    if kind is None and o.language:
        kind = "langString"
    for r in ranges:
        allowed = DATATYPES.get(r)
        if allowed is not None and kind in allowed:
            return True
        if r in ("Date", "DateTime") and kind in (None, "string"):
            # JSON-LD writes a date as a plain ISO 8601 string, which schema.org accepts.
            import re

            if re.fullmatch(r"\d{4}(-\d{2}(-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?)?)?", str(o)):
                return True
    return False


def violations(g: Graph) -> Counter:
    """``(property, what is wrong, subject types, object)`` → how often, for every schema: triple."""
    out: Counter = Counter()
    for s, p, o in g:
        prop = _local(p)
        if prop is None:
            continue
        if prop not in PROPERTIES:
            out[(prop, "not in the table", "", "")] += 1
            continue
        domains, ranges = PROPERTIES[prop]
        s_types, o_types = _classes(g, s), set() if isinstance(o, Literal) else _classes(g, o)
        # The Role pattern: "A p Role" and "Role p B" both stand for "A p B".
        s_role = "Role" in s_types and (None, p, s) in g
        o_role = "Role" in o_types and (o, p, None) in g
        if not (s_types & domains or s_role):
            out[(prop, "subject outside the domain", "|".join(sorted(s_types)) or "untyped", "")] += 1
        if isinstance(o, Literal):
            ok = _literal_ok(o, ranges)
        elif o_role or isinstance(o, URIRef) and "URL" in ranges:
            ok = True  # in RDF a schema:URL value is an IRI, whatever the IRI names
        else:
            ok = bool(o_types & ranges)
        if not ok:
            what = ("literal " + str(o.datatype or o.language or "string")
                    if isinstance(o, Literal) else "|".join(sorted(o_types)) or
                    ("untyped IRI" if isinstance(o, URIRef) else "untyped blank node"))
            out[(prop, "object outside the range", "|".join(sorted(s_types)), what)] += 1
    return out


# -- the checker can fail ----------------------------------------------------------------------


def test_the_checker_sees_a_wrong_domain_range_and_unknown_property():
    g = Graph()
    person, course = URIRef("urn:p"), URIRef("urn:c")
    g.add((person, RDF.type, SDO.Person))
    g.add((course, RDF.type, SDO.CourseInstance))
    g.add((person, SDO.courseCode, Literal("X")))  # a Person has no courseCode
    g.add((course, SDO.instructor, Literal("Ann")))  # an instructor is a Person node
    g.add((person, URIRef(_SDO + "noSuchTerm"), Literal("x")))
    found = {(k[0], k[1]) for k in violations(g)}
    assert found == {("courseCode", "subject outside the domain"),
                     ("instructor", "object outside the range"),
                     ("noSuchTerm", "not in the table")}


def test_the_role_pattern_is_accepted_and_a_loose_role_is_not():
    g = Graph()
    ed, role, person = URIRef("urn:e"), URIRef("urn:r"), URIRef("urn:p")
    g.add((ed, RDF.type, SDO.CourseInstance))
    g.add((role, RDF.type, SDO.Role))
    g.add((person, RDF.type, SDO.Person))
    g.add((role, SDO.contributor, person))
    assert violations(g)  # a Role with a contributor but no one pointing at it
    g.add((ed, SDO.contributor, role))
    assert not violations(g)


# -- the graphs ----------------------------------------------------------------------------------

# Nothing is pending: lecture items, pages and documents are isPartOf their schema:Course,
# and courseCode sits on the Course only.
_PENDING_COURSE: set[tuple[str, str]] = set()


def _report(found: Counter) -> str:
    return "\n".join(f"{n:6d}  {k}" for k, n in found.most_common())


def _unexpected(found: Counter) -> Counter:
    return Counter({k: n for k, n in found.items() if (k[0], k[1]) not in _PENDING_COURSE})


def test_small_graph_uses_schema_org_within_its_definitions(small_graph):
    found = violations(small_graph)
    assert not _unexpected(found), _report(found)


def test_readings_jsonld_uses_schema_org_within_its_definitions(small_graph):
    text = export_readings(small_graph, "jsonld")
    g = Graph().parse(data=text, format="json-ld")
    assert len(g) > 20
    found = violations(g)
    assert not found, _report(found)


@pytest.mark.integration
def test_real_graph_uses_schema_org_within_its_definitions(real_graph):
    found = violations(real_graph)
    assert not _unexpected(found), _report(found)


@pytest.mark.integration
def test_real_readings_jsonld_uses_schema_org_within_its_definitions(real_graph):
    doc = json.loads(export_readings(real_graph, "jsonld", include_resources=True))
    g = Graph().parse(data=json.dumps(doc), format="json-ld")
    found = violations(g)
    assert not found, _report(found)


def test_no_literal_creators_and_no_random_blank_nodes(small_graph):
    from dlgraph.vocab import DCTERMS

    assert not [o for o in small_graph.objects(None, DCTERMS.creator) if isinstance(o, Literal)]
    labels = {str(n) for t in small_graph for n in t if isinstance(n, BNode)}
    assert labels and all(label.startswith("authors-") for label in labels)
