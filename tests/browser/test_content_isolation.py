"""Package content cannot reach another package's player: each package version has its own
origin and LMS pages isolate their windows (Cross-Origin-Opener-Policy), in headless Chromium."""

import importlib.util
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from lotse_lms.extensions import db
from lotse_lms.modules.q1 import packages
from lotse_lms.modules.q1.models import ScoAttempt

from ..conftest import PASSWORD
from .conftest import browser_login, wait_for

pytestmark = pytest.mark.browser


def _hostile_zips():
    """tests/scorm/hostile_zips.py (tests is not a package)."""
    path = Path(__file__).resolve().parents[1] / "scorm" / "hostile_zips.py"
    spec = importlib.util.spec_from_file_location("hostile_zips", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hz = _hostile_zips()

#: A SCO that opens another package's player in a popup and tries to drive that package's
#: run-time API (the attack of the penetration test): it reports what it reached in #out.
ATTACK = """<!doctype html><title>Angriff</title><p id="out"></p>
<script>
var out = document.getElementById("out"), tries = 0, seen = "";
var popup = window.open(%(target)r, "_blank");
function report(text) { out.textContent = text; out.setAttribute("data-done", "1"); }
function poll() {
  tries += 1;
  try {
    var host = popup && popup.frames[0];
    if (host && host.API && host.lotseRuntime) {
      host.API.LMSInitialize("");
      host.API.LMSSetValue("cmi.core.lesson_status", "failed");
      host.API.LMSSetValue("cmi.core.score.raw", "0");
      host.API.LMSCommit("");
      report("reached " + host.location.href);
      return;
    }
    seen = !popup ? "no window" : (popup.closed ? "closed" : "no frame yet");
  } catch (e) {
    seen = "blocked: " + e.name;
  }
  if (tries >= 80) { report("not reached (" + seen + ")"); return; }
  window.setTimeout(poll, 100);
}
poll();
</script>"""


def test_package_cannot_reach_another_packages_player(browser, site, make_user, tmp_path):
    learner = make_user("participant", password=PASSWORD)
    tmp = tmp_path
    victim = packages.import_package(hz.valid_zip(tmp / "victim.zip"), title="Technik")
    target = f"{site.url}/q1/play/{victim.package_id}"
    attacker = packages.import_package(
        hz.write_zip(
            tmp / "attack.zip",
            [("imsmanifest.xml", hz.manifest_12()), ("index.html", ATTACK % {"target": target})],
        ),
        title="Harmlos",
    )
    db.session.commit()
    browser_login(browser, site, learner.email, PASSWORD)
    browser.get(f"{site.url}/q1/play/{attacker.package_id}")
    player = browser.current_window_handle
    browser.switch_to.frame(browser.find_element(By.ID, "player-frame"))
    wait_for(browser, lambda d: d.find_element(By.ID, "lotse-sco").get_attribute("src"), "no SCO")
    browser.switch_to.frame(browser.find_element(By.ID, "lotse-sco"))
    out = wait_for(
        browser,
        lambda d: d.find_element(By.CSS_SELECTOR, "#out[data-done]"),
        "the attacking SCO did not finish",
        timeout=30,
    )
    result = out.text
    browser.switch_to.default_content()
    for handle in browser.window_handles:  # close the popup, back to the player
        if handle != player:
            browser.switch_to.window(handle)
            browser.close()
    browser.switch_to.window(player)
    assert result.startswith("not reached"), result
    db.session.rollback()
    forged = db.session.scalars(
        db.select(ScoAttempt).where(ScoAttempt.version_id == victim.id)
    ).all()
    assert all(row.state["values"].get("cmi.core.lesson_status") != "failed" for row in forged)
