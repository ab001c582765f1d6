"""Who may open what: every Q1 route × role, and the separation of the two origins."""

import pytest
from q1_helpers import origin

from lotse_lms.extensions import db
from lotse_lms.modules.q1.tokens import content_token

ROLES = ["participant", "trainer", "mentor", "reflecting_team", "foundation", "admin"]
EVERYONE = set(ROLES)
MANAGERS = {"trainer", "admin"}
READERS = {"trainer", "admin", "foundation"}
#: Who takes part in Q1: learners (the audience "all participants") and staff; mentors and
#: the reflecting team do not, and get a 404 for the player (as for a draft).
PLAYERS = {"participant"} | READERS


@pytest.fixture
def version(import_fixture):
    """An imported single-SCO package."""
    return import_fixture("RuntimeBasicCalls_SCORM12")


def routes(version, learner_id):
    """(method, path, roles allowed) of every LMS route of Q1."""
    pid, vid = version.package_id, version.id
    return [
        ("GET", "/q1/", EVERYONE),
        ("GET", "/q1/packages/new", MANAGERS),
        ("GET", f"/q1/packages/{pid}", READERS),
        ("GET", f"/q1/packages/{pid}/report", READERS),
        ("GET", f"/q1/packages/{pid}/report.csv", READERS),
        ("GET", f"/q1/packages/{pid}/report/{learner_id}", READERS),
        ("GET", f"/q1/play/{pid}", PLAYERS),
        ("GET", f"/q1/play/{pid}/ende", PLAYERS),
        ("GET", f"/q1/play/version/{vid}/status", PLAYERS),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_route_role_matrix(client, login_as, version, role):
    user = login_as(role)
    for method, path, allowed in routes(version, user.id):
        response = client.open(path, method=method)
        denied = 404 if allowed is PLAYERS else 403
        expected = 200 if role in allowed else denied
        assert response.status_code == expected, (role, path, response.status_code)


def test_anonymous_redirected_to_login(client, version):
    for method, path, _allowed in routes(version, 1):
        response = client.open(path, method=method)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    assert client.post(f"/q1/play/version/{version.id}/launch", json={"item": "x"}).status_code in (
        302,
        400,
    )


@pytest.mark.parametrize("role", ROLES)
def test_upload_and_update_posts_need_manager(client, login_as, post_form, version, role):
    login_as(role)
    page = "/q1/" if role not in MANAGERS else "/q1/packages/new"
    response = post_form("/q1/packages/new", {}, page=page)
    assert response.status_code == (422 if role in MANAGERS else 403)
    response = post_form(f"/q1/packages/{version.package_id}/update", {}, page="/q1/")
    assert response.status_code == (422 if role in MANAGERS else 403)


@pytest.mark.parametrize("role", ROLES)
def test_lifecycle_posts_need_manager_and_certificate_the_foundation(
    client, login_as, post_form, version, role
):
    login_as(role)
    pid = version.package_id
    response = post_form(f"/q1/packages/{pid}/certificate", {"module_key": "x"}, page="/q1/")
    assert response.status_code == (422 if role in {"foundation", "admin"} else 403)
    expected = {"publish": 422, "archive": 302, "delete": 302}
    for action in ("publish", "archive", "delete"):
        response = post_form(f"/q1/packages/{pid}/{action}", {"audience": "nobody"}, page="/q1/")
        assert response.status_code == (expected[action] if role in MANAGERS else 403), action


def test_launch_needs_csrf_token(client, login_as, version):
    login_as("participant")
    response = client.post(
        f"/q1/play/version/{version.id}/launch", json={"item": version.entries()[0]["id"]}
    )
    assert response.status_code == 400  # no X-CSRFToken header


def test_launch_with_csrf_token(client, login_as, version):
    login_as("participant")
    html = client.get(f"/q1/play/{version.package_id}").get_data(as_text=True)
    token = html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        f"/q1/play/version/{version.id}/launch",
        json={"item": version.entries()[0]["id"]},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200 and response.json["url"].startswith(
        origin(version) + "/scorm-content/launch/"
    )
    unknown = client.post(
        f"/q1/play/version/{version.id}/launch",
        json={"item": "nope"},
        headers={"X-CSRFToken": token},
    )
    assert (
        unknown.status_code == 404
        and unknown.json["message"] == "Diese Lerneinheit gibt es in diesem Paket nicht."
    )


def test_content_routes_only_on_content_host(client, content, launch, make_user, version):
    learner = make_user("participant")
    _attempt, token = launch(learner, version)
    assert client.get(f"/scorm-content/launch/{token}").status_code == 404  # LMS host
    assert client.post(f"/scorm-content/commit/{token}", json={}).status_code == 404
    assert content.get(f"/scorm-content/launch/{token}").status_code == 200
    # nothing of the LMS answers on the content host (no login form, no dashboard)
    for path in ("/", "/login", "/q1/", f"/q1/play/{version.package_id}", "/static/css/app.css"):
        assert content.get(path).status_code == 404, path


def test_lms_cookie_does_not_authorise_content(client, login_as, version):
    """Even a client that carries the LMS session cookie gets nothing on the content host
    without a token: the content origin never acts as the signed-in user."""
    login_as("admin")
    assert client.get("/q1/").status_code == 200
    for path in ("/scorm-content/p/forged/imsmanifest.xml", "/scorm-content/launch/forged"):
        assert client.get(path, base_url=origin(version)).status_code in (403, 404)
    response = client.post("/scorm-content/commit/forged", json={}, base_url=origin(version))
    assert response.status_code == 403 and response.json["error"] == "token_invalid"


def test_player_and_launch_headers(client, content, login_as, launch, version):
    user = login_as("participant")
    page = client.get(f"/q1/play/{version.package_id}")
    assert f"frame-src 'self' {origin(version)}" in page.headers["Content-Security-Policy"]
    _attempt, token = launch(user, version)
    response = content.get(f"/scorm-content/launch/{token}")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors http://localhost" in csp and "script-src 'self'" in csp
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert html.index("runtime-api.js") < html.index("launch.js")
    # the API is installed by launch.js before the SCO frame gets a src: none in the markup
    assert (
        '<iframe id="lotse-sco" title' in html
        and "src=" not in html.split('<iframe id="lotse-sco"')[1].split(">")[0]
    )
    db.session.rollback()


def test_report_lists_learners_and_csv(client, login_as, make_user, launch, version):
    from q1_helpers import payload

    learner = make_user("participant", name="=HYPERLINK(böse)")
    attempt, token = launch(learner, version)
    body = payload(
        attempt,
        [
            ("cmi.core.score.raw", "70"),
            ("cmi.core.lesson_status", "passed"),
            ("cmi.core.session_time", "01:02:03"),
        ],
        terminated=True,
    )
    assert (
        client.post(
            f"/scorm-content/commit/{token}", json=body, base_url=origin(version)
        ).status_code
        == 200
    )
    login_as("trainer")
    html = client.get(f"/q1/packages/{version.package_id}/report").get_data(as_text=True)
    assert "=HYPERLINK(böse)" in html and "bestanden" in html and "1:02:03" in html
    csv = client.get(f"/q1/packages/{version.package_id}/report.csv")
    text = csv.get_data(as_text=True)
    assert csv.mimetype == "text/csv" and "attachment" in csv.headers["Content-Disposition"]
    assert "'=HYPERLINK(böse);" in text and ";bestanden;ja;ja;70,0;1:02:03;1;0;" in text
    detail = client.get(f"/q1/packages/{version.package_id}/report/{learner.id}").get_data(
        as_text=True
    )
    assert "bestanden" in detail and "70,0\u00a0%" in detail


def test_content_token_opens_only_the_version_it_names(content, version, import_fixture, make_user):
    other = import_fixture("RuntimeBasicCalls_SCORM20043rdEdition")
    token = content_token(make_user().id, other.id)
    response = content.get(f"/scorm-content/p/{token}/imsmanifest.xml")
    assert response.status_code == 200 and b"2004" in response.data
    assert (
        b"2004"
        not in (
            content.get(
                f"/scorm-content/p/{content_token(1, version.id)}/imsmanifest.xml"
            ).data.split(b"<schemaversion>")[1][:8]
        )
    )


def test_old_version_cannot_be_launched(client, login_as, import_fixture, version):
    from lotse_lms.modules.q1.models import ScormPackage

    login_as("participant")
    package = db.session.get(ScormPackage, version.package_id)
    import_fixture("RuntimeBasicCalls_SCORM12", package=package)
    html = client.get(f"/q1/play/{version.package_id}").get_data(as_text=True)
    token = html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        f"/q1/play/version/{version.id}/launch",
        json={"item": version.entries()[0]["id"]},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 409 and "neue Version" in response.json["message"]
