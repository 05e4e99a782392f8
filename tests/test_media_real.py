"""The real repositories (DLGRAPH_REPOS): every transcript, notebook and deck, counted by hand.

Counted from ../shared/repos: SP20 has 65 transcripts (en 29, one per SP20 recording;
fr 28, pt 7, ar 1), 20 notebooks and 13 of its 14 linked decks; SP21 6 transcripts
(en 1, fr 5) and 4 notebooks; FL22 1 notebook. The SP20 home page links
14-truck_backer-upper.ipynb for the repository's 14-truck_backer_upper.ipynb.
"""

from __future__ import annotations

from collections import Counter

import pytest

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def by_code(repos_dir, real_records):
    return {rec.edition: rec for rec in real_records}


def _attached(rec):
    return [t for t in rec.transcripts if t.video]


def test_sp20_transcripts_by_language(by_code):
    assert Counter(t.language for t in _attached(by_code["SP20"])) == {"en": 29, "fr": 28, "pt": 7, "ar": 1}


def test_sp20_english_transcripts_on_29_distinct_recordings(by_code):
    en = [t for t in _attached(by_code["SP20"]) if t.language == "en"]
    assert len({t.video for t in en}) == 29
    sp20_videos = {r.key for lec in by_code["SP20"].lectures for r in lec.resources if r.kind == "video"}
    assert {t.video for t in en} == sp20_videos


def test_translations_attached_to_the_recording_of_the_same_english_file(by_code):
    rec = by_code["SP20"]
    english = {t.path.split("/", 2)[2]: t.video for t in rec.transcripts if t.language == "en"}
    for t in rec.transcripts:
        if t.language != "en":
            assert t.video == english[t.path.split("/", 2)[2]], t.path


def test_sp21_six_transcripts_attached_or_reported(by_code):
    rec = by_code["SP21"]
    reported = {r.path for r in rec.repo_reports if r.problem == "unattached"}
    assert len(rec.transcripts) == 6
    assert all(t.video or t.path in reported for t in rec.transcripts)
    by_path = {t.path: t.video for t in rec.transcripts}
    # the SSL-for-vision guest lecture is week 10's lecture on the home page (misc.1)
    assert by_path["docs/en/week10/lecture10.sbv"] == by_path["docs/fr/week10/lecture10.sbv"] == "8L10w1KoOU8"


def test_notebooks_and_decks_read(by_code):
    assert sum(len(r.notebooks) for r in by_code.values()) == 25
    assert len(by_code["SP20"].slides) == 13
    assert all(len(d.pages) > 0 for d in by_code["SP20"].slides)


def test_the_absent_deck_is_the_one_file_reported_missing(by_code):
    missing = {r.path for r in by_code["SP20"].repo_reports if r.problem == "missing"}
    assert missing == {"slides/05 - Generative models.pdf"}


def test_the_misspelled_notebook_link_resolved_to_the_real_notebook(by_code):
    # the SP20 home page links 14-truck_backer-upper.ipynb; the repository has backer_upper
    rec = by_code["SP20"]
    (nb,) = [n for n in rec.notebooks if n.path == "14-truck_backer_upper.ipynb"]
    items = [lec.key for lec in rec.lectures for r in lec.resources if r.key == nb.key]
    assert len(items) == 1 and nb.cells
    assert any("linked as '14-truck_backer-upper.ipynb', resolved to '14-truck_backer_upper.ipynb'" in n
               for n in rec.notes)


def test_the_truck_lecture_links_the_notebook_with_its_cells(by_code, real_graph):
    from dlgraph.vocab import DLG, SDO, lecture_iri

    rec = by_code["SP20"]
    (nb,) = [n for n in rec.notebooks if n.path == "14-truck_backer_upper.ipynb"]
    (item,) = [lec.key for lec in rec.lectures for r in lec.resources if r.key == nb.key]
    (node,) = [n for n in real_graph.objects(lecture_iri("SP20", item), DLG.notebook)]
    assert str(real_graph.value(node, SDO.url)) == nb.url  # the live URL of the existing file
    assert nb.url.endswith("/14-truck_backer_upper.ipynb")
    assert len(list(real_graph.objects(node, SDO.hasPart))) == len(nb.cells)
    assert str(real_graph.value(node, DLG.linkedAs)).endswith("/14-truck_backer-upper.ipynb")
    # SP21's truck lecture links the same SP20 file with the same misspelling: the same node
    sp21 = [lec.key for lec in by_code["SP21"].lectures for r in lec.resources
            if r.key == "github:Atcold/NYU-DLSP20/14-truck_backer-upper.ipynb"]
    assert sp21 and all(node in set(real_graph.objects(lecture_iri("SP21", k), DLG.notebook)) for k in sp21)


def test_every_url_is_live(by_code):
    for rec in by_code.values():
        for item in (*rec.transcripts, *rec.notebooks, *rec.slides):
            assert item.url.startswith(("https://atcold.github.io/", "https://github.com/Atcold/")), item.url


def test_graph_nodes_are_the_linked_ones(repos_dir, real_graph):
    from dlgraph.vocab import DLG, SDO

    linked = set(real_graph.objects(None, DLG.notebook))
    read = {n for n in real_graph.subjects(SDO.programmingLanguage, None)}
    assert len(read) == 25
    assert len(read & linked) >= 17  # the linked notebooks gained their cells


def test_stats_count_the_repository_files(repos_dir, real_graph):
    from dlgraph.stats import graph_stats

    eds = graph_stats(real_graph)["editions"]
    assert eds["SP20"]["transcripts"] == {"en": 29, "ar": 1, "fr": 28, "pt": 7}
    assert (eds["SP20"]["notebooks_read"], eds["SP20"]["slides_read"]) == (20, 13)
    # the absent deck; the notebook the home page misspells (backer-upper) is resolved
    assert eds["SP20"]["repo_files_missing"] == 1
    assert sum(eds["SP21"]["transcripts"].values()) == 6 and eds["SP21"]["notebooks_read"] == 4
    assert eds["FL22"]["notebooks_read"] == 1
    assert eds["SP20"]["transcript_passages"] > 29 * 40  # readable lengths, not one per file
