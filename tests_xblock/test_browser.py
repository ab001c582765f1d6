"""The blocks' JavaScript in headless Chromium, against the workbench served from this process.

Skipped when Chromium or chromedriver is missing (`make browser-deps` installs both).
"""

from __future__ import annotations

import shutil
import threading
import uuid
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.wsgi import get_wsgi_application

from lotse_lms.xblocks import q1

CHROMIUM = (
    shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
)
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER), reason="Chromium/chromedriver not installed"
)


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        """No request log on stderr."""


@pytest.fixture(scope="module")
def server():
    """The workbench (pages, handlers, static files) on a free local port."""
    from workbench import scenarios

    scenarios.init_scenarios()
    httpd = make_server(
        "127.0.0.1",
        0,
        StaticFilesHandler(get_wsgi_application()),
        server_class=_ThreadingServer,
        handler_class=_QuietHandler,
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1100,1400",
    ):
        options.add_argument(argument)
    options.binary_location = CHROMIUM
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    yield driver
    driver.quit()


def _open(browser, server, scenario: str):
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{server}/scenario/{scenario}/?student=browser-{uuid.uuid4().hex[:8]}")
    WebDriverWait(browser, 10).until(
        lambda d: d.execute_script(
            "return Array.from(document.querySelectorAll('.lotse-xblock:not(.lotse-author)'))"
            ".every(e => e.getAttribute('data-lotse-ready') === '1')"
        )
    )


def _wait(browser, script: str):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, 10).until(lambda d: d.execute_script(script))


def _click(browser, selector: str):
    browser.execute_script("document.querySelector(arguments[0]).click()", selector)


def _visible_pages(browser) -> list[str]:
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('.lotse-module .lotse-page'))"
        ".filter(p => p.offsetParent !== null).map(p => p.dataset.lotseKey)"
    )


def test_module_pages_lessons_and_knowledge_check(server, browser):
    module = q1.get_module("megatrends")
    _open(browser, server, "lotse_module.2")
    assert _visible_pages(browser) == [q1.INTRO]
    _click(browser, ".lotse-intro button[data-lotse-next]")
    first, second = module.lesson_keys[:2]
    assert _visible_pages(browser) == [first]
    _click(browser, f"button[data-lotse-done='{first}']")
    _wait(
        browser,
        "return document.querySelector('.lotse-progress-lessons').textContent.startsWith('1 von 5')",
    )
    assert _visible_pages(browser) == [second]
    assert browser.execute_script(
        f"return !document.querySelector('[data-lotse-seen=\"{first}\"]').hidden"
    )

    _click(browser, ".lotse-nav a[data-lotse-page='wissenscheck']")
    assert _visible_pages(browser) == ["wissenscheck"]
    _click(browser, ".lotse-submit")
    assert "Noch offen: Frage 1, 2" in browser.execute_script(
        "return document.querySelector('.lotse-quiz .lotse-error').textContent"
    )

    def choose(answers):
        for qid, letters in answers.items():
            for letter in letters:
                browser.execute_script(
                    "document.querySelector(`fieldset[data-question='${arguments[0]}'] input[value='${arguments[1]}']`).click()",
                    qid,
                    letter,
                )

    correct = {q.id: [q1.LETTERS[i] for i in q.correct_indexes] for q in module.check.questions}
    failing = dict(correct)
    for question in module.check.questions[:3]:  # 9 of 12 = 75 %
        failing[question.id] = [
            next(q1.LETTERS[i] for i, a in enumerate(question.answers) if not a.correct)
        ]
    choose(failing)
    _click(browser, ".lotse-submit")
    _wait(browser, "return !document.querySelector('.lotse-result').hidden")
    assert browser.execute_script("return document.querySelector('.lotse-score').textContent") == (
        "9 von 12 Fragen richtig (75 %)"
    )
    assert browser.execute_script("return !document.querySelector('.lotse-retry').hidden")
    feedback = browser.execute_script(
        "return Array.from(document.querySelectorAll('.lotse-feedback')).filter(f => !f.hidden).length"
    )
    assert feedback == sum(len(q.answers) for q in module.check.questions)

    _click(browser, ".lotse-retry")
    choose(correct)
    _click(browser, ".lotse-submit")
    _wait(browser, "return document.querySelector('.lotse-result').classList.contains('is-passed')")
    assert browser.execute_script("return document.querySelector('.lotse-retry').hidden")

    browser.refresh()
    _wait(browser, "return document.querySelector('.lotse-module').dataset.lotseReady === '1'")
    assert _visible_pages(browser) == ["wissenscheck"]
    assert browser.execute_script("return document.querySelector('.lotse-score').textContent") == (
        "12 von 12 Fragen richtig (100 %)"
    )


def test_lesson_links_switch_to_the_linked_lesson(server, browser):
    _open(browser, server, "lotse_module.0")
    link = browser.execute_script(
        "const a = Array.from(document.querySelectorAll('.lotse-content a[data-lotse-page]'))"
        ".find(a => a.dataset.lotsePage !== a.closest('.lotse-page').dataset.lotseKey);"
        "if (!a) return null; a.closest('.lotse-page').classList.add('is-active'); a.click(); return a.dataset.lotsePage"
    )
    assert link, "Tools & Methoden links between lessons"
    assert _visible_pages(browser) == [link]


def test_reflection_saves_and_shows_the_answer_again(server, browser):
    _open(browser, server, "lotse_reflection.1")
    browser.execute_script(
        "const t = document.querySelector('.lotse-reflection textarea'); t.value = ''; t.focus()"
    )
    _click(browser, ".lotse-reflection button[type=submit]")
    assert browser.execute_script(
        "return document.querySelector('.lotse-reflection .lotse-error').textContent"
    ) == ("Bitte schreiben Sie eine Antwort.")
    browser.find_element("css selector", ".lotse-reflection textarea").send_keys(
        "Fishbowl mit Blitzlicht"
    )
    assert browser.execute_script(
        "return document.querySelector('.lotse-counter').textContent"
    ) == ("23 von 280 Zeichen")
    _click(browser, ".lotse-reflection button[type=submit]")
    _wait(
        browser,
        "return document.querySelector('.lotse-status').textContent.startsWith('Ihre Antwort ist gespeichert.')",
    )
    browser.refresh()
    _wait(browser, "return document.querySelector('.lotse-reflection').dataset.lotseReady === '1'")
    assert browser.execute_script(
        "return document.querySelector('.lotse-reflection textarea').value"
    ) == ("Fishbowl mit Blitzlicht")
