"""A page of junk links cannot push real pages out of the crawl; reaching the cap is an error."""

from __future__ import annotations

import time

from click.testing import CliRunner

from dlgraph.cli import cli
from ingest.crawl import crawl
from ingest.fetched import Fetched
from ingest.mirror import MirrorFetcher
from ingest.registry import get

from .conftest import SITE, write_site

BASE = "https://atcold.github.io/NYU-DLSP20/"


class Junky:
    """Home → junk/ → more/ (10,000 in-site links); home → slow/ (answers late) → real/."""

    concurrency = 4

    def get(self, url):
        if url == BASE:
            return Fetched(url, 200, '<a href="junk/">j</a> <a href="slow/">s</a>', fetched_at="t")
        if url == BASE + "junk/":
            return Fetched(url, 200, '<a href="../more/">m</a>', fetched_at="t")
        if url == BASE + "more/":
            links = " ".join(f'<a href="/NYU-DLSP20/j/{i}/">{i}</a>' for i in range(10_000))
            return Fetched(url, 200, links, fetched_at="t")
        if url == BASE + "slow/":
            time.sleep(0.5)  # so the junk side is two levels deep before this answers
            return Fetched(url, 200, '<a href="../real/">real</a>', fetched_at="t")
        return Fetched(url, 200, "leaf", fetched_at="t")


def test_pages_near_the_home_page_come_first_and_the_cap_says_how_many_were_left():
    result = crawl(get("SP20"), Junky(), max_pages=100)
    assert BASE + "real/" in result.html  # depth 2, fetched before the depth-3 junk
    assert len(result.fetches) == 100
    assert result.truncated and result.left_out == 10_000 - (100 - 5)


def test_ingest_reports_the_cap_and_exits_non_zero(tmp_path, monkeypatch):
    pages = dict(SITE)
    pages["NYU-DLSP20/index.html"] = SITE["NYU-DLSP20/index.html"].replace(
        "</tbody>", "</tbody>" + "".join(f'<a href="x/{i}/">x</a>' for i in range(30)))
    site = write_site(tmp_path / "sites", pages)
    import ingest.crawl

    real = ingest.crawl.crawl
    monkeypatch.setattr("ingest.pipeline.crawl",
                        lambda spec, f, p=None, **kw: real(spec, f, p, max_pages=10, **kw))
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "ingest",
                                      "--editions", "SP20", "--mirror", str(site), "--json"])
    assert result.exit_code == 1
    assert "page cap" in result.output and "in-site links were left out" in result.output
    assert isinstance(MirrorFetcher(site), MirrorFetcher)
