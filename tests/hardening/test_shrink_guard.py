"""An edition that comes back with most of its pages gone keeps its previous records."""

from __future__ import annotations

from click.testing import CliRunner

from dlgraph.cli import cli
from dlgraph.records import EditionRecords, Lecture
from dlgraph.records_json import from_json
from ingest.guard import keep_previous, shrink_reason


def _ingest(site, data, *extra):
    return CliRunner().invoke(cli, ["--data-dir", str(data), "ingest", "--editions", "SP20",
                                    "--mirror", str(site), *extra])


def _lectures(n: int) -> EditionRecords:
    lec = [Lecture(edition="SP20", key=f"0{i}", position=i, title=f"t{i}", format="lecture",
                   source_url="https://example.org/")
           for i in range(n)]
    return EditionRecords(edition="SP20", lectures=tuple(lec))


def test_shrink_reason_names_what_was_lost():
    assert shrink_reason(_lectures(68), _lectures(0)) == "shrank: lectures 0 (was 68)"
    assert shrink_reason(_lectures(68), _lectures(40)) is None  # changed, not lost
    assert shrink_reason(_lectures(0), _lectures(0)) is None


def test_keep_previous_and_accept_shrink():
    previous = {"SP20": _lectures(10)}
    save, kept = keep_previous([_lectures(1)], previous)
    assert save == [] and kept[0].edition == "SP20" and "kept its previous" in kept[0].message
    save, kept = keep_previous([_lectures(1)], previous, accept_shrink=True)
    assert len(save) == 1 and kept == []
    save, kept = keep_previous([], previous, failed={"SP20": "home page 404"})
    assert save == [] and kept[0].reason == "failed: home page 404"


def test_empty_home_page_keeps_the_good_records(site, tmp_path):
    data = tmp_path / "data"
    first = _ingest(site, data)
    assert first.exit_code == 0, first.output
    path = data / "records" / "SP20.json"
    good = path.read_bytes()
    assert len(from_json(good.decode()).lectures) == 3
    for body in (b"", b"\x00\x01\x02\xff" * 100, b"<html><body><p>moved</p></body></html>"):
        (site / "NYU-DLSP20" / "index.html").write_bytes(body)
        again = _ingest(site, data)
        assert again.exit_code == 1, again.output
        # an empty page does not parse (the edition fails); the others parse to nothing (it shrinks)
        assert ("lectures 0 (was 3)" in again.output and "kept its previous records" in again.output
                or "could not be parsed" in again.output
                and "its previous records are kept" in again.output), again.output
        assert path.read_bytes() == good
    as_json = _ingest(site, data, "--json")
    assert '"kept_previous": "SP20: shrank: lectures 0 (was 3)' in as_json.output
    accepted = _ingest(site, data, "--accept-shrink")
    assert accepted.exit_code == 0, accepted.output
    assert from_json(path.read_text(encoding="utf-8")).lectures == ()
