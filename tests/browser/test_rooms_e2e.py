"""In real headless Chromium: a visitor on a phone finds a room in the public directory,
registers interest, confirms by the mailed link, and the Lotse accepts the firm."""

import pytest
import sqlalchemy as sa
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from lotse_lms.extensions import db
from lotse_lms.rooms import operations
from lotse_lms.rooms.models import JoinRequest, RoomMember

from ..conftest import PASSWORD
from ..rooms.conftest import (  # noqa: F401 - fixtures used by the test
    certified,
    link_in,
    lotse,
    mails_to,
    qualification,
    room_data,
    staff,
)
from .conftest import browser_login, wait_for


def _no_sideways_scroll(browser, what):
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390, f"{what} scrolls sideways on a phone ({width} px)"


@pytest.mark.browser
@pytest.mark.config(ROOMS_INTEREST_MIN_SECONDS=0)
def test_a_visitor_registers_interest_confirms_and_the_lotse_accepts(
    app,
    live_server,
    browser,
    lotse,  # noqa: F811
    screenshot,
):
    room = operations.create_room(
        room_data(title="Digitale Werkstatt Rhein-Ruhr", topics=["medienkompetenz"]), lotse, lotse
    )
    operations.change_phase(room, "open", lotse)
    elsewhere = operations.create_room(
        room_data(title="Handel in Bayern", bundesland="BY", postcode_area="8"), lotse, lotse
    )
    operations.change_phase(elsewhere, "open", lotse)
    db.session.commit()

    browser.set_window_size(390, 844)  # a phone
    try:
        browser.get(live_server.url + "/raeume/verzeichnis")
        assert "Handel in Bayern" in browser.page_source
        Select(browser.find_element(By.ID, "f-land")).select_by_visible_text("Nordrhein-Westfalen")
        browser.find_element(By.ID, "f-plz").send_keys("44137")
        browser.find_element(By.XPATH, "//button[normalize-space()='Filtern']").click()
        wait_for(browser, lambda d: "land=NW" in d.current_url)
        assert "Handel in Bayern" not in browser.page_source
        _no_sideways_scroll(browser, "the directory")
        screenshot(browser, "directory-phone")
        browser.find_element(By.LINK_TEXT, "Digitale Werkstatt Rhein-Ruhr").click()
        wait_for(browser, lambda d: d.find_elements(By.ID, "interesse"))
        _no_sideways_scroll(browser, "the room's public page")
        browser.find_element(By.ID, "name").send_keys("Frieda Firma")
        browser.find_element(By.ID, "firm").send_keys("Tischlerei Holz GmbH")
        browser.find_element(By.ID, "email").send_keys("frieda@tischlerei.example")
        browser.find_element(By.ID, "message").send_keys("Wir sind 12 Leute und neugierig.")
        assert not browser.find_element(By.ID, "website").is_displayed()  # the honeypot
        screenshot(browser, "interest-phone")
        browser.find_element(By.XPATH, "//button[normalize-space()='Interesse melden']").click()
        wait_for(browser, lambda d: d.find_elements(By.ID, "interest-sent"))
        assert mails_to(lotse.email, "Interessensbekundung") == []  # not before confirmation

        (confirmation,) = mails_to("frieda@tischlerei.example", "bestätigen")
        browser.get(live_server.url + link_in(confirmation.body, "/raeume/interesse/"))
        browser.find_element(By.XPATH, "//button[normalize-space()='Anfrage bestätigen']").click()
        wait_for(browser, lambda d: d.find_elements(By.ID, "interest-confirmed"))
        screenshot(browser, "confirmed-phone")
    finally:
        browser.set_window_size(1280, 900)
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    (notice,) = mails_to(lotse.email, "Interessensbekundung")
    assert "Frieda Firma" in notice.body

    browser_login(browser, live_server, lotse.email, PASSWORD)
    browser.find_element(By.LINK_TEXT, "Experimentierräume").click()
    browser.find_element(By.LINK_TEXT, "Digitale Werkstatt Rhein-Ruhr").click()
    browser.find_element(By.PARTIAL_LINK_TEXT, "Interessensbekundungen").click()
    wait_for(browser, lambda d: "Tischlerei Holz GmbH" in d.page_source)
    browser.find_element(By.LINK_TEXT, "Annehmen").click()
    assert browser.find_element(By.ID, "name").get_attribute("value") == "Tischlerei Holz GmbH"
    browser.find_element(By.ID, "staff_count").send_keys("12")
    browser.find_element(By.ID, "postcode").send_keys("44137")
    browser.find_element(By.XPATH, "//button[normalize-space()='Annehmen und einladen']").click()
    wait_for(browser, lambda d: "Angenommen: Frieda Firma ist eingeladen." in d.page_source)
    screenshot(browser, "accepted")

    db.session.expire_all()
    member = db.session.scalar(sa.select(RoomMember).where(RoomMember.role == "firm_contact"))
    assert member.room_id == room.id and member.organisation.staff_count == 12
    assert db.session.scalar(sa.select(JoinRequest.state)) == "accepted"
    invitation = mails_to("frieda@tischlerei.example", "Einladung")[0]
    assert "/invitation/" in invitation.body
