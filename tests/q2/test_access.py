"""Every Q2 route for every role: allowed, 403 for the signed-in without the right, login for anonymous."""

import pytest

from lotse_lms.extensions import db
from lotse_lms.modules.q2 import feeds, registrations

from ..conftest import csrf_token, login

ALL = {
    "participant",
    "own_trainer",
    "other_trainer",
    "mentor",
    "reflecting_team",
    "foundation",
    "admin",
}
VIEWERS = {"own_trainer", "foundation", "admin"}
ROUTES = [
    ("GET", "/q2/", ALL),
    ("GET", "/q2/sessions/{id}", ALL),
    ("POST", "/q2/sessions/{id}/enrol", {"participant"}),
    ("POST", "/q2/sessions/{id}/cancel", {"participant"}),
    ("GET", "/q2/sessions/{id}.ics", ALL),
    ("GET", "/q2/mine", {"participant"}),
    ("GET", "/q2/calendar", ALL),
    ("POST", "/q2/calendar", ALL),
    ("GET", "/q2/manage", {"own_trainer", "other_trainer", "foundation", "admin"}),
    ("GET", "/q2/manage/export.csv", {"own_trainer", "other_trainer", "foundation", "admin"}),
    ("GET", "/q2/manage/new", {"own_trainer", "other_trainer"}),
    ("GET", "/q2/manage/{id}", VIEWERS),
    ("GET", "/q2/manage/{id}/participants.csv", VIEWERS),
    ("GET", "/q2/manage/{id}/edit", {"own_trainer"}),
    ("GET", "/q2/manage/{id}/duplicate", {"own_trainer"}),
    ("GET", "/q2/manage/{id}/cancel", {"own_trainer"}),
    ("POST", "/q2/manage/{id}/attendance", {"own_trainer"}),
    ("GET", "/q2/manage/{id}/remove/{reg}", {"own_trainer"}),
    ("POST", "/q2/manage/{id}/remove/{reg}", {"own_trainer"}),
    ("POST", "/q2/manage/{id}/admit/{reg}", {"own_trainer"}),
    ("POST", "/q2/manage/{id}/add", {"own_trainer"}),
    ("GET", "/q2/manage/{id}/clashes", {"own_trainer"}),
    ("POST", "/q2/manage/{id}/clashes", {"own_trainer"}),
]


@pytest.mark.parametrize("role", sorted(ALL) + ["anonymous"])
def test_each_route_lets_in_exactly_the_right_roles(role, client, trainer, new_session, make_user):
    session = new_session()
    reg = registrations.enrol(make_user("participant"), session.id)
    db.session.commit()
    if role == "own_trainer":
        login(client, trainer.email)
    elif role != "anonymous":
        user = make_user("trainer" if role == "other_trainer" else role)
        login(client, user.email)
    for method, pattern, allowed in ROUTES:
        path = pattern.format(id=session.id, reg=reg.id)
        if method == "POST":
            data = {
                "csrf_token": csrf_token(
                    client, "/login" if role == "anonymous" else "/q2/calendar"
                )
            }
            response = client.post(path, data=data)
        else:
            response = client.get(path)
        where = f"{method} {path} as {role}"
        if role == "anonymous":
            assert response.status_code == 302 and "/login" in response.location, where
        elif role in allowed:
            assert response.status_code in (200, 302, 422), where  # 422: empty form refused
            assert "/login" not in (response.location or ""), where
        else:
            assert response.status_code == 403, where


def test_feed_needs_no_sign_in_but_a_valid_token(client, make_user):
    user = make_user("participant")
    token = feeds.ensure_feed(user).token
    db.session.commit()
    assert client.get(f"/q2/feed/{token}.ics").status_code == 200
    assert client.get(f"/q2/feed/{token[:-1]}x.ics").status_code == 404
    user.active = False
    db.session.commit()
    assert client.get(f"/q2/feed/{token}.ics").status_code == 404


def test_unknown_session_is_404(login_as, client):
    login_as("trainer")
    assert client.get("/q2/sessions/999").status_code == 404
    assert client.get("/q2/manage/999/edit").status_code == 404
