"""The repository stage: transcripts attached to recordings, notebooks, slides, reports."""

from __future__ import annotations

import dataclasses
import shutil

import pytest
from conftest import FIXTURES_DIR
from fixtures.pdf import make_pdf

from dlgraph.records import EditionRecords, Lecture, NotesPage, Resource, Section
from ingest import notebooks, slides, transcripts
from ingest.media import read_repository
from ingest.memo import ParseMemo
from ingest.recordings import attach
from ingest.repos import FolderRepository, RepoRef

SITE = "https://prof.github.io/course-repo/"
REF = RepoRef("Prof", "course-repo", "main")


def _video(vid, start=None):
    return Resource("video", f"https://www.youtube.com/watch?v={vid}", vid, start)


def _file(kind, path):
    return Resource(kind, f"https://github.com/Prof/course-repo/blob/main/{path}", f"github:Prof/course-repo/{path}")


def _records() -> EditionRecords:
    notes = f"{SITE}en/week01/01-1/"
    lectures = (
        Lecture("SP20", "01-1", 1, "Widgets I", "lecture", SITE, week=1, notes_urls=(notes,),
                resources=(_video("VIDlect0001"),)),
        Lecture("SP20", "01-2", 2, "Widgets II", "lecture", SITE, week=1, resources=(_video("VIDlect0001"),)),
        Lecture("SP20", "01-3", 3, "Widget practicum", "practicum", SITE, week=1,
                resources=(_video("VIDprac0001"), _file("notebook", "widgets.ipynb"),
                           _file("slides", "slides/deck.pdf"), _file("slides", "slides/gone.pdf"))),
        Lecture("SP20", "02-1", 4, "Gears", "lecture", SITE, week=2, resources=(_video("VIDlect0002"),)),
    )
    page = NotesPage(notes, "SP20", "en", "notes", "Widgets", 1, "01-1",
                     sections=(Section("knob", "The knob", 2, 1, "Knobs.", _video("VIDlect0001", 25)),))
    return EditionRecords("SP20", lectures=lectures, pages=(page,))


@pytest.fixture(scope="module")
def repo_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("repos")
    shutil.copytree(FIXTURES_DIR / "repos" / "Prof", root / "Prof")
    (root / "Prof/course-repo/slides").mkdir()
    (root / "Prof/course-repo/slides/deck.pdf").write_bytes(
        make_pdf([["Widget basics", "knob"], ["Gears", "only-on-slide zorblax"]]))
    return root


@pytest.fixture(scope="module")
def rec(repo_dir):
    return read_repository(_records(), SITE, FolderRepository(repo_dir, REF))


def _tr(rec, path):
    return next(t for t in rec.transcripts if t.path == path)


def test_transcript_attached_to_the_lecture_row_of_its_week(rec):
    tr = _tr(rec, "docs/en/week01/lecture01.sbv")
    assert (tr.video, tr.lectures) == ("VIDlect0001", ("01-1", "01-2"))
    assert "lecture of week 1" in tr.attached_by


def test_practicum_transcript_attached_to_the_practicum_row(rec):
    assert _tr(rec, "docs/en/week01/practicum01.sbv").video == "VIDprac0001"


def test_translation_attached_to_the_same_recording(rec):
    tr = _tr(rec, "docs/fr/week01/lecture01.sbv")
    assert (tr.language, tr.video) == ("fr", "VIDlect0001")


def test_transcript_url_is_the_pages_url_never_a_path(rec):
    assert _tr(rec, "docs/en/week01/lecture01.sbv").url == f"{SITE}en/week01/lecture01.sbv"


def test_passages_align_with_the_section_second(rec):
    assert 25 in [p.start for p in _tr(rec, "docs/en/week01/lecture01.sbv").passages]


def test_damaged_transcript_reported_and_skipped(rec):
    reports = {(r.path, r.problem) for r in rec.repo_reports}
    assert ("docs/en/week02/lecture02.sbv", "damaged") in reports
    assert all(t.path != "docs/en/week02/lecture02.sbv" for t in rec.transcripts)


def test_damaged_notebook_reported_good_one_read(rec):
    assert [nb.path for nb in rec.notebooks] == ["widgets.ipynb"]
    assert rec.notebooks[0].key == "github:Prof/course-repo/widgets.ipynb"
    assert ("broken.ipynb", "damaged") in {(r.path, r.problem) for r in rec.repo_reports}


def test_slides_read_per_page(rec):
    (deck,) = rec.slides
    assert deck.url == "https://github.com/Prof/course-repo/blob/main/slides/deck.pdf"
    assert [p.title for p in deck.pages] == ["Widget basics", "Gears"]


def test_linked_but_absent_file_reported_missing_nothing_invented(rec):
    missing = [r for r in rec.repo_reports if r.problem == "missing"]
    assert [(r.path, r.url) for r in missing] == [
        ("slides/gone.pdf", "https://github.com/Prof/course-repo/blob/main/slides/gone.pdf")]
    assert "01-3" in missing[0].detail
    assert all(d.path != "slides/gone.pdf" for d in rec.slides)


def test_unreadable_repository_reported_pages_kept(tmp_path):
    before = _records()
    after = read_repository(before, SITE, FolderRepository(tmp_path, REF))
    assert after.lectures == before.lectures and after.transcripts == ()
    (report,) = after.repo_reports
    assert report.problem == "unreadable-repository" and "no folder" in report.detail


# -- attaching: the rules beyond the file name -----------------------------------------


def _two_recordings_in_week(with_notes: bool) -> EditionRecords:
    pages, urls = [], {}
    for part, words in (("15-1", "contrastive pairs negatives margin"), ("15-2", "regularised latent sparse code")):
        url = f"{SITE}fr/week15/{part}/"
        en = f"{SITE}en/week15/{part}/"
        urls[part] = en
        if with_notes:
            pages.append(NotesPage(url, "SP21", "fr", "notes", part, 15, part, translation_of=en,
                                   sections=(Section("s", "Titre", 2, 1, words * 3),)))
    lectures = (
        Lecture("SP21", "t4.7", 1, "Joint I", "lecture", SITE, notes_urls=(urls["15-1"],),
                resources=(_video("VIDjoint001"),)),
        Lecture("SP21", "t4.8", 2, "Joint II", "lecture", SITE, notes_urls=(urls["15-2"],),
                resources=(_video("VIDjoint002"),)),
    )
    return EditionRecords("SP21", lectures=lectures, pages=tuple(pages))


def test_name_not_matching_the_pages_attached_by_the_words_of_the_notes():
    found = attach("docs/fr/week15/practicum09.sbv", "on parle des negatives et du margin contrastive",
                   _two_recordings_in_week(with_notes=True), SITE)
    assert (found.video, found.lectures) == ("VIDjoint001", ("t4.7",))
    assert "TF-IDF" in found.how


def test_ambiguous_transcript_is_reported_not_guessed():
    found = attach("docs/fr/week15/practicum09.sbv", "rien de commun",
                   _two_recordings_in_week(with_notes=False), SITE)
    assert found.video is None and "no notes text" in found.how


def test_week_without_a_recording_is_reported():
    found = attach("docs/en/week09/lecture09.sbv", "words", _records(), SITE)
    assert found.video is None and "week 9" in found.how


def test_a_b_pick_the_recordings_in_page_order():
    rec = EditionRecords("SP20", lectures=(
        Lecture("SP20", "15-1", 1, "EBM I", "practicum", SITE, week=15, resources=(_video("VIDpracA001"),)),
        Lecture("SP20", "15-2", 2, "EBM II", "practicum", SITE, week=15, resources=(_video("VIDpracB001"),)),
    ))
    assert attach("docs/en/week15/practicum15B.sbv", "", rec, SITE).video == "VIDpracB001"
    assert attach("docs/en/week15/practicum15A.sbv", "", rec, SITE).video == "VIDpracA001"


# -- a link spelled '-' where the file has '_' -------------------------------------------


def _linking(*paths) -> EditionRecords:
    return EditionRecords("SP20", lectures=(
        Lecture("SP20", "05-3", 1, "Truck practicum", "practicum", SITE, week=5,
                resources=tuple(_file("notebook", p) for p in paths)),))


def _repo_with(tmp_path, *names):
    folder = tmp_path / "Prof/course-repo"
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES_DIR / "repos/Prof/course-repo/widgets.ipynb", folder / name)
    return FolderRepository(tmp_path, REF)


def test_link_spelled_with_a_dash_resolved_to_the_one_underscore_file(tmp_path):
    repo = _repo_with(tmp_path, "nb/05-truck_backer_upper.ipynb")
    after = read_repository(_linking("nb/05-truck_backer-upper.ipynb"), SITE, repo)
    assert [r.problem for r in after.repo_reports] == []
    (res,) = after.lectures[0].resources
    # the item's resource is the read notebook's node; the page's spelling stays as its URL
    assert res.key == after.notebooks[0].key == "github:Prof/course-repo/nb/05-truck_backer_upper.ipynb"
    assert res.url.endswith("nb/05-truck_backer-upper.ipynb")
    (note,) = after.notes
    assert "linked as 'nb/05-truck_backer-upper.ipynb', resolved to 'nb/05-truck_backer_upper.ipynb'" in note
    assert after.resolved_files == (("github:Prof/course-repo/nb/05-truck_backer-upper.ipynb", res.key),)


def test_another_editions_link_to_the_resolved_file_is_the_same_node(tmp_path):
    from dlgraph.relink import relinked

    repo = _repo_with(tmp_path, "05-truck_backer_upper.ipynb")
    first = read_repository(_linking("05-truck_backer-upper.ipynb"), SITE, repo)
    other = dataclasses.replace(_linking("05-truck_backer-upper.ipynb"), edition="SP21")
    keys = {rec.edition: rec.lectures[0].resources[0].key for rec in relinked([other, first])}
    assert keys == {"SP20": first.notebooks[0].key, "SP21": first.notebooks[0].key}


def test_ambiguous_or_other_folder_or_fuzzier_spelling_stays_missing(tmp_path):
    repo = _repo_with(tmp_path, "a-b_c.ipynb", "a_b-c.ipynb", "other/x_y.ipynb", "Case_one.ipynb")
    after = read_repository(_linking("a-b-c.ipynb", "x-y.ipynb", "case-one.ipynb"), SITE, repo)
    missing = sorted(r.path for r in after.repo_reports if r.problem == "missing")
    assert missing == ["a-b-c.ipynb", "case-one.ipynb", "x-y.ipynb"]
    assert after.notes == () and after.lectures == _linking("a-b-c.ipynb", "x-y.ipynb", "case-one.ipynb").lectures


def test_resolved_link_is_a_run_note(tmp_path, monkeypatch):
    from ingest import pipeline

    rec = dataclasses.replace(_linking("x-y.ipynb"), notes=("Prof/course-repo: linked as 'x-y.ipynb', resolved",))
    monkeypatch.setattr(pipeline, "ingest_each", lambda *a, **k: pipeline.IngestRun(records=[rec]))
    run = pipeline.run(["SP20"], None, None)
    assert run.notes == ["SP20: Prof/course-repo: linked as 'x-y.ipynb', resolved"]


def test_a_rerun_parses_no_repository_file_it_has_seen(repo_dir, rec, monkeypatch):
    memo = ParseMemo()
    first = read_repository(_records(), SITE, FolderRepository(repo_dir, REF), memo=memo)
    assert first == rec and memo.hits == 0  # a first run parses every file, as without a memo
    parsed = []
    for module, name in ((transcripts, "parse_sbv"), (notebooks, "parse_notebook"),
                         (slides, "parse_pdf")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name,
                            lambda *a, real=real, name=name: parsed.append(name) or real(*a))
    memo = ParseMemo.from_json(memo.to_json())  # as the next run reads it back
    again = read_repository(_records(), SITE, FolderRepository(repo_dir, REF), memo=memo)
    # the same records; only the damaged files (which are not remembered) are read again
    assert again == rec and memo.hits == len(rec.transcripts) + len(rec.notebooks) + len(rec.slides)
    assert sorted(parsed) == _damaged_parses(rec)


def _damaged_parses(rec) -> list[str]:
    by_suffix = {".sbv": "parse_sbv", ".ipynb": "parse_notebook", ".pdf": "parse_pdf"}
    return sorted(by_suffix[r.path[r.path.rfind("."):]] for r in rec.repo_reports
                  if r.problem == "damaged")


def test_a_changed_repository_file_is_parsed_again(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES_DIR / "repos", repo)
    memo = ParseMemo()
    read_repository(_records(), SITE, FolderRepository(repo, REF), memo=memo)
    sbv = next(repo.rglob("*.sbv"))
    sbv.write_text("0:00:01.000,0:00:04.000\nwords the first run never saw\n", encoding="utf-8")
    after = read_repository(_records(), SITE, FolderRepository(repo, REF), memo=memo)
    texts = " ".join(p.text for t in after.transcripts for p in t.passages)
    assert "the first run never saw" in texts
