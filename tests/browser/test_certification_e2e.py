"""In real headless Chromium: foundation staff see the checklist, issue, download the PDF,
open the public verification page, and certify a cohort in bulk with a progress bar."""

import time
from datetime import date

import pytest
from selenium.webdriver.common.by import By

from lotse_lms.accounts import verification
from lotse_lms.extensions import db

from ..conftest import PASSWORD
from .conftest import browser_login, wait_for

PDF = b"%PDF-1.4\n%%EOF\n"
BASIC = ["authorisation", "workshop"]


def verified_lotse(make_user, staff, name, workshop=True):
    """A participant whose records the foundation verified (through the accounts operations)."""
    user = make_user("participant", name=name)
    record, _stale = verification.submit_authorisation(
        user, "OM-2026-7", date(2026, 1, 5), "a.pdf", PDF
    )
    verification.verify(record, staff)
    if workshop:
        verification.verify(verification.submit_workshop(user, date(2026, 2, 3), "Bonn"), staff)
    db.session.commit()
    return user


def _wait_for_file(folder, suffix, timeout=15):
    """Wait until Chromium has finished a download into ``folder``."""
    end = time.time() + timeout
    while time.time() < end:
        done = [p for p in folder.iterdir() if p.name.endswith(suffix)]
        if done and not any(p.name.endswith(".crdownload") for p in folder.iterdir()):
            return done[0]
        time.sleep(0.2)
    raise AssertionError("download did not finish")


@pytest.mark.browser
@pytest.mark.config(CERT_RULES=BASIC)
def test_foundation_issues_downloads_and_verifies(
    live_server, browser, make_user, screenshot, tmp_path
):
    staff = make_user("foundation", name="Sabine Stiftung")
    lotse = verified_lotse(make_user, staff, "Lena Lotsin")
    verified_lotse(make_user, staff, "Otto Ohneworkshop", workshop=False)

    browser_login(browser, live_server, staff.email, PASSWORD)
    assert browser.find_element(By.ID, "panel-eligible").text == "1"
    browser.find_element(By.LINK_TEXT, "Zertifikate").click()
    screenshot(browser, "overview")
    browser.get(f"{live_server.url}/certificates/people/{lotse.id}")
    items = browser.find_elements(By.CSS_SELECTOR, "ol.checklist li")
    assert [i.get_attribute("data-rule") for i in items] == BASIC
    assert "seit" in items[0].text and "OM-2026-7" in items[0].text
    screenshot(browser, "checklist")
    browser.find_element(By.ID, "issue-certificate").click()
    wait_for(browser, lambda d: "ausgestellt" in d.find_element(By.CSS_SELECTOR, ".flashes").text)
    number = browser.find_element(By.TAG_NAME, "h1").text.rsplit(" ", 1)[1]
    assert browser.find_element(By.ID, "cert-status").text == "gültig"
    screenshot(browser, "certificate")

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    browser.find_element(By.ID, "download-pdf").click()
    pdf = _wait_for_file(downloads, ".pdf")
    assert pdf.name == f"Zertifikat-{number}.pdf" and pdf.read_bytes().startswith(b"%PDF-")
    from pypdf import PdfReader

    assert "Lena Lotsin" in PdfReader(pdf).pages[0].extract_text()

    browser.delete_all_cookies()  # the verification page needs no account
    browser.get(f"{live_server.url}/verify/{number}")
    assert browser.find_element(By.ID, "verify-result").get_attribute("data-state") == "valid"
    assert browser.find_element(By.ID, "verify-name").text == "Lena Lotsin"
    screenshot(browser, "verify-valid")
    browser.get(f"{live_server.url}/verify")
    browser.find_element(By.ID, "number").send_keys("OML-AAAA-BBBB-CCCC-DDDD")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "verify-result"))
    assert browser.find_element(By.ID, "verify-result").get_attribute("data-state") == "unknown"
    screenshot(browser, "verify-unknown")


@pytest.mark.browser
@pytest.mark.config(CERT_RULES=BASIC, CERT_BULK_CHUNK=2)
def test_bulk_issuing_shows_progress_until_done(live_server, browser, make_user, screenshot):
    staff = make_user("foundation", name="Sabine Stiftung")
    for i in range(5):
        verified_lotse(make_user, staff, f"Lotsin {i}")
    browser_login(browser, live_server, staff.email, PASSWORD)
    browser.get(live_server.url + "/certificates/")
    browser.find_element(By.ID, "start-bulk").click()
    wait_for(
        browser,
        lambda d: not d.find_element(By.ID, "bulk-done").get_attribute("hidden"),
        timeout=30,
    )
    bar = browser.find_element(By.ID, "bulk-progress")
    assert bar.get_attribute("value") == "5" and bar.get_attribute("max") == "5"
    assert (
        "5 von 5 bearbeitet: 5 ausgestellt, 0 abgelehnt."
        in browser.find_element(By.ID, "bulk-summary").text
    )
    screenshot(browser, "bulk-done")
    browser.get(live_server.url + "/")
    assert browser.find_element(By.ID, "panel-issued").text == "5"
