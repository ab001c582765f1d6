"""The remaining golf sample packages in headless Chromium, played like a learner would.

test_player_scorm.py covers the run-time and one-file-per-SCO samples; this module covers
the two content packaging samples (one SCO whose launch page never talks to the LMS, plus
its many asset files) and the forced-sequential sequencing sample (five SCOs with a quiz
at the end, which terminate with cmi.exit "suspend" when the player moves on).
"""

import pytest
from selenium.webdriver.common.by import By

from lotse_lms.extensions import db
from lotse_lms.modules.q1 import packages
from lotse_lms.modules.q1.models import ScormRegistration

from .conftest import browser_login, wait_for
from .test_player_scorm import FIXTURES, PASSWORD, attempts_of, into_sco, stored

pytestmark = pytest.mark.browser

#: Pages of the forced-sequential sample per item (launchpage.html's pageArray) and the
#: file its last page shows.
FORCED = [
    ("playing_item", 5, "RulesOfGolf.html"),
    ("etuqiette_item", 3, "Play.html"),
    ("handicapping_item", 4, "CalculatingScore.html"),
    ("havingfun_item", 2, "MakeFriends.html"),
]
#: Pages of the content packaging sample a learner looks at, with their picture.
ASSET_PAGES = [
    ("Etiquette/Course.html", "Etiquette - Care For the Course"),
    ("Handicapping/Example.html", "Handicaping Example"),
    ("Playing/Par.html", "Par"),
]


def registration_of(user):
    """The learner's only registration, freshly read."""
    return db.session.scalar(
        db.select(ScormRegistration).where(ScormRegistration.user_id == user.id)
    )


def heading(driver):
    """The text of the shown page's first h1 ("" while a page loads)."""
    return driver.execute_script(
        "var h = document.querySelector('h1'); return h ? h.textContent : '';"
    )


def current_item(driver):
    """The item the player marks as current."""
    driver.switch_to.default_content()
    return driver.find_element(By.CSS_SELECTOR, ".player-toc a[aria-current]").get_attribute(
        "data-item"
    )


@pytest.mark.parametrize(
    ("package", "api", "status_key", "untouched"),
    [
        ("ContentPackagingSingleSCO_SCORM12", "API", "cmi.core.lesson_status", "not attempted"),
        (
            "ContentPackagingSingleSCO_SCORM20042ndEdition",
            "API_1484_11",
            "cmi.completion_status",
            "unknown",
        ),
    ],
    ids=["scorm12", "scorm2004-2nd"],
)
def test_content_packaging_single_sco(
    browser, site, learner, screenshot, package, api, status_key, untouched
):
    """One SCO whose launch page never calls the API: the files are served, nothing is
    invented (no status, score or time the content did not report), a relaunch is recorded."""
    version = packages.import_package(f"{FIXTURES}/{package}.zip")
    assert [e["id"] for e in version.entries()] == ["item_1"]
    browser_login(browser, site, learner.email, PASSWORD)
    browser.get(f"{site.url}/q1/play/{version.package_id}")
    # SCORM 2004 without imsss rules: choice but no flow, so the SN start request is
    # refused and the player chooses the first item, as it does for SCORM 1.2.
    into_sco(browser)
    wait_for(
        browser,
        lambda d: heading(d) == "Not implemented yet",
        "launch page not shown",
    )
    # The run-time is there for the SCO even though this one never looks for it.
    getter = "LMSGetValue" if api == "API" else "GetValue"
    assert browser.execute_script(f"return typeof parent.{api}.{getter}") == "function"
    assert browser.execute_script("return parent.lotseRuntime.initialized") is False
    screenshot(browser, "launch")
    # The learner opens the sample's pages: text, style sheet and pictures all arrive.
    for page, title in ASSET_PAGES:
        browser.execute_script("location.href = '../' + arguments[0];", page)
        wait_for(
            browser,
            lambda d, h=title: heading(d).strip().startswith(h),
            f"{page} not shown",
        )
        wait_for(
            browser,
            lambda d: d.execute_script(
                "var i = document.getElementById('golfimg');"
                "return i && i.complete && i.naturalWidth > 0;"
            ),
            f"picture of {page} not loaded",
        )
        assert browser.execute_script(
            "return Array.prototype.some.call(document.styleSheets,"
            " function (s) { return s.cssRules.length > 0; });"
        ), f"style sheet of {page} not applied"
    screenshot(browser, "page")
    browser.switch_to.default_content()
    browser.get(f"{site.url}/q1/")  # the learner leaves the player
    row = stored(lambda: attempts_of(learner), "the launch was not stored")[0]
    reg = registration_of(learner)
    values = row.state["values"]
    assert (row.item_id, row.attempt, row.sequence) == ("item_1", 1, 0)
    assert (row.completion, row.success, row.score_raw, row.score_percent) == (
        untouched,
        "unknown",
        None,
        None,
    )
    assert values.get(status_key, untouched) == untouched
    assert row.total_time_seconds == 0 and row.state["session"] == 1
    assert (reg.last_item, reg.completed, reg.passed, reg.score) == ("item_1", False, None, None)
    # Coming back: the session the SCO never opened is closed without a result (SCORM 1.2
    # only sets "completed" on LMSFinish). In SCORM 1.2 the same attempt continues; in 2004
    # a session ended without suspend ends the learner attempt (RTE cmi.exit "", the
    # sequencer's new activity attempt), so the relaunch is attempt 2, ab initio.
    browser.get(f"{site.url}/q1/play/{version.package_id}")
    into_sco(browser)
    wait_for(browser, lambda d: heading(d) == "Not implemented yet", "relaunch not shown")
    browser.switch_to.default_content()
    if api == "API_1484_11":
        row = stored(
            lambda: next((a for a in attempts_of(learner) if a.attempt == 2), None),
            "the relaunch was not stored",
        )
        assert len(attempts_of(learner)) == 2 and row.state["session"] == 1
    else:
        row = stored(
            lambda: next((a for a in attempts_of(learner) if a.state["session"] == 2), None),
            "the relaunch was not stored",
        )
        assert len(attempts_of(learner)) == 1 and row.attempt == 1
    assert (row.completion, row.success) == (untouched, "unknown")
    assert not registration_of(learner).completed


def _page_to_the_end(driver, pages, last_file):
    """Press the SCO's Next button until its last page is shown."""
    into_sco(driver)
    wait_for(driver, lambda d: d.find_element(By.ID, "butNext").is_enabled(), "SCO not started")
    for _ in range(pages - 1):
        driver.find_element(By.ID, "butNext").click()
    wait_for(
        driver,
        lambda d: (
            not d.find_element(By.ID, "butNext").is_enabled()
            and d.find_element(By.ID, "contentFrame").get_attribute("src").endswith(last_file)
        ),
        f"{last_file} not reached",
    )
    driver.switch_to.default_content()


def _answer_quiz(driver):
    """Answer every question of the forced-sequential quiz correctly and submit."""
    into_sco(driver, inner="contentFrame")
    wait_for(
        driver,
        lambda d: d.find_elements(By.CSS_SELECTOR, "input[value='Submit Answers']"),
        "no quiz",
    )
    driver.execute_script("""
        document.querySelectorAll('.correctAnswer input[type=radio]').forEach(function (r) { r.checked = true; });
        document.querySelectorAll('.correctAnswer input[type=text]').forEach(function (t) {
          t.value = /\\(([^)]*)\\)\\s*$/.exec(t.parentNode.textContent)[1]; });""")
    driver.find_element(By.CSS_SELECTOR, "input[value='Submit Answers']").click()
    wait_for(driver, lambda d: "Score: 100" in d.find_element(By.ID, "test").text, "not scored")
    driver.switch_to.default_content()


def _ended(user, item_id):
    """The attempt of item_id once its session was terminated, else None."""
    return next(
        (
            a
            for a in attempts_of(user)
            if a.item_id == item_id and a.state and not a.state["session_open"]
        ),
        None,
    )


def test_forced_sequential_played_in_order(browser, site, learner, screenshot):
    version = packages.import_package(
        f"{FIXTURES}/SequencingForcedSequential_SCORM20043rdEdition.zip"
    )
    entries = [e["id"] for e in version.entries()]
    assert entries == [item for item, _p, _f in FORCED] + ["assessment_item"]
    browser_login(browser, site, learner.email, PASSWORD)
    browser.get(f"{site.url}/q1/play/{version.package_id}")
    for index, (item_id, pages, last_file) in enumerate(FORCED):
        wait_for(browser, lambda d, i=item_id: current_item(d) == i, f"{item_id} not launched")
        _page_to_the_end(browser, pages, last_file)
        # The last page sets completed + passed and calls Commit.
        stored(
            lambda i=item_id: next(
                (a for a in attempts_of(learner) if a.item_id == i and a.success == "passed"),
                None,
            ),
            f"the Commit of {item_id} did not arrive",
        )
        assert not registration_of(learner).completed  # the quiz is still open
        if index == 0:
            screenshot(browser, "first-sco")
        # The commit unlocked the next item: the player enables Next (a continue request).
        wait_for(
            browser,
            lambda d: d.find_element(By.ID, "player-next").is_enabled(),
            f"Next not enabled after {item_id}",
        )
        browser.find_element(By.ID, "player-next").click()  # unloads the SCO: Terminate
        row = stored(lambda i=item_id: _ended(learner, i), f"{item_id} was not terminated")
        values = row.state["values"]
        assert (row.completion, row.success, row.score_percent) == ("completed", "passed", None)
        assert values["cmi.location"] == str(pages - 1) and values["cmi.exit"] == "suspend"
        assert row.state["last_exit"] == "suspend" and row.total_time_seconds > 0
    wait_for(browser, lambda d: current_item(d) == "assessment_item", "quiz not launched")
    _answer_quiz(browser)
    screenshot(browser, "quiz")
    browser.get(f"{site.url}/q1/")  # no exit button in this sample: the learner leaves
    row = stored(lambda: _ended(learner, "assessment_item"), "the quiz was not terminated")
    values = row.state["values"]
    assert (row.completion, row.success) == ("completed", "passed")
    assert (row.score_raw, row.score_scaled, row.score_percent) == (100.0, 1.0, 100.0)
    assert values["cmi.location"] == "0" and row.total_time_seconds > 0
    reg = stored(
        lambda: (r := registration_of(learner)) and r.completed and r,
        "the package was not rolled up as completed",
    )
    assert (reg.completed, reg.passed, reg.score, reg.last_item) == (
        True,
        True,
        100.0,
        "assessment_item",
    )
    assert reg.total_time_seconds == pytest.approx(
        sum(a.total_time_seconds for a in attempts_of(learner))
    )
    assert len(attempts_of(learner)) == 5  # a suspended attempt continues, none is new
    # Relaunching would make the SCO ask "resume?" with confirm() in its cross-site frame,
    # a dialog ChromeDriver does not handle there; the resume data it would read is stored:
    for item_id, pages, _file in FORCED:
        row = next(a for a in attempts_of(learner) if a.item_id == item_id)
        assert row.state["last_exit"] == "suspend"
        assert row.state["values"]["cmi.location"] == str(pages - 1)
