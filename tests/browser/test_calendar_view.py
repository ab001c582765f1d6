"""The calendar in Chromium: month grid and list on a wide screen and on a 390 px phone;
the feed page's copy button."""

import pytest
from selenium.webdriver.common.by import By

from ..agenda.conftest import day_in, programme  # noqa: F401 - the dated programme fixture
from ..conftest import PASSWORD
from .conftest import browser_login, wait_for
from .test_phone_pages import sideways

pytestmark = pytest.mark.browser


def test_month_and_list_on_a_wide_screen_and_a_phone(
    browser,
    browser_factory,
    site,
    screenshot,
    programme,  # noqa: F811
):
    lotse = programme["lotse"]
    day = day_in(20).isoformat()
    browser_login(browser, site, lotse.email, PASSWORD)
    browser.find_element(By.LINK_TEXT, "Kalender").click()
    wait_for(browser, lambda d: "/calendar" in d.current_url, "calendar not opened")
    browser.get(f"{site.url}/calendar?day={day}")
    grid = browser.find_element(By.CSS_SELECTOR, "table.cal-month")
    cell_texts = [c.text for c in grid.find_elements(By.CSS_SELECTOR, "td")]
    assert any("09:00 Moderation" in t for t in cell_texts)
    assert any("Fall Lena" in t for t in cell_texts)
    assert not browser.find_element(By.CSS_SELECTOR, ".cal-month-list").is_displayed()
    screenshot(browser, "month-wide")
    browser.find_element(By.LINK_TEXT, "Liste").click()
    wait_for(browser, lambda d: "view=list" in d.current_url, "list not opened")
    listing = browser.find_element(By.ID, "main").text
    assert "Warteliste" in listing and "Abmeldefrist: Moderation" in listing
    label = browser.find_element(By.CSS_SELECTOR, ".cal-label").text
    browser.find_element(By.CSS_SELECTOR, "a[rel=next]").click()
    wait_for(
        browser, lambda d: d.find_element(By.CSS_SELECTOR, ".cal-label").text != label, "no paging"
    )

    phone = browser_factory(390, 844)
    browser_login(phone, site, lotse.email, PASSWORD)
    phone.get(f"{site.url}/calendar?day={day}")
    wait_for(phone, lambda d: d.find_elements(By.CSS_SELECTOR, "table.cal-month"), "no month")
    assert sideways(phone) == 0
    assert phone.find_element(By.CSS_SELECTOR, "table.cal-month").rect["width"] <= 390
    # The grid marks days with dots; the month's entries follow as a list.
    below = phone.find_element(By.CSS_SELECTOR, ".cal-month-list")
    assert below.is_displayed() and "Moderation" in below.text and "Fall Lena" in below.text
    screenshot(phone, "month-phone")
    phone.get(f"{site.url}/calendar?view=list&day={day}")
    wait_for(phone, lambda d: "Warteliste" in d.find_element(By.ID, "main").text, "no list")
    assert sideways(phone) == 0
    screenshot(phone, "list-phone")
    phone.get(f"{site.url}/calendar?view=week&day={day}")
    wait_for(phone, lambda d: "09:00–12:00" in d.find_element(By.ID, "main").text, "no week")
    assert sideways(phone) == 0
    screenshot(phone, "week-phone")


def test_feed_page_copies_the_address_and_offers_webcal(
    browser,
    site,
    programme,  # noqa: F811
):
    browser_login(browser, site, programme["lotse"].email, PASSWORD)
    browser.get(site.url + "/q2/calendar")
    link = browser.find_element(By.LINK_TEXT, "Im Kalenderprogramm abonnieren")
    assert link.get_attribute("href").startswith("webcal://127.0.0.1:")
    button = browser.find_element(By.CSS_SELECTOR, "button[data-copy]")
    assert button.is_displayed()  # JavaScript shows it
    button.click()
    wait_for(
        browser,
        lambda d: d.find_element(By.ID, "feed-url-status").text == "Adresse kopiert.",
        "not copied",
    )
