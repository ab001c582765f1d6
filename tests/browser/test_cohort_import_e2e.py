"""In real headless Chromium: foundation staff import participants into a cohort, see the
bad row named in the preview, confirm, and follow the job to the cohort's members."""

import pytest
from selenium.webdriver.common.by import By

from lotse_lms.core import jobs

from ..cohorts.conftest import make_cohort  # noqa: F401 - the cohort factory fixture
from ..conftest import PASSWORD
from .conftest import browser_login, wait_for

CSV = (
    "E-Mail;Name;Organisation\n"
    "nora.neu@example.org;Nora Neu;Tischlerei Neu\n"
    "kaputt@;Kaputte Adresse;\n"
    "paul.plan@example.org;Paul Plan;\n"
)


@pytest.mark.browser
def test_import_with_a_bad_row_preview_confirm_and_job_progress(
    app,
    live_server,
    browser,
    make_user,
    make_cohort,  # noqa: F811
    screenshot,
    tmp_path,
):
    jobs.queue(app).flush()
    cohort = make_cohort(name="Frühjahr 2027")
    staff = make_user("foundation", name="Sabine Stiftung")
    upload = tmp_path / "teilnehmende.csv"
    upload.write_text(CSV, encoding="utf-8")

    browser_login(browser, live_server, staff.email, PASSWORD)
    browser.find_element(By.CSS_SELECTOR, ".nav-group summary").click()  # "Verwaltung"
    browser.find_element(By.LINK_TEXT, "Durchgänge").click()
    browser.find_element(By.LINK_TEXT, "Frühjahr 2027").click()
    browser.find_element(By.LINK_TEXT, "Teilnehmende aus CSV importieren").click()
    browser.find_element(By.ID, "file").send_keys(str(upload))
    browser.find_element(
        By.XPATH, "//button[normalize-space()='Prüfen und Vorschau zeigen']"
    ).click()
    wait_for(browser, lambda d: "Vorschau: Import" in d.page_source)
    refused = browser.find_element(By.CSS_SELECTOR, "table.import-refused tbody").text
    assert "kaputt@" in refused and "ist keine gültige E-Mail-Adresse" in refused
    taken = browser.find_element(By.CSS_SELECTOR, "table.import-taken tbody").text
    assert "Nora Neu" in taken and "Paul Plan" in taken
    screenshot(browser, "preview")

    browser.find_element(By.XPATH, "//button[normalize-space()='2 Personen importieren']").click()
    wait_for(browser, lambda d: "/jobs/" in d.current_url)
    assert browser.find_element(By.ID, "job-state").get_attribute("data-state") == "queued"
    screenshot(browser, "job-queued")
    jobs.run_pending(app)  # the worker
    wait_for(
        browser,
        lambda d: d.find_element(By.ID, "job-state").get_attribute("data-state") == "done",
        "the job page did not show the finished import",
    )
    assert browser.find_element(By.ID, "job-progress").get_attribute("value") == "2"
    screenshot(browser, "job-done")
    browser.find_element(By.LINK_TEXT, "Zum Ergebnis").click()
    wait_for(browser, lambda d: f"/cohorts/{cohort.id}" in d.current_url)
    members = browser.find_element(By.ID, "members-participant").text
    assert members == "Teilnehmende (2)"
    assert "Nora Neu" in browser.page_source and "Kaputte Adresse" not in browser.page_source
    screenshot(browser, "members")
    jobs.queue(app).flush()

    browser.set_window_size(390, 844)  # a phone
    try:
        for path in (f"/cohorts/{cohort.id}", "/cohorts/", f"/cohorts/{cohort.id}/import"):
            browser.get(live_server.url + path)
            width = browser.execute_script("return document.documentElement.scrollWidth")
            assert width <= 390, f"{path} scrolls sideways on a phone ({width} px)"
        screenshot(browser, "import-phone")
    finally:
        browser.set_window_size(1280, 900)
