"""The Q1 player in headless Chromium, with the LMS at 127.0.0.1 and content at localhost.

Golf sample packages are driven like a learner would (next, answer, exit); the tests then
check what the server stored. A tiny SCO of our own covers closing the tab without
LMSFinish and the stale second tab.
"""

import time
import zipfile

import pytest
from selenium.webdriver.common.by import By

from lotse_lms.extensions import db
from lotse_lms.modules.q1 import packages
from lotse_lms.modules.q1.models import ScoAttempt, ScormRegistration
from lotse_lms.modules.q1.progress import q1_module_passed
from tests.shared_dir import SCORM_FIXTURES

from ..conftest import PASSWORD
from .conftest import browser_login, wait_for

pytestmark = pytest.mark.browser
FIXTURES = str(SCORM_FIXTURES / "valid")
MINI_SCO = b"""<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Mini-SCO</title>
<script>
var api = null, w = window;
for (var i = 0; i < 8; i++) { if (w.API) { api = w.API; break; } if (w.parent === w) { break; } w = w.parent; }
var started = api ? api.LMSInitialize("") : "no api";
function setLocation() { document.getElementById("result").textContent =
  api.LMSSetValue("cmi.core.lesson_location", document.getElementById("value").value); }
function commit() { document.getElementById("result").textContent = api.LMSCommit(""); }
</script></head><body>
<p id="init"></p><script>document.getElementById("init").textContent = String(started);</script>
<input id="value"><button id="set" onclick="setLocation()">Setzen</button>
<button id="commit" onclick="commit()">Speichern</button><p id="result"></p></body></html>"""
MINI_MANIFEST = b"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="mini" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Mini</title>
    <item identifier="item" identifierref="res"><title>Mini-Lektion</title></item>
  </organization></organizations>
  <resources><resource identifier="res" type="webcontent" adlcp:scormtype="sco" href="sco.html">
    <file href="sco.html"/></resource></resources>
</manifest>"""


def stored(condition, message, timeout=15):
    """Wait until condition() is true on freshly read rows; return its value."""
    deadline = time.time() + timeout
    while True:
        db.session.rollback()
        db.session.expire_all()
        value = condition()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError(message)
        time.sleep(0.2)


def attempts_of(user):
    """All attempt rows of a learner."""
    return db.session.scalars(
        db.select(ScoAttempt).where(ScoAttempt.user_id == user.id).order_by(ScoAttempt.id)
    ).all()


def into_sco(driver, inner=None):
    """Switch from the player page into the SCO frame (and optionally a frame inside it)."""
    driver.switch_to.default_content()
    wait_for(
        driver, lambda d: d.find_element(By.ID, "player-frame").get_attribute("src"), "no launch"
    )
    driver.switch_to.frame(driver.find_element(By.ID, "player-frame"))
    wait_for(
        driver, lambda d: d.find_element(By.ID, "lotse-sco").get_attribute("src"), "no SCO frame"
    )
    driver.switch_to.frame(driver.find_element(By.ID, "lotse-sco"))
    if inner:
        wait_for(driver, lambda d: d.find_element(By.ID, inner), f"no frame {inner}")
        driver.switch_to.frame(driver.find_element(By.ID, inner))


def play_golf(driver, pages=14):
    """Page through a golf sample to its test, answer everything correctly, submit, exit."""
    into_sco(driver)
    wait_for(driver, lambda d: d.find_element(By.ID, "butNext").is_enabled(), "golf did not start")
    for _ in range(pages):
        driver.find_element(By.ID, "butNext").click()
    driver.switch_to.frame(driver.find_element(By.ID, "contentFrame"))
    wait_for(
        driver,
        lambda d: d.find_elements(By.CSS_SELECTOR, "input[value='Submit Answers']"),
        "no test",
    )
    driver.execute_script("""
        document.querySelectorAll('.correctAnswer input[type=radio]').forEach(function (r) { r.checked = true; });
        document.querySelectorAll('.correctAnswer input[type=text]').forEach(function (t) {
          t.value = /\\(([^)]*)\\)\\s*$/.exec(t.parentNode.textContent)[1]; });""")
    driver.find_element(By.CSS_SELECTOR, "input[value='Submit Answers']").click()
    wait_for(
        driver, lambda d: "Score: 100" in d.find_element(By.ID, "test").text, "test not scored"
    )
    driver.switch_to.parent_frame()
    driver.find_element(By.ID, "butExit").click()
    driver.switch_to.default_content()


def test_golf_scorm12_played_and_tracked(browser, site, learner, screenshot):
    version = packages.import_package(
        f"{FIXTURES}/RuntimeBasicCalls_SCORM12.zip", module_key="technik"
    )
    browser_login(browser, site, learner.email, PASSWORD)
    browser.get(f"{site.url}/q1/play/{version.package_id}")
    play_golf(browser)
    row = stored(
        lambda: next((a for a in attempts_of(learner) if a.success == "passed"), None),
        "LMSFinish did not reach the server",
    )
    values = row.state["values"]
    assert (row.completion, row.score_raw, row.score_percent) == ("completed", 100.0, 100.0)
    assert (
        values["cmi.core.lesson_location"] == "14" and values["cmi.core.lesson_status"] == "passed"
    )
    assert not row.state["session_open"]
    assert row.total_time_seconds == row.state["total_time_cs"] / 100  # the column follows cmi
    assert q1_module_passed(learner, "technik")
    wait_for(
        browser,
        lambda d: "bestanden" in d.find_element(By.CSS_SELECTOR, ".player-toc").text,
        "TOC state not refreshed",
    )
    screenshot(browser, "golf12")


def test_golf_scorm2004_played_and_tracked(browser, site, learner, screenshot):
    version = packages.import_package(f"{FIXTURES}/RuntimeBasicCalls_SCORM20043rdEdition.zip")
    browser_login(browser, site, learner.email, PASSWORD)
    browser.get(f"{site.url}/q1/play/{version.package_id}")
    play_golf(browser)
    row = stored(
        lambda: next(
            (
                a
                for a in attempts_of(learner)
                if a.success == "passed" and not a.state["session_open"]
            ),
            None,
        ),
        "Terminate did not reach the server",
    )
    values = row.state["values"]
    assert (row.completion, row.score_scaled, row.score_percent) == ("completed", 1.0, 100.0)
    assert values["adl.nav.request"] == "exitAll" and values["cmi.location"] == "14"
    reg = db.session.scalar(
        db.select(ScormRegistration).where(ScormRegistration.user_id == learner.id)
    )
    assert (reg.completed, reg.passed, reg.score) == (True, True, 100.0)
    wait_for(
        browser,
        lambda d: d.current_url.endswith(f"/q1/play/{version.package_id}/ende"),
        "exitAll did not open the end page",
    )
    screenshot(browser, "golf2004")


def test_multi_sco_navigation_next_previous_choice_resume(browser, site, learner, screenshot):
    version = packages.import_package(
        f"{FIXTURES}/ContentPackagingOneFilePerSCO_SCORM20043rdEdition.zip"
    )
    entries = version.entries()
    browser_login(browser, site, learner.email, PASSWORD)
    browser.get(f"{site.url}/q1/play/{version.package_id}")

    def current():
        """The item the player marks as current."""
        return browser.find_element(By.CSS_SELECTOR, ".player-toc a[aria-current]").get_attribute(
            "data-item"
        )

    # No imsss sequencing: choice but no flow (SCORM 2004 defaults), so the SN start request
    # is refused and the player chooses the first item; the arrows choose the neighbours.
    wait_for(browser, lambda d: current() == entries[0]["id"], "first item not launched")
    next_button = browser.find_element(By.ID, "player-next")
    for index in range(1, len(entries)):
        wait_for(browser, lambda d: next_button.is_enabled(), f"next disabled before {index}")
        next_button.click()
        wait_for(
            browser, lambda d, i=index: current() == entries[i]["id"], f"next did not reach {index}"
        )
    previous = browser.find_element(By.ID, "player-prev")
    wait_for(browser, lambda d: previous.is_enabled(), "the last item's status did not arrive")
    assert not next_button.is_enabled()
    previous.click()
    wait_for(browser, lambda d: current() == entries[-2]["id"], "previous failed")
    browser.find_element(By.CSS_SELECTOR, f".player-toc a[data-item='{entries[3]['id']}']").click()
    wait_for(browser, lambda d: current() == entries[3]["id"], "choice failed")
    into_sco_frame = browser.find_element(By.ID, "player-frame")
    browser.switch_to.frame(into_sco_frame)
    wait_for(browser, lambda d: d.find_element(By.TAG_NAME, "h1").text, "asset page not shown")
    browser.switch_to.default_content()
    reg = stored(
        lambda: db.session.scalar(
            db.select(ScormRegistration).where(
                ScormRegistration.user_id == learner.id, ScormRegistration.completed.is_(True)
            )
        ),
        "not all items completed",
    )
    assert reg.last_item == entries[3]["id"]
    browser.get(f"{site.url}/q1/play/{version.package_id}")  # resumes at the last item
    wait_for(browser, lambda d: current() == entries[3]["id"], "did not resume at the last item")
    screenshot(browser, "multi-sco")


def _mini_package(tmp_path):
    """Import the mini SCO (LMSSetValue and LMSCommit on buttons, never LMSFinish)."""
    path = tmp_path / "mini.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("imsmanifest.xml", MINI_MANIFEST)
        zf.writestr("sco.html", MINI_SCO)
    return packages.import_package(path)


def _set_location(driver, value, commit=False):
    """Type a bookmark into the mini SCO and press its buttons."""
    into_sco(driver)
    wait_for(driver, lambda d: d.find_element(By.ID, "init").text == "true", "API not found")
    field = driver.find_element(By.ID, "value")
    field.clear()
    field.send_keys(value)
    driver.find_element(By.ID, "set").click()
    assert driver.find_element(By.ID, "result").text == "true"
    if commit:
        driver.find_element(By.ID, "commit").click()
    driver.switch_to.default_content()


def test_closing_the_tab_without_finish_keeps_the_data(browser, site, learner, tmp_path):
    version = _mini_package(tmp_path)
    browser_login(browser, site, learner.email, PASSWORD)
    first = browser.current_window_handle
    browser.switch_to.new_window("tab")
    browser.get(f"{site.url}/q1/play/{version.package_id}")
    _set_location(browser, "seite-42")
    browser.close()  # no LMSCommit, no LMSFinish: the pagehide flush must deliver it
    browser.switch_to.window(first)
    row = stored(
        lambda: next(
            (
                a
                for a in attempts_of(learner)
                if a.state["values"].get("cmi.core.lesson_location") == "seite-42"
            ),
            None,
        ),
        "the data of the closed tab did not arrive",
    )
    assert row.state["session_open"]  # no LMSFinish; the next launch ends the session
    browser.get(f"{site.url}/q1/play/{version.package_id}")
    into_sco(browser)
    wait_for(browser, lambda d: d.find_element(By.ID, "init").text == "true", "API not found")
    assert (
        browser.execute_script("return parent.API.LMSGetValue('cmi.core.lesson_location')")
        == "seite-42"
    )
    browser.switch_to.default_content()


def test_two_tabs_stale_tab_refused(browser, site, learner, tmp_path, screenshot):
    version = _mini_package(tmp_path)
    browser_login(browser, site, learner.email, PASSWORD)
    tab_a = browser.current_window_handle
    browser.get(f"{site.url}/q1/play/{version.package_id}")
    _set_location(browser, "aus-tab-a", commit=True)
    stored(
        lambda: any(
            a.state["values"].get("cmi.core.lesson_location") == "aus-tab-a"
            for a in attempts_of(learner)
        ),
        "tab A's commit did not arrive",
    )
    browser.switch_to.new_window("tab")
    browser.get(f"{site.url}/q1/play/{version.package_id}")
    _set_location(browser, "aus-tab-b", commit=True)
    stored(
        lambda: any(
            a.state["values"].get("cmi.core.lesson_location") == "aus-tab-b"
            for a in attempts_of(learner)
        ),
        "tab B's commit did not arrive",
    )
    browser.switch_to.window(tab_a)
    _set_location(browser, "veraltet", commit=True)
    wait_for(
        browser,
        lambda d: d.find_element(By.ID, "player-message").is_displayed(),
        "no refusal shown",
    )
    assert "anderen Fenster" in browser.find_element(By.ID, "player-message").text
    screenshot(browser, "stale-tab")
    db.session.rollback()  # the refusal is shown once the server has answered the commit
    assert [a.state["values"]["cmi.core.lesson_location"] for a in attempts_of(learner)] == [
        "aus-tab-b"
    ]
    for handle in browser.window_handles:
        if handle != tab_a:
            browser.switch_to.window(handle)
            browser.close()
    browser.switch_to.window(tab_a)


def test_trainer_uploads_in_the_browser_and_reads_the_report(
    browser, site, learner, make_user, screenshot
):
    trainer = make_user("trainer", password=PASSWORD)
    browser_login(browser, site, trainer.email, PASSWORD)
    browser.get(f"{site.url}/q1/packages/new")
    browser.find_element(By.ID, "file").send_keys(f"{FIXTURES}/RuntimeBasicCalls_SCORM12.zip")
    browser.find_element(By.ID, "title").send_keys("Golf für Lotsen")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(browser, lambda d: "Inhaltsverzeichnis" in d.page_source, "TOC not shown after upload")
    assert "Golf Explained" in browser.find_element(By.CSS_SELECTOR, ".q1-toc").text
    screenshot(browser, "package")
    browser.get(f"{site.url}/q1/packages/new")
    browser.find_element(By.ID, "file").send_keys(
        str(SCORM_FIXTURES / "invalid" / "MissingLaunchUrl_SCORM12.zip")
    )
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(browser, lambda d: "hat keine Startdatei" in d.page_source, "refusal not shown")
    screenshot(browser, "refused")
    browser.get(f"{site.url}/q1/")
    screenshot(browser, "catalogue")
    report = browser.find_element(By.LINK_TEXT, "Bericht")
    report.click()
    wait_for(browser, lambda d: "Bericht: Golf für Lotsen" in d.page_source, "report missing")
