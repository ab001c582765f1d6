"""In real headless Chromium: a trainer mentions a participant; she sees the count in the
header, opens her notifications and lands on the post; the count is gone."""

import pytest
from selenium.webdriver.common.by import By

from lotse_lms.community import operations
from lotse_lms.core import jobs
from lotse_lms.extensions import db

from ..cohorts.conftest import join, make_cohort  # noqa: F401 - the cohort factory fixture
from ..conftest import PASSWORD
from .conftest import browser_login, wait_for


@pytest.mark.browser
def test_a_mention_shows_in_the_header_and_leads_to_the_post(
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
    space = operations.classroom_of(cohort)
    thread = operations.create_thread(space, trainer, "Erste Sitzung", "Willkommen!")
    post = operations.reply(thread, trainer, "@Lena Lotsin, bringen Sie bitte Ihre Fragen mit.")
    db.session.commit()
    jobs.run_pending(app)  # the fan-out the reply enqueued, as the worker would

    browser_login(browser, live_server, participant.email, PASSWORD)
    badge = browser.find_element(By.CSS_SELECTOR, ".account .nav-badge")
    assert badge.text.startswith("1")
    screenshot(browser, "header-badge")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Benachrichtigungen").click()
    wait_for(browser, lambda d: "Tom Trainer hat Sie erwähnt" in d.page_source)
    screenshot(browser, "list")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Tom Trainer hat Sie erwähnt").click()
    wait_for(browser, lambda d: d.current_url.endswith(f"#post-{post.id}"))
    assert not browser.find_elements(By.CSS_SELECTOR, ".account .nav-badge")
    browser.find_element(By.XPATH, "//button[normalize-space()='Folgen']").click()
    wait_for(browser, lambda d: "Sie folgen diesem Thema." in d.page_source)
    browser.execute_script("window.scrollTo(0, 0)")
    screenshot(browser, "thread-followed")
