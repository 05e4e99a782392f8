"""Integration: one edition missing from a copy of the real mirror does not sink the rest.

Uses the two small real sites (SP21, FL22) so the run stays short: ingested once, then again
after FL22's folder is deleted from the copy.
"""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from dlgraph.cli import cli

pytestmark = pytest.mark.integration


def test_a_missing_edition_keeps_its_previous_records(mirror_dir, tmp_path):
    copy = tmp_path / "sites"
    for site in ("NYU-DLSP21", "NYU-DLFL22"):
        shutil.copytree(mirror_dir / site, copy / site)
    data = tmp_path / "data"
    args = ["ingest", "--editions", "SP21,FL22", "--mirror", str(copy), "--data-dir", str(data)]
    first = CliRunner().invoke(cli, [*args, "--json"])
    assert first.exit_code == 0, first.output
    before = {r["edition"]: r for r in json.loads(first.stdout)["editions"]}
    kept = (data / "records" / "FL22.json").read_bytes()

    shutil.rmtree(copy / "NYU-DLFL22")
    again = CliRunner().invoke(cli, [*args, "--json"])
    assert again.exit_code == 1
    out = json.loads(again.stdout)
    assert [r["edition"] for r in out["editions"]] == ["SP21"]
    assert out["editions"][0]["lectures"] == before["SP21"]["lectures"]
    [failed] = out["failed"]
    assert failed["edition"] == "FL22" and failed["kept_previous"] is True
    assert "could not be fetched" in failed["reason"]
    assert (data / "records" / "FL22.json").read_bytes() == kept
    # the graph still holds FL22, from its previous records
    stats = json.loads(CliRunner().invoke(cli, ["stats", "--json", "--data-dir", str(data)]).stdout)
    assert stats["editions"]["FL22"]["lectures"] == before["FL22"]["lectures"]
