"""In real headless Chromium: a participant asks in the Klassenzimmer with the Markdown
toolbar and the preview, the trainer answers and marks the answer as the solution."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from ..cohorts.conftest import join, make_cohort  # noqa: F401 - the cohort factory fixture
from ..conftest import PASSWORD
from .conftest import browser_login, sign_out, wait_for


def _button(browser, text):
    """The button with this visible text."""
    return browser.find_element(By.XPATH, f"//button[normalize-space()='{text}']")


@pytest.mark.browser
def test_a_participant_asks_and_the_trainer_answers_and_marks_it_solved(
    app,
    live_server,
    browser,
    make_user,
    make_cohort,  # noqa: F811
    screenshot,
):
    participant = make_user("participant", name="Lena Lotsin", password=PASSWORD)
    trainer = make_user("trainer", name="Tom Trainer", password=PASSWORD)
    cohort = make_cohort(name="Frühjahr 2027")
    join(cohort, [participant])
    join(cohort, [trainer], role="trainer")

    browser_login(browser, live_server, participant.email, PASSWORD)
    browser.find_element(By.LINK_TEXT, "Community").click()
    browser.find_element(By.LINK_TEXT, "Frühjahr 2027").click()
    browser.find_element(By.LINK_TEXT, "Neues Thema").click()
    browser.find_element(By.ID, "title").send_keys("Wie beginne ich die Moderation?")
    body = browser.find_element(By.ID, "body")
    body.send_keys("Ich habe eine ")
    browser.find_element(By.CSS_SELECTOR, "[data-md=bold]").click()  # the toolbar's "B"
    body.send_keys("wichtige")
    body.send_keys(Keys.END, " Frage zum Einstieg.")  # past the closing "**"
    assert body.get_attribute("value") == "Ich habe eine **wichtige** Frage zum Einstieg."
    _button(browser, "Vorschau").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".md-preview strong"))
    assert browser.find_element(By.CSS_SELECTOR, ".md-preview strong").text == "wichtige"
    screenshot(browser, "preview")
    _button(browser, "Veröffentlichen").click()
    wait_for(browser, lambda d: "Ihr Thema ist veröffentlicht." in d.page_source)
    thread_url = browser.current_url
    sign_out(browser)

    browser_login(browser, live_server, trainer.email, PASSWORD)
    browser.get(live_server.url + "/community/neu")
    browser.find_element(By.LINK_TEXT, "Wie beginne ich die Moderation?").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".post-body strong"))
    browser.find_element(By.LINK_TEXT, "Zitieren").click()
    reply = browser.find_element(By.ID, "body")
    wait_for(browser, lambda d: "> Ich habe eine" in reply.get_attribute("value"))
    reply.send_keys("Beginnen Sie mit einer kurzen Runde: Wer ist da, was bringt jede mit?")
    _button(browser, "Antwort senden").click()
    wait_for(browser, lambda d: "Ihre Antwort ist veröffentlicht." in d.page_source)
    _button(browser, "Als Lösung markieren").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".post-solved"))
    assert "Frage gelöst" in browser.find_element(By.TAG_NAME, "h1").text
    browser.execute_script("window.scrollTo(0, 0)")
    screenshot(browser, "solved")
    sign_out(browser)

    browser_login(browser, live_server, participant.email, PASSWORD)
    browser.set_window_size(390, 844)  # a phone
    try:
        for path in ("/community/", thread_url.replace(live_server.url, "")):
            browser.get(live_server.url + path)
            width = browser.execute_script("return document.documentElement.scrollWidth")
            assert width <= 390, f"{path} scrolls sideways on a phone ({width} px)"
            if path == "/community/":
                screenshot(browser, "index-phone")
        assert "Frage gelöst" in browser.page_source and "Lösung" in browser.page_source
        screenshot(browser, "thread-phone")
    finally:
        browser.set_window_size(1280, 900)
