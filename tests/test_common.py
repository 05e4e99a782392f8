"""Normalisation helpers: one key per video, Drive file, GitHub file, page and person."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from ingest.common import (
    classify_url,
    clean_person_name,
    deobfuscate_email,
    drive_file_id,
    drive_folder_id,
    github_key,
    home_people,
    language_of,
    live_url,
    notes_slug,
    parse_time,
    person_key,
    resource_from_url,
    split_names,
    youtube_id_and_start,
)

BASE = "https://atcold.github.io/NYU-DLSP20/"
PAGE = BASE + "en/week02/02-1/"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://youtu.be/AbCdEfGhIj1", ("AbCdEfGhIj1", None)),
        ("https://youtu.be/AbCdEfGhIj1?t=2211", ("AbCdEfGhIj1", 2211)),
        ("https://www.youtube.com/watch?v=AbCdEfGhIj1&t=217s", ("AbCdEfGhIj1", 217)),
        ("https://www.youtube.com/watch?v=AbCdEfGhIj1&amp;t=217s", ("AbCdEfGhIj1", 217)),
        ("https://www.youtube.com/watch?v=AbCdEfGhIj1&amp; t=45s", ("AbCdEfGhIj1", 45)),
        ("https://www.youtube.com/watch?v=AbCdEfGhIj1&t=1h2m3s", ("AbCdEfGhIj1", 3723)),
        ("https://www.youtube.com/watch?v=A-_dEfGhIj1&list=PLx&index=3&t=50s", ("A-_dEfGhIj1", 50)),
        ("https://www.youtube.com/embed/AbCdEfGhIj1?start=90", ("AbCdEfGhIj1", 90)),
        ("https://m.youtube.com/watch?v=AbCdEfGhIj1#t=1m", ("AbCdEfGhIj1", 60)),
        ("https://www.youtube.com/playlist?list=PLLHTzKZzVU9e6xUfG10TkTWApKSZCzuBI", None),
        ("https://www.youtube.com/watch?v=tooshort", None),
        ("https://example.org/watch?v=AbCdEfGhIj1", None),
    ],
)
def test_youtube_id_and_start(url, expected):
    assert youtube_id_and_start(url) == expected


@pytest.mark.parametrize(
    ("value", "seconds"), [("2211", 2211), ("217s", 217), ("879S", 879), ("1h2m3s", 3723), ("x", None)]
)
def test_parse_time(value, seconds):
    assert parse_time(value) == seconds


@pytest.mark.parametrize(
    "url",
    [
        "https://drive.google.com/open?id=FAKEid_123-x",
        "https://drive.google.com/file/d/FAKEid_123-x/",
        "https://drive.google.com/file/d/FAKEid_123-x/view?usp=sharing",
        "https://drive.google.com/uc?id=FAKEid_123-x&export=download",
    ],
)
def test_drive_file_id_same_file(url):
    assert drive_file_id(url) == "FAKEid_123-x"


def test_drive_folder_is_not_a_file():
    url = "https://drive.google.com/drive/folders/FAKEfolder1"
    assert drive_file_id(url) is None
    assert drive_folder_id(url) == "FAKEfolder1"


@pytest.mark.parametrize(
    ("url", "key"),
    [
        (
            "https://github.com/Atcold/pytorch-Deep-Learning/blob/master/slides/02%20-%20CNN.pdf",
            "github:Atcold/NYU-DLSP20/slides/02 - CNN.pdf",
        ),
        (
            "https://github.com/atcold/pytorch-deep-learning/blob/master/10-autoencoder.ipynb",
            "github:Atcold/NYU-DLSP20/10-autoencoder.ipynb",
        ),
        (
            "https://raw.githubusercontent.com/Atcold/NYU-DLSP20/master/10-autoencoder.ipynb",
            "github:Atcold/NYU-DLSP20/10-autoencoder.ipynb",
        ),
        (
            "https://colab.research.google.com/github/Atcold/pytorch-Deep-Learning/blob/master/x.ipynb",
            "github:Atcold/NYU-DLSP20/x.ipynb",
        ),
        (
            "https://nbviewer.jupyter.org/github/Atcold/NYU-DLSP20/blob/master/x.ipynb",
            "github:Atcold/NYU-DLSP20/x.ipynb",
        ),
        ("https://github.com/pytorch/examples/tree/master/dcgan", "github:pytorch/examples/dcgan"),
        ("https://github.com/Atcold/NYU-DLSP21", "github:Atcold/NYU-DLSP21"),
        ("https://github.com/Atcold/NYU-DLSP21/pulls", None),
        ("https://example.org/Atcold/NYU-DLSP20/blob/master/x.ipynb", None),
    ],
)
def test_github_key(url, key):
    assert github_key(url) == key


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("en/week01/01", BASE + "en/week01/01/"),
        ("/NYU-DLSP20/en/week01/01-1/index.html#top", BASE + "en/week01/01-1/"),
        ("https://atcold.github.io/NYU-DLSP20/ja", BASE + "ja/"),
        ("../../images/a.png", BASE + "en/images/a.png"),
        ("Https://Example.org/A?b=1#c", "https://example.org/A?b=1"),
    ],
)
def test_live_url(href, expected):
    assert live_url(href, PAGE if href.startswith("..") else BASE) == expected


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        # A writer dropped the scheme: the first segment is a host, not a course file.
        ("toy.example.org/papers/toy-06.pdf", "http://toy.example.org/papers/toy-06.pdf"),
        ("www.example.org/a/b", "http://www.example.org/a/b"),
        ("Toy.Example.COM/x.pdf", "http://toy.example.com/x.pdf"),
        # Files and folders of the course site stay relative to the page.
        ("notebook.ipynb", PAGE + "notebook.ipynb"),
        ("../x.html", BASE + "en/week02/x.html"),
        ("index.html", PAGE),
        ("index.html/", PAGE + "index.html/"),
        ("slides.pdf/", PAGE + "slides.pdf/"),
        ("images/a.png", PAGE + "images/a.png"),
    ],
)
def test_live_url_takes_a_leading_host_name_as_a_host(href, expected):
    assert live_url(href, PAGE) == expected


def test_resource_from_a_scheme_less_link_is_off_site():
    res = resource_from_url("toy.example.org/x.pdf", page_url=PAGE)
    assert res.url == "http://toy.example.org/x.pdf"


@pytest.mark.parametrize(
    ("url", "kind", "language"),
    [
        (BASE, "home", "en"),
        (BASE + "en/week02/02-1/", "notes", "en"),
        (BASE + "zh/week12/12-3/", "notes", "zh"),
        (BASE + "fr/week02/02/", "week", "fr"),
        (BASE + "ko/week11/11/", "week", "ko"),
        (BASE + "tr/week13/13/", "week", "tr"),
        (BASE + "en/faq/", "other", "en"),
        (BASE + "fr/README-FR/", "other", "fr"),
        (BASE + "es/", "other", "es"),
        (BASE + "images/week01/a.png", None, "en"),
        ("https://atcold.github.io/NYU-DLSP21/en/week02/02-1/", None, "en"),
        ("https://example.org/", None, "en"),
    ],
)
def test_classify_and_language(url, kind, language):
    assert classify_url(url, BASE) == kind
    assert language_of(url, BASE) == language


def test_notes_slug():
    assert notes_slug(BASE + "en/week02/02-1/", BASE) == (2, "02-1")
    assert notes_slug(BASE + "fr/week13/13/", BASE) == (13, "13")
    assert notes_slug(BASE + "en/faq/", BASE) == (None, "")


@pytest.mark.parametrize(
    ("marker", "url", "kind", "key", "start"),
    [
        ("🎥", "https://youtu.be/AbCdEfGhIj1?t=5", "video", "AbCdEfGhIj1", 5),
        ("🖥", "https://drive.google.com/open?id=FAKE1", "slides", "drive:FAKE1", None),
        ("🖥️", "https://drive.google.com/file/d/FAKE1/", "slides", "drive:FAKE1", None),
        ("📓", "https://github.com/Atcold/pytorch-Deep-Learning/blob/master/a.ipynb", "notebook",
         "github:Atcold/NYU-DLSP20/a.ipynb", None),
        ("📝", "https://drive.google.com/file/d/FAKE2/", "notes", "drive:FAKE2", None),
        ("homework", "https://drive.google.com/drive/folders/FAKE3", "homework", "drive:FAKE3", None),
        ("", "https://drive.google.com/drive/folders/FAKE3", "homework", "drive:FAKE3", None),
        ("", "https://www.youtube.com/watch?v=AbCdEfGhIj1", "video", "AbCdEfGhIj1", None),
        ("", "https://github.com/Atcold/NYU-DLSP20/blob/master/a.ipynb", "notebook",
         "github:Atcold/NYU-DLSP20/a.ipynb", None),
        ("", "https://github.com/Atcold/NYU-DLSP20/blob/master/slides/a.pdf", "slides",
         "github:Atcold/NYU-DLSP20/slides/a.pdf", None),
        ("", "https://arxiv.org/abs/0000.00001", "other", "https://arxiv.org/abs/0000.00001", None),
    ],
)
def test_resource_from_url(marker, url, kind, key, start):
    res = resource_from_url(url, marker)
    assert (res.kind, res.key, res.start) == (kind, key, start)


def test_resource_from_relative_url_is_live():
    res = resource_from_url("../../a.ipynb", "📓", page_url=PAGE)
    assert res.url == BASE + "en/a.ipynb"
    assert res.kind == "notebook"


@pytest.mark.parametrize(
    "written",
    ["Yann LeCun", "Yann Le Cun", "  yann   LECUN ", "Yann LeCun - yann [ at ] cs.nyu.edu",
     "yann [ at ] cs.nyu.edu", "yann (at) cs (dot) nyu (dot) edu", "Yann LeCun <yann@cs.nyu.edu>"],
)
def test_person_key_one_person(written):
    assert person_key(written) == "yann-lecun"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Loïck Bourdois", "Loick BOURDOIS"),
        ("Marc'Aurelio Ranzato", "Marc’Aurelio Ranzato"),
        ("Onur Aydın", "onur aydin"),
        ("İrem Demirtaş", "Irem Demirtas"),
        ("앨프레도 캔지아니", "Alfredo Canziani"),
        ("Ishan Mishra", "Ishan Misra"),
        ("canziani [ at ] nyu.edu", "Alfredo Canziani"),
    ],
)
def test_person_key_variants_collapse(a, b):
    assert person_key(a) == person_key(b)


def test_person_key_distinct_people_stay_apart():
    assert person_key("Ada Lovelace") != person_key("Ada Byron")


def test_person_key_unknown_email():
    assert person_key("zz9999 [ at ] example [dot] edu") == "email-zz9999-example-edu"


def test_deobfuscate_email():
    assert deobfuscate_email("Mark - goldstein [ at ] nyu.edu ") == "goldstein@nyu.edu"
    assert deobfuscate_email("no address here") is None


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("plainhandle (Ada Lovelace-King)", "Ada Lovelace-King"),
        ("AdaLovelace (Ada Lovelace)", "Ada Lovelace"),
        ("Ada Lovelace (alove)", "Ada Lovelace"),
        ("Ada (Teaching Assistant)", "Ada"),
        ("Seok Hoan (Kevin) Choi", "Seok Hoan Choi"),
        ("Bo Sun(😊🍩)", "Bo Sun"),
    ],
)
def test_clean_person_name_prefers_the_name_behind_a_handle(written, name):
    assert clean_person_name(written) == name


def test_clean_person_name():
    assert clean_person_name("  **Ada   Lovelace** (TA) ada [ at ] x.org ") == "Ada Lovelace"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Ann Lee, Bo Chen and Cy Webb", ["Ann Lee", "Bo Chen", "Cy Webb"]),
        ("Ann Lee, Bo Chen, and Cy Webb", ["Ann Lee", "Bo Chen", "Cy Webb"]),
        ("Ann Lee & Bo Chen", ["Ann Lee", "Bo Chen"]),
        ("Ann Lee et Bo Chen", ["Ann Lee", "Bo Chen"]),
        ("甲乙、丙丁", ["甲乙", "丙丁"]),
        ("E. F. Codd, Ann Lee", ["E. F. Codd", "Ann Lee"]),
        ("Solo", ["Solo"]),
    ],
)
def test_split_names(text, names):
    assert split_names(text) == names


def test_home_people_instructors_assistant_and_webmaster():
    html = """<div class="page"><table><tr><td>INSTRUCTORS</td><td>Ada Lovelace &amp; Bob Ng</td></tr>
    </table><table><tr><td>Instructor</td><td></td><td><a href="#">Ada Lovelace</a><br/>ada@x.edu</td></tr>
    <tr><td>Assistant</td><td></td><td><a href="#">Cy Webb</a><br/>cy@x.edu</td></tr>
    <tr><td>Webmaster</td><td></td><td><a href="#">Dee Doe</a><br/>dee@x.edu</td></tr></table></div>"""
    people = {(p.key, p.role): p for p in home_people(BeautifulSoup(html, "lxml"))}
    assert set(people) == {("ada-lovelace", "instructor"), ("bob-ng", "instructor"),
                           ("cy-webb", "teaching-assistant"), ("dee-doe", "webmaster")}
    assert people[("dee-doe", "webmaster")].email == "dee@x.edu"
    assert people[("ada-lovelace", "instructor")].email == "ada@x.edu"


def test_resource_keeps_fragment_start():
    res = resource_from_url("https://www.youtube.com/watch?v=AbCdEfGhIj1#t=1m")
    assert (res.key, res.start) == ("AbCdEfGhIj1", 60)
    assert "#" not in res.url


@pytest.mark.parametrize(("url", "published"), [
    ("https://github.com/Atcold/NYU-DLSP20/blob/master/docs/hu/README-HU.md",
     "https://atcold.github.io/NYU-DLSP20/hu/README-HU/"),
    ("https://github.com/Atcold/pytorch-Deep-Learning/blob/master/docs/en/week01/01-1.md",
     "https://atcold.github.io/NYU-DLSP20/en/week01/01-1/"),
    ("https://github.com/Atcold/NYU-DLSP20/blob/master/README.md", None),
    ("https://github.com/Atcold/NYU-DLSP20/blob/master/docs/images/x.png", None),
    ("https://example.org/docs/a/b.md", None),
])
def test_published_url_of_a_docs_markdown_file(url, published):
    from ingest.common import published_url

    assert published_url(url) == published
