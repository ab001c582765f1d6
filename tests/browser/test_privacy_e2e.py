"""In Chromium: a visitor registers (weak password refused with every reason, consent asked),
confirms the address by the mailed link, signs in, downloads their data and asks for erasure."""

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from lotse_lms.core import jobs
from lotse_lms.core.models import OutboxMail
from lotse_lms.extensions import db

from ..conftest import PASSWORD
from .conftest import wait_for

pytestmark = pytest.mark.browser

EMAIL = "nora.neu@example.org"
GOOD = "kompass-nordsee-2026"


def _text(driver):
    """The visible text of the page."""
    return driver.find_element(By.TAG_NAME, "body").text


def _fill_registration(driver, password, consent):
    """Fill the registration form (the name and address stay from a refused try)."""
    for field, value in (("name", "Nora Neu"), ("email", EMAIL)):
        element = driver.find_element(By.ID, field)
        element.clear()
        element.send_keys(value)
    Select(driver.find_element(By.ID, "region")).select_by_visible_text("Saarland")
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "confirm").send_keys(password)
    if consent:
        driver.find_element(By.ID, "privacy").click()
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()


def _sign_in(driver, url):
    """Submit the sign-in form."""
    driver.get(url + "/login")
    driver.find_element(By.ID, "email").send_keys(EMAIL)
    driver.find_element(By.ID, "password").send_keys(GOOD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()


def test_double_opt_in_export_and_erasure_request(app, browser, live_server, screenshot):
    url = live_server.url
    browser.get(url + "/register")
    footer = browser.find_element(By.CSS_SELECTOR, "footer").text
    assert "Impressum" in footer and "Datenschutz" in footer

    _fill_registration(browser, "1111111111", consent=False)
    wait_for(browser, lambda d: "zu leicht zu erraten" in _text(d), "no password refusal")
    page = _text(browser)
    assert "Wiederholungen" in page and "Bitte stimmen Sie der Datenschutzerklärung zu." in page
    assert browser.find_element(By.ID, "email").get_attribute("value") == EMAIL
    screenshot(browser, "refused")

    _fill_registration(browser, GOOD, consent=True)
    wait_for(browser, lambda d: "/login" in d.current_url, "registration did not finish")
    assert "Bitte bestätigen Sie Ihre Adresse" in _text(browser)
    _sign_in(browser, url)
    wait_for(browser, lambda d: "Bitte bestätigen Sie zuerst" in _text(d), "signed in unconfirmed")

    db.session.expire_all()
    mail = db.session.scalars(db.select(OutboxMail).where(OutboxMail.recipient == EMAIL)).one()
    link = re.search(r"(http://\S+/register/confirm/\S+)", mail.body).group(1)
    db.session.commit()
    browser.get(link)
    wait_for(browser, lambda d: "ist bestätigt" in _text(d), "address not confirmed")
    _sign_in(browser, url)
    wait_for(browser, lambda d: "/login" not in d.current_url, "sign-in failed")

    browser.get(url + "/meine-daten")
    browser.find_element(By.ID, "start-export").click()
    wait_for(browser, lambda d: "/jobs/" in d.current_url, "no job page")
    assert jobs.run_pending(app) >= 1  # the export (and mail the requests queued)
    result = wait_for(
        browser,
        lambda d: d.find_element(By.LINK_TEXT, "Zum Ergebnis"),
        "the job page did not show the result",
    )
    assert "/meine-daten/export/" in result.get_attribute("href")
    screenshot(browser, "export-done")

    browser.get(url + "/meine-daten")
    assert "Herunterladen" in browser.find_element(By.ID, "exports").text
    browser.find_element(By.ID, "request-erasure").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "erasure-state"), "no erasure state")
    assert "Löschantrag ist eingegangen" in _text(browser)
    screenshot(browser, "erasure-requested")


def test_staff_confirm_an_erasure_on_a_page_that_states_the_consequences(
    browser, live_server, make_user, screenshot
):
    person = make_user("participant", name="Nora Neu", email=EMAIL)
    staff = make_user("foundation", name="Sabine Stiftung", password=PASSWORD)
    browser.get(live_server.url + "/login")
    browser.find_element(By.ID, "email").send_keys(staff.email)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(browser, lambda d: "/login" not in d.current_url, "sign-in failed")
    browser.get(f"{live_server.url}/users/{person.id}")
    browser.find_element(By.CSS_SELECTOR, "#privacy-actions a.button").click()
    consequences = wait_for(browser, lambda d: d.find_element(By.ID, "erasure-consequences"))
    assert "Ausgestellte Zertifikate bleiben" in consequences.text
    browser.find_element(By.ID, "confirm-erasure").click()
    wait_for(browser, lambda d: "Bitte bestätigen Sie die Löschung." in _text(d), "no refusal")
    screenshot(browser, "confirm-page")
    browser.find_element(By.ID, "confirm").click()
    browser.find_element(By.ID, "confirm-erasure").click()
    wait_for(browser, lambda d: "Die Daten wurden gelöscht" in _text(d), "not erased")
    db.session.expire_all()
    assert db.session.get(type(person), person.id).name == "Gelöschte Person"
