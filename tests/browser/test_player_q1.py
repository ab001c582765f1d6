"""The Q1 modules built from content/q1 (SCORM 2004) in the LMS player, in headless Chromium."""

import tempfile
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from lotse_lms.extensions import db
from lotse_lms.modules.q1 import packages
from lotse_lms.modules.q1.models import ScoAttempt
from lotse_lms.modules.q1.progress import q1_progress
from lotse_lms.scorm.build import build_packages

from ..conftest import PASSWORD
from .conftest import browser_login, wait_for

pytestmark = pytest.mark.browser
CONTENT = Path(__file__).resolve().parents[2] / "content" / "q1"


def test_q1_module_lessons_track_and_resume(browser, site, make_user, screenshot):
    learner = make_user("participant", password=PASSWORD)
    with tempfile.TemporaryDirectory() as out:
        built = {p.module_id: p for p in build_packages(CONTENT, out, standards=("2004",))}
        version = packages.import_package(built["megatrends"].path, module_key="megatrends")
    entries = version.entries()
    browser_login(browser, site, learner.email, PASSWORD)
    browser.get(f"{site.url}/q1/play/{version.package_id}")
    browser.switch_to.frame(browser.find_element(By.ID, "player-frame"))
    wait_for(browser, lambda d: d.find_element(By.ID, "lotse-sco").get_attribute("src"), "no SCO")
    browser.switch_to.frame(browser.find_element(By.ID, "lotse-sco"))
    wait_for(browser, lambda d: d.find_element(By.TAG_NAME, "h1").text, "lesson not shown")
    browser.switch_to.default_content()
    browser.find_element(By.ID, "player-next").click()  # leaving the SCO ends its session

    def first_closed():
        """The first lesson's attempt once its session has ended, else None."""
        db.session.rollback()
        row = db.session.scalar(
            db.select(ScoAttempt).where(
                ScoAttempt.user_id == learner.id, ScoAttempt.item_id == entries[0]["id"]
            )
        )
        return row if row is not None and not row.state["session_open"] else None

    deadline = time.time() + 15
    while not first_closed():
        assert time.time() < deadline, "the SCO's Terminate did not reach the server"
        time.sleep(0.2)
    row = first_closed()
    assert row.state["values"]["cmi.exit"] in ("suspend", "normal")
    assert row.completion in ("incomplete", "completed")
    first_state = f"[data-state-for='{entries[0]['id']}']"
    wait_for(
        browser,
        lambda d: d.find_element(By.CSS_SELECTOR, first_state).text == "begonnen",
        "TOC state of the left lesson not refreshed",
    )
    assert not browser.find_element(By.ID, "player-message").is_displayed()
    screenshot(browser, "q1-megatrends")
    progress = {m["module_key"]: m for m in q1_progress(learner)}
    assert progress["megatrends"]["package_id"] == version.package_id
