"""In real headless Chromium: a trainer schedules a one-place session, two Lotsen enrol,
the first cancels, the second moves up from the waiting list and sees the meeting link."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from lotse_lms.core.timeutil import BERLIN, utcnow
from lotse_lms.extensions import db
from lotse_lms.modules.q2.models import LiveSession

from ..conftest import PASSWORD
from .conftest import browser_login, wait_for

LINK = "https://meet.example.org/om-lotsen-q2-e2e"


def _set(driver, element_id, value):
    """Fill a date/time input regardless of the browser's locale-specific typing format."""
    field = driver.find_element(By.ID, element_id)
    driver.execute_script("arguments[0].value = arguments[1];", field, value)


def _sign_in_as(driver, live_server, user):
    """Sign out whoever is signed in and sign in as ``user``."""
    driver.delete_all_cookies()
    browser_login(driver, live_server, user.email, PASSWORD)


def _flash(driver):
    """Text of the flash messages on the page."""
    return " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, ".flash"))


@pytest.mark.browser
def test_waiting_lotse_moves_up_when_the_first_cancels(live_server, browser, make_user, screenshot):
    trainer = make_user("trainer", name="Tobias Trainer")
    first = make_user("participant", name="Lena Erste")
    second = make_user("participant", name="Max Zweiter")
    day = (utcnow().astimezone(BERLIN) + timedelta(days=12)).date().isoformat()

    _sign_in_as(browser, live_server, trainer)
    browser.get(live_server.url + "/q2/manage/new")
    browser.find_element(By.ID, "title").send_keys("Moderation im Experimentierraum")
    Select(browser.find_element(By.ID, "topic")).select_by_value("moderating")
    Select(browser.find_element(By.ID, "format")).select_by_value("virtual")
    browser.find_element(By.ID, "meeting_url").send_keys(LINK)
    capacity = browser.find_element(By.ID, "capacity")
    capacity.clear()
    capacity.send_keys("1")
    _set(browser, "dates-0-day", day)
    _set(browser, "dates-0-start", "09:30")
    _set(browser, "dates-0-end", "12:30")
    screenshot(browser, "1-trainer-form")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(browser, lambda d: "ist gespeichert" in _flash(d), "session was not saved")
    session_id = db.session.scalars(sa.select(LiveSession.id)).one()
    detail = f"{live_server.url}/q2/sessions/{session_id}"

    _sign_in_as(browser, live_server, first)
    browser.get(live_server.url + "/q2/")
    assert "1 Platz frei" in browser.find_element(By.CSS_SELECTOR, "article.q2-session").text
    screenshot(browser, "1b-catalogue")
    browser.get(detail)
    assert "1 Platz frei" in browser.find_element(By.TAG_NAME, "main").text
    assert LINK not in browser.page_source
    browser.find_element(By.XPATH, "//button[normalize-space()='Verbindlich anmelden']").click()
    wait_for(browser, lambda d: "Sie sind angemeldet" in _flash(d), "first Lotse not enrolled")
    assert browser.find_element(By.ID, "meeting-link").text == LINK

    _sign_in_as(browser, live_server, second)
    browser.get(detail)
    assert "ausgebucht" in browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.XPATH, "//button[normalize-space()='Auf die Warteliste']").click()
    wait_for(browser, lambda d: "Platz 1 der Warteliste" in _flash(d), "second Lotse not waiting")
    assert LINK not in browser.page_source
    screenshot(browser, "2-waiting-list")

    _sign_in_as(browser, live_server, first)
    browser.get(detail)
    browser.find_element(
        By.XPATH, "//main//button[normalize-space()='Vom Termin abmelden']"
    ).click()
    wait_for(
        browser,
        lambda d: "Sie sind vom Termin abgemeldet" in _flash(d),
        "first Lotse could not cancel",
    )
    assert LINK not in browser.page_source

    _sign_in_as(browser, live_server, second)
    browser.get(detail)
    assert "Sie sind angemeldet." in browser.find_element(By.TAG_NAME, "main").text
    assert browser.find_element(By.ID, "meeting-link").get_attribute("href") == LINK
    screenshot(browser, "3-promoted-sees-link")
    browser.get(live_server.url + "/q2/mine")
    assert "Moderation im Experimentierraum" in browser.find_element(By.TAG_NAME, "main").text
    assert browser.find_element(By.ID, "q2-planned").text == "3 h"
    screenshot(browser, "3b-mine")
    browser.set_window_size(390, 844)  # a phone
    browser.get(detail)
    screenshot(browser, "4-phone")
    browser.set_window_size(1280, 900)

    _sign_in_as(browser, live_server, trainer)
    browser.get(f"{live_server.url}/q2/manage/{session_id}")
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "Max Zweiter" in text and "Lena Erste" not in text and "Niemand wartet." in text
    screenshot(browser, "5-trainer-participants")
