"""The editions registry: the shipped TOML file, a user's file laid over it, one-line errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from dlgraph.cli import cli
from ingest import registry
from ingest.registry import RegistryError, load, parse, shipped

NEW_COURSE = """
[[course]]
code = "ZZ-GY 6123"
title = "Invented Robotics"
institution = "Invented School of Engineering"

[[edition]]
code = "zr24"
course = "ZZ-GY 6123"
term = "Summer"
year = 2024
site = "https://atcold.github.io/ZZ-Robotics"
repository = "someone/zz-robotics@main"
"""


@pytest.fixture(autouse=True)
def _shipped_in_force():
    yield
    registry.configure(shipped())


def test_the_shipped_file_holds_four_editions_of_one_course():
    reg = shipped()
    assert list(reg.editions) == ["SP20", "SP21", "FL22", "FL23"]
    assert list(reg.courses) == ["DS-GA 1008"]
    assert {e.course_code for e in reg.editions.values()} == {"DS-GA 1008"}


def test_the_shipped_editions_keep_their_fields():
    reg = shipped()
    sp20, fl23 = reg.editions["SP20"], reg.editions["FL23"]
    assert (sp20.term, sp20.year, sp20.base_url) == ("Spring", 2020, "https://atcold.github.io/NYU-DLSP20/")
    assert sp20.documents == ("course-page",) and len(sp20.aliases) == 2
    assert sp20.repository == "Atcold/NYU-DLSP20@master"
    assert (sp20.repository_name, sp20.repository_branch) == ("Atcold/NYU-DLSP20", "master")
    assert fl23.base_url is None and fl23.repository is None


def test_a_user_file_adds_a_course_and_an_edition():
    reg = parse(NEW_COURSE, "mine.toml", shipped())
    assert list(reg.editions)[-1] == "ZR24"  # codes are upper-cased, new ones come last
    spec = reg.editions["ZR24"]
    assert spec.base_url == "https://atcold.github.io/ZZ-Robotics/"  # the slash is added
    assert spec.title == "Invented Robotics, Summer 2024"  # default title from the course
    assert (spec.repository_name, spec.repository_branch) == ("someone/zz-robotics", "main")
    assert reg.course_of(spec).institution == "Invented School of Engineering"
    assert len(reg.editions) == 5


def test_a_course_names_its_instructors_and_a_user_file_can_change_them():
    assert shipped().courses["DS-GA 1008"].instructors == ("Yann LeCun", "Alfredo Canziani")
    reg = parse('[[course]]\ncode = "DS-GA 1008"\ninstructors = ["Ada Lovelace"]\n', "o.toml",
                shipped())
    course = reg.courses["DS-GA 1008"]
    assert course.instructors == ("Ada Lovelace",) and course.title == "Deep Learning"
    assert parse(NEW_COURSE, "mine.toml", shipped()).courses["ZZ-GY 6123"].instructors == ()


def test_a_user_file_overrides_fields_of_a_shipped_edition():
    reg = parse('[[edition]]\ncode = "SP21"\nsite = "https://atcold.github.io/Moved/"\n', "o.toml",
                shipped())
    assert reg.editions["SP21"].base_url == "https://atcold.github.io/Moved/"
    assert reg.editions["SP21"].year == 2021 and reg.editions["SP21"].documents == ("review",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[edition]\n", r"^u\.toml:1: Expected"),
        ('[[edition]]\ncode = "X1"\nterm = "Fall"\nyear = 2024\n', r"^u\.toml:2: edition X1: missing course$"),
        ('[[edition]]\ncode = "X1"\ncourse = "NOPE"\nterm = "Fall"\nyear = 2024\n',
         r"^u\.toml:3: edition X1: unknown course 'NOPE'"),
        ('\n[[edition]]\ncode = "X1"\ncourse = "DS-GA 1008"\nterm = "Fall"\nyear = "2024"\n',
         r"^u\.toml:6: edition X1: year must be a number"),
        ('[[edition]]\ncode = "SP20"\nsit = "https://x.org/"\n', r"^u\.toml:3: unknown key 'sit'"),
        ('[[edition]]\ncode = "SP20"\nrepository = "just-a-name"\n',
         r"^u\.toml:3: edition SP20: repository must be owner/name@branch"),
        ('[[edition]]\ncode = "SP20"\nsite = "ftp://x.org/"\n', r"^u\.toml:3: edition SP20: site must be"),
        ('[[edition]]\ncode = "A B"\n', r"^u\.toml:2: edition code 'A B'"),
        ('[[edition]]\ncode = "SP20"\n[[edition]]\ncode = "SP20"\n', r"^u\.toml:4: edition 'SP20' is declared twice"),
        ('[[editions]]\ncode = "SP20"\n', r"^u\.toml:1: unknown table 'editions'"),
        ('[[edition]]\ncode = "SP20"\ndocuments = "faq"\n', r"^u\.toml:3: edition SP20: documents must be a list"),
        ('[[course]]\ncode = "DS-GA 1008"\ninstructors = "Yann LeCun"\n',
         r"^u\.toml:3: course DS-GA 1008: instructors must be a list of names"),
    ],
)
def test_a_bad_file_is_one_line_with_its_place(text, message):
    with pytest.raises(RegistryError, match=message) as info:
        parse(text, "u.toml", shipped())
    assert "\n" not in str(info.value)


def test_an_unreadable_file_names_itself(tmp_path):
    with pytest.raises(RegistryError, match=r"missing\.toml: cannot read editions file"):
        load(tmp_path / "missing.toml")


def test_editions_command_lists_configured_and_ingested(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(NEW_COURSE, encoding="utf-8")
    (tmp_path / "data" / "records").mkdir(parents=True)
    (tmp_path / "data" / "records" / "SP21.json").write_text("{}", encoding="utf-8")
    (tmp_path / "data" / "records" / "OLD1.json").write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "editions",
                                      "--editions-file", str(path), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert [e["code"] for e in out["editions"]] == ["SP20", "SP21", "FL22", "FL23", "ZR24"]
    assert [e["code"] for e in out["editions"] if e["ingested"]] == ["SP21"]
    assert out["ingested_not_configured"] == ["OLD1"]
    assert out["courses"][1] == {"code": "ZZ-GY 6123", "title": "Invented Robotics",
                                 "institution": "Invented School of Engineering"}
    text = CliRunner().invoke(cli, ["editions"], env={"DLGRAPH_EDITIONS_FILE": str(path)}).output
    assert "ZR24" in text and "Invented Robotics" in text


def test_a_bad_editions_file_exits_2_with_one_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[[edition]]\ncode = "SP20"\nyear = "soon"\n', encoding="utf-8")
    for args in (["editions"], ["ingest", "--mirror", str(tmp_path)]):
        result = CliRunner().invoke(cli, [*args, "--editions-file", str(path)])
        assert result.exit_code == 2
        assert result.output.strip().splitlines() == [
            f"Error: {path}:3: edition SP20: year must be a number like 2024, not 'soon'"]
        assert result.exception is None or isinstance(result.exception, SystemExit)
