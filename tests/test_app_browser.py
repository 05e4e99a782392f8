"""The app in a real browser: ``streamlit run app.py`` on the real editions, driven by Chromium.

Debian's ``/usr/bin/chromium`` (``apt-get install chromium``; Playwright never downloads a
browser here). Without it the tests skip, unless ``CI=true``, where they fail. Each page
leaves a screenshot in the session's temporary folder (``screenshots/``) for a person to
look at; the user's ``data/`` is never touched.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run"]
#: A page is done when Streamlit's "running" widget is gone; graph pages may load for a while.
TIMEOUT_MS = 45_000
#: A search hit (the page keys each hit's container ``search_hit_<n>``).
CARDS = "[class*='st-key-search_hit_']"
#: A link to a Lecture page inside the app (Markdown links are relative: ``lecture?…``).
IN_APP = "a[href^='lecture?lecture=']"
#: Buttons of a pills group that are on.
PRESSED = ("[data-testid=stButtonGroup] button[aria-checked=true], "
           "[data-testid=stButtonGroup] button[aria-pressed=true]")
#: What the server may print: its banner. Anything else (a warning, a stack trace) is noise.
BANNER = re.compile(r"^$|^\s*(You can now view|URL:|Local URL:|Network URL:)|Uvicorn server started")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def real_data(chromium, real_graph, tmp_path_factory) -> Path:
    """A data folder (graph + search index) of the real editions."""
    from dlgraph import store
    from dlgraph.search import build_index

    folder = tmp_path_factory.mktemp("real-app-data")
    store.save_graph(real_graph, folder)
    build_index(real_graph, folder / "index")
    return folder


@pytest.fixture(scope="session")
def app_url(real_data):
    """``streamlit run app.py`` on 127.0.0.1, headless, until the session ends."""
    port = _free_port()
    env = {**os.environ, "DLGRAPH_DATA": str(real_data)}
    log = open(real_data / "streamlit.log", "wb")  # noqa: SIM115 - closed at teardown
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true",
         "--browser.gatherUsageStats", "false",
         # Other work may edit the sources meanwhile; a "source changed" prompt would hang
         # every wait for the end of a run.
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start: {(real_data / 'streamlit.log').read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def shots(tmp_path_factory) -> Path:
    """Where the screenshots go: under the test run's temporary folder."""
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def page(app_url, chromium, shots):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                      accept_downloads=True)
        pg = context.new_page()
        pg.set_default_timeout(TIMEOUT_MS)
        pg.shots = shots
        pg.goto(app_url)
        yield pg
        browser.close()


def settle(pg) -> None:
    """Wait until the script run is over (the status widget disappears)."""
    pg.wait_for_timeout(300)
    pg.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=TIMEOUT_MS)
    pg.wait_for_timeout(300)


def shows(locator) -> None:
    """Fail unless the locator's first match shows within the timeout: a rerun on a loaded machine
    may draw it after the status widget has gone, where is_visible() would answer at once."""
    locator.first.wait_for(state="visible", timeout=TIMEOUT_MS)


def shoot(pg, name: str) -> None:
    """Screenshot the whole page: Streamlit scrolls inside its main block, so the window is
    made as tall as that block for the shot."""
    settle(pg)
    height = pg.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    pg.set_viewport_size({"width": 1400, "height": min(max(int(height), 1000), 4000)})
    settle(pg)
    pg.screenshot(path=str(pg.shots / f"{name}.png"))
    pg.set_viewport_size({"width": 1400, "height": 1000})


def href(pg) -> str:
    """The address bar as the app last wrote it (``page.url`` can lag behind replaceState)."""
    return pg.evaluate("location.href")


def main(pg):
    return pg.locator("[data-testid=stMain]")


def go(pg, app_url: str, title: str) -> None:
    """Open a page from the sidebar navigation, as a learner would."""
    pg.locator("[data-testid=stSidebarNav]").get_by_role("link", name=title).click()
    main(pg).get_by_role("heading", level=1).first.wait_for()
    settle(pg)


def test_search_finds_hits_from_several_editions(page, app_url):
    box = page.get_by_placeholder("Search lectures", exact=False)
    box.wait_for()
    settle(page)
    assert page.title() == "Search · dlgraph"
    # "/" focuses the box, as on most sites with one
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("/")
    assert page.evaluate("!!document.activeElement.closest('.st-key-search_q')")
    page.keyboard.type("energy based models")
    box.press("Enter")
    page.get_by_text(re.compile(r"\d+ results · \d+ ms")).wait_for()
    settle(page)
    assert "q=energy+based+models" in href(page)
    assert page.title() == "“energy based models” · Search · dlgraph"
    assert main(page).locator(CARDS).count() == 10  # one page of hits
    text = main(page).inner_text()
    editions = {e for e in ("SP20", "SP21", "FL22") if re.search(rf"\n{e}\b", text)}
    assert len(editions) >= 2, text[:2000]
    # hits link the live notes pages and the video at the second a section starts
    assert main(page).locator("a[href^='https://atcold.github.io/NYU-DL']").count() >= 3
    assert main(page).locator("a[href*='youtube.com/watch'][href*='&t=']").count() >= 1
    cards = main(page).locator(CARDS)
    # a hit's title is larger than its text, and a lecture's title opens it inside the app
    first = cards.first
    size = "(e) => parseFloat(getComputedStyle(e).fontSize)"
    assert first.locator("h5").evaluate(size) > first.locator("p").last.evaluate(size)
    assert cards.locator(f"h5 {IN_APP}").count() >= 5
    # links that leave the app say so (an icon after each), in-app ones do not
    marked = ("(as) => as.map(a => (a.nextElementSibling || {}).textContent === 'open_in_new')")
    assert all(cards.locator("a[href^='http']").evaluate_all(marked))
    assert not any(cards.locator(IN_APP).evaluate_all(marked))
    # an SP21 lecture without notes text shows its theme and resources, not the index's line
    text = cards.all_inner_texts()
    assert not any(re.search(r"^Lecture · theme:", t, re.M) for t in text), text
    assert any("Theme: Energy based models" in t and "Slides" in t for t in text), text
    # every icon has a text alternative for a screen reader, or is hidden beside its word
    alt = ("(es) => es.map(e => e.getAttribute('aria-hidden') === 'true'"
           " || !!(e.getAttribute('aria-label') || '').trim())")
    icons = main(page).locator("[data-testid=stIconMaterial], [role=img]")
    assert icons.count() > 10 and all(icons.evaluate_all(alt))
    # a moment reads as its heading, then its time
    assert any(re.search(r"“[^”]+” · \d+:\d\d", t) for t in text), text
    shoot(page, "search")


def until(pg, ending: str) -> None:
    """Wait until the address bar ends with ``ending`` and the run it started is over (a
    click during a run may be lost on a loaded machine)."""
    pg.wait_for_function("(e) => location.href.endsWith(e)", arg=ending)
    settle(pg)


def test_back_undoes_one_filter_change(page, app_url):
    editions = main(page).locator("[data-testid=stButtonGroup]").first
    editions.locator("button", has_text="SP21").click()
    until(page, "?q=energy+based+models&edition=SP21")
    editions.locator("button", has_text="FL22").click()
    until(page, "?q=energy+based+models&edition=SP21&edition=FL22")
    page.go_back()
    until(page, "?q=energy+based+models&edition=SP21")
    assert [t.split(" ")[0] for t in main(page).locator(PRESSED).all_inner_texts()] == ["SP21"]
    page.go_back()
    until(page, "?q=energy+based+models")
    assert not main(page).locator(PRESSED).count()


def test_open_a_lecture_from_a_hit(page, app_url):
    # A hit from a notes page, so the lecture it opens has notes sections to show.
    cards = main(page).locator(CARDS)
    with_notes = cards.filter(has_text=re.compile("Notes (sections|pages) · English"))
    card = with_notes.first if with_notes.count() else cards.first
    hit = card.locator(f"h5 {IN_APP}").first
    title = hit.inner_text().strip()
    target = hit.get_attribute("href")
    tabs = len(page.context.pages)
    # Marks this document: a reload (a full page load) would lose the mark.
    page.evaluate("window.dlgraphSameDocument = true")
    hit.click()
    page.wait_for_function("() => /\\/lecture\\?lecture=/.test(location.href)")
    assert len(page.context.pages) == tabs  # an in-app link stays in this tab
    heading = main(page).get_by_role("heading", level=1).first
    heading.wait_for()
    settle(page)
    shows(main(page).get_by_role("heading", name="Notes"))
    # the notes and the transcript each have an English tab
    shows(main(page).get_by_role("tab", name="English").first)
    shows(main(page).get_by_role("heading", name="Resources"))
    assert heading.inner_text().strip() and title
    assert main(page).locator("a[href*='youtube.com/watch']").count() >= 1
    assert page.title().endswith(") · dlgraph")  # "<lecture title> (SP20) · dlgraph"
    # ... in the same session, not by loading the page again, at the link's own address
    assert page.evaluate("window.dlgraphSameDocument === true")
    assert href(page) == f"{app_url}/{target}"
    shoot(page, "lecture")
    # the back button returns to the hits, as the link left them
    page.go_back()
    shows(main(page).locator(f"{CARDS} h5 {IN_APP}"))
    settle(page)
    assert main(page).get_by_role("heading", level=1).first.inner_text() == "Search the course"
    page.go_forward()
    shows(main(page).get_by_role("heading", name="Resources"))
    settle(page)


def test_a_transcript_shows_its_first_passages_and_finds_any(page, app_url, real_graph):
    from dlgraph.lecture import lecture_list
    from dlgraph.lecture_media import find_in_transcript, lecture_media

    # an SP20 lecture whose English transcript is long (a few screens of passages)
    iri, tr = next((r["iri"], t) for r in lecture_list(real_graph) if r["edition"] == "SP20"
                   for t in (lecture_media(real_graph, r["iri"]) or {"transcripts": []})["transcripts"]
                   if t["language"] == "en" and len(t["passages"]) > 120)
    page.goto(f"{app_url}/lecture?{urlencode({'lecture': iri})}")
    settle(page)
    box = main(page).locator(".st-key-lecture_passages")
    passages = box.locator("a[href*='youtube.com/watch']")
    shows(passages)
    first = passages.count()  # the first ones; the rest on request
    assert 0 < first < len(tr["passages"]) // 2
    box.get_by_role("button", name=f"Show {first} more ({len(tr['passages']) - first} left)").click()
    settle(page)
    assert passages.count() == 2 * first
    # the box searches every passage, drawn or not: one near the end, with its second
    last = tr["passages"][-1]
    needle = " ".join(last["text"].split()[:6])
    expected = find_in_transcript(tr["passages"], needle)
    finder = main(page).get_by_placeholder("Find in transcript")
    finder.fill(needle)
    finder.press("Enter")
    settle(page)
    assert passages.count() == min(len(expected), first)
    hrefs = passages.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert last["url"] in hrefs and f"t={last['start']}s" in last["url"]
    shoot(page, "lecture-transcript")


def test_compare_editions(page, app_url):
    go(page, app_url, "Compare")
    main(page).locator("[data-testid=stVegaLiteChart] canvas, "
                       "[data-testid=stVegaLiteChart] svg").first.wait_for()
    tabs = main(page).get_by_role("tab")
    assert tabs.count() == 3 and "SP20 → SP21" in tabs.first.inner_text()
    shows(main(page).get_by_text("Same recording").first)
    assert page.title() == "Compare SP20 → SP21 → FL22 → FL23 · dlgraph"
    # every row's items link their Lecture pages; titles whole, not in a scrolling grid
    assert main(page).locator(f"table {IN_APP}").count() > 40
    assert not main(page).locator("[data-testid=stDataFrame]").count()
    tabs.nth(1).click()
    settle(page)
    panel = main(page).locator("[role=tabpanel]:visible").first
    shows(panel.get_by_text("Not listed").first)
    shows(panel.get_by_text(re.compile("FL22 lists only part of its syllabus")))
    # SP21's two "Energy based models (V)" rows say what tells them apart
    twins = panel.locator(IN_APP, has_text="Energy based models (V) (").all_inner_texts()
    assert len(twins) == 2 and len(set(twins)) == 2, twins
    shoot(page, "compare")


def test_readings_bibtex_download(page, app_url, real_graph):
    from dlgraph.readings import readings_table

    go(page, app_url, "Readings")
    with page.expect_download() as info:
        main(page).get_by_role("button", name="BibTeX").click()
    download = info.value
    assert download.suggested_filename == "dlgraph-readings.bib"
    text = Path(download.path()).read_text(encoding="utf-8")
    entries = re.findall(r"^@(\w+)\{", text, re.M)
    rows = readings_table(real_graph)
    assert len(entries) == len(rows) > 10
    # Complete entries only as @article/@book (plain.bst warns of nothing); arXiv papers are
    # @misc with the eprint fields Zotero reads.
    assert {e.lower() for e in entries} <= {"article", "book", "misc"}
    assert "eprinttype = {arxiv}" in text and "doi = {10.48550/arXiv." in text
    assert "title" in text and "url" in text
    shoot(page, "readings")


def test_graph_people_and_sparql_pages(page, app_url):
    go(page, app_url, "People")
    main(page).locator("[data-testid=stDataFrame]").first.wait_for()
    # the roles table is a canvas grid: its text is not in the DOM, so check the page around it
    assert re.search(r"\d+ people", main(page).inner_text()), main(page).inner_text()[:2000]
    shoot(page, "people")

    assert page.title() == "People · dlgraph"
    go(page, app_url, "SPARQL")
    main(page).locator("table").first.wait_for()
    assert re.search(r"\d+ rows?", main(page).inner_text()), main(page).inner_text()[:2000]
    assert page.title() == "SPARQL · dlgraph"
    # IRIs in the answer link to the app's Lecture and People pages, or to themselves
    query = ("SELECT ?item ?who ?video WHERE { ?item dlg:lecturer ?who ; "
             "dlg:edition/schema:identifier 'SP20' ; schema:video ?video } LIMIT 5")
    page.goto(f"{app_url}/sparql?{urlencode({'query': query})}")
    main(page).get_by_role("button", name="Run").click()  # a query in a link waits for Run
    main(page).locator(f"table {IN_APP}").first.wait_for()
    settle(page)
    assert main(page).locator("table a[href^='people?name=']").count() == 5
    assert main(page).locator("table a[href^='https://w3id.org/dlgraph/id/video/']").count() == 5
    shoot(page, "sparql")
    # a person's link opens the People page filtered to that name, in the same session
    person = main(page).locator("table a[href^='people?name=']").first
    target = person.get_attribute("href")
    page.evaluate("window.dlgraphSameDocument = true")
    person.click()
    page.wait_for_function("(t) => location.href.endsWith(t)", arg=target)
    name = parse_qs(urlsplit(target).query)["name"][0]
    from playwright.sync_api import expect

    expect(main(page).get_by_placeholder("Filter by name")).to_have_value(name,
                                                                          timeout=TIMEOUT_MS)
    settle(page)
    assert page.title() == "People · dlgraph"
    assert page.evaluate("window.dlgraphSameDocument === true")

    go(page, app_url, "Graph")
    select = main(page).locator("[data-testid=stSelectbox]").first
    select.click()
    page.keyboard.type("Yann LeCun")
    page.keyboard.press("Enter")
    main(page).locator("[data-testid=stVegaLiteChart]").first.wait_for()
    settle(page)
    assert "focus=" in href(page)
    assert page.title() == "Graph: Yann LeCun · dlgraph"
    shoot(page, "graph")


def test_a_permalink_reopens_the_same_search(page, app_url):
    page.goto(f"{app_url}/?q=backpropagation&edition=SP21")
    page.get_by_text(re.compile(r"\d+ results? · \d+ ms")).wait_for()
    settle(page)
    assert page.get_by_placeholder("Search lectures", exact=False).input_value() == "backpropagation"
    pressed = main(page).locator("[data-testid=stButtonGroup] button[aria-checked=true], "
                                 "[data-testid=stButtonGroup] button[aria-pressed=true]")
    assert any(t.startswith("SP21") for t in pressed.all_inner_texts()), pressed.all_inner_texts()


def test_no_deploy_button_or_developer_menu(page, app_url):
    page.goto(app_url)
    main(page).get_by_role("heading", level=1).first.wait_for()
    settle(page)
    assert not page.locator("[data-testid=stAppDeployButton]").count()
    assert not page.get_by_role("button", name="Deploy").count()
    page.locator("[data-testid=stMainMenu]").click()
    menu = page.locator("[data-testid=stMainMenuPopover]").inner_text()
    assert "Clear cache" not in menu and "Rerun" not in menu, menu
    page.keyboard.press("Escape")


@pytest.fixture
def phone(page):
    """A 390 px wide screen (a phone held upright), in the same browser."""
    context = page.context.browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.shots = page.shots
    yield pg
    context.close()


def test_on_a_phone_the_first_hit_is_on_the_first_screen(phone, app_url):
    phone.goto(f"{app_url}/?q=energy+based+models")
    phone.get_by_text(re.compile(r"\d+ results · \d+ ms")).wait_for()
    settle(phone)
    title = main(phone).locator(CARDS).first.locator("h5")
    box = title.bounding_box()
    assert box and box["y"] + box["height"] <= 844, box  # filters fold above it
    phone.screenshot(path=str(phone.shots / "search-390.png"))


def test_on_a_phone_the_compare_heatmap_fits(phone, app_url):
    phone.goto(f"{app_url}/compare")
    chart = main(phone).locator("[data-testid=stVegaLiteChart]").first
    chart.locator("canvas, svg").first.wait_for()
    settle(phone)
    box = chart.locator("canvas, svg").first.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    phone.screenshot(path=str(phone.shots / "compare-390.png"))


def test_a_transcript_hit_opens_the_video_at_the_second(page, app_url, real_data, real_records, repos_dir):
    # a caption line of SP20's week-8 practicum, read from the file now (tests/picks.py)
    from picks import spoken_lines

    from dlgraph.search import open_index, search

    path = "docs/en/week08/practicum08.sbv"
    tr = next(t for rec in real_records for t in rec.transcripts if t.path == path and rec.edition == "SP20")
    with open_index(real_data / "index") as ix:
        # the first line past the first minute whose search lands on its passage
        line, hit = next((ln, h) for ln in spoken_lines(repos_dir / "Atcold/NYU-DLSP20", path)
                         if ln.second > 60 and (h := search(ix, ln.text)["hits"][0])["kind"] == "transcript"
                         and h["video"] == tr.video and abs(h["start"] - ln.second) <= 10)
    page.goto(f"{app_url}/?{urlencode({'q': line.text})}")
    page.get_by_text(re.compile(r"\d+ results? · \d+ ms")).wait_for()
    settle(page)
    card = main(page).locator(CARDS).first
    assert "Transcripts" in card.inner_text()
    links = card.locator(f"a[href*='youtube.com/watch?v={tr.video}&t=']")
    assert links.count() >= 1
    second = int(re.search(r"&t=(\d+)s", links.first.get_attribute("href")).group(1))
    assert second == hit["start"] and abs(second - line.second) <= 10, (line, second)
    shoot(page, "search-transcript")


def test_zz_the_server_log_has_no_warnings(app_url, real_data):
    """Last in the file (pytest keeps file order): everything above ran against this server."""
    noise = [line for line in (real_data / "streamlit.log").read_text().splitlines()
             if not BANNER.search(line)]
    assert not noise, "\n".join(noise[:40])
