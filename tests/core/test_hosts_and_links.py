"""Links in mails come from BASE_URL, requests for foreign hosts are refused, redirects stay local."""

import re

import pytest

from lotse_lms.core.models import OutboxMail
from lotse_lms.core.urls import external_url, is_local_target
from lotse_lms.extensions import db

from ..conftest import PASSWORD, csrf_token


def _mail_bodies(recipient):
    """Bodies of the mails queued for ``recipient``."""
    return db.session.scalars(db.select(OutboxMail.body).filter_by(recipient=recipient)).all()


@pytest.mark.config(BASE_URL="https://lms.example.org", CONTENT_BASE_URL="http://localhost:5000")
def test_reset_mail_links_to_base_url_whatever_host_the_request_named(client, make_user):
    """The request comes in on another trusted host (the content host): the link still
    points to BASE_URL, never to the Host header."""
    user = make_user(email="opfer@example.org")
    token = csrf_token(client, "/password/forgot")
    response = client.post("/password/forgot", data={"email": user.email, "csrf_token": token})
    assert response.status_code == 302
    (body,) = _mail_bodies(user.email)
    links = re.findall(r"https?://\S+", body)
    assert links and all(
        link.startswith("https://lms.example.org/password/reset/") for link in links
    )


@pytest.mark.config(BASE_URL="http://lms.localhost", CONTENT_BASE_URL="http://content.localhost")
def test_a_forged_host_header_is_refused_and_no_mail_is_queued(app, make_user):
    user = make_user(email="opfer@example.org")
    # A forged Host is refused before any view runs, so no form (or CSRF token) is needed.
    evil = app.test_client()
    response = evil.post(
        "/password/forgot",
        data={"email": user.email},
        headers={"Host": "attacker.example"},
    )
    assert response.status_code == 400
    assert _mail_bodies(user.email) == []
    assert evil.get("/login", headers={"Host": "attacker.example"}).status_code == 400
    assert evil.get("/login", base_url="http://lms.localhost").status_code == 200
    # The content host and its sub-domains (one per package version) are answered.
    for content in ("http://content.localhost", "http://v3-abc.content.localhost:5000"):
        assert evil.get("/login", base_url=content).status_code != 400
    assert evil.get("/login", base_url="http://content.localhost.evil.example").status_code == 400


@pytest.mark.config(BASE_URL="https://lms.example.org:8443/lotsen/")
def test_external_urls_follow_base_url_with_port_and_prefix_outside_a_request(app):
    assert (
        external_url("accounts.reset_password", token="abc")
        == "https://lms.example.org:8443/lotsen/password/reset/abc"
    )
    assert (
        external_url("q2.detail", session_id=7)
        == "https://lms.example.org:8443/lotsen/q2/sessions/7"
    )


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example/x",
        "/\t/evil.example/x",
        "/\n/evil.example",
        "/\r\n/evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "\\/evil.example",
        "//evil.example",
        " //evil.example",
        "///evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "http:/evil.example",
        "/\x00/evil.example",
        "/\u200e/evil.example",
        "evil.example",
        "",
    ],
)
def test_redirect_targets_that_leave_the_site_are_refused(target):
    expected_local = target == "/%09/evil.example/x"  # still percent-encoded: a local path
    assert is_local_target(target) is expected_local


@pytest.mark.parametrize("target", ["/", "/profile", "/q2/sessions/3?tab=2#x", "/a//b"])
def test_local_redirect_targets_are_kept(target):
    assert is_local_target(target)


@pytest.mark.parametrize("next_", ["/%09/evil.example/x", "/%5Cevil.example", "%2F%2Fevil.example"])
def test_login_next_never_leads_off_site(client, make_user, next_):
    user = make_user()
    token = csrf_token(client, "/login")
    response = client.post(
        f"/login?next={next_}",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_language_switch_never_leads_off_site(client):
    token = csrf_token(client, "/login")
    for target in ["/\t/evil.example/", "/\\evil.example", "//evil.example"]:
        response = client.post("/language/en", data={"next": target, "csrf_token": token})
        assert response.status_code == 302
        assert response.headers["Location"] == "/"
