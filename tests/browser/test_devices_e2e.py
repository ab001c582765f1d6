"""Two Chromium browsers of one person: the device list, signing out one, then everywhere."""

import pytest
from selenium.webdriver.common.by import By

from ..conftest import PASSWORD
from .conftest import browser_login, sign_out, wait_for

pytestmark = pytest.mark.browser


def _on_login_page(driver, url):
    """Open ``url``; True if the browser is sent to the login page."""
    driver.get(url)
    return "/login" in driver.current_url


def test_a_person_signs_out_here_there_and_everywhere(
    browser, browser_factory, site, make_user, screenshot
):
    user = make_user("participant", name="Lena Lotsin", password=PASSWORD)
    phone = browser_factory()
    for driver in (browser, phone):
        browser_login(driver, site, user.email, PASSWORD)
    browser.get(site.url + "/profile")
    browser.find_element(By.LINK_TEXT, "Angemeldete Geräte").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "devices"), "no device list")
    rows = browser.find_elements(By.CSS_SELECTOR, "#devices tbody tr")
    assert len(rows) == 2
    assert "dieses Gerät" in browser.find_element(By.CSS_SELECTOR, "#devices tr.current").text
    screenshot(browser, "devices")
    screenshot(phone, "phone-before")
    browser.find_element(By.CSS_SELECTOR, "#devices form button").click()
    wait_for(browser, lambda d: "Das Gerät ist abgemeldet." in d.page_source)
    assert _on_login_page(phone, site.url + "/profile")

    browser_login(phone, site, user.email, PASSWORD)
    sign_out(phone)  # the header button: this device only
    assert not _on_login_page(browser, site.url + "/profile")
    browser_login(phone, site, user.email, PASSWORD)
    browser.get(site.url + "/profile/devices")
    browser.find_element(By.ID, "sign-out-everywhere").click()
    wait_for(browser, lambda d: "auf allen Geräten abgemeldet" in d.page_source)
    assert _on_login_page(phone, site.url + "/profile")
    assert _on_login_page(browser, site.url + "/profile")
