"""In real headless Chromium: a trainer mentions a mentor with the autocomplete and the mentor
follows the in-app notification to the post; a moderator hides a reported post and its
author sees why."""

import pytest
import sqlalchemy as sa
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from lotse_lms.community import operations
from lotse_lms.community.models import Post
from lotse_lms.core import jobs
from lotse_lms.extensions import db

from ..cohorts.conftest import join, make_cohort  # noqa: F401 - the cohort factory fixture
from ..conftest import PASSWORD
from .conftest import browser_login, sign_out, wait_for


def _button(browser, text):
    return browser.find_element(By.XPATH, f"//button[normalize-space()='{text}']")


@pytest.mark.browser
def test_a_mentioned_mentor_follows_the_notification_to_the_post(
    app,
    live_server,
    browser,
    make_user,
    make_cohort,  # noqa: F811
    screenshot,
):
    trainer = make_user("trainer", name="Tom Trainer", password=PASSWORD)
    mentor = make_user("mentor", name="Özlem Şahin", password=PASSWORD)
    outsider = make_user("mentor", name="Özgür Außen", password=PASSWORD)
    cohort = make_cohort(name="Frühjahr 2027")
    join(cohort, [trainer], role="trainer")
    join(cohort, [mentor], role="mentor")
    thread = operations.create_thread(
        operations.classroom_of(cohort), trainer, "Praxistag", "Wer begleitet?"
    )
    db.session.commit()
    assert outsider.id  # a mentor of no cohort here: never offered

    browser_login(browser, live_server, trainer.email, PASSWORD)
    browser.get(f"{live_server.url}/community/thema/{thread.id}")
    body = browser.find_element(By.ID, "body")
    body.send_keys("Liebe @öz")
    options = ".mention-list [role=option]"
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, options), "no suggestions")
    assert [o.text for o in browser.find_elements(By.CSS_SELECTOR, options)] == ["Özlem Şahin"]
    # Focus leaves the field and comes back at once (as on a toolbar button): the list stays.
    # Timers run in order, so the check runs after the close the blur scheduled.
    assert browser.execute_async_script(
        "var done = arguments[0], field = document.getElementById('body');"
        "field.blur(); field.focus();"
        "setTimeout(function () { done(!document.querySelector('.mention-list').hidden); }, 300);"
    ), "the list closed although the field has the focus again"
    screenshot(browser, "suggestions")
    body.send_keys(Keys.ENTER)
    body.send_keys("übernehmen Sie den Praxistag?")
    assert body.get_attribute("value") == "Liebe @Özlem Şahin übernehmen Sie den Praxistag?"
    _button(browser, "Antwort senden").click()
    wait_for(browser, lambda d: "Ihre Antwort ist veröffentlicht." in d.page_source)
    assert jobs.run_pending(app) >= 1  # the fan-out the reply enqueued, as the worker would
    post_id = db.session.scalar(sa.select(sa.func.max(Post.id)))
    sign_out(browser)

    browser_login(browser, live_server, mentor.email, PASSWORD)
    badge = browser.find_element(By.CSS_SELECTOR, ".account .nav-badge")
    assert badge.text.startswith("1")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Benachrichtigungen").click()
    wait_for(browser, lambda d: "Tom Trainer hat Sie erwähnt" in d.page_source)
    screenshot(browser, "mentor-list")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Tom Trainer hat Sie erwähnt").click()
    wait_for(browser, lambda d: d.current_url.endswith(f"#post-{post_id}"))
    text = browser.find_element(By.CSS_SELECTOR, f"#post-{post_id} .post-body").text
    assert "übernehmen Sie den Praxistag?" in text
    assert not browser.find_elements(By.CSS_SELECTOR, ".account .nav-badge")


@pytest.mark.browser
def test_a_moderator_hides_a_reported_post_and_the_author_sees_why(
    app,
    live_server,
    browser,
    make_user,
    make_cohort,  # noqa: F811
    screenshot,
):
    author = make_user("participant", name="Paul Poster", password=PASSWORD)
    reader = make_user("participant", name="Rita Leserin", password=PASSWORD)
    trainer = make_user("trainer", name="Tom Trainer", password=PASSWORD)
    cohort = make_cohort(name="Frühjahr 2027")
    join(cohort, [author, reader])
    join(cohort, [trainer], role="trainer")
    thread = operations.create_thread(
        operations.classroom_of(cohort), author, "Angebot", "Kaufen Sie meine Kurse!"
    )
    db.session.commit()

    browser_login(browser, live_server, reader.email, PASSWORD)
    browser.get(f"{live_server.url}/community/thema/{thread.id}")
    browser.find_element(By.LINK_TEXT, "Melden").click()
    browser.find_element(By.ID, "reason").send_keys("Werbung")
    _button(browser, "Beitrag melden").click()
    wait_for(browser, lambda d: "Danke, die Meldung ist eingegangen." in d.page_source)
    sign_out(browser)

    browser_login(browser, live_server, trainer.email, PASSWORD)
    browser.get(live_server.url + "/community/moderation")
    wait_for(browser, lambda d: "Grund: Werbung" in d.page_source)
    screenshot(browser, "queue")
    browser.find_element(By.LINK_TEXT, "Ausblenden").click()
    browser.find_element(By.ID, "reason").send_keys("Werbung ist hier nicht erlaubt.")
    _button(browser, "Beitrag ausblenden").click()
    wait_for(browser, lambda d: "Der Beitrag ist ausgeblendet." in d.page_source)
    browser.get(live_server.url + "/community/moderation")
    assert "Keine offenen Meldungen." in browser.page_source
    sign_out(browser)

    browser_login(browser, live_server, reader.email, PASSWORD)
    browser.get(f"{live_server.url}/community/thema/{thread.id}")
    assert "Von der Moderation ausgeblendet." in browser.page_source
    assert "Kaufen Sie" not in browser.page_source
    sign_out(browser)

    browser_login(browser, live_server, author.email, PASSWORD)
    browser.get(f"{live_server.url}/community/thema/{thread.id}")
    notice = browser.find_element(By.CSS_SELECTOR, ".post .flash-error").text
    assert "Grund: Werbung ist hier nicht erlaubt." in notice
    screenshot(browser, "author-sees-reason")
