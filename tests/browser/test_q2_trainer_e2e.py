"""In real headless Chromium: the trainer's session form shows four errors at once and keeps
what was typed; attendance per date with one bad value loses nothing and saves nothing."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from lotse_lms.core.timeutil import BERLIN, utcnow
from lotse_lms.extensions import db
from lotse_lms.modules.q2 import operations, registrations
from lotse_lms.modules.q2.models import DateAttendance, LiveSession, SessionRegistration

from ..conftest import PASSWORD
from ..q2.conftest import berlin, move_to_past, session_data
from .conftest import browser_login, wait_for


def _set(driver, element_id, value):
    """Fill a date/time input regardless of the browser's locale-specific typing format."""
    field = driver.find_element(By.ID, element_id)
    driver.execute_script("arguments[0].value = arguments[1];", field, value)


def _day(days):
    """ISO date ``days`` from today in Berlin."""
    return (utcnow().astimezone(BERLIN) + timedelta(days=days)).date().isoformat()


def _errors(driver):
    """Texts of the error messages shown next to fields."""
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, "main .error") if e.text]


@pytest.mark.browser
def test_session_form_shows_four_errors_at_once(live_server, browser, make_user, screenshot):
    trainer = make_user("trainer", name="Tobias Trainer", password=PASSWORD)
    browser_login(browser, live_server, trainer.email, PASSWORD)
    browser.get(live_server.url + "/q2/manage/new")
    browser.find_element(By.ID, "title").send_keys("Moderation im Experimentierraum")
    Select(browser.find_element(By.ID, "topic")).select_by_value("moderating")
    Select(browser.find_element(By.ID, "format")).select_by_value("virtual")
    browser.find_element(By.ID, "meeting_url").send_keys("javascript:alert(1)")
    browser.find_element(By.ID, "capacity").send_keys("12")
    rows = lambda d: d.find_elements(By.CSS_SELECTOR, ".q2-date-row")  # noqa: E731
    assert len(rows(browser)) == 4
    browser.find_element(By.ID, "add-date").click()  # the script adds a row in place
    wait_for(browser, lambda d: len(rows(d)) == 5, "no fifth date row")
    assert browser.current_url.endswith("/q2/manage/new")
    _set(browser, "dates-0-day", _day(20))
    _set(browser, "dates-0-start", "12:00")
    _set(browser, "dates-0-end", "09:00")  # ends before it starts
    _set(browser, "dates-4-day", "2020-03-02")  # in the past, in the added row
    _set(browser, "dates-4-start", "09:00")
    _set(browser, "dates-4-end", "10:00")
    _set(browser, "dates-1-day", _day(21))
    _set(browser, "dates-1-start", "09:00")
    _set(browser, "dates-1-end", "12:00")
    _set(browser, "enrol_deadline", f"{_day(40)}T10:00")  # after the session
    browser.find_element(By.XPATH, "//button[normalize-space()='Speichern']").click()
    wait_for(browser, lambda d: _errors(d), "no errors shown")
    text = " ".join(_errors(browser))
    for message in (
        "Bitte geben Sie einen gültigen Link beginnend mit https:// an.",
        "muss nach dem Beginn",
        "Der Termin am Mo. 02.03.2020 09:00 liegt in der Vergangenheit.",
        "Die Anmeldefrist muss vor dem ersten Termin enden.",
    ):
        assert message in text, message
    link = browser.find_element(By.ID, "meeting_url")
    assert link.get_attribute("value") == "javascript:alert(1)"
    assert link.get_attribute("aria-invalid") == "true"
    assert browser.find_element(By.ID, "enrol_deadline").get_attribute("aria-invalid") == "true"
    assert browser.find_element(By.ID, "dates-4-day").get_attribute("value") == "2020-03-02"
    assert browser.find_element(By.ID, "title").get_attribute("value").startswith("Moderation")
    # the summary names three fields (link, dates with two messages, deadline); nothing else
    assert len(browser.find_elements(By.CSS_SELECTOR, ".form-errors li")) == 3
    assert len(browser.find_elements(By.CSS_SELECTOR, "#dates-error li")) == 2
    screenshot(browser, "four-errors")
    dates = browser.find_element(By.ID, "dates")
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'});", dates)
    screenshot(browser, "four-errors-dates")
    assert db.session.scalar(sa.select(sa.func.count(LiveSession.id))) == 0


@pytest.mark.browser
def test_attendance_per_date_with_one_bad_value_loses_nothing(
    live_server, browser, make_user, screenshot
):
    trainer = make_user("trainer", name="Tobias Trainer", password=PASSWORD)
    session = operations.create_session(
        trainer,
        session_data(
            trainer,
            capacity=4,
            dates=[(berlin(14, 9), berlin(14, 12)), (berlin(15, 9), berlin(15, 11))],
        ),
    )
    names = ("Lena Lotsin", "Ben Berger", "Cem Celik", "Dora Dietz")
    regs = [registrations.enrol(make_user("participant", name=n), session.id) for n in names]
    db.session.commit()
    move_to_past(session)
    first, second = session.dates
    browser_login(browser, live_server, trainer.email, PASSWORD)
    browser.get(f"{live_server.url}/q2/manage/{session.id}")
    for reg in regs:
        for date in (first, second):
            Select(browser.find_element(By.ID, f"status-{reg.id}-{date.id}")).select_by_value(
                "present"
            )
    browser.find_element(By.ID, f"hours-{regs[0].id}-{first.id}").send_keys("abc")
    browser.find_element(By.ID, f"hours-{regs[1].id}-{first.id}").send_keys("2,5")
    Select(browser.find_element(By.ID, f"status-{regs[3].id}-{second.id}")).select_by_value(
        "excused"
    )
    browser.find_element(By.XPATH, "//button[normalize-space()='Anwesenheit speichern']").click()
    wait_for(browser, lambda d: _errors(d), "no error shown")
    assert _errors(browser) == ["Die Stunden von Lena Lotsin sind keine Zahl."]
    bad = browser.find_element(By.ID, f"hours-{regs[0].id}-{first.id}")
    assert bad.get_attribute("value") == "abc" and bad.get_attribute("aria-invalid") == "true"
    assert browser.find_element(By.ID, f"hours-{regs[1].id}-{first.id}").get_attribute("value") == (
        "2,5"
    )
    for reg in regs:
        for date in (first, second):
            chosen = Select(browser.find_element(By.ID, f"status-{reg.id}-{date.id}"))
            expected = "excused" if (reg, date) == (regs[3], second) else "present"
            assert chosen.first_selected_option.get_attribute("value") == expected
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", bad)
    screenshot(browser, "bad-value-kept")
    assert db.session.scalar(sa.select(sa.func.count(DateAttendance.id))) == 0

    bad.clear()
    bad.send_keys("3")
    browser.find_element(By.XPATH, "//button[normalize-space()='Anwesenheit speichern']").click()
    wait_for(
        browser,
        lambda d: "8 Änderungen gespeichert." in d.find_element(By.TAG_NAME, "main").text,
        "not saved",
    )
    screenshot(browser, "saved")
    db.session.expire_all()
    totals = {
        r.user.name: r.attended_minutes for r in db.session.scalars(sa.select(SessionRegistration))
    }
    assert totals == {"Lena Lotsin": 300, "Ben Berger": 270, "Cem Celik": 300, "Dora Dietz": 180}
