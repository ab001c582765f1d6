"""Fixtures for tests that drive a real headless Chromium (Debian's chromium + chromium-driver)."""

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from ..conftest import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
)


def _binaries():
    """Return the Chromium and ChromeDriver paths, or None where missing."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not (os.path.exists(chromium) and os.path.exists(driver)):
        return None
    return chromium, driver


@pytest.fixture(scope="session")
def browser_factory():
    """Start headless Chromium sessions on demand; all are closed at the end."""
    found = _binaries()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium and chromedriver must be installed for the browser tests")
        pytest.skip("chromium/chromedriver not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver_path = found
    drivers, profiles = [], []

    def start(width=1280, height=900, flags=()):
        """Start one browser window of the given size, with extra command-line ``flags``."""
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in (*CHROMIUM_FLAGS, *flags):
            options.add_argument(flag)
        profile = tempfile.mkdtemp(prefix="lotse-chromium-")
        profiles.append(profile)
        options.add_argument(f"--user-data-dir={profile}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        drv = webdriver.Chrome(service=Service(driver_path), options=options)
        drv.set_window_size(width, height)
        drv.set_page_load_timeout(30)
        drivers.append(drv)
        return drv

    yield start
    for drv in drivers:
        try:
            drv.quit()
        except Exception:  # noqa: BLE001, S110 - a dead browser must not hide the test result
            pass
    for profile in profiles:
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def _shared_browser(browser_factory):
    """One Chromium for the run; starting one takes seconds."""
    return browser_factory()


@pytest.fixture
def browser(_shared_browser):
    """A headless Chromium window for one test (cookies cleared after it)."""
    _shared_browser.get_log("browser")  # drop what earlier tests' pages logged
    yield _shared_browser
    try:
        _shared_browser.get("about:blank")
        # Every host's cookies (WebDriver's delete_all_cookies only clears the current page's
        # host, none on about:blank): a language or device cookie must not reach the next test.
        _shared_browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    except Exception:  # noqa: BLE001, S110 - a crashed page must not fail the next test
        pass


@pytest.fixture
def screenshot(request):
    """Save a PNG of the browser's page under tests/artifacts/<test>-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)

    def shoot(drv, name):
        """Save the current page of drv as a screenshot and return its path."""
        test = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        path = ARTIFACTS / f"{test}-{name}.png"
        drv.save_screenshot(str(path))
        return path

    return shoot


class LiveServer:
    """The test app served over HTTP on 127.0.0.1 in a background thread."""

    def __init__(self, app):
        import threading

        from werkzeug.serving import make_server

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        app.config["BASE_URL"] = self.url
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        """Stop serving."""
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def live_server(app):
    """Serve the test app over real HTTP for the browser; ``live_server.url`` is its address."""
    import contextvars

    # The server threads must not see the test's app context: give them an empty one.
    server = contextvars.Context().run(LiveServer, app)
    yield server
    server.stop()


@pytest.fixture
def site(app, live_server):
    """The live server with the content origin on the other host name (localhost), as the
    player needs: package content never shares the LMS's origin."""
    app.config["CONTENT_BASE_URL"] = f"http://localhost:{live_server.server.server_port}"
    return live_server


@pytest.fixture
def worker(app):
    """A worker beside the live server: runs what reaches the queue until the test ends."""
    import threading

    from lotse_lms.core import jobs

    stop = threading.Event()

    def work():
        """Take jobs from the queue like ``lotse-lms worker`` until told to stop."""
        while not stop.is_set():
            if not jobs.run_pending(app):
                stop.wait(0.1)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    yield thread
    stop.set()
    thread.join(timeout=30)


@pytest.fixture
def learner(make_user):
    """A participant who signs in through the browser."""
    return make_user("participant", name="Lena Lotsin", password=PASSWORD)


def browser_login(driver, live_server, email, password):
    """Sign in through the login page like a person would."""
    from selenium.webdriver.common.by import By

    driver.get(live_server.url + "/login")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(driver, lambda d: "/login" not in d.current_url, "sign-in did not complete")


def sign_out(driver):
    """Sign out with the header button and wait until the welcome page says so."""
    from selenium.webdriver.common.by import By

    button = "header form button.link[type=submit]:not([lang])"
    driver.find_element(By.CSS_SELECTOR, button).click()
    wait_for(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, button), "still signed in")


def wait_for(driver, condition, message="condition not met", timeout=10):
    """Wait until ``condition(driver)`` is true (the page has moved on).

    An element found on the old page while the next one loads is stale: that is "not yet",
    like an element not found, so both are retried until the timeout. Chromium reports the same
    race on a node read while its document is replaced as an unknown error ("Node with given id
    does not belong to the document"); that is retried too."""
    from selenium.common.exceptions import (
        NoSuchElementException,
        StaleElementReferenceException,
        WebDriverException,
    )
    from selenium.webdriver.support.ui import WebDriverWait

    def check(d):
        try:
            return condition(d)
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return False
            raise

    ignored = (NoSuchElementException, StaleElementReferenceException)
    return WebDriverWait(driver, timeout, ignored_exceptions=ignored).until(check, message)


def pick_person(driver, field_id, text, name, keyboard=False, shown=None):
    """Type ``text`` into a person picker and choose ``name`` from the list that appears.

    With ``keyboard`` the choice is made with the arrow keys and Enter, else with the mouse;
    ``shown`` is called while the list is open (e.g. for a screenshot)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    combobox = driver.find_element(By.ID, field_id)
    assert combobox.get_attribute("role") == "combobox"
    combobox.send_keys(text)
    option = f"//ul[@id='{field_id}-listbox']/li[@role='option'][starts-with(., '{name}')]"
    wait_for(driver, lambda d: d.find_element(By.XPATH, option).is_displayed(), f"no {name}")
    if shown:
        shown()
    if keyboard:
        options = driver.find_elements(By.CSS_SELECTOR, f"#{field_id}-listbox [role=option]")
        wanted = [o.text for o in options].index(driver.find_element(By.XPATH, option).text)
        combobox.send_keys(Keys.ARROW_DOWN * (wanted + 1) + Keys.ENTER)
    else:
        driver.find_element(By.XPATH, option).click()
    chosen = f"//input[@id='{field_id}']/preceding-sibling::ul[contains(@class, 'picker-chosen')]"
    wait_for(driver, lambda d: name in d.find_element(By.XPATH, chosen).text, f"{name} not chosen")
