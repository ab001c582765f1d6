"""In real headless Chromium: the Lotse writes a meeting's protocol; a firm contact sees the
room's next meeting on the dashboard and the room page, approves the protocol and comments."""

import pytest
from selenium.webdriver.common.by import By

from lotse_lms.extensions import db
from lotse_lms.rooms import meetings

from ..conftest import PASSWORD
from ..rooms.conftest import (  # noqa: F401 - the fixtures of a room and its certified Lotse
    certified,
    lotse,
    qualification,
    room,
    staff,
)
from ..rooms.meeting_helpers import add_firm, berlin_day, meeting_fields
from .conftest import browser_login, sign_out, wait_for


def _button(browser, text):
    """The button with this visible text."""
    return browser.find_element(By.XPATH, f"//button[normalize-space()='{text}']")


@pytest.mark.browser
def test_a_firm_contact_sees_the_next_meeting_and_approves_the_protocol(
    app,
    live_server,
    browser,
    make_user,
    room,  # noqa: F811
    lotse,  # noqa: F811
    screenshot,
):
    firm = add_firm(room, make_user, "Frieda Becker", "Tischlerei Becker")
    past = meetings.schedule_meeting(
        room,
        lotse,
        **meeting_fields(title="Auftakt", starts_at=berlin_day(-7, 17), ends_at=berlin_day(-7, 19)),
    )
    upcoming = meetings.schedule_meeting(room, lotse, **meeting_fields(title="Zweites Treffen"))
    db.session.commit()

    browser_login(browser, live_server, lotse.email, PASSWORD)
    browser.get(f"{live_server.url}/raeume/{room.id}/treffen/{past.id}")
    browser.find_element(By.LINK_TEXT, "Protokoll schreiben").click()
    browser.find_element(By.ID, "protocol").send_keys(
        "## Ergebnisse\n\n- Reparaturaufträge werden **digital** erfasst"
    )
    _button(browser, "Protokoll speichern").click()
    wait_for(browser, lambda d: "Das Protokoll ist gespeichert." in d.page_source)
    sign_out(browser)

    browser_login(browser, live_server, firm.email, PASSWORD)
    panel = browser.find_element(By.ID, "room-meetings-title").find_element(By.XPATH, "..")
    assert "Zweites Treffen" in panel.text and "Auftakt" not in panel.text
    panel.find_element(By.PARTIAL_LINK_TEXT, "Zweites Treffen").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".meeting-agenda li"))
    items = [li.text for li in browser.find_elements(By.CSS_SELECTOR, ".meeting-agenda li")]
    assert items == ["Begrüßung", "Bericht aus den Betrieben", "Nächste Schritte"]
    browser.find_element(By.LINK_TEXT, room.title).click()
    next_meeting = browser.find_element(By.CSS_SELECTOR, ".next-meeting")
    assert "Nächstes Treffen:" in next_meeting.text and upcoming.title in next_meeting.text
    screenshot(browser, "room-page")

    browser.find_element(By.LINK_TEXT, "Auftakt").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".protocol-body strong"))
    assert "Freigabe ausstehend: Frieda Becker" in browser.page_source
    _button(browser, "Protokoll freigeben").click()
    wait_for(browser, lambda d: "Sie haben das Protokoll freigegeben." in d.page_source)
    approvals = browser.find_element(By.CSS_SELECTOR, ".approvals").text
    assert "Freigegeben von Frieda Becker" in approvals
    assert not browser.find_elements(By.XPATH, "//button[normalize-space()='Protokoll freigeben']")
    browser.find_element(By.ID, "body").send_keys("Danke, gut zusammengefasst!")
    _button(browser, "Kommentieren").click()
    wait_for(browser, lambda d: "Danke, gut zusammengefasst!" in d.page_source)
    screenshot(browser, "approved")
    db.session.expire_all()
    assert [a.user_id for a in meetings.current_approvals(past)] == [firm.id]
