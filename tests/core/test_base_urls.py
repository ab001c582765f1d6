"""BASE_URL and CONTENT_BASE_URL follow the port the server runs on, and a mismatch is explained."""

import logging

import pytest

from lotse_lms import create_app
from lotse_lms.config import derive_urls, url_problems


def _derived(environ, **values):
    """The two URLs after derivation from ``environ``."""
    values = {"BASE_URL": None, "CONTENT_BASE_URL": None, **values}
    derive_urls(values, environ)
    return values["BASE_URL"], values["CONTENT_BASE_URL"]


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, ("http://127.0.0.1:5000", "http://localhost:5000")),
        ({"FLASK_RUN_PORT": "5401"}, ("http://127.0.0.1:5401", "http://localhost:5401")),
        (
            {"FLASK_RUN_HOST": "0.0.0.0", "FLASK_RUN_PORT": "8080"},  # noqa: S104
            ("http://127.0.0.1:8080", "http://localhost:8080"),
        ),
    ],
)
def test_unset_urls_follow_the_port_served(environ, expected):
    assert _derived(environ) == expected


def test_urls_that_are_set_are_kept():
    environ = {"FLASK_RUN_PORT": "5401"}
    assert _derived(
        environ, BASE_URL="https://lms.example.org", CONTENT_BASE_URL="https://c.example.org"
    ) == ("https://lms.example.org", "https://c.example.org")


def test_a_port_mismatch_on_this_machine_is_explained_but_not_a_public_address():
    environ = {"FLASK_RUN_PORT": "5401"}
    config = {"BASE_URL": "http://127.0.0.1:5000", "CONTENT_BASE_URL": "http://localhost:5401"}
    problems = url_problems(config, environ)
    assert len(problems) == 1 and "BASE_URL is http://127.0.0.1:5000" in problems[0]
    assert "port 5401" in problems[0] and "LOTSE_BASE_URL" in problems[0]
    behind_proxy = {"BASE_URL": "https://lms.example.org", "CONTENT_BASE_URL": ""}
    assert url_problems(behind_proxy, environ) == []
    assert url_problems(config, {}) == []  # not started by `lotse-lms run`: nothing to compare


def test_a_mismatch_is_logged_at_start_and_shown_on_every_page(database_url, tmp_path, caplog):
    environ = {"FLASK_RUN_PORT": "5401", "LOTSE_BASE_URL": "http://127.0.0.1:5000"}
    config = {"DATABASE_URL": database_url, "SECRET_KEY": "x", "DATA_DIR": str(tmp_path / "d")}
    with caplog.at_level(logging.WARNING):
        app = create_app(config, instance_path=tmp_path / "instance", environ=environ)
    assert any("listens on port 5401" in r.getMessage() for r in caplog.records)
    page = app.test_client().get("/login", base_url="http://127.0.0.1:5000").get_data(as_text=True)
    assert "passt nicht zum Port" in page


def test_a_page_opened_at_another_address_says_where_the_lms_lives(client):
    # BASE_URL of the tests is http://localhost: the LMS's host name on another port reaches
    # the app (the trusted-host check, like cookies, ignores ports) and the page explains it
    page = client.get("/login", base_url="http://localhost:5401").get_data(as_text=True)
    assert "über localhost:5401 aufgerufen" in page and "http://localhost" in page
    assert "url-warning" not in client.get("/login").get_data(as_text=True)
    # another host name is refused before any page is built (Host header poisoning)
    assert client.get("/login", base_url="http://127.0.0.1:5401").status_code == 400
