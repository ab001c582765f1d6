"""In real headless Chromium: a room page with every section filled fits a phone (390 px) and
a desktop (1280 px) without sideways scrolling; screenshots go to tests/artifacts."""

from datetime import timedelta

import pytest
from selenium.webdriver.common.by import By

from lotse_lms.core.timeutil import utcnow
from lotse_lms.extensions import db
from lotse_lms.rooms import files, meetings, operations, work, work_cards, work_experiments

from ..conftest import PASSWORD
from ..rooms.conftest import mentor, staff, trainee, work_room  # noqa: F401 - the room fixtures
from ..rooms.meeting_helpers import meeting_fields
from ..rooms.test_meeting_access import PDF
from ..rooms.test_work_cards import CARD
from .conftest import browser_login, wait_for

SECTIONS = ("meetings", "topics", "actions", "experiments", "cards", "files")


def _fill(parts):
    """Every section of the room gets content, some of it long."""
    room, lead, anna, bernd = (parts[k] for k in ("room", "lead", "anna", "bernd"))
    for phase in ("open", "running"):
        operations.change_phase(room, phase, lead)
    past = meetings.schedule_meeting(room, lead, **meeting_fields(title="Auftakt der Betriebe"))
    past.starts_at = utcnow() - timedelta(days=7)
    past.ends_at = past.starts_at + timedelta(hours=2)
    meetings.save_protocol(past, lead, "Wir haben die Abläufe bei Reparaturaufträgen verglichen.")
    meetings.schedule_meeting(
        room, lead, **meeting_fields(title="Zweites Treffen mit einem recht langen Titel dazu")
    )
    work.propose_topic(room, anna, "Datenschutz und Datensicherheit im Handwerksbetrieb")
    work.propose_topic(room, bernd, "Ein Kollaborationstool für die gemeinsame Baustelle")
    work.create_action(
        room, lead, "Angebote für Tablet-Formulare einholen und vergleichen", anna.id, work.today()
    )
    work_experiments.save_experiment(
        room,
        lead,
        question="Spart ein digitales Auftragsformular Rückfragen?",
        tried="Tablet-Formular in der Werkstatt, vier Wochen lang",
        organisation_id=parts["firm_a"].id,
        result="Deutlich weniger Rückfragen",
        decision="continue",
        decided_on=work.today(),
    )
    work_cards.save_card(room, lead, organisation_ids=[parts["firm_a"].id], **CARD)
    files.upload_file(room, anna, "Protokoll-Anhang-mit-einem-sehr-langen-Dateinamen-2026.pdf", PDF)
    db.session.commit()
    return room


@pytest.mark.browser
def test_the_room_page_fits_phone_and_desktop(live_server, browser, work_room, screenshot):  # noqa: F811
    room = _fill(work_room)
    for who, name in ((work_room["lead"], "lotse"), (work_room["anna"], "firm")):
        browser.set_window_size(1280, 900)
        browser_login(browser, live_server, who.email, PASSWORD)
        try:
            for width in (390, 1280):
                browser.set_window_size(width, 900)
                browser.get(f"{live_server.url}/raeume/{room.id}")
                wait_for(browser, lambda d: d.find_elements(By.ID, "section-meetings"))
                for key in SECTIONS + (("firm",) if name == "firm" else ()):
                    assert browser.find_elements(By.ID, f"section-{key}"), key
                scroll = browser.execute_script("return document.documentElement.scrollWidth")
                inner = browser.execute_script("return window.innerWidth")
                assert scroll <= inner, f"room page scrolls sideways at {width} px ({scroll} px)"
                # the whole page in one picture
                height = browser.execute_script("return document.documentElement.scrollHeight")
                browser.set_window_size(width, min(height + 150, 6000))
                browser.execute_script("window.scrollTo(0, 0)")
                screenshot(browser, f"{name}-{width}")
        finally:
            browser.set_window_size(1280, 900)
            browser.delete_all_cookies()
