"""In real headless Chromium: each role signs in and reaches its dashboard."""

import pytest
from selenium.webdriver.common.by import By

from ..conftest import PASSWORD
from .conftest import browser_login

ROLES = ["participant", "trainer", "mentor", "reflecting_team", "foundation", "admin"]


@pytest.mark.browser
@pytest.mark.parametrize("role", ROLES)
def test_each_role_signs_in_and_sees_its_dashboard(role, live_server, browser, make_user, screenshot):
    user = make_user(role, name=f"Erika {role}")
    browser_login(browser, live_server, user.email, PASSWORD)
    heading = browser.find_element(By.TAG_NAME, "h1").text
    assert heading == f"Guten Tag, Erika {role}"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
    screenshot(browser, "dashboard")
