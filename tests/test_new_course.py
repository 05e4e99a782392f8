"""A new course of the same site theme, added as data only: ingested from a fixture mirror
with ``--editions-file``, then validated, searched, compared, listed and shown in the app.

The sites are hand-written fixtures in the family's shapes: a list-shaped home page with
nested readings and extra links (``list_home.html``), one that lists no lectures yet
(``empty_home.html``), and a themed one standing in for an edition of the shipped course
(``themes_home.html``), which shares a recording and a notebook with the new course.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from dlgraph import store
from dlgraph.cli import cli
from dlgraph.vocab import BIBO, DLG, RDF, SDO, course_iri, edition_iri, lecture_iri
from ingest import registry

SITES = Path(__file__).parent / "fixtures" / "sites"
EDITIONS_FILE = """
[[course]]
code = "ZZ-GY 6123"
title = "Invented Robotics"
institution = "Invented School of Engineering"

[[edition]]
code = "ZR24"
course = "ZZ-GY 6123"
term = "Fall"
year = 2024
site = "https://atcold.github.io/ZZ-Robotics/"

[[edition]]
code = "ZR25"
course = "ZZ-GY 6123"
term = "Summer"
year = 2025
site = "https://atcold.github.io/ZZ-Robotics25/"
"""


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    root = tmp_path_factory.mktemp("new-course")
    mirror = root / "sites"
    for folder, fixture in (("ZZ-Robotics", "list_home.html"), ("ZZ-Robotics25", "empty_home.html"),
                            ("NYU-DLSP21", "themes_home.html")):
        (mirror / folder).mkdir(parents=True)
        shutil.copy(SITES / fixture, mirror / folder / "index.html")
    config = root / "robotics.toml"
    config.write_text(EDITIONS_FILE, encoding="utf-8")
    data = root / "data"
    result = run("ingest", "--editions", "SP21,ZR24,ZR25", "--mirror", mirror,
                 "--editions-file", config, "--data-dir", data, "--json")
    registry.configure(registry.shipped())  # later tests see the shipped editions
    return {"result": result, "data": data, "config": config, "graph": store.load_graph(data)}


@pytest.fixture(autouse=True)
def _shipped():
    yield
    registry.configure(registry.shipped())


def test_the_new_course_ingests_without_a_code_change(ingested):
    result = ingested["result"]
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    rows = {r["edition"]: r for r in out["editions"]}
    assert (rows["ZR24"]["lectures"], rows["ZR24"]["people"]) == (3, 3)
    assert rows["ZR25"]["lectures"] == 0
    assert out["failed"] == [] and out["warnings"] == []
    assert out["notes"] == ["ZR25: its home page lists no lectures yet"]


def test_one_course_node_per_course_code(ingested):
    g = ingested["graph"]
    courses = set(g.subjects(RDF.type, SDO.Course))
    assert courses == {course_iri("ZZ-GY 6123"), course_iri("DS-GA 1008")}
    robotics = course_iri("ZZ-GY 6123")
    assert set(g.objects(robotics, SDO.hasCourseInstance)) == {edition_iri("ZR24"), edition_iri("ZR25")}
    assert g.value(robotics, SDO.name) == Literal("Invented Robotics", lang="en")
    school = g.value(robotics, SDO.provider)
    assert g.value(school, SDO.name) == Literal("Invented School of Engineering")
    assert set(g.objects(course_iri("DS-GA 1008"), SDO.hasCourseInstance)) == {edition_iri("SP21")}


def test_items_videos_slides_notebooks_and_people_are_in_the_graph(ingested):
    g = ingested["graph"]
    item = lecture_iri("ZR24", "02")
    assert g.value(item, SDO.name) == Literal("Imaginary inference for robots", lang="en")
    assert {str(g.value(v, SDO.identifier)) for v in g.objects(item, SDO.video)} == {"ZZZZZZZZZZ2"}
    assert len(list(g.objects(lecture_iri("ZR24", "03"), DLG.slides))) == 1
    assert len(list(g.objects(item, DLG.notebook))) == 1
    instructors = {str(g.value(p, SDO.name)) for p in g.objects(edition_iri("ZR24"), SDO.instructor)}
    assert instructors == {"Ada Lovelace", "Quentin Quill", "Rosa Riveter"}


def test_nested_readings_are_readings_of_their_item(ingested):
    g = ingested["graph"]
    item = lecture_iri("ZR24", "01")
    cited = set(g.objects(item, SDO.citation))
    titles = {str(g.value(r, BIBO.chapter) or "") for r in cited}
    assert {"chapter 1", "chapter 6"} <= titles
    books = {str(g.value(r, URIRef("http://purl.org/dc/terms/title"))) for r in cited}
    assert "Artificial Intelligence: An Invented Approach" in books
    # the nested paper link of item 02 is a reading too
    assert any("2101.00001" in str(r) for r in g.objects(lecture_iri("ZR24", "02"), SDO.citation))


def test_validate_passes_with_the_editions_file_and_not_without(ingested):
    data, config = ingested["data"], ingested["config"]
    ok = run("validate", "--data-dir", data, "--editions-file", config, "--json")
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["violations"] == 0
    unconfigured = run("validate", "--data-dir", data)
    assert unconfigured.exit_code == 1 and "configured editions" in unconfigured.output


def test_search_finds_the_new_course(ingested):
    result = run("search", "planning toy world", "--edition", "ZR24", "--data-dir",
                 ingested["data"], "--json")
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)["hits"]
    assert hits and hits[0]["edition"] == "ZR24" and hits[0]["title"] == "Planning in a toy world"


def test_compare_works_across_courses(ingested):
    result = run("compare", "SP21", "ZR24", "--data-dir", ingested["data"], "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    same = [r for r in out["rows"] if r["status"] == "same-recording"]
    assert [(r["a"][0]["title"], r["b"][0]["title"]) for r in same] == [
        ("Made-up history", "Made-up history of machines")]


def test_a_shared_notebook_and_subject_re_record_across_courses(ingested):
    g = ingested["graph"]
    # "Imaginary inference for robots" shares the SP21 stand-in's notebook and its subject
    newer, older = lecture_iri("ZR24", "02"), next(
        i for i in g.subjects(DLG.edition, edition_iri("SP21"))
        if str(g.value(i, SDO.name)) == "Imaginary inference")
    assert (newer, DLG.reRecordingOf, older) in g


def test_people_lists_the_new_courses_instructors(ingested):
    result = run("people", "--edition", "ZR24", "--data-dir", ingested["data"], "--json")
    assert result.exit_code == 0, result.output
    assert "Quentin Quill" in result.stdout and "Rosa Riveter" in result.stdout


def test_editions_lists_configured_and_ingested(ingested):
    out = json.loads(run("editions", "--editions-file", ingested["config"], "--data-dir",
                         ingested["data"], "--json").stdout)
    ingested_codes = [e["code"] for e in out["editions"] if e["ingested"]]
    assert ingested_codes == ["SP21", "ZR24", "ZR25"]


def test_the_app_lists_the_ingested_editions(ingested, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DLGRAPH_DATA", str(ingested["data"]))
    root = Path(__file__).resolve().parent.parent
    for page, widget in (("compare", "compare_editions"), ("people", "people_edition")):
        at = AppTest.from_file(str(root / "app_pages" / f"{page}.py"), default_timeout=60)
        at.session_state["app_data_dir"] = str(ingested["data"])
        at.run()
        assert not at.exception, at.exception
        assert list(at.button_group(key=widget).options) == ["SP21", "ZR24", "ZR25"]
