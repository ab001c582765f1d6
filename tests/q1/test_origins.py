"""Every package version has an origin of its own; the content host never shares the LMS's
host; LMS pages isolate their windows; secure session cookies are __Host- prefixed."""

import logging
import re

import pytest
from q1_helpers import CONTENT, origin, payload

from lotse_lms import create_app
from lotse_lms.config import ConfigError
from lotse_lms.extensions import db
from lotse_lms.modules.q1.tokens import content_token

from ..conftest import PASSWORD, login

G12 = "RuntimeBasicCalls_SCORM12"


def test_each_version_has_its_own_origin(client, login_as, import_fixture, version_pair):
    login_as("participant")
    first, second = version_pair
    assert origin(first) != origin(second)
    assert re.fullmatch(r"http://[0-9a-f]{32}\.lotse-content\.test", origin(first))
    page = client.get(f"/q1/play/{first.package_id}")
    assert f"frame-src 'self' {origin(first)};" in page.headers["Content-Security-Policy"] + ";"
    assert origin(second) not in page.headers["Content-Security-Policy"]
    token = page.get_data(as_text=True).split('name="csrf_token" value="', 1)[1].split('"')[0]
    launched = client.post(
        f"/q1/play/version/{first.id}/launch",
        json={"item": first.entries()[0]["id"]},
        headers={"X-CSRFToken": token},
    )
    assert launched.json["url"].startswith(origin(first) + "/scorm-content/launch/")


@pytest.fixture
def version_pair(import_fixture):
    """Two packages (two versions, two origins)."""
    return import_fixture(G12), import_fixture("RuntimeBasicCalls_SCORM20043rdEdition")


def test_a_token_works_only_on_its_versions_origin(content, make_user, launch, version_pair):
    learner = make_user("participant")
    first, second = version_pair
    attempt, token = launch(learner, first)
    elsewhere = {"base_url": origin(second)}
    assert content.get(f"/scorm-content/launch/{token}").status_code == 200
    assert content.get(f"/scorm-content/launch/{token}", **elsewhere).status_code == 404
    body = payload(attempt, [("cmi.core.lesson_status", "failed")])
    refused = content.post(f"/scorm-content/commit/{token}", json=body, **elsewhere)
    assert refused.status_code == 403 and refused.json["error"] == "token_invalid"
    files = f"/scorm-content/p/{content_token(learner.id, first.id)}/imsmanifest.xml"
    assert content.get(files).status_code == 200
    assert content.get(files, **elsewhere).status_code == 404
    # nothing on the bare content host, and no key that is not a version's
    assert content.get(f"/scorm-content/launch/{token}", base_url=CONTENT).status_code == 404
    other = {"base_url": "http://www.lotse-content.test"}
    assert content.get(f"/scorm-content/launch/{token}", **other).status_code == 404
    db.session.refresh(attempt)
    assert "cmi.core.lesson_status" not in attempt.state["values"]


def test_lms_pages_isolate_their_windows_content_pages_do_not(
    client, content, make_user, launch, version_pair
):
    learner = make_user("participant", password=PASSWORD)
    assert client.get("/login").headers["Cross-Origin-Opener-Policy"] == "same-origin"
    login(client, learner.email)
    first = version_pair[0]
    page = client.get(f"/q1/play/{first.package_id}")
    assert page.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "allow-downloads" not in page.get_data(as_text=True)
    _attempt, token = launch(learner, first)
    launch_page = content.get(f"/scorm-content/launch/{token}")
    assert launch_page.headers["Cross-Origin-Opener-Policy"] == "unsafe-none"


def _app(tmp_path, **config):
    """An app with its own instance folder and the given URLs."""
    base = {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "SECRET_KEY": "k"}
    return create_app({**base, **config}, instance_path=tmp_path / "instance", environ={})


@pytest.mark.parametrize(
    ("lms", "content_url"),
    [
        ("http://127.0.0.1:5000", "http://127.0.0.1:5001"),  # cookies ignore ports
        ("https://lms.example.org", "https://lms.example.org:8443"),
        ("https://lms.example.org", ""),
    ],
)
def test_content_host_sharing_the_lms_host_is_refused(tmp_path, lms, content_url):
    with pytest.raises(ConfigError, match="CONTENT_BASE_URL"):
        _app(tmp_path, BASE_URL=lms, CONTENT_BASE_URL=content_url)


@pytest.mark.parametrize(
    ("content_url", "warned"),
    [
        ("https://inhalte.example.org", True),  # same registrable domain
        ("https://content.lms.example.org", True),  # a sub-domain of the LMS host
        ("https://lotse-content.example.net", False),
    ],
)
def test_content_host_sharing_the_domain_is_warned(tmp_path, caplog, content_url, warned):
    with caplog.at_level(logging.WARNING):
        _app(tmp_path, BASE_URL="https://lms.example.org", CONTENT_BASE_URL=content_url)
    assert ("registrable domain" in caplog.text) is warned


@pytest.mark.config(SECURE_COOKIES=True)
def test_secure_session_cookie_is_host_prefixed(client, make_user):
    learner = make_user("participant", password=PASSWORD)
    token = client.get("/login", base_url="https://localhost").get_data(as_text=True)
    token = token.split('name="csrf_token" type="hidden" value="', 1)[1].split('"')[0]
    response = client.post(
        "/login",
        data={"email": learner.email, "password": PASSWORD, "remember": "y", "csrf_token": token},
        base_url="https://localhost",
        headers={"Referer": "https://localhost/login"},  # Flask-WTF checks it over HTTPS
    )
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("__Host-session="))
    remember = next(c for c in cookies if c.startswith("__Host-remember_token="))
    for cookie in (session, remember):
        assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie
    # a tossed plain "session" cookie (set by a sibling host) is not what the LMS reads
    client.set_cookie("session", "forged", domain="localhost")
    assert client.get("/profile", base_url="https://localhost").status_code == 200
