"""In real headless Chromium: the foundation finds the report on the rooms in its menu, sees
the room with its numbers, filters by Bundesland, and reads the report on a phone."""

from datetime import timedelta

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from lotse_lms.core.timeutil import utcnow
from lotse_lms.extensions import db
from lotse_lms.mentoring import operations as mentoring
from lotse_lms.rooms import operations
from lotse_lms.rooms.meeting_models import Meeting

from ..conftest import PASSWORD
from ..rooms.conftest import room_data
from .conftest import browser_login, wait_for


def _no_sideways_scroll(browser, what):
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390, f"{what} scrolls sideways on a phone ({width} px)"


@pytest.mark.browser
def test_the_foundation_report_shows_the_room_also_on_a_phone(
    app, live_server, browser, make_user, screenshot
):
    staff = make_user("foundation", name="Sabine Stiftung")
    lead = make_user("participant", name="Tom Trainee")
    mentoring.assign_mentor(lead, make_user("mentor"), staff, "Passt fachlich.")
    room = operations.create_room(room_data(title="Digitale Werkstatt Rhein-Ruhr"), lead, lead)
    operations.change_phase(room, "open", lead)
    operations.change_phase(room, "running", lead)
    start = utcnow() - timedelta(days=3)
    db.session.add(
        Meeting(
            room_id=room.id,
            title="Auftakt",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="Werkstatt",
            uid="report-e2e-1",
        )
    )
    db.session.commit()

    browser_login(browser, live_server, staff.email, PASSWORD)
    browser.get(live_server.url + "/")
    browser.find_element(By.XPATH, "//summary[normalize-space()='Verwaltung']").click()
    browser.find_element(By.LINK_TEXT, "Bericht Experimentierräume").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "total-rooms"))
    assert browser.find_element(By.ID, "total-rooms").text == "1"
    assert browser.find_element(By.ID, "total-meetings").text == "1"
    assert browser.find_element(By.LINK_TEXT, "Digitale Werkstatt Rhein-Ruhr").is_displayed()
    chart = browser.find_element(By.CSS_SELECTOR, "#chart-rooms_by_phase svg")
    assert chart.get_attribute("role") == "img"
    assert "läuft: 1" in browser.find_element(By.ID, "chart-rooms_by_phase-desc").get_attribute(
        "textContent"
    )
    screenshot(browser, "room-report")

    Select(browser.find_element(By.ID, "r-land")).select_by_visible_text("Saarland")
    browser.find_element(By.XPATH, "//button[normalize-space()='Anzeigen']").click()
    wait_for(browser, lambda d: "land=SL" in d.current_url)
    assert browser.find_element(By.ID, "total-rooms").text == "0"
    assert not browser.find_elements(By.LINK_TEXT, "Digitale Werkstatt Rhein-Ruhr")

    browser.set_window_size(390, 844)  # a phone
    try:
        browser.get(live_server.url + "/raeume/berichte")
        wait_for(browser, lambda d: d.find_elements(By.ID, "total-rooms"))
        _no_sideways_scroll(browser, "the report")
        chart = browser.find_element(By.CSS_SELECTOR, "#chart-rooms_by_land svg")
        table = browser.find_element(By.CSS_SELECTOR, "#chart-rooms_by_land table")
        assert 200 < chart.size["width"] <= 390
        assert table.location["y"] >= chart.location["y"] + chart.size["height"]  # below it
        assert "Nordrhein-Westfalen" in table.text
        screenshot(browser, "room-report-phone")
    finally:
        browser.set_window_size(1280, 900)
