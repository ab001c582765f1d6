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
    live_server, browser, make_user, screenshot, tmp_path, worker
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
    assert "erhält eine E-Mail" in browser.find_element(By.ID, "consequence").text
    browser.find_element(By.ID, "confirm-issue").click()
    wait_for(browser, lambda d: "ausgestellt" in d.find_element(By.CSS_SELECTOR, ".flashes").text)
    number = browser.find_element(By.TAG_NAME, "h1").text.rsplit(" ", 1)[1]
    assert browser.find_element(By.ID, "cert-status").text == "gültig"
    # The worker renders the PDF; the page refreshes itself until the download is there.
    wait_for(browser, lambda d: d.find_elements(By.ID, "download-pdf"), timeout=30)
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


def _states(browser, selector, key_attribute):
    """{step: state} of the elements matching ``selector``."""
    return {
        el.get_attribute(key_attribute): el.get_attribute("data-state")
        for el in browser.find_elements(By.CSS_SELECTOR, selector)
    }


@pytest.mark.browser
@pytest.mark.config(CERT_RULES=BASIC, CERT_BULK_CHUNK=2)
def test_bulk_issue_after_confirming_the_list_then_revoke_with_confirmation(
    live_server, browser, make_user, screenshot, worker
):
    staff = make_user("foundation", name="Sabine Stiftung")
    cohort = [verified_lotse(make_user, staff, f"Lotsin {i}") for i in range(5)]
    verified_lotse(make_user, staff, "Otto Ohneworkshop", workshop=False)
    browser_login(browser, live_server, staff.email, PASSWORD)
    # The overview filtered to "eligible, no certificate" lists exactly the five.
    browser.get(live_server.url + "/certificates/")
    select = browser.find_element(By.ID, "filter")
    select.find_element(By.CSS_SELECTOR, "option[value='certificate:pending']").click()
    browser.find_element(By.CSS_SELECTOR, "#overview-filter button[type=submit]").click()
    wait_for(browser, lambda d: "filter=certificate" in d.current_url)
    rows = browser.find_elements(By.CSS_SELECTOR, "#overview-table tbody tr[data-user]")
    assert sorted(r.get_attribute("data-user") for r in rows) == sorted(str(u.id) for u in cohort)
    assert "5 Personen" in browser.find_element(By.ID, "overview-count").text
    screenshot(browser, "overview-eligible")
    # Bulk issuing shows the list first; nothing is issued before the confirmation.
    browser.find_element(By.ID, "start-bulk").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "bulk-list"), "no list to confirm")
    listed = browser.find_elements(By.CSS_SELECTOR, "#bulk-list tbody tr")
    assert sorted(r.find_element(By.TAG_NAME, "td").text for r in listed) == [
        f"Lotsin {i}" for i in range(5)
    ]
    assert "Otto" not in browser.find_element(By.ID, "bulk-list").text
    screenshot(browser, "bulk-list")
    # The box "Ich habe die Liste geprüft" must be ticked: the browser refuses to send without.
    assert browser.find_element(By.ID, "checked").get_attribute("required") is not None
    browser.find_element(By.ID, "confirm-bulk").click()
    assert browser.find_elements(By.ID, "bulk-draft")
    browser.find_element(By.ID, "checked").click()
    browser.find_element(By.ID, "confirm-bulk").click()
    # The worker issues; the job's page refreshes itself until it is done.
    wait_for(browser, lambda d: "/jobs/" in d.current_url)
    wait_for(
        browser,
        lambda d: d.find_element(By.ID, "job-state").get_attribute("data-state") == "done",
        timeout=30,
    )
    bar = browser.find_element(By.ID, "job-progress")
    assert bar.get_attribute("value") == "5" and bar.get_attribute("max") == "5"
    assert "5 ausgestellt, 0 übersprungen" in browser.find_element(By.ID, "bulk-summary").text
    screenshot(browser, "bulk-done")
    browser.get(live_server.url + "/")
    assert browser.find_element(By.ID, "panel-issued").text == "5"
    assert browser.find_element(By.ID, "panel-eligible").text == "0"
    # Revoke one, through the page that states the consequence.
    erika = cohort[0]
    browser.get(f"{live_server.url}/certificates/people/{erika.id}")
    browser.find_element(By.CSS_SELECTOR, "table a[href*='/certificates/OML-']").click()
    browser.find_element(By.ID, "revoke").click()
    assert "wieder zulässt" in browser.find_element(By.ID, "consequence").text
    browser.find_element(By.ID, "reason").send_keys("Irrtümlich ausgestellt")
    browser.find_element(By.ID, "confirm-revoke").click()
    wait_for(browser, lambda d: d.find_element(By.ID, "cert-status").text == "widerrufen")
    screenshot(browser, "revoked")
    # She is not eligible again: the overview's "eligible" filter is empty, her checklist says so.
    browser.get(live_server.url + "/certificates/?filter=certificate:pending")
    assert "0 Personen" in browser.find_element(By.ID, "overview-count").text
    browser.get(f"{live_server.url}/certificates/people/{erika.id}")
    assert "Wiederzulassung" in browser.find_element(By.ID, "certificate-state").text
    assert not browser.find_elements(By.ID, "issue-certificate")
    checklist = _states(browser, "ol.checklist li", "data-rule")
    # The participant's dashboard and her checklist agree, step by step.
    browser.delete_all_cookies()
    browser_login(browser, live_server, erika.email, PASSWORD)
    steps = {
        li.get_attribute("data-step"): li.find_element(By.CSS_SELECTOR, ".badge").get_attribute(
            "data-state"
        )
        for li in browser.find_elements(By.CSS_SELECTOR, "ol.steps li[data-step]")
    }
    assert (
        {k: steps[k] for k in checklist}
        == checklist
        == {"authorisation": "done", "workshop": "done"}
    )
    assert steps["certificate"] == "rejected"
    assert (
        "Wiederzulassung"
        in browser.find_element(By.CSS_SELECTOR, "li[data-step='certificate']").text
    )
    browser.get(live_server.url + "/certificates/mine")
    assert _states(browser, "ol.checklist li", "data-rule") == checklist
    screenshot(browser, "participant-dashboard")
