"""Built packages in headless Chromium against scorm-again, a third-party SCORM run-time.

A small player page (served from a local http.server) creates scorm-again's Scorm12API as
window.API or its Scorm2004API as window.API_1484_11, frames one SCO of an extracted package,
and on LMSFinish/Terminate stores the CMI data in localStorage, as an LMS would persist it.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
import uuid
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from lxml import etree
from selenium.webdriver.support.ui import WebDriverWait

from lotse_lms.scorm.build import build_packages

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
JS_DIR = ROOT / "tests" / "js"
FIXTURE = ROOT / "tests" / "scorm" / "content_fixture" / "valid"
CHECK_YAML = FIXTURE / "01-beispiel" / "knowledge-check.yaml"
REAL = ROOT / "content" / "q1"
LESSON = "01-erste-schritte.html"
PLAYER = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Test-LMS</title>
<style>html,body{margin:0;height:100%}iframe{border:0;width:100%;height:100%;display:block}</style>
<script src="scorm-again.js"></script></head>
<body><script>
var p = new URLSearchParams(location.search);
var std = p.get("std"), sco = p.get("sco"), key = "cmi:" + p.get("run") + ":" + std + ":" + sco;
var api = std === "2004" ? new Scorm2004API({logLevel: 5}) : new Scorm12API({logLevel: 5});
var saved = JSON.parse(localStorage.getItem(key) || "null");
if (saved) {
  var exit = std === "2004" ? saved.exit : saved.core.exit;
  api.loadFromJSON(saved);
  if (std === "2004") { api.cmi.entry = exit === "suspend" ? "resume" : ""; }
  else { api.cmi.core.entry = exit === "suspend" ? "resume" : ""; }
} else if (std !== "2004") { api.cmi.core.entry = "ab-initio"; }
if (p.get("mastery")) {
  if (std === "2004") { api.cmi.scaled_passing_score = p.get("mastery"); }
  else { api.cmi.student_data.mastery_score = p.get("mastery"); }
}
if (std === "2004") { window.API_1484_11 = api; } else { window.API = api; }
window.lotseCalls = {init: 0, finish: 0};
api.on(std === "2004" ? "Initialize" : "LMSInitialize", function () { window.lotseCalls.init++; });
api.on(std === "2004" ? "Terminate" : "LMSFinish", function () {
  window.lotseCalls.finish++;
  localStorage.setItem(key, JSON.stringify(api.renderCMIToJSONObject().cmi));
  localStorage.setItem(key + ":finishes", String(window.lotseCalls.finish + Number(localStorage.getItem(key + ":finishes") || 0)));
});
var frame = document.createElement("iframe");
frame.id = "sco"; frame.title = "Lerninhalt"; frame.src = (p.get("pkg") || "pkg" + std) + "/" + sco;
document.body.appendChild(frame);
</script></body></html>
"""


def _scorm_again() -> Path:
    """The scorm-again browser bundle, installed with npm ci into tests/js if missing."""
    bundle = JS_DIR / "node_modules" / "scorm-again" / "dist" / "scorm-again.js"
    if not bundle.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed, so scorm-again cannot be installed into tests/js")
        subprocess.run(
            [npm, "ci", "--prefix", str(JS_DIR), "--no-audit", "--no-fund"], check=True, timeout=300
        )
    return bundle


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that does not log every request."""

    def log_message(self, *args):
        """Stay silent."""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Serve the player, scorm-again and both extracted fixture packages; yield (base URL, root)."""
    root = tmp_path_factory.mktemp("scorm-site")
    shutil.copy(_scorm_again(), root / "scorm-again.js")
    (root / "player.html").write_text(PLAYER, encoding="utf-8")
    (root / "blank.html").write_text("<!DOCTYPE html><title>leer</title>", encoding="utf-8")
    (root / "favicon.ico").write_bytes(b"")  # keeps the browser log free of an unrelated 404
    # Lessons count as done once their end was reached *and* reading_percent of their minutes
    # was spent on them; the fixture is built without the reading share, so reaching the end
    # completes a lesson here instead of after minutes of reading time.
    fixture = root / "src"
    shutil.copytree(FIXTURE, fixture)
    module_md = fixture / "01-beispiel" / "module.md"
    module_md.write_text(
        module_md.read_text(encoding="utf-8").replace("---\n", "---\nreading_percent: 0\n", 1),
        encoding="utf-8",
    )
    for package in build_packages(fixture, root / "dist"):
        with zipfile.ZipFile(package.path) as archive:
            archive.extractall(root / f"pkg{package.standard}")
    if any((d / "module.md").exists() for d in REAL.glob("*")):
        for package in build_packages(REAL, root / "dist-real"):
            with zipfile.ZipFile(package.path) as archive:
                archive.extractall(root / "real" / package.standard / package.module_id)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()
    server.server_close()


def _mastery(root: Path, std: str) -> str:
    """The passing threshold the LMS reads from the built manifest (as an LMS would)."""
    tree = etree.parse(str(root / f"pkg{std}" / "imsmanifest.xml"))
    local = "masteryscore" if std == "1.2" else "minNormalizedMeasure"
    return tree.xpath(f"//*[local-name()='{local}']")[0].text


def _open(driver, site, std, sco, run, mastery="", pkg=""):
    """Open the player on one SCO and wait until the SCO page is ready."""
    base, _ = site
    driver.get(f"{base}/player.html?std={std}&sco={sco}&run={run}&mastery={mastery}&pkg={pkg}")
    driver.switch_to.frame("sco")
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return document.documentElement.dataset.lotseReady")
    )
    driver.switch_to.default_content()


def _leave(driver, run, std, sco):
    """Unload the SCO as an LMS does when the learner moves on; return the stored CMI data."""
    driver.execute_script("document.getElementById('sco').src = 'blank.html';")
    key = f"cmi:{run}:{std}:{sco}"
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return localStorage.getItem(arguments[0])", key)
    )
    data = json.loads(driver.execute_script("return localStorage.getItem(arguments[0])", key))
    finishes = int(
        driver.execute_script("return localStorage.getItem(arguments[0])", key + ":finishes")
    )
    return data, finishes


def _in_sco(driver, script, *args):
    """Run a script inside the SCO frame and return its result."""
    driver.switch_to.frame("sco")
    try:
        return driver.execute_script(script, *args)
    finally:
        driver.switch_to.default_content()


def _api(driver, std, element):
    """Read a CMI element from the live API object in the player."""
    name = "API_1484_11" if std == "2004" else "API"
    return driver.execute_script(f"return window.{name}.cmi.{element}")


@pytest.mark.parametrize("std", ["1.2", "2004"])
def test_lesson_completes_and_resumes_at_bookmark(browser, site, screenshot, std):
    """Reading to the end records completion; leaving mid-lesson and re-entering restores the place."""
    run = uuid.uuid4().hex
    browser.set_window_size(1000, 700)
    _open(browser, site, std, LESSON, run)
    assert browser.execute_script("return window.lotseCalls.init") == 1
    status = "completion_status" if std == "2004" else "core.lesson_status"
    assert _api(browser, std, status) == "incomplete"
    screenshot(browser, f"lesson-{std}")
    _in_sco(
        browser,
        "document.getElementById('rollen-und-verantwortung').scrollIntoView(); window.scrollBy(0, 30);",
    )
    data, finishes = _leave(browser, run, std, LESSON)
    assert finishes == 1
    location = data["location"] if std == "2004" else data["core"]["lesson_location"]
    exit_value = data["exit"] if std == "2004" else data["core"]["exit"]
    assert location == "rollen-und-verantwortung"
    assert exit_value == "suspend"
    assert json.loads(data["suspend_data"])["s"] == "rollen-und-verantwortung"
    session = data["session_time"] if std == "2004" else data["core"]["session_time"]
    assert session.startswith("PT") if std == "2004" else ":" in session

    _open(browser, site, std, LESSON, run)
    top = _in_sco(
        browser,
        "return document.getElementById('rollen-und-verantwortung').getBoundingClientRect().top;",
    )
    assert -60 <= top <= 10, f"heading should be at the top after resume, is at {top}px"
    assert "Willkommen zurück" in _in_sco(
        browser, "return document.getElementById('lotse_notice').textContent;"
    )

    _in_sco(browser, "window.scrollTo(0, document.body.scrollHeight);")
    WebDriverWait(browser, 5).until(lambda d: _api(d, std, status) == "completed")
    data, finishes = _leave(browser, run, std, LESSON)
    assert finishes == 2  # once per session
    assert (
        data["completion_status"] if std == "2004" else data["core"]["lesson_status"]
    ) == "completed"
    assert (data["exit"] if std == "2004" else data["core"]["exit"]) == (
        "normal" if std == "2004" else ""
    )


def _answer(driver, right: bool):
    """Tick the correct answers from the YAML (or one wrong answer per question) and submit."""
    questions = yaml.safe_load(CHECK_YAML.read_text(encoding="utf-8"))["questions"]
    letters = "abcdefghijklmnopqrstuvwxyz"
    driver.switch_to.frame("sco")
    try:
        for q in questions:
            flags = [a["correct"] for a in q["answers"]]
            chosen = [i for i, ok in enumerate(flags) if ok] if right else [flags.index(False)]
            for i in chosen:
                driver.execute_script(
                    "arguments[0].click()", driver.find_element("id", f"{q['id']}-{letters[i]}")
                )
        driver.execute_script("arguments[0].click()", driver.find_element("id", "lotse_submit"))
        WebDriverWait(driver, 5).until(
            lambda d: d.execute_script("return document.documentElement.dataset.lotseResult")
        )
        return driver.execute_script("return document.documentElement.dataset.lotseResult"), len(
            questions
        )
    finally:
        driver.switch_to.default_content()


@pytest.mark.parametrize("std", ["1.2", "2004"])
def test_knowledge_check_passed(browser, site, screenshot, std):
    """All correct answers: passed, full score and one interaction per question in the API."""
    run = uuid.uuid4().hex
    _open(browser, site, std, "wissenscheck.html", run, mastery=_mastery(site[1], std))
    result, count = _answer(browser, right=True)
    assert result == "passed"
    screenshot(browser, f"quiz-passed-{std}")
    data, finishes = _leave(browser, run, std, "wissenscheck.html")
    assert finishes == 1
    if std == "2004":
        assert (data["success_status"], data["completion_status"]) == ("passed", "completed")
        assert float(data["score"]["scaled"]) == 1.0
        assert data["exit"] == "normal"
        results = {i["result"] for i in data["interactions"].values()}
        assert results == {"correct"}
    else:
        assert data["core"]["lesson_status"] == "passed"
        assert data["core"]["exit"] == ""
        results = {i["result"] for i in data["interactions"].values()}
        assert results == {"correct"}
    score = data["score"] if std == "2004" else data["core"]["score"]
    assert (float(score["raw"]), float(score["min"]), float(score["max"])) == (100, 0, 100)
    assert len(data["interactions"]) == count
    first = data["interactions"]["0"]
    assert first["type"] == "choice" and first["correct_responses"]["0"]["pattern"] == "b"


@pytest.mark.parametrize("std", ["1.2", "2004"])
def test_knowledge_check_failed_then_retry(browser, site, screenshot, std):
    """Wrong answers: failed with score 0, exit suspend; the retry button clears the form."""
    run = uuid.uuid4().hex
    _open(browser, site, std, "wissenscheck.html", run, mastery=_mastery(site[1], std))
    result, _ = _answer(browser, right=False)
    assert result == "failed"
    status = "success_status" if std == "2004" else "core.lesson_status"
    assert _api(browser, std, status) == "failed"
    score = "score.raw" if std == "2004" else "core.score.raw"
    assert float(_api(browser, std, score)) == 0
    screenshot(browser, f"quiz-failed-{std}")
    assert (
        _in_sco(
            browser,
            "document.getElementById('lotse_retry').click(); return document.querySelectorAll('input:checked').length;",
        )
        == 0
    )
    data, _ = _leave(browser, run, std, "wissenscheck.html")
    assert (data["exit"] if std == "2004" else data["core"]["exit"]) == "suspend"


def test_pages_work_without_an_lms(browser, site, screenshot):
    """Opened directly (no API anywhere) a lesson is readable and the quiz still scores locally."""
    base, _ = site
    browser.get(f"{base}/pkg1.2/{LESSON}")
    WebDriverWait(browser, 10).until(
        lambda d: d.execute_script("return document.documentElement.dataset.lotseReady")
    )
    assert "Ohne Lernplattform" in browser.find_element("id", "lotse_notice").text
    assert browser.find_element("tag name", "h1").text == "Erste Schritte im Experimentierraum"
    browser.get(f"{base}/pkg2004/wissenscheck.html")
    WebDriverWait(browser, 10).until(
        lambda d: d.execute_script("return document.documentElement.dataset.lotseReady")
    )
    letters = "abcdefghijklmnopqrstuvwxyz"
    for q in yaml.safe_load(CHECK_YAML.read_text(encoding="utf-8"))["questions"]:
        for i, a in enumerate(q["answers"]):
            if a["correct"]:
                browser.execute_script(
                    "arguments[0].click()", browser.find_element("id", f"{q['id']}-{letters[i]}")
                )
    browser.execute_script("arguments[0].click()", browser.find_element("id", "lotse_submit"))
    assert browser.execute_script("return document.documentElement.dataset.lotseResult") == "passed"
    assert browser.find_element("id", "lotse_score").text == "10 von 10 Fragen richtig (100 %)"
    screenshot(browser, "quiz-without-lms")


def test_reference_view_does_not_start_a_session(browser, site):
    """A lesson opened from a cross-lesson link (reference view) shows content but talks to no LMS."""
    run = uuid.uuid4().hex
    _open(browser, site, "2004", quote("02-vertiefung.html?ansicht=referenz", safe=""), run)
    assert browser.execute_script("return window.lotseCalls.init") == 0
    assert "Nachschlage-Ansicht" in _in_sco(
        browser, "return document.getElementById('lotse_notice').textContent;"
    )
    link = _in_sco(
        browser,
        "return document.querySelector('.content a[href^=\\'01-\\']').getAttribute('target');",
    )
    assert link == "_blank"


def test_real_q1_packages_run_in_scorm_again(browser, site, screenshot):
    """Every SCO of the real content/q1 packages starts a session without script errors."""
    _, root = site
    if not (root / "real").exists():
        pytest.skip("content/q1 has no modules yet")
    run = uuid.uuid4().hex
    opened = 0
    for std_dir in sorted((root / "real").iterdir()):
        for module_dir in sorted(std_dir.iterdir()):
            manifest = etree.parse(str(module_dir / "imsmanifest.xml"))
            hrefs = manifest.xpath("//*[local-name()='resource'][@href]/@href")
            for href in hrefs:
                _open(
                    browser,
                    site,
                    std_dir.name,
                    href,
                    run,
                    pkg=f"real/{std_dir.name}/{module_dir.name}",
                )
                assert browser.execute_script("return window.lotseCalls.init") == 1, href
                opened += 1
    severe = [
        e
        for e in browser.get_log("browser")
        if e["level"] == "SEVERE" and "favicon.ico" not in e["message"]
    ]
    assert severe == []
    assert opened >= 2 * 3 * 3
    screenshot(browser, "real-last-sco")
