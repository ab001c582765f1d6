"""In real headless Chromium: assign a mentor, write shared and private feedback, answer, recommend."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from ..conftest import PASSWORD
from .conftest import browser_login, pick_person, wait_for


def _switch_to(browser, live_server, user):
    """Sign out (by dropping the cookies) and sign in as ``user``."""
    browser.get(live_server.url + "/")
    browser.delete_all_cookies()
    browser_login(browser, live_server, user.email, PASSWORD)


def _click_link(browser, text):
    """Follow the link with this visible text, as a person would."""
    browser.find_element(By.PARTIAL_LINK_TEXT, text).click()


def _submit(browser, form_selector="main form"):
    """Press the submit button of the form."""
    browser.find_element(By.CSS_SELECTOR, f"{form_selector} button[type=submit]").click()


def _write_entry(browser, observations, next_steps, visibility):
    """Fill in and save the new-entry form."""
    _click_link(browser, "Neuer Eintrag")
    Select(browser.find_element(By.ID, "occasion")).select_by_value("q2_session")
    browser.find_element(By.ID, "observations").send_keys(observations)
    browser.find_element(By.ID, "next_steps").send_keys(next_steps)
    browser.find_element(By.CSS_SELECTOR, f"input[name=visibility][value={visibility}]").click()
    _submit(browser)
    wait_for(browser, lambda d: "/entries/new" not in d.current_url, "entry was not saved")


@pytest.mark.browser
def test_mentoring_from_assignment_to_recommendation(live_server, browser, make_user, screenshot):
    foundation = make_user("foundation", name="Sabine Stiftung")
    mentor = make_user("mentor", name="Miriam Mentorin")
    mentee = make_user("participant", name="Lena Lotsin")

    # The foundation assigns the mentor.
    browser_login(browser, live_server, foundation.email, PASSWORD)
    assert (
        "Lena Lotsin"
        in browser.find_element(By.ID, "unassigned-panel-title").find_element(By.XPATH, "..").text
    )
    _click_link(browser, "zuordnen")
    pick_person(browser, "mentor", "Miri", "Miriam Mentorin", keyboard=True)
    browser.find_element(By.ID, "reason").send_keys("Gleiche Region, viel Erfahrung im Handwerk.")
    screenshot(browser, "1-assign")
    _submit(browser)
    wait_for(browser, lambda d: d.current_url.endswith("/mentoring/assignments"))
    assert "Miriam Mentorin begleitet jetzt Lena Lotsin." in browser.page_source

    # The mentor writes a shared and a private entry; the form insists on the choice.
    _switch_to(browser, live_server, mentor)
    _click_link(browser, "Meine Mentees")
    _click_link(browser, "Lena Lotsin")
    _click_link(browser, "Neuer Eintrag")
    browser.find_element(By.ID, "observations").send_keys("Ohne Wahl")
    _submit(browser)
    wait_for(browser, lambda d: "Bitte prüfen Sie Ihre Eingaben" in d.page_source, "no error shown")
    assert (
        "Bitte wählen Sie, ob der Eintrag geteilt wird"
        in browser.find_element(By.ID, "visibility").text
    )
    screenshot(browser, "2a-choice-required")
    browser.get(f"{live_server.url}/mentoring/mentees/{mentee.id}")
    _write_entry(browser, "Du hast die Gruppe **klar** geführt.", "- Zeitplan mit Puffer", "shared")
    _write_entry(browser, "Unsicher bei der Akquise – mit der Stiftung besprechen.", "", "private")
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "mit Lena Lotsin geteilt" in page and "nur für Mentorin / Mentor und Stiftung" in page
    browser.execute_script("document.getElementById('entries-title').scrollIntoView()")
    screenshot(browser, "2b-mentor-mentee-page")

    # The mentee sees only the shared entry and answers it.
    _switch_to(browser, live_server, mentee)
    _click_link(browser, "Mein Mentoring")
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "Miriam Mentorin" in page and "mit Ihnen geteilt" in page and "klar" in page
    assert "Akquise" not in page and "nur für Mentorin / Mentor und Stiftung" not in page
    assert browser.find_element(By.CSS_SELECTOR, ".feedback-entry strong").text == "klar"
    browser.set_window_size(390, 844)
    screenshot(browser, "3-mentee-phone")
    browser.set_window_size(1280, 900)
    browser.find_element(By.CSS_SELECTOR, ".feedback-entry h3 a").click()
    browser.find_element(By.ID, "body").send_keys("Danke! Den Zeitplan bringe ich mit.")
    _submit(browser, "#replies form")
    wait_for(browser, lambda d: "Ihre Antwort ist gespeichert." in d.page_source)
    assert "Danke! Den Zeitplan bringe ich mit." in browser.find_element(By.ID, "replies").text
    screenshot(browser, "4-reply")

    # The mentor recommends, with a reason.
    _switch_to(browser, live_server, mentor)
    browser.get(f"{live_server.url}/mentoring/mentees/{mentee.id}")
    _click_link(browser, "Empfehlung abgeben")
    browser.find_element(By.CSS_SELECTOR, "input[name=status][value=recommended]").click()
    browser.find_element(By.ID, "reason").send_keys("Hat den Experimentierraum souverän moderiert.")
    _submit(browser)
    wait_for(browser, lambda d: "/recommendation" not in d.current_url)
    assert "empfohlen" in browser.find_element(By.ID, "rec-title").find_element(By.XPATH, "..").text
    screenshot(browser, "5-recommended")
    browser.get(live_server.url + "/")
    panel = browser.find_element(By.ID, "mentees-panel-title").find_element(By.XPATH, "..")
    assert "Lena Lotsin" in panel.text and "2 Einträge" in panel.text
    browser.execute_script("arguments[0].scrollIntoView()", panel)
    screenshot(browser, "5b-mentor-dashboard")

    # The mentee's dashboard step is done.
    _switch_to(browser, live_server, mentee)
    step = browser.find_element(By.CSS_SELECTOR, "li[data-step='mentor']")
    assert "erfüllt" in step.text
    screenshot(browser, "6-mentee-dashboard")
