"""A learner's way through a module and a trainer's draft, in headless Chromium.

The end page after the last activity and its links, review mode, a half-answered
knowledge check found again, the player on a phone (lesson first, one scroll) and at
1366 px, the player controls a package's adlnav:presentation leaves, the root's TOC entry,
an asset launched without the run-time frame, and a draft that only staff see until it
is published.
"""

import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from lotse_lms.extensions import db
from lotse_lms.modules.q1 import lifecycle, packages
from lotse_lms.modules.q1.models import ScoAttempt
from lotse_lms.modules.q1.progress import q1_progress
from lotse_lms.scorm.build import build_packages

from ..conftest import PASSWORD
from .conftest import browser_login, sign_out, wait_for

pytestmark = pytest.mark.browser
CONTENT = Path(__file__).resolve().parents[2] / "content" / "q1"

#: A SCO that passes at once (score 90 %) and ends normally when the player unloads it.
PASS_SCO = b"""<!doctype html><html lang="de"><head><meta charset="utf-8"><title>SCO</title>
<script>
var api = null, w = window;
for (var i = 0; i < 8; i++) { if (w.API_1484_11) { api = w.API_1484_11; break; }
  if (w.parent === w) { break; } w = w.parent; }
api.Initialize("");
api.SetValue("cmi.completion_status", "completed");
api.SetValue("cmi.success_status", "passed");
api.SetValue("cmi.score.scaled", "0.9");
api.Commit("");
window.addEventListener("unload", function () {
  api.SetValue("cmi.exit", "normal");
  api.Terminate("");
});
</script></head><body><h1>Lerneinheit</h1></body></html>"""
ASSET = b"""<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Asset</title></head>
<body><h1 id="asset">Handout</h1></body></html>"""


def manifest(identifier, title, items, resources):
    """A SCORM 2004 4th Edition manifest with flow and choice navigation."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{identifier}" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
  xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>{title}</title>
    {items}
    <imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>
  </organization></organizations>
  <resources>{resources}</resources>
</manifest>""".encode()


SCO_RESOURCE = (
    '<resource identifier="r" type="webcontent" adlcp:scormType="sco" href="sco.html">'
    '<file href="sco.html"/></resource>'
)


def package_zip(folder, name, manifest_bytes, files):
    """Write a zip with the manifest and files; returns its path."""
    path = Path(folder) / f"{name}.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("imsmanifest.xml", manifest_bytes)
        for file_name, data in files.items():
            z.writestr(file_name, data)
    return path


def two_sco_module(folder, title):
    """A module of a lesson and a check that both pass at once."""
    items = (
        '<item identifier="lesson" identifierref="r"><title>Lektion</title></item>'
        '<item identifier="check" identifierref="r"><title>Wissenscheck</title></item>'
    )
    return package_zip(
        folder, title, manifest("m", title, items, SCO_RESOURCE), {"sco.html": PASS_SCO}
    )


def current_item(driver):
    """The item the player marks as current, or None."""
    driver.switch_to.default_content()
    found = driver.find_elements(By.CSS_SELECTOR, ".player-toc a[aria-current]")
    return found[0].get_attribute("data-item") if found else None


def frame_src(driver):
    """The src of the player's frame."""
    driver.switch_to.default_content()
    return driver.find_element(By.ID, "player-frame").get_attribute("src") or ""


def test_end_page_after_passing_a_module_and_its_links(
    browser, site, learner, make_user, screenshot
):
    staff = make_user("foundation")
    with tempfile.TemporaryDirectory() as folder:
        first = packages.import_package(two_sco_module(folder, "Erstes Modul"))
        second = packages.import_package(two_sco_module(folder, "Zweites Modul"))
    lifecycle.set_certificate_module(first.package, "tools-methoden", staff)
    lifecycle.set_certificate_module(second.package, "technik", staff)
    browser_login(browser, site, learner.email, PASSWORD)
    browser.get(f"{site.url}/q1/play/{first.package_id}")
    wait_for(browser, lambda d: current_item(d) == "lesson", "lesson not delivered")
    wait_for(browser, lambda d: d.find_element(By.ID, "player-next").is_enabled(), "no next")
    browser.find_element(By.ID, "player-next").click()
    wait_for(browser, lambda d: current_item(d) == "check", "check not delivered")
    wait_for(browser, lambda d: d.find_element(By.ID, "player-next").is_enabled(), "no next")
    browser.find_element(By.ID, "player-next").click()  # after the last activity: the end page
    wait_for(browser, lambda d: d.current_url.endswith(f"/play/{first.package_id}/ende"), "no end")
    end = browser.find_element(By.ID, "q1-end")
    assert end.get_attribute("data-state") == "passed"
    assert "Sie haben dieses Modul bestanden." in end.text and "90,0 %" in end.text
    assert "eines von 3 Q1-Modulen, die für das Zertifikat zählen" in end.text
    assert "2 von 2 Lerneinheiten abgeschlossen" in end.text
    screenshot(browser, "end-page")
    next_link = browser.find_element(By.ID, "q1-end-next")
    assert next_link.text == "Nächstes Modul: Zweites Modul"
    assert next_link.get_attribute("href").endswith(f"/q1/play/{second.package_id}")
    browser.find_element(By.ID, "q1-end-overview").click()
    wait_for(browser, lambda d: d.current_url.endswith("/q1/"), "overview not opened")
    card = browser.find_element(By.CSS_SELECTOR, f"[data-package='{first.package_id}']")
    assert card.find_element(By.CSS_SELECTOR, "[data-module-state]").text == "bestanden"
    attempts_before = _attempts(learner)
    card.find_element(By.CSS_SELECTOR, "[data-action='review']").click()
    wait_for(browser, lambda d: "ansicht=referenz" in frame_src(d), "review did not open content")
    assert browser.find_element(By.ID, "player-review").is_displayed()
    assert "/scorm-content/launch/" not in frame_src(browser)  # no run-time: nothing recorded
    browser.find_element(By.ID, "player-next").click()
    wait_for(browser, lambda d: current_item(d) == "check", "review did not step on")
    browser.get(f"{site.url}/q1/")
    assert _attempts(learner) == attempts_before
    progress = {m["module_key"]: m for m in q1_progress(learner)}
    assert progress["tools-methoden"]["passed"] is True


def _attempts(user):
    """(item, attempt, completion, success) of every attempt of the user."""
    db.session.rollback()
    rows = db.session.scalars(db.select(ScoAttempt).where(ScoAttempt.user_id == user.id)).all()
    return sorted((r.item_id, r.attempt, r.completion, r.success) for r in rows)


def _built(module_id):
    """The Q1 module built from content/q1 as SCORM 2004 and imported."""
    with tempfile.TemporaryDirectory() as out:
        built = {p.module_id: p for p in build_packages(CONTENT, out, standards=("2004",))}
        return packages.import_package(built[module_id].path, module_key=module_id)


def _into_sco(driver):
    """Switch into the SCO's frame (inside the run-time host page)."""
    driver.switch_to.default_content()
    driver.switch_to.frame(driver.find_element(By.ID, "player-frame"))
    wait_for(driver, lambda d: d.find_element(By.ID, "lotse-sco").get_attribute("src"), "no SCO")
    driver.switch_to.frame(driver.find_element(By.ID, "lotse-sco"))


def test_half_answered_check_is_restored(browser, site, learner, screenshot):
    version = _built("megatrends")
    check = version.entries()[-1]["id"]
    browser_login(browser, site, learner.email, PASSWORD)
    browser.get(f"{site.url}/q1/play/{version.package_id}?item={check}")
    _into_sco(browser)
    wait_for(
        browser, lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("data-lotse-ready")
    )
    questions = browser.find_elements(By.CSS_SELECTOR, "fieldset.question")
    chosen = []
    for box in questions[:3]:
        answer = box.find_elements(By.CSS_SELECTOR, "input")[1]
        browser.execute_script("arguments[0].click();", answer)
        chosen.append(answer.get_attribute("id"))

    def stored():
        """The check attempt's suspend data once it holds all three answers."""
        db.session.rollback()
        row = db.session.scalar(
            db.select(ScoAttempt).where(
                ScoAttempt.user_id == learner.id, ScoAttempt.item_id == check
            )
        )
        data = row.state["values"].get("cmi.suspend_data", "") if row else ""
        return data if all(c.rsplit("-", 1)[1] in data for c in chosen) else None

    wait_for(browser, lambda d: stored(), "answers not kept in suspend data")
    browser.switch_to.default_content()
    browser.find_element(By.CSS_SELECTOR, ".player-toc-links a").click()  # "Zur Übersicht"
    wait_for(browser, lambda d: d.current_url.endswith("/q1/"), "overview not opened")
    browser.get(f"{site.url}/q1/play/{version.package_id}?item={check}")
    _into_sco(browser)
    wait_for(
        browser, lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("data-lotse-ready")
    )
    wait_for(
        browser,
        lambda d: all(d.find_element(By.ID, c).is_selected() for c in chosen),
        "answers not restored",
    )
    ticked = browser.find_elements(By.CSS_SELECTOR, "fieldset.question input:checked")
    assert sorted(i.get_attribute("id") for i in ticked) == sorted(chosen)
    assert "bisherigen Antworten" in browser.find_element(By.ID, "lotse_notice").text
    screenshot(browser, "check-restored")


def _page_metrics(driver):
    """Widths and heights of the page the browser shows."""
    driver.switch_to.default_content()
    return driver.execute_script(
        "var e = document.scrollingElement; return {sw: e.scrollWidth, cw: e.clientWidth,"
        " sh: e.scrollHeight, ch: e.clientHeight};"
    )


def test_player_on_a_phone_lesson_first_one_scroll(browser_factory, site, learner, screenshot):
    version = _built("technik")
    phone = browser_factory(390, 844)
    browser_login(phone, site, learner.email, PASSWORD)
    phone.get(f"{site.url}/q1/play/{version.package_id}")
    _into_sco(phone)
    wait_for(phone, lambda d: d.find_element(By.TAG_NAME, "h1").text, "lesson not shown")
    phone.switch_to.default_content()
    toc = phone.find_element(By.ID, "player-toc")
    frame = phone.find_element(By.ID, "player-frame")
    assert toc.get_attribute("open") is None  # the contents are a closed menu
    assert not phone.find_element(By.CSS_SELECTOR, ".player-toc nav").is_displayed()
    assert frame.rect["height"] > 844 * 0.6 and frame.rect["y"] < 200  # the lesson first
    metrics = _page_metrics(phone)
    assert metrics["sw"] <= metrics["cw"] and metrics["sh"] <= metrics["ch"], metrics
    path = screenshot(phone, "phone-lesson")
    assert path.exists()
    phone.find_element(By.CSS_SELECTOR, "#player-toc summary").click()
    wait_for(phone, lambda d: d.find_element(By.CSS_SELECTOR, ".player-toc nav").is_displayed())
    screenshot(phone, "phone-contents")
    second = version.entries()[1]["id"]
    phone.find_element(By.CSS_SELECTOR, f".player-toc a[data-item='{second}']").click()
    wait_for(phone, lambda d: d.find_element(By.ID, "player-toc").get_attribute("open") is None)
    wait_for(phone, lambda d: current_item(d) == second, "chosen lesson not delivered")
    metrics = _page_metrics(phone)
    assert metrics["sw"] <= metrics["cw"], metrics


def test_player_at_1366_sidebar_neither_scrolls_sideways_nor_clips(
    browser_factory, site, learner, screenshot
):
    version = _built("tools-methoden")
    wide = browser_factory(1366, 900)
    browser_login(wide, site, learner.email, PASSWORD)
    wide.get(f"{site.url}/q1/play/{version.package_id}")
    wait_for(wide, lambda d: current_item(d), "nothing delivered")
    toc = wide.find_element(By.ID, "player-toc")
    assert wide.execute_script("return arguments[0].scrollWidth <= arguments[0].clientWidth;", toc)
    right = toc.rect["x"] + toc.rect["width"]
    for badge in wide.find_elements(By.CSS_SELECTOR, ".player-toc .item-state .badge"):
        assert badge.rect["x"] + badge.rect["width"] <= right, badge.text
    metrics = _page_metrics(wide)
    assert metrics["sw"] <= metrics["cw"], metrics
    screenshot(wide, "desktop-player")


def test_player_controls_root_entry_and_asset(browser, site, learner, screenshot):
    items = (
        '<item identifier="one" identifierref="r"><title>Eins</title>'
        "<adlnav:presentation><adlnav:navigationInterface>"
        "<adlnav:hideLMSUI>suspendAll</adlnav:hideLMSUI>"
        "<adlnav:hideLMSUI>abandon</adlnav:hideLMSUI>"
        "</adlnav:navigationInterface></adlnav:presentation></item>"
        '<item identifier="handout" identifierref="a"><title>Handout</title></item>'
    )
    resources = SCO_RESOURCE + (
        '<resource identifier="a" type="webcontent" adlcp:scormType="asset" href="asset.html">'
        '<file href="asset.html"/></resource>'
    )
    with tempfile.TemporaryDirectory() as folder:
        path = package_zip(
            folder,
            "controls",
            manifest("c", "Kurs mit Steuerung", items, resources),
            {"sco.html": PASS_SCO, "asset.html": ASSET},
        )
        version = packages.import_package(path)
    browser_login(browser, site, learner.email, PASSWORD)
    browser.get(f"{site.url}/q1/play/{version.package_id}")
    wait_for(browser, lambda d: current_item(d) == "one", "first SCO not delivered")
    root = browser.find_element(By.CSS_SELECTOR, ".player-toc li.toc-root")
    assert root.find_element(By.CSS_SELECTOR, ".toc-heading").text == "Kurs mit Steuerung"

    def control(name):
        """The player's button for a navigation request."""
        return browser.find_element(By.CSS_SELECTOR, f"[data-control='{name}']")

    wait_for(browser, lambda d: control("exitAll").is_displayed(), "no Exit All control")
    assert control("exit").is_displayed() and control("abandonAll").is_displayed()
    assert not control("suspendAll").is_displayed() and not control("abandon").is_displayed()
    screenshot(browser, "controls")
    browser.find_element(By.CSS_SELECTOR, ".player-toc a[data-item='handout']").click()
    wait_for(browser, lambda d: current_item(d) == "handout", "asset not delivered")
    src = frame_src(browser)
    assert src.endswith("/asset.html") and "/scorm-content/launch/" not in src
    browser.switch_to.frame(browser.find_element(By.ID, "player-frame"))
    wait_for(browser, lambda d: d.find_element(By.ID, "asset").text == "Handout")
    browser.switch_to.default_content()
    wait_for(browser, lambda d: control("exitAll").is_enabled(), "Exit All not enabled")
    control("exitAll").click()
    wait_for(browser, lambda d: d.current_url.endswith("/ende"), "Exit All did not end the course")


def test_draft_invisible_to_participants_previewed_then_published(
    browser, site, learner, make_user, screenshot
):
    trainer = make_user("trainer", password=PASSWORD)
    with tempfile.TemporaryDirectory() as folder:
        path = two_sco_module(folder, "Entwurf")
        browser_login(browser, site, trainer.email, PASSWORD)
        browser.get(f"{site.url}/q1/packages/new")
        browser.find_element(By.ID, "file").send_keys(str(path))
        browser.find_element(By.ID, "title").send_keys("Neues Modul im Entwurf")
        browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        wait_for(browser, lambda d: d.find_elements(By.ID, "package-status"), "not imported")
    assert browser.find_element(By.ID, "package-status").text == "Entwurf"
    package_url = browser.current_url
    package_id = int(package_url.rstrip("/").rsplit("/", 1)[1])
    sign_out(browser)
    browser_login(browser, site, learner.email, PASSWORD)
    browser.get(f"{site.url}/q1/")
    assert "Neues Modul im Entwurf" not in browser.find_element(By.TAG_NAME, "main").text
    browser.get(f"{site.url}/q1/play/{package_id}")
    assert "Neues Modul im Entwurf" not in browser.title
    sign_out(browser)
    browser_login(browser, site, trainer.email, PASSWORD)
    browser.get(f"{site.url}/q1/")
    card = browser.find_element(By.CSS_SELECTOR, f"[data-package='{package_id}']")
    assert "Entwurf" in card.find_element(By.CSS_SELECTOR, "[data-lifecycle]").text
    card.find_element(By.CSS_SELECTOR, "[data-action='preview']").click()
    wait_for(browser, lambda d: current_item(d) == "lesson", "preview did not play")
    assert browser.find_element(By.ID, "player-preview").is_displayed()
    screenshot(browser, "preview")
    _wait_for_attempt(trainer)
    browser.get(package_url)
    Select(browser.find_element(By.ID, "audience")).select_by_value("participants")
    browser.find_element(By.ID, "package-publish").click()
    wait_for(browser, lambda d: d.find_element(By.ID, "package-status").text == "veröffentlicht")
    assert _attempts(trainer) == []  # the preview's data went with publishing
    sign_out(browser)
    browser_login(browser, site, learner.email, PASSWORD)
    browser.get(f"{site.url}/q1/")
    card = browser.find_element(By.CSS_SELECTOR, f"[data-package='{package_id}']")
    assert card.find_element(By.CSS_SELECTOR, "[data-action='play']").text == "Starten"


def _wait_for_attempt(user):
    """Wait until the user's first attempt is stored."""
    deadline = time.monotonic() + 10
    while not _attempts(user):
        assert time.monotonic() < deadline, "the preview stored no attempt"
        time.sleep(0.2)
