"""In real headless Chromium, on a phone: the foundation's "Prüfen" card leads to the review
page, which shows the PDF proof's first page inline, the same number on another person's
record, and the reason of the earlier rejection; nothing scrolls sideways."""

from datetime import date

import pytest
from selenium.webdriver.common.by import By

from lotse_lms.accounts import verification
from lotse_lms.extensions import db

from ..accounts.test_review_records import png_bytes, two_page_pdf
from ..conftest import PASSWORD
from .conftest import browser_login, wait_for


@pytest.mark.browser
def test_review_on_a_phone_previews_the_proof_and_warns(
    live_server, browser, make_user, screenshot
):
    staff = make_user("foundation", name="Sabine Stiftung")
    other = make_user("participant", name="Otto Vorher")
    record, _ = verification.submit_authorisation(
        other, "OM-2026-0042", date(2026, 1, 2), "foto.png", png_bytes()
    )
    verification.verify(record, staff)
    lena = make_user("participant", name="Lena Lotsin")
    first, _ = verification.submit_authorisation(
        lena, "OM 2026 0042", date(2026, 1, 15), "alt.pdf", two_page_pdf()
    )
    verification.reject(first, staff, "Der Nachweis ist nicht unterschrieben.")
    verification.submit_authorisation(
        lena, "OM-2026-0042", date(2026, 1, 15), "neu.pdf", two_page_pdf()
    )
    db.session.commit()

    browser.set_window_size(390, 844)
    try:
        browser_login(browser, live_server, staff.email, PASSWORD)
        card = browser.find_element(By.ID, "panel-queue")
        assert card.find_element(By.ID, "panel-queue-count").text == "1"
        button = card.find_element(By.LINK_TEXT, "Prüfen")
        box = button.rect
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, "Prüfen must be visible"
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
        screenshot(browser, "dashboard-phone")
        button.click()
        wait_for(browser, lambda d: d.find_elements(By.ID, "proof-preview"))
        image = browser.find_element(By.CSS_SELECTOR, "#proof-preview img")
        wait_for(
            browser,
            lambda d: d.execute_script(
                "return arguments[0].complete && arguments[0].naturalWidth", image
            ),
            "the preview did not load",
        )
        assert image.rect["width"] <= 390 and image.rect["height"] > 100
        assert "Seite 1 von 2 Seiten" in browser.find_element(By.ID, "proof-preview").text
        warning = browser.find_element(By.ID, "same-number").text
        assert "Otto Vorher" in warning and "bestätigt" in warning
        earlier = browser.find_element(By.ID, "earlier-rejection").text
        assert "Der Nachweis ist nicht unterschrieben." in earlier
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
        screenshot(browser, "review-phone")
        browser.execute_script("arguments[0].scrollIntoView()", image)
        screenshot(browser, "review-preview")
    finally:
        browser.set_window_size(1280, 900)
