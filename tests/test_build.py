"""build.py against a small expected Turtle graph (rdflib.compare.isomorphic)."""


import pytest
from rdflib import Graph, Literal
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from dlgraph.build import build_graph
from dlgraph.records import (
    EditionInfo,
    EditionRecords,
    Lecture,
    NotesPage,
    PageFetch,
    PersonRef,
    Resource,
    Section,
)
from dlgraph.vocab import SDO, lecture_iri

SITE = "https://atcold.github.io/NYU-DLSP20/"
PAGE = f"{SITE}en/week01/01-1/"
SPEC = EditionInfo(title="Toy Deep Learning, Spring 2020", course_code="TOY 101",
                   course_title="Toy Deep Learning", institution="Toy School", term="Spring",
                   year=2020, site=SITE)


def toy_records() -> EditionRecords:
    """One edition, one lecture with a video and slides, its notes page with one section."""
    return EditionRecords(
        "SP20",
        lectures=(
            Lecture("SP20", "01-1", 1, "Toy history", "lecture", SITE, week=1, notes_urls=(PAGE,),
                    resources=(Resource("video", "https://youtu.be/VIDtoy00001", "VIDtoy00001"),
                               Resource("slides", "https://drive.google.com/open?id=DRV1",
                                        "drive:DRV1"))),
        ),
        pages=(
            NotesPage(PAGE, "SP20", "en", "notes", "A toy history", 1, "01-1",
                      lecturers=(PersonRef("Ann Toy", "ann toy", "lecturer"),),
                      date="27 Jan 2020",
                      sections=(Section("origins", "Toy origins", 2, 1, "Once upon a toy.",
                                        Resource("video", "https://youtu.be/VIDtoy00001?t=90",
                                                 "VIDtoy00001", 90)),)),
        ),
        people=(PersonRef("Ann Toy", "ann toy", "instructor", "ann@example.org"),),
        fetches=(PageFetch(PAGE, "2026-01-01T00:00:00+00:00", 200),),
    )


EXPECTED = """
@prefix dlg: <https://w3id.org/dlgraph/ns#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/dlgraph/id/> .
@prefix page: <https://atcold.github.io/NYU-DLSP20/en/week01/01-1/> .

<https://w3id.org/dlgraph/id/course/TOY-101> a schema:Course ;
    schema:name "Toy Deep Learning"@en ;
    schema:courseCode "TOY 101" ;
    schema:provider <https://w3id.org/dlgraph/id/organization/toy-school> ;
    schema:hasCourseInstance <https://w3id.org/dlgraph/id/edition/SP20> .

<https://w3id.org/dlgraph/id/organization/toy-school> a schema:CollegeOrUniversity ;
    schema:name "Toy School" .

<https://w3id.org/dlgraph/id/edition/SP20> a schema:CourseInstance ;
    schema:identifier "SP20" ;
    schema:name "Toy Deep Learning, Spring 2020"@en ;
    dlg:term "Spring" ;
    dlg:year "2020"^^xsd:gYear ;
    schema:url <https://atcold.github.io/NYU-DLSP20/> ;
    schema:instructor <https://w3id.org/dlgraph/id/person/ann-toy> ;
    schema:contributor <https://w3id.org/dlgraph/id/role/SP20/instructor/ann-toy>,
        <https://w3id.org/dlgraph/id/role/SP20/lecturer/ann-toy> .

<https://w3id.org/dlgraph/id/person/ann-toy> a schema:Person ;
    schema:name "Ann Toy" ;
    dlg:personKey "ann toy" ;
    schema:email "ann@example.org" .

<https://w3id.org/dlgraph/id/role/SP20/instructor/ann-toy> a schema:Role ;
    schema:roleName "instructor" ;
    schema:contributor <https://w3id.org/dlgraph/id/person/ann-toy> ;
    dlg:person <https://w3id.org/dlgraph/id/person/ann-toy> ;
    dlg:edition <https://w3id.org/dlgraph/id/edition/SP20> ;
    prov:wasDerivedFrom <https://atcold.github.io/NYU-DLSP20/> .

<https://w3id.org/dlgraph/id/role/SP20/lecturer/ann-toy> a schema:Role ;
    schema:roleName "lecturer" ;
    schema:contributor <https://w3id.org/dlgraph/id/person/ann-toy> ;
    dlg:person <https://w3id.org/dlgraph/id/person/ann-toy> ;
    dlg:edition <https://w3id.org/dlgraph/id/edition/SP20> ;
    prov:wasDerivedFrom page: .

<https://w3id.org/dlgraph/id/edition/SP20/lecture/01-1> a schema:LearningResource ;
    schema:name "Toy history"@en ;
    schema:learningResourceType "lecture" ;
    schema:position 1 ;
    dlg:week 1 ;
    dlg:edition <https://w3id.org/dlgraph/id/edition/SP20> ;
    schema:isPartOf <https://w3id.org/dlgraph/id/course/TOY-101> ;
    dlg:reused false ;
    prov:wasDerivedFrom <https://atcold.github.io/NYU-DLSP20/> ;
    schema:video <https://w3id.org/dlgraph/id/video/VIDtoy00001> ;
    dlg:slides <https://w3id.org/dlgraph/id/slides/drive/DRV1> ;
    dlg:notesPage page: ;
    dlg:lecturer <https://w3id.org/dlgraph/id/person/ann-toy> .

<https://w3id.org/dlgraph/id/video/VIDtoy00001> a schema:VideoObject ;
    schema:identifier "VIDtoy00001" ;
    schema:url <https://www.youtube.com/watch?v=VIDtoy00001> ;
    dlg:linkedAs "https://youtu.be/VIDtoy00001", "https://youtu.be/VIDtoy00001?t=90" .

<https://w3id.org/dlgraph/id/video/VIDtoy00001/t/90> a schema:Clip ;
    schema:isPartOf <https://w3id.org/dlgraph/id/video/VIDtoy00001> ;
    schema:startOffset 90 ;
    schema:url <https://www.youtube.com/watch?v=VIDtoy00001&t=90s> .

<https://w3id.org/dlgraph/id/slides/drive/DRV1> a schema:PresentationDigitalDocument ;
    schema:identifier "drive:DRV1" ;
    schema:url <https://drive.google.com/file/d/DRV1/> ;
    dlg:linkedAs "https://drive.google.com/open?id=DRV1" .

page: a dlg:NotesPage, schema:Article, prov:Entity ;
    schema:name "A toy history"@en ;
    schema:inLanguage "en" ;
    schema:url page: ;
    dlg:edition <https://w3id.org/dlgraph/id/edition/SP20> ;
    schema:isPartOf <https://w3id.org/dlgraph/id/course/TOY-101> ;
    dlg:part "01-1" ;
    dlg:week 1 ;
    schema:dateCreated "2020-01-27"^^xsd:date ;
    dlg:lecturer <https://w3id.org/dlgraph/id/person/ann-toy> ;
    schema:about <https://w3id.org/dlgraph/id/edition/SP20/lecture/01-1> ;
    schema:hasPart <https://atcold.github.io/NYU-DLSP20/en/week01/01-1/#origins> ;
    prov:wasDerivedFrom page: ;
    prov:wasGeneratedBy <https://w3id.org/dlgraph/id/fetch/664358752a95a1bd> ;
    dlg:fromCache false ;
    dlg:httpStatus 200 .

<https://w3id.org/dlgraph/id/fetch/664358752a95a1bd> a prov:Activity ;
    prov:endedAtTime "2026-01-01T00:00:00+00:00"^^xsd:dateTime .

<https://atcold.github.io/NYU-DLSP20/en/week01/01-1/#origins> a schema:CreativeWork ;
    schema:name "Toy origins"@en ;
    schema:text "Once upon a toy."@en ;
    schema:position 1 ;
    dlg:headingLevel 2 ;
    schema:isPartOf page: ;
    schema:inLanguage "en" ;
    dlg:edition <https://w3id.org/dlgraph/id/edition/SP20> ;
    prov:wasDerivedFrom page: ;
    schema:video <https://w3id.org/dlgraph/id/video/VIDtoy00001/t/90> .
"""


@pytest.fixture(scope="module")
def toy_graph() -> Graph:
    return build_graph([toy_records()], {"SP20": SPEC})


def _diff(a: Graph, b: Graph) -> str:
    _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
    return (f"only built:\n{only_a.serialize(format='nt')}\n"
            f"only expected:\n{only_b.serialize(format='nt')}")


def test_build_matches_expected_turtle(toy_graph):
    expected = Graph().parse(data=EXPECTED, format="turtle")
    assert isomorphic(toy_graph, expected), _diff(toy_graph, expected)


def test_a_different_graph_is_not_isomorphic(toy_graph):
    # The comparison above must be able to fail: one changed literal breaks it.
    expected = Graph().parse(data=EXPECTED, format="turtle")
    item = lecture_iri("SP20", "01-1")
    expected.set((item, SDO.name, Literal("Toy history, renamed", lang="en")))
    assert not isomorphic(toy_graph, expected)


def test_build_is_deterministic(toy_graph):
    again = build_graph([toy_records()], {"SP20": SPEC})
    # No blank nodes: the same records give exactly the same triples, not just an isomorphic graph.
    assert set(again) == set(toy_graph)


def test_fetch_time_is_plain_prov(toy_graph):
    # The page as ingested was generated by its fetch, which ended when it was retrieved;
    # no dlg:retrievedAt twin says the same thing again.
    from rdflib import URIRef

    from dlgraph.vocab import DLG, PROV

    page = URIRef(PAGE)
    (fetch,) = toy_graph.objects(page, PROV.wasGeneratedBy)
    assert str(toy_graph.value(fetch, PROV.endedAtTime)) == "2026-01-01T00:00:00+00:00"
    assert not list(toy_graph.triples((None, DLG.retrievedAt, None)))


def test_roles_follow_the_schema_org_role_pattern(toy_graph):
    from dlgraph.vocab import edition_iri, person_iri, role_iri

    role = role_iri("SP20", "lecturer", "ann toy")
    assert (edition_iri("SP20"), SDO.contributor, role) in toy_graph
    assert toy_graph.value(role, SDO.contributor) == person_iri("ann toy")
    assert str(toy_graph.value(role, SDO.roleName)) == "lecturer"


def test_one_course_per_course_code_each_edition_an_instance_of_its_own():
    from dlgraph.vocab import RDF, course_iri, edition_iri

    other = EditionInfo(title="Robots, Fall 2031", course_code="RB 200", course_title="Robots",
                        term="Fall", year=2031)
    twin = EditionInfo(title="Toy Deep Learning, Fall 2021", course_code="TOY 101",
                       course_title="Toy Deep Learning", term="Fall", year=2021)
    # the edition's configuration travels with its records: no mapping needed
    records = [toy_records(), EditionRecords("FL21", info=twin), EditionRecords("RB31", info=other)]
    g = build_graph(records, {"SP20": SPEC})
    assert set(g.subjects(RDF.type, SDO.Course)) == {course_iri("TOY 101"), course_iri("RB 200")}
    assert set(g.objects(course_iri("TOY 101"), SDO.hasCourseInstance)) == {
        edition_iri("SP20"), edition_iri("FL21")}
    assert set(g.objects(course_iri("RB 200"), SDO.hasCourseInstance)) == {edition_iri("RB31")}
    assert g.value(course_iri("RB 200"), SDO.name) == Literal("Robots", lang="en")
    assert not list(g.objects(edition_iri("RB31"), SDO.courseCode))  # the course's, not the edition's
