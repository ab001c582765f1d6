"""In real headless Chromium: a reflecting-team session from set-up to the Lotse's portfolio PDF."""

import io
import urllib.request

import pypdf
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from ..conftest import PASSWORD
from .conftest import browser_login, pick_person, wait_for


def _as(browser, live_server, user):
    """Sign out (fresh cookies) and sign in as ``user``."""
    browser.delete_all_cookies()
    browser_login(browser, live_server, user.email, PASSWORD)


def _fill(browser, values):
    """Type into the fields with these ids."""
    for field_id, text in values.items():
        element = browser.find_element(By.ID, field_id)
        element.clear()
        element.send_keys(text)


def _submit(browser):
    """Press the form's submit button and wait for the next page."""
    old = browser.current_url
    browser.find_element(By.CSS_SELECTOR, "main form.card button[type=submit]").click()
    wait_for(browser, lambda d: d.current_url != old, "the form was not accepted")


def _click_link(browser, text):
    """Follow the link with this text."""
    browser.find_element(By.LINK_TEXT, text).click()


def _pdf_with_browser_cookies(browser, url):
    """Download ``url`` with the browser's session cookie and return the PDF's text."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    request = urllib.request.Request(url, headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - local test server
        assert response.headers["Content-Type"] == "application/pdf"
        data = response.read()
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.mark.browser
def test_session_from_setup_to_portfolio(live_server, browser, make_user, screenshot):
    trainer = make_user("trainer", name="Tina Trainerin")
    owner = make_user("participant", name="Olga Fallgeberin")
    members = [
        make_user("participant", name="Max Mitglied"),
        make_user("mentor", name="Mia Mentorin"),
        make_user("reflecting_team", name="Rolf Reflektor"),
    ]

    # The trainer sets up the session.
    _as(browser, live_server, trainer)
    browser.get(live_server.url + "/reflecting-team/sessions/new")
    browser.execute_script(
        "arguments[0].value = '2026-11-20'", browser.find_element(By.ID, "held_on")
    )
    _fill(browser, {"title": "Auftragsmappe im Handwerk"})
    pick_person(
        browser,
        "case_owner",
        "olga",
        "Olga Fallgeberin",
        keyboard=True,
        shown=lambda: screenshot(browser, "1a-pick-case-owner"),
    )
    for member in members:
        pick_person(browser, "members", member.name[:4], member.name)
    Select(browser.find_element(By.ID, "method_slug")).select_by_value("reflecting-team-andersen")
    screenshot(browser, "1-new-session")
    _submit(browser)
    assert "Die Sitzung ist angelegt" in browser.page_source
    session_url = browser.current_url
    browser.get(live_server.url + "/reflecting-team/?q=auftrag")
    assert "1 Eintrag" in browser.find_element(By.CSS_SELECTOR, ".pager").text
    screenshot(browser, "1b-index-searched")

    # The case owner describes the case.
    _as(browser, live_server, owner)
    browser.get(session_url)
    _click_link(browser, "Fall beschreiben")
    assert "Keine personenbezogenen Daten Dritter." in browser.page_source
    _fill(
        browser,
        {
            "situation": "Drei Handwerksbetriebe testen eine **digitale Auftragsmappe**.",
            "firms": "- Elektrobetrieb, 14 Beschäftigte\n- Sanitärbetrieb, 9 Beschäftigte",
            "question": "Wie hole ich die Baustelle ins Experiment?",
        },
    )
    browser.execute_script("window.scrollTo(0, 0)")
    screenshot(browser, "2-case")
    _submit(browser)
    assert (
        browser.find_element(By.CSS_SELECTOR, "#case-title + h3 + .rt-text strong").text
        == "digitale Auftragsmappe"
    )

    # Two members reflect.
    for member, idea in [
        (members[0], "Eine Baustelle als Pilot wählen."),
        (members[1], "Klein anfangen."),
    ]:
        _as(browser, live_server, member)
        browser.get(session_url)
        _click_link(browser, "Reflexion schreiben")
        _fill(browser, {"observations": f"Beobachtung von {member.name}", "ideas": idea})
        _submit(browser)
        assert "Ihre Reflexion ist gespeichert." in browser.page_source
    screenshot(browser, "3-reflections")

    # The trainer closes the session.
    _as(browser, live_server, trainer)
    browser.get(session_url)
    assert "2 von 3 Reflexionen liegen vor." in browser.page_source
    browser.find_element(By.CSS_SELECTOR, "form.rt-close button").click()
    wait_for(browser, lambda d: "Die Texte sind jetzt festgeschrieben" in d.page_source)
    screenshot(browser, "4-closed")

    # The case owner writes the closing self-reflection.
    _as(browser, live_server, owner)
    browser.get(live_server.url + "/")
    _click_link(browser, "Selbstreflexion schreiben")
    _fill(
        browser,
        {
            "takeaways": "Der Nutzen muss auf der Baustelle spürbar sein.",
            "next_steps": "Zwei Monteure zum nächsten Termin einladen.",
        },
    )
    _submit(browser)
    assert "Ihre Selbstreflexion ist gespeichert." in browser.page_source
    browser.set_window_size(1280, 3000)  # the whole session page in one picture
    browser.get(session_url)
    screenshot(browser, "5-self-reflection")
    browser.set_window_size(390, 844)  # a phone
    browser.get(session_url)
    screenshot(browser, "6-phone")
    browser.set_window_size(1280, 900)

    # The portfolio PDF holds all of it.
    browser.get(live_server.url + "/reflecting-team/")
    link = browser.find_element(By.LINK_TEXT, "Mein Feedback-Portfolio (PDF)").get_attribute("href")
    text = _pdf_with_browser_cookies(browser, link)
    for expected in [
        "Feedback-Portfolio",
        "Olga Fallgeberin",
        "Auftragsmappe im Handwerk",
        "Drei Handwerksbetriebe testen eine digitale Auftragsmappe.",
        "Elektrobetrieb",
        "Reflexion von Max Mitglied",
        "Eine Baustelle als Pilot wählen.",
        "Reflexion von Mia Mentorin",
        "Klein anfangen.",
        "Der Nutzen muss auf der Baustelle spürbar sein.",
        "Zwei Monteure zum nächsten Termin einladen.",
    ]:
        assert expected in text, expected


@pytest.mark.browser
def test_dashboard_and_method_library_on_a_phone(live_server, browser, make_user, screenshot):
    from lotse_lms.extensions import db
    from lotse_lms.reflecting_team import operations, policy

    trainer = make_user("trainer", name="Tina Trainerin", password=None)
    owner = make_user("participant", name="Olga Fallgeberin", password=None)
    lotse = make_user("participant", name="Lena Lotsin")
    others = [
        make_user("mentor", name="Mia Mentorin", password=None),
        make_user("reflecting_team", name="Rolf Reflektor", password=None),
    ]
    session = operations.create_session(
        trainer,
        held_on=policy.today(),
        case_owner=owner,
        members=[lotse, *others],
        method_slug="fishbowl",
        title="Schichtplanung im Pflegeverbund",
    )
    operations.submit_case(
        session,
        owner,
        situation="Zwei Pflegedienste planen gemeinsam.",
        firms="Zwei Pflegedienste",
        question="Woran erkenne ich, ob es trägt?",
    )
    db.session.commit()

    browser.set_window_size(390, 844)
    try:
        browser_login(browser, live_server, lotse.email, PASSWORD)
        page = browser.page_source
        assert "Reflecting Team: zu tun" in page and "Schichtplanung im Pflegeverbund" in page
        assert "als Fallgeberin / Fallgeber 0 von 1, als Teammitglied 0 von 2" in page
        browser.execute_script(
            "arguments[0].scrollIntoView()", browser.find_element(By.ID, "rt-todo-title")
        )
        screenshot(browser, "dashboard-phone")
        browser.get(live_server.url + "/reflecting-team/methods")
        assert len(browser.find_elements(By.CSS_SELECTOR, "main article.card")) >= 5
        _click_link(browser, "Fishbowl – Reflexion im Innen- und Außenkreis")
        headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "main section h2")]
        assert headings[:5] == ["Zweck", "Ablauf", "Zeitbedarf", "Rollen", "Stolpersteine"]
        screenshot(browser, "method-phone")
    finally:
        browser.set_window_size(1280, 900)
