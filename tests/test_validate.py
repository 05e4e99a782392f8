"""SHACL shapes and the ontology shipped in the package; validation of the fixture graph."""

import json
import re
from importlib.resources import files
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

import dlgraph.vocab
from dlgraph.cli import cli
from dlgraph.store import save_graph
from dlgraph.validate import ontology_graph, shapes_graph, validate
from dlgraph.vocab import DLG, PROV, SDO, edition_iri, lecture_iri, person_iri, role_iri

EN_PAGE = URIRef("https://atcold.github.io/NYU-DLSP20/en/week02/02-1/")
FR_PAGE = URIRef("https://atcold.github.io/NYU-DLSP20/fr/week02/02-1/")
EN_SECTION = URIRef(f"{EN_PAGE}#toy-gradients")


def _dlg_terms() -> set[str]:
    # The annotations of the closed namespace, read from its source: the one list of terms.
    src = Path(dlgraph.vocab.__file__).read_text(encoding="utf-8")
    body = src.split("class DLG(DefinedNamespace):", 1)[1].split("\ndef ", 1)[0]
    return set(re.findall(r"^    (\w+): URIRef", body, re.M))


def test_ontology_defines_exactly_the_dlg_terms():
    onto = ontology_graph()
    defined = {str(s).split("#", 1)[1] for s in onto.subjects(RDFS.label, None)
               if str(s).startswith(str(DLG._NS))}
    assert defined == _dlg_terms()


@pytest.mark.parametrize("term", sorted(_dlg_terms()))
def test_every_term_has_label_comment_and_kind(term):
    onto, node = ontology_graph(), DLG[term]
    assert onto.value(node, RDFS.label).language == "en"
    assert onto.value(node, RDFS.comment).language == "en"
    kinds = set(onto.objects(node, RDF.type))
    assert kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}


def test_shapes_parse_and_target_the_main_entities():
    shapes = shapes_graph()
    targets = {str(o) for p in ("targetClass", "targetSubjectsOf", "targetObjectsOf")
               for o in shapes.objects(None, URIRef(f"http://www.w3.org/ns/shacl#{p}"))}
    for cls in (SDO.CourseInstance, SDO.LearningResource, DLG.NotesPage, SDO.VideoObject,
                SDO.Clip, SDO.Person, SDO.Role, DLG.Citation, DLG.headingLevel, DLG.documentKind,
                PROV.Activity):
        assert str(cls) in targets


def test_small_graph_conforms(small_graph):
    conforms, report, violations = validate(small_graph)
    assert (conforms, violations) == (True, 0), report


# Each defect must be reported: the shapes are only worth something if they can fail.
DEFECTS = {
    "lecture without a name": lambda g: g.remove((lecture_iri("SP20", "02-1"), SDO.name, None)),
    "lecture name without language": lambda g: g.set(
        (lecture_iri("SP20", "02-1"), SDO.name, Literal("Toy gradients"))),
    "position as a string": lambda g: g.set(
        (lecture_iri("SP20", "02-1"), SDO.position, Literal("1"))),
    "unknown item format": lambda g: g.set(
        (lecture_iri("SP20", "02-1"), SDO.learningResourceType, Literal("seminar"))),
    "section heading in the wrong language": lambda g: g.set(
        (EN_SECTION, SDO.name, Literal("Gradients jouets", lang="fr"))),
    "page title in the wrong language": lambda g: g.set(
        (FR_PAGE, SDO.name, Literal("Introduction to toy gradients", lang="en"))),
    "translation of a page in its own language": lambda g: g.set(
        (FR_PAGE, SDO.inLanguage, Literal("en"))),
    "loopback URL": lambda g: g.set(
        (URIRef("https://w3id.org/dlgraph/id/video/VIDtoy0001"), SDO.url,
         URIRef("http://127.0.0.1:8000/watch?v=VIDtoy0001"))),
    "file path as provenance": lambda g: g.set(
        (lecture_iri("SP20", "02-1"), PROV.wasDerivedFrom, URIRef("file:///work/shared/sites/index.html"))),
    "one-way same recording": lambda g: g.remove(
        (lecture_iri("SP21", "t1.1"), DLG.sameRecordingAs, lecture_iri("FL22", "01"))),
    "same recording within one edition": lambda g: g.add(
        (lecture_iri("SP20", "02-1"), DLG.sameRecordingAs, lecture_iri("SP20", "02-3"))),
    "unknown role": lambda g: g.set(
        (role_iri("SP20", "instructor", "yann lecun"), SDO.roleName, Literal("dean"))),
    "two names for a person": lambda g: g.add(
        (person_iri("yann lecun"), SDO.name, Literal("Y. LeCun"))),
    "edition year as an integer": lambda g: g.set((edition_iri("SP21"), DLG.year, Literal(2021))),
    "clip without a start": lambda g: g.remove(
        (URIRef("https://w3id.org/dlgraph/id/video/VIDtoy0001/t/29"), SDO.startOffset, None)),
    "fetch activity ending at a string": lambda g: [
        g.set((a, PROV.endedAtTime, Literal("yesterday")))
        for a in list(g.objects(EN_PAGE, PROV.wasGeneratedBy))],
    "fetched page without its fetch activity": lambda g: [
        g.remove((a, RDF.type, PROV.Activity)) for a in list(g.objects(EN_PAGE, PROV.wasGeneratedBy))],
    "fetch activity of a file path": lambda g: [
        g.add((URIRef("file:///work/shared/sites/index.html"), PROV.wasGeneratedBy, a))
        for a in list(g.objects(EN_PAGE, PROV.wasGeneratedBy))],
    "role outside the role pattern": lambda g: g.remove(
        (None, SDO.contributor, role_iri("SP20", "instructor", "yann lecun"))),
}


@pytest.mark.parametrize("defect", list(DEFECTS))
def test_defects_are_violations(small_graph, defect):
    g = small_graph + small_graph.__class__()  # a copy: the session graph is shared
    DEFECTS[defect](g)
    conforms, report, violations = validate(g)
    assert not conforms and violations >= 1, f"{defect} was not reported"


def test_cli_validate(small_graph, tmp_path):
    save_graph(small_graph, tmp_path)
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "validate", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["conforms"] is True and out["violations"] == 0


def test_cli_validate_reports_violations(small_graph, tmp_path):
    g = small_graph + small_graph.__class__()
    DEFECTS["unknown role"](g)
    save_graph(g, tmp_path)
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "validate"])
    assert result.exit_code == 1
    assert "Constraint Violation" in result.output
    assert result.output.strip().endswith("Error: the graph does not conform: 1 violation(s)")


def test_edition_codes_must_be_configured(small_graph):
    from dlgraph.validate import configured_editions

    codes, terms = configured_editions()
    assert validate(small_graph, codes, terms)[0]
    # the same graph, checked against a configuration that lacks one of its editions
    conforms, report, violations = validate(small_graph, [c for c in codes if c != "SP21"], terms)
    assert not conforms and violations == 1 and "configured editions" in report
    # and a term no configured edition has
    assert not validate(small_graph, codes, ["Winter"])[0]


def test_the_shapes_file_names_no_edition():
    text = (files("dlgraph") / "data" / "shapes.ttl").read_text(encoding="utf-8")
    assert not re.search(r"SP20|SP21|FL22|FL23|DS-GA|\(SP\|FL\)", text)
