"""The main menu at 1280 px fits on one line for every role, the rarely used staff entries
sit behind "Verwaltung" (a disclosure that works without JavaScript), and the phone menu at
390 px still opens and reaches them."""

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from lotse_lms.accounts import DEMO_PASSWORD

from .conftest import browser_login, wait_for

pytestmark = pytest.mark.browser

ROLES = ("stiftung", "admin", "trainer", "mentorin", "teilnehmerin")


def menu_lines(driver):
    """How many lines the top-level menu entries take (their distinct tops)."""
    return driver.execute_script(
        "return new Set(Array.from(document.querySelectorAll('.main-nav > ul > li'))"
        ".map(function (li) { return Math.round(li.getBoundingClientRect().top); })).size;"
    )


def open_admin_group(driver):
    """Open the "Verwaltung" disclosure and return its entries' labels once they show."""
    driver.find_element(By.CSS_SELECTOR, ".nav-group summary").click()
    wait_for(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".nav-group ul a").is_displayed())
    return [a.text for a in driver.find_elements(By.CSS_SELECTOR, ".nav-group ul a")]


def test_the_menu_fits_one_line_at_1280_for_every_role(
    app, runner, browser_factory, site, screenshot
):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    desk = browser_factory(1280, 800)
    for role in ROLES:
        browser_login(desk, site, f"{role}@lotse.example", DEMO_PASSWORD)
        if role in ("stiftung", "admin"):
            screenshot(desk, f"{role}-1280-closed")
        assert menu_lines(desk) == 1, role
        header = desk.find_element(By.CSS_SELECTOR, ".site-header").rect
        assert header["height"] < 100, (role, header)  # brand and account, then the menu
        groups = desk.find_elements(By.CSS_SELECTOR, ".nav-group")
        if role in ("stiftung", "admin"):
            labels = open_admin_group(desk)
            assert {"Durchgänge", "Konten", "Protokoll", "Datenschutz"} <= set(labels), labels
            screenshot(desk, f"{role}-1280")
            heading = desk.find_element(By.TAG_NAME, "h1")  # a click elsewhere closes it
            ActionChains(desk).move_to_element_with_offset(
                heading, 5 - heading.rect["width"] // 2, 0
            ).click().perform()
            wait_for(
                desk,
                lambda d: not d.find_element(By.CSS_SELECTOR, ".nav-group ul a").is_displayed(),
            )
            open_admin_group(desk)
            desk.find_element(By.LINK_TEXT, "Durchgänge").click()
            wait_for(desk, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Durchgänge")
            summary = desk.find_element(By.CSS_SELECTOR, ".nav-group summary")
            assert "current" in summary.get_attribute("class")  # you are in "Verwaltung"
        else:
            assert groups == [], role
        if role == "stiftung":  # the longest menu, in English too
            desk.find_element(By.CSS_SELECTOR, "header button.link[lang=en]").click()
            wait_for(desk, lambda d: d.find_elements(By.CSS_SELECTOR, "header button[lang=de]"))
            assert menu_lines(desk) == 1, "English"
            screenshot(desk, "stiftung-1280-en")
        desk.delete_all_cookies()


def test_the_phone_menu_reaches_the_admin_entries(app, runner, browser_factory, site, screenshot):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    phone = browser_factory(390, 844)
    for role in ("stiftung", "admin"):
        browser_login(phone, site, f"{role}@lotse.example", DEMO_PASSWORD)
        button = phone.find_element(By.ID, "menu-button")
        assert not phone.find_element(By.CSS_SELECTOR, ".main-nav").is_displayed()
        button.click()
        wait_for(phone, lambda d: d.find_element(By.CSS_SELECTOR, ".main-nav").is_displayed())
        assert "Konten" in open_admin_group(phone)
        assert (
            phone.execute_script(
                "var e = document.scrollingElement; return e.scrollWidth - e.clientWidth;"
            )
            == 0
        )
        screenshot(phone, f"{role}-390")
        phone.find_element(By.LINK_TEXT, "Konten").click()
        wait_for(phone, lambda d: d.current_url.endswith("/users"))
        phone.delete_all_cookies()
