"""In real headless Chromium: each role signs in and reaches its dashboard."""

import pytest
from selenium.webdriver.common.by import By

from ..conftest import PASSWORD
from .conftest import browser_login, sign_out, wait_for

ROLES = ["participant", "trainer", "mentor", "reflecting_team", "foundation", "admin"]


@pytest.mark.browser
@pytest.mark.parametrize("role", ROLES)
def test_each_role_signs_in_and_sees_its_dashboard(
    role, live_server, browser, make_user, screenshot
):
    user = make_user(role, name=f"Erika {role}")
    browser_login(browser, live_server, user.email, PASSWORD)
    heading = browser.find_element(By.TAG_NAME, "h1").text
    assert heading == f"Guten Tag, Erika {role}"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
    screenshot(browser, "dashboard")


@pytest.mark.browser
def test_participant_submits_records_and_foundation_verifies_them(
    live_server, browser, make_user, screenshot, tmp_path
):
    """Click through: profile records with an upload, the queue, verify and reject, in German."""
    lotse = make_user("participant", name="Lena Lotsin")
    staff = make_user("foundation", name="Sabine Stiftung")
    proof = tmp_path / "autorisierung.pdf"
    proof.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")

    browser_login(browser, live_server, lotse.email, PASSWORD)
    browser.find_element(By.LINK_TEXT, "Autorisierung als OM-Beraterin / OM-Berater").click()
    browser.find_element(By.ID, "number").send_keys("OM-2026-0042")
    browser.execute_script("document.getElementById('issued_on').value = '2026-01-15'")
    browser.find_element(By.ID, "proof").send_keys(str(proof))
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(
        browser, lambda d: "/profile" in d.current_url and "authorisation" not in d.current_url
    )
    wait_for(browser, lambda d: "wird von der Stiftung geprüft" in d.page_source)
    assert "wird von der Stiftung geprüft" in browser.page_source
    browser.get(live_server.url + "/profile/workshop")
    browser.execute_script("document.getElementById('attended_on').value = '2026-02-03'")
    browser.find_element(By.ID, "place").send_keys("Bonn")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(browser, lambda d: d.current_url.endswith("/profile"))
    screenshot(browser, "profile-submitted")
    sign_out(browser)

    browser_login(browser, live_server, staff.email, PASSWORD)
    assert "Prüfwarteschlange" in browser.page_source and "Lena Lotsin" in browser.page_source
    screenshot(browser, "foundation-dashboard")
    browser.find_elements(By.LINK_TEXT, "Prüfen")[0].click()
    browser.find_element(By.XPATH, "//button[normalize-space()='Nachweis bestätigen']").click()
    wait_for(browser, lambda d: "ist bestätigt" in d.page_source)
    browser.find_elements(By.LINK_TEXT, "Prüfen")[0].click()
    browser.find_element(By.XPATH, "//button[normalize-space()='Nachweis ablehnen']").click()
    wait_for(
        browser, lambda d: "Bitte füllen Sie dieses Feld aus." in d.page_source
    )  # reason required
    browser.find_element(By.ID, "reason").send_keys("Bitte den Ort genauer angeben.")
    browser.find_element(By.XPATH, "//button[normalize-space()='Nachweis ablehnen']").click()
    wait_for(browser, lambda d: "ist abgelehnt" in d.page_source)
    screenshot(browser, "queue-empty")
    sign_out(browser)

    browser.set_window_size(390, 844)  # a phone
    try:
        browser_login(browser, live_server, lotse.email, PASSWORD)
        page = browser.page_source
        assert "Autorisierung Nr. OM-2026-0042, bestätigt am" in page
        assert "Bitte den Ort genauer angeben." in page
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390, "the dashboard must not scroll sideways on a phone"
        screenshot(browser, "participant-phone")
    finally:
        browser.set_window_size(1280, 900)
