"""In real headless Chromium: a firm contact finds the action on the dashboard and comments on it."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from lotse_lms.extensions import db
from lotse_lms.rooms import work

from ..conftest import PASSWORD
from ..rooms.conftest import mentor, staff, trainee, work_room  # noqa: F401 - the room fixtures
from .conftest import browser_login, wait_for


@pytest.mark.browser
def test_a_firm_contact_comments_on_an_action(live_server, browser, work_room, screenshot):  # noqa: F811
    room, lead, anna = work_room["room"], work_room["lead"], work_room["anna"]
    action = work.create_action(room, lead, "Reparaturablauf skizzieren", anna.id, work.today())
    db.session.commit()

    browser_login(browser, live_server, anna.email, PASSWORD)
    panel = browser.find_element(By.ID, "room-actions-panel-title").find_element(By.XPATH, "..")
    assert "Reparaturablauf skizzieren" in panel.text
    panel.find_element(By.PARTIAL_LINK_TEXT, "Reparaturablauf").click()
    wait_for(browser, lambda d: f"/aufgaben/{action.id}" in d.current_url)

    # An empty comment is refused with a German message, nothing is saved.
    browser.find_element(By.CSS_SELECTOR, "#comment-form button[type=submit]").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".form-errors"))
    assert "Bitte schreiben Sie einen Kommentar." in browser.page_source

    browser.find_element(By.ID, "body").send_keys("Entwurf steht, Besprechung am Freitag.")
    browser.find_element(By.CSS_SELECTOR, "#comment-form button[type=submit]").click()
    wait_for(browser, lambda d: "Ihr Kommentar ist gespeichert." in d.page_source)
    comment = browser.find_element(By.CSS_SELECTOR, "article.post")
    assert "Entwurf steht" in comment.text and anna.name in comment.text

    # As the owner she moves the action on.
    Select(browser.find_element(By.ID, "status")).select_by_value("in_progress")
    browser.find_element(By.CSS_SELECTOR, "#status-form button[type=submit]").click()
    wait_for(browser, lambda d: "Der Stand der Aufgabe ist gespeichert." in d.page_source)
    assert browser.find_element(By.ID, "action-status").text == "in Arbeit"
    screenshot(browser, "commented")

    # The room's page shows the action in its section.
    browser.find_element(By.LINK_TEXT, room.title).click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "section-actions"))
    section = browser.find_element(By.ID, "section-actions")
    assert "Reparaturablauf skizzieren" in section.text and "in Arbeit" in section.text
    screenshot(browser, "room")
