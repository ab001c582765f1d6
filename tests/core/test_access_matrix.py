"""Who may open which page: every route × every role (and anonymous)."""

import pytest

from ..conftest import login

ROLES = ["participant", "trainer", "mentor", "reflecting_team", "foundation", "admin"]
OK, LOGIN, FORBIDDEN = 200, "login", 403

#: Foundation routes: expected answer per role; roles not named get FORBIDDEN.
MATRIX = {
    "/": dict.fromkeys(ROLES, OK),
    "/profile": dict.fromkeys(ROLES, OK),
    "/profile/password": dict.fromkeys(ROLES, OK),
    "/profile/authorisation": dict.fromkeys(ROLES, OK),
    "/profile/workshop": dict.fromkeys(ROLES, OK),
    "/foundation/verification": {"foundation": OK},
    "/users": {"foundation": OK, "admin": OK},
    "/users/new": {"foundation": OK, "admin": OK},
    "/audit": {"foundation": OK, "admin": OK},
    "/outbox": {"admin": OK},
    "/meine-daten": dict.fromkeys(ROLES, OK),
    "/datenschutz/antraege": {"foundation": OK, "admin": OK},
    "/community/": dict.fromkeys(ROLES, OK),
    "/community/neu": dict.fromkeys(ROLES, OK),
    "/community/moderation": {"trainer": OK, "foundation": OK, "admin": OK},
    "/community/themenforen": {"foundation": OK, "admin": OK},
    "/raeume/": dict.fromkeys(ROLES, OK),
    "/raeume/neu": {"foundation": OK, "admin": OK},
}

#: Pages anyone may open without signing in (prefixes).
PUBLIC = (
    "/login",
    "/register",
    "/password/",
    "/invitation/",
    "/static/",
    "/language/",
    "/verify",
    "/certificates/verify",
    "/.well-known/",
    "/calendar/feed/",
    "/q2/feed/",
    "/content/",
    "/scorm-content/",
    "/launch/",
    "/runtime/",
    "/jwks",
    "/did.json",
    "/healthz",
    "/raeume/erkenntnisse",  # the learning cards every named firm agreed to publish
    "/raeume/verzeichnis",
    "/raeume/interesse/",
)
#: Legal pages anyone may read (exact paths: /datenschutz/antraege is for staff).
LEGAL = ("/impressum", "/datenschutz", "/barrierefreiheit")


@pytest.mark.parametrize("path", sorted(MATRIX))
@pytest.mark.parametrize("role", [None, *ROLES])
def test_foundation_routes_answer_each_role_as_intended(app, make_user, path, role):
    client = app.test_client()
    if role is not None:
        login(client, make_user(role).email)
    response = client.get(path)
    if role is None:
        expected = OK if path == "/" else LOGIN
    else:
        expected = MATRIX[path].get(role, FORBIDDEN)
    if expected == LOGIN:
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == expected, f"{role} on {path}"


def _fill(rule):
    """Turn a URL rule into a concrete path with harmless argument values."""
    values = {}
    for arg in rule.arguments:
        converter = rule._converters.get(arg)
        values[arg] = (
            1 if converter is not None and type(converter).__name__ == "IntegerConverter" else "x"
        )
    return rule.build(values, append_unknown=False)[1]


def test_every_other_page_asks_anonymous_visitors_to_sign_in(app):
    """No page outside the public list answers an anonymous visitor with content."""
    client = app.test_client()
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        path = _fill(rule)
        if path == "/" or path in LEGAL or path.startswith(PUBLIC):
            continue
        response = client.get(path)
        checked += 1
        assert response.status_code in (302, 401, 403, 404), (
            f"{path} answered {response.status_code}"
        )
        if response.status_code == 302:
            assert "/login" in response.headers["Location"], path
    assert checked >= 8


def test_a_participant_never_reads_another_participants_records(app, make_user):
    from datetime import date

    from lotse_lms.accounts import verification
    from lotse_lms.extensions import db

    owner = make_user("participant")
    record, _ = verification.submit_authorisation(
        owner, "OM-7", date(2026, 1, 2), "a.pdf", b"%PDF-1.4 x"
    )
    db.session.commit()
    other = app.test_client()
    login(other, make_user("participant").email)
    for path in (
        f"/foundation/verification/authorisation/{record.id}",
        f"/foundation/verification/authorisation/{record.id}/proof",
        f"/users/{owner.id}",
    ):
        assert other.get(path).status_code == 403, path
    assert "OM-7" not in other.get("/profile/authorisation").get_data(as_text=True)
