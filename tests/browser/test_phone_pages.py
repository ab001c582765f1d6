"""Every role's pages on a 390 px phone, with the demo data: the main menu collapses behind
a menu button, and no page scrolls sideways."""

import pytest
from selenium.webdriver.common.by import By

from lotse_lms.accounts import DEMO_PASSWORD
from lotse_lms.extensions import db
from lotse_lms.modules.q2.models import LiveSession

from .conftest import browser_login, wait_for

pytestmark = pytest.mark.browser


def sideways(driver):
    """How many pixels the page scrolls sideways (0 when it fits)."""
    return driver.execute_script(
        "var e = document.scrollingElement; return e.scrollWidth - e.clientWidth;"
    )


def pages(role):
    """The pages a demo account of ``role`` opens."""
    session = db.session.scalar(db.select(LiveSession.id).order_by(LiveSession.id).limit(1))
    common = ["/", "/q1/", "/q2/", "/profile"]
    return {
        "trainer": common + ["/q2/manage", f"/q2/manage/{session}", "/mentoring/assignments"],
        "stiftung": common + ["/mentoring/assignments", "/certificates/", "/reflecting-team/"],
        "admin": common + ["/outbox", "/audit", "/certificates/"],
        "mentorin": ["/", "/mentoring/mentees"],
        "teilnehmerin": common + ["/mentoring/me", "/certificates/mine"],
    }[role]


def test_phone_menu_and_no_page_scrolls_sideways(app, runner, browser_factory, site, screenshot):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    phone = browser_factory(390, 844)
    problems = []
    for role in ("trainer", "stiftung", "admin", "mentorin", "teilnehmerin"):
        browser_login(phone, site, f"{role}@lotse.example", DEMO_PASSWORD)
        nav = phone.find_element(By.CSS_SELECTOR, ".main-nav")
        button = phone.find_element(By.ID, "menu-button")
        assert button.is_displayed() and not nav.is_displayed()
        main_top = phone.find_element(By.ID, "main").rect["y"]
        assert main_top < 120, main_top  # the content starts right below one header line
        button.click()
        wait_for(phone, lambda d: d.find_element(By.CSS_SELECTOR, ".main-nav").is_displayed())
        assert button.get_attribute("aria-expanded") == "true"
        if role == "stiftung":
            screenshot(phone, "menu-open")
        for path in pages(role):
            phone.get(site.url + path)
            wait_for(phone, lambda d: d.find_elements(By.ID, "main"), f"{path} not shown")
            heading = phone.find_element(By.TAG_NAME, "h1").text
            assert "nicht gefunden" not in heading.lower() and "403" not in heading, path
            if sideways(phone) > 0:
                problems.append((role, path, sideways(phone)))
                screenshot(phone, f"{role}-{path.strip('/').replace('/', '-') or 'start'}")
        phone.delete_all_cookies()
    assert problems == []
