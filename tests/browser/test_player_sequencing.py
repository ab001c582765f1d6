"""SCORM 2004 sequencing in the player, in headless Chromium, played like a learner would.

The golf forced-sequential sample: the quiz is greyed out and cannot be opened, playing
the first SCO to its end unlocks the second (the TOC updates) and Next goes on in order.
A two-SCO package of our own whose SCO reports "passed" only while it unloads checks the
ordering: the SCO's last commit reaches the server before the player's navigation request.
"""

import threading
import zipfile

import pytest
from flask import request
from selenium.webdriver.common.by import By

from lotse_lms.extensions import db
from lotse_lms.modules.q1 import packages, sequencing
from lotse_lms.modules.q1.models import ScormRegistration

from .conftest import browser_login, wait_for
from .test_player_golf_more import FORCED, _page_to_the_end, current_item
from .test_player_scorm import FIXTURES, PASSWORD, attempts_of, stored

pytestmark = pytest.mark.browser
LOCKED = (
    "Diese Lerneinheit ist noch gesperrt. Schließen Sie zuerst die vorherigen Lerneinheiten ab."
)
UNLOAD_SCO = b"""<!doctype html><html lang="de"><head><meta charset="utf-8"><title>SCO</title>
<script>
var api = null, w = window;
for (var i = 0; i < 8; i++) { if (w.API_1484_11) { api = w.API_1484_11; break; }
  if (w.parent === w) { break; } w = w.parent; }
api.Initialize("");
window.addEventListener("unload", function () {
  api.SetValue("cmi.completion_status", "completed");
  api.SetValue("cmi.success_status", "passed");
  api.SetValue("cmi.exit", "normal");
  api.Terminate("");
});
</script></head><body><h1>Lektion</h1></body></html>"""
UNLOAD_MANIFEST = b"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="unload" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Reihenfolge</title>
    <item identifier="one" identifierref="r"><title>Eins</title><imsss:sequencing>
      <imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/>
    </imsss:sequencing></item>
    <item identifier="two" identifierref="r"><title>Zwei</title></item>
    <imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>
  </organization></organizations>
  <resources><resource identifier="r" type="webcontent" adlcp:scormType="sco" href="sco.html">
    <file href="sco.html"/></resource></resources>
</manifest>"""


def link(driver, item_id):
    """The TOC link of an item."""
    driver.switch_to.default_content()
    return driver.find_element(By.CSS_SELECTOR, f".player-toc a[data-item='{item_id}']")


def is_locked(driver, item_id):
    """True if the TOC shows the item greyed out and not selectable."""
    return link(driver, item_id).get_attribute("aria-disabled") == "true"


def sequencer(user, version):
    """The learner's sequencer as stored now."""
    db.session.rollback()
    db.session.expire_all()
    return sequencing.sequencer_for(user, version)


def test_forced_sequential_locks_then_unlocks_in_order(browser, site, learner, screenshot):
    version = packages.import_package(
        f"{FIXTURES}/SequencingForcedSequential_SCORM20043rdEdition.zip"
    )
    browser_login(browser, site, learner.email, PASSWORD)
    browser.get(f"{site.url}/q1/play/{version.package_id}")
    wait_for(browser, lambda d: current_item(d) == "playing_item", "start not delivered")
    quiz = link(browser, "assessment_item")
    assert is_locked(browser, "assessment_item") and "is-locked" in quiz.get_attribute("class")
    assert quiz.get_attribute("title") == LOCKED
    assert all(is_locked(browser, item) for item, _p, _f in FORCED[1:])
    assert not browser.find_element(By.ID, "player-next").is_enabled()  # the next is locked
    assert not browser.find_element(By.ID, "player-prev").is_enabled()
    screenshot(browser, "locked")
    frame_src = browser.find_element(By.ID, "player-frame").get_attribute("src")
    quiz.click()  # greyed out: the player explains and sends nothing
    wait_for(
        browser,
        lambda d: d.find_element(By.ID, "player-message").text == LOCKED,
        "no explanation shown",
    )
    assert current_item(browser) == "playing_item"
    assert browser.find_element(By.ID, "player-frame").get_attribute("src") == frame_src
    assert [a.item_id for a in attempts_of(learner)] == ["playing_item"]
    screenshot(browser, "quiz-refused")

    item_id, pages, last_file = FORCED[0]
    _page_to_the_end(browser, pages, last_file)  # the last page commits completed + passed
    wait_for(browser, lambda d: not is_locked(d, "etuqiette_item"), "TOC not updated")
    wait_for(
        browser, lambda d: d.find_element(By.ID, "player-next").is_enabled(), "Next not enabled"
    )
    assert is_locked(browser, "handicapping_item") and is_locked(browser, "assessment_item")
    assert link(browser, "etuqiette_item").get_attribute("title") in (None, "")
    screenshot(browser, "unlocked")
    browser.find_element(By.ID, "player-next").click()  # a continue request
    wait_for(browser, lambda d: current_item(d) == "etuqiette_item", "Next did not go on")
    seq = sequencer(learner, version)
    assert seq.current == "etuqiette_item"
    assert seq.toc()["playing_item"]["satisfied"] is True
    first = next(a for a in attempts_of(learner) if a.item_id == "playing_item")
    assert not first.state["session_open"] and first.state["values"]["cmi.exit"] == "suspend"
    wait_for(
        browser, lambda d: d.find_element(By.ID, "player-prev").is_enabled(), "status not shown"
    )
    assert not browser.find_element(By.ID, "player-next").is_enabled()  # handicapping locked

    item_id, pages, last_file = FORCED[1]
    _page_to_the_end(browser, pages, last_file)
    wait_for(browser, lambda d: not is_locked(d, "handicapping_item"), "TOC not updated")
    link(browser, "handicapping_item").click()  # a choice of the unlocked item
    wait_for(browser, lambda d: current_item(d) == "handicapping_item", "choice failed")
    screenshot(browser, "third")
    reg = db.session.scalar(
        db.select(ScormRegistration).where(ScormRegistration.user_id == learner.id)
    )
    assert reg.last_item == "handicapping_item"
    assert is_locked(browser, "assessment_item")


def _wait_for_sco_loaded(driver):
    """Wait until the SCO document in the player has loaded, then leave its frame."""
    driver.switch_to.default_content()
    driver.switch_to.frame(driver.find_element(By.ID, "player-frame"))
    wait_for(driver, lambda d: d.find_element(By.ID, "lotse-sco").get_attribute("src"), "no SCO")
    driver.switch_to.frame(driver.find_element(By.ID, "lotse-sco"))
    wait_for(
        driver,
        lambda d: (
            d.find_elements(By.TAG_NAME, "h1")
            and d.execute_script("return document.readyState") == "complete"
        ),
        "the SCO did not load",
    )
    driver.switch_to.default_content()


def test_last_commit_reaches_the_server_before_the_navigation(
    app, browser, site, learner, tmp_path, screenshot
):
    """The SCO reports "passed" only while it unloads, and the server answers commits
    slowly: Next must still be sequenced on the SCO's final data."""
    path = tmp_path / "unload.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("imsmanifest.xml", UNLOAD_MANIFEST)
        zf.writestr("sco.html", UNLOAD_SCO)
    version = packages.import_package(path)

    held, release = threading.Event(), threading.Event()
    release.set()

    @app.before_request
    def slow_commits():
        """While the test holds them, run-time commits wait for an answer (a busy server)."""
        if "/scorm-content/commit/" in request.path and not release.is_set():
            held.set()
            release.wait(15)

    browser_login(browser, site, learner.email, PASSWORD)
    browser.get(f"{site.url}/q1/play/{version.package_id}")
    wait_for(browser, lambda d: current_item(d) == "one", "start not delivered")
    wait_for(browser, lambda d: d.find_element(By.ID, "player-next").is_enabled(), "Next disabled")
    stored(
        lambda: any(a.state["session"] == 1 for a in attempts_of(learner)),
        "first SCO not launched",
    )
    _wait_for_sco_loaded(browser)  # its unload handler is in place
    release.clear()
    browser.find_element(By.ID, "player-next").click()
    assert held.wait(15), "the SCO's last commit did not reach the server"
    release.set()  # the held commit is answered only now, after Next was asked for
    wait_for(browser, lambda d: current_item(d) == "two", "Next did not go on", timeout=15)
    one = next(a for a in attempts_of(learner) if a.item_id == "one")
    assert (one.completion, one.success, one.state["session_open"]) == (
        "completed",
        "passed",
        False,
    )
    state = sequencer(learner, version).toc()["one"]
    assert (state["completed"], state["satisfied"]) == (True, True)
    screenshot(browser, "second")
