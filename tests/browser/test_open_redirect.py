"""Chromium never leaves the LMS through a redirect built from user input (login ``next``,
the language switch), however the target is disguised."""

from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By

from ..conftest import PASSWORD
from .conftest import wait_for

pytestmark = pytest.mark.browser


def _host(driver):
    return urlsplit(driver.current_url).hostname


@pytest.mark.parametrize(
    "next_", ["/%09/evil.example/x", "/%5C/evil.example/x", "/%0d%0a/evil.example"]
)
def test_sign_in_with_a_disguised_next_stays_on_the_lms(browser, live_server, make_user, next_):
    user = make_user("participant", password=PASSWORD)
    browser.get(f"{live_server.url}/login?next={next_}")
    browser.find_element(By.ID, "email").send_keys(user.email)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(browser, lambda d: "/login" not in d.current_url, "sign-in did not complete")
    assert _host(browser) == "127.0.0.1", browser.current_url
    assert "Guten Tag" in browser.find_element(By.TAG_NAME, "body").text


def test_language_switch_on_a_disguised_path_stays_on_the_lms(browser, live_server):
    browser.get(f"{live_server.url}/%09/evil.example/")
    browser.find_element(By.CSS_SELECTOR, "header form button[lang=en]").click()
    wait_for(
        browser,
        lambda d: d.find_elements(By.CSS_SELECTOR, "header form button[lang=de]"),
        "the language did not switch",
    )
    assert _host(browser) == "127.0.0.1", browser.current_url
