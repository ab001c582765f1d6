"""The Q1 player in Chromium: a lesson counts as done only after its reading share (made short
here through the module's reading_percent and the lesson's minutes, not by sleeping), and the
player opened in its own window keeps the run-time working while the LMS page says so."""

import re
import shutil
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from lotse_lms.extensions import db
from lotse_lms.modules.q1 import packages
from lotse_lms.modules.q1.models import ScoAttempt
from lotse_lms.scorm.build import build_packages

from ..conftest import PASSWORD
from .conftest import browser_login, wait_for

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).resolve().parents[1] / "scorm" / "content_fixture" / "valid"
NOT_YET = "zählt als abgeschlossen, sobald"
DONE = "Diese Lektion ist als abgeschlossen gespeichert."


@pytest.fixture
def short_reading(tmp_path):
    """The example module as SCORM 2004 with a first lesson of 1 minute and a reading share
    of 17 %: the lesson needs about 10 seconds of reading (two of the SCO's 5-second ticks)."""
    source = tmp_path / "src"
    shutil.copytree(FIXTURE, source)
    folder = source / "01-beispiel"
    lesson = folder / "01-erste-schritte.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("minutes: 10", "minutes: 1", 1))
    module_md = folder / "module.md"
    text = module_md.read_text(encoding="utf-8")
    text = re.sub(r"estimated_minutes: \d+", "estimated_minutes: 21", text)
    text = re.sub(r"q1_total_minutes: \d+", "q1_total_minutes: 21", text)
    module_md.write_text(text.replace("---\n", "---\nreading_percent: 17\n", 1), encoding="utf-8")
    (package,) = build_packages(source, tmp_path / "dist", standards=("2004",))
    return packages.import_package(package.path)


def lesson_entry(version):
    """The item of the shortened first lesson (the module's introduction comes before it)."""
    return next(e for e in version.entries() if e["title"].startswith("Erste Schritte"))


def into_lesson(driver):
    """Switch into the lesson inside the player's frame once it has loaded."""
    driver.switch_to.default_content()
    driver.switch_to.frame(driver.find_element(By.ID, "player-frame"))
    wait_for(driver, lambda d: d.find_element(By.ID, "lotse-sco").get_attribute("src"), "no SCO")
    driver.switch_to.frame(driver.find_element(By.ID, "lotse-sco"))
    wait_for(
        driver,
        lambda d: d.execute_script("return document.documentElement.dataset.lotseReady"),
        "lesson not ready",
        timeout=20,
    )


def end_status(driver):
    """The lesson's note at its end."""
    return driver.find_element(By.ID, "lotse_end_status").text


def attempt(user, item):
    """The learner's attempt of ``item`` as the database has it now."""
    db.session.rollback()
    return db.session.scalar(
        db.select(ScoAttempt).where(ScoAttempt.user_id == user.id, ScoAttempt.item_id == item)
    )


def test_a_lesson_counts_only_after_its_reading_share(
    browser, site, make_user, short_reading, screenshot
):
    learner = make_user("participant", password=PASSWORD)
    first = lesson_entry(short_reading)["id"]
    browser_login(browser, site, learner.email, PASSWORD)
    browser.get(f"{site.url}/q1/play/{short_reading.package_id}?item={first}")
    into_lesson(browser)
    browser.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    wait_for(browser, lambda d: NOT_YET in end_status(d), "end reached, but no reading note")
    row = attempt(learner, first)
    assert row is None or row.completion != "completed"  # reaching the end is not enough
    screenshot(browser, "not-yet")
    wait_for(browser, lambda d: end_status(d) == DONE, "reading share not counted", timeout=30)
    browser.switch_to.default_content()
    badge = f"[data-state-for='{first}']"
    wait_for(
        browser,
        lambda d: d.find_element(By.CSS_SELECTOR, badge).text == "abgeschlossen",
        "contents do not show the lesson as done",
    )
    assert attempt(learner, first).completion == "completed"


def test_the_player_in_its_own_window(browser, site, make_user, short_reading, screenshot):
    learner = make_user("participant", password=PASSWORD)
    browser_login(browser, site, learner.email, PASSWORD)
    browser.get(f"{site.url}/q1/play/{short_reading.package_id}")
    lms_page = browser.current_window_handle
    into_lesson(browser)
    browser.switch_to.default_content()
    browser.find_element(By.ID, "player-window").click()
    wait_for(browser, lambda d: len(d.window_handles) == 2, "no window opened")
    away = browser.find_element(By.ID, "player-away")
    wait_for(browser, lambda d: away.is_displayed(), "the LMS page does not say where it runs")
    assert "läuft in eigenem Fenster" in away.text
    assert not browser.find_element(By.ID, "player-frame").is_displayed()
    screenshot(browser, "lms-page")
    (window,) = [h for h in browser.window_handles if h != lms_page]
    browser.switch_to.window(window)
    wait_for(browser, lambda d: "fenster=1" in d.current_url, "window not at the player")
    assert not browser.find_element(By.CSS_SELECTOR, ".site-header").is_displayed()
    into_lesson(browser)  # the run-time works in the window: the lesson loads and tracks
    browser.switch_to.default_content()
    screenshot(browser, "window")
    browser.find_element(By.ID, "player-next").click()  # on to the lesson, never opened yet
    lesson = lesson_entry(short_reading)["id"]
    badge = f"[data-state-for='{lesson}']"
    wait_for(
        browser,
        lambda d: d.find_element(By.CSS_SELECTOR, badge).text == "begonnen",
        "the window's run-time did not record the lesson",
        timeout=20,
    )
    assert attempt(learner, lesson) is not None
    into_lesson(browser)
    browser.switch_to.default_content()
    browser.find_element(By.ID, "player-window").click()  # "Fenster schließen"
    wait_for(browser, lambda d: len(d.window_handles) == 1, "window not closed", timeout=15)
    browser.switch_to.window(lms_page)
    wait_for(
        browser,
        lambda d: d.find_element(By.ID, "player-frame").is_displayed(),
        "the LMS page did not take the module back",
    )
    second = f".player-toc a[data-item='{lesson}']"
    wait_for(
        browser,
        lambda d: d.find_element(By.CSS_SELECTOR, second).get_attribute("aria-current") == "step",
        "the LMS page does not go on where the window stopped",
        timeout=15,
    )
    into_lesson(browser)
