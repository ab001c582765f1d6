"""In real headless Chromium on a 390 px phone: a participant searches the community from its
page with another word form and opens the post found."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from lotse_lms.community import operations
from lotse_lms.extensions import db

from ..cohorts.conftest import join, make_cohort  # noqa: F401 - the cohort factory fixture
from ..conftest import PASSWORD
from .conftest import browser_login, wait_for


@pytest.mark.browser
def test_a_participant_finds_moderation_from_moderieren_on_a_phone(
    app,
    live_server,
    browser,
    make_user,
    make_cohort,  # noqa: F811
    screenshot,
):
    participant = make_user("participant", name="Lena Lotsin", password=PASSWORD)
    trainer = make_user("trainer", name="Tom Trainer")
    cohort = make_cohort(name="Frühjahr 2027")
    join(cohort, [participant])
    join(cohort, [trainer], role="trainer")
    space = operations.classroom_of(cohort)
    thread = operations.create_thread(space, trainer, "Einstieg", "Zur Moderation der ersten Runde")
    db.session.commit()

    browser.set_window_size(390, 844)
    try:
        browser_login(browser, live_server, participant.email, PASSWORD)
        browser.get(live_server.url + "/community/")
        box = browser.find_element(By.ID, "community-q")
        box.send_keys("moderieren", Keys.ENTER)
        wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".search-hits mark"))
        assert browser.find_element(By.CSS_SELECTOR, ".search-hits mark").text == "Moderation"
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390, f"the search page scrolls sideways on a phone ({width} px)"
        screenshot(browser, "search-phone")
        browser.find_element(By.CSS_SELECTOR, ".search-hits a").click()
        wait_for(browser, lambda d: f"/community/thema/{thread.id}" in d.current_url)
        assert f"#post-{thread.last_post_id}" in browser.current_url
    finally:
        browser.set_window_size(1280, 900)
