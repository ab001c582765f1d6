"""What a firm contact sees: their rooms, meetings, actions, calendar, profile and own data,
the room's forum; not the Lotsen qualification and not the Lotsen-Community."""

import re

import sqlalchemy as sa

from lotse_lms.community.models import ANNOUNCEMENTS, BOARD, Space
from lotse_lms.community.operations import ensure_defaults
from lotse_lms.extensions import db

from ..conftest import login

QUALIFICATION = (
    "/q1/",
    "/q2/",
    "/q2/calendar",
    "/reflecting-team/",
    "/reflecting-team/methods",
    "/certificates/mine",
    "/profile/authorisation",
    "/profile/workshop",
)


def _menu(page):
    nav = re.search(r'<nav class="main-nav".*?</nav>', page, re.S).group(0)
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav)


def test_a_firm_contact_sees_their_rooms_and_not_the_qualification(client, work_room):
    room, anna = work_room["room"], work_room["anna"]
    ensure_defaults()
    db.session.commit()
    login(client, anna.email)

    dashboard = client.get("/").get_data(as_text=True)
    assert _menu(dashboard) == ["Übersicht", "Kalender", "Experimentierräume"]
    assert "Ihre Experimentierräume" in dashboard and room.title in dashboard
    assert work_room["other_room"].title not in dashboard
    assert "Ankündigungen" not in dashboard and "Ihr Weg zur OM-Lotsin" not in dashboard

    base = f"/raeume/{room.id}"
    for path in (
        "/calendar",
        "/raeume/",
        base,
        base + "/treffen",
        base + "/aufgaben",
        base + "/themen",
        base + "/dateien",
        "/profile",
        "/meine-daten",
        "/community/benachrichtigungen",
    ):
        assert client.get(path).status_code == 200, path
    forum = client.get(base + "/forum", follow_redirects=True)
    assert forum.status_code == 200 and forum.request.path.startswith("/community/")

    for path in QUALIFICATION:
        assert client.get(path).status_code == 403, path
    profile = client.get("/profile").get_data(as_text=True)
    assert "Autorisierung als OM-Beraterin" not in profile

    index = client.get("/community/").get_data(as_text=True)
    spaces = db.session.scalars(sa.select(Space).where(Space.kind.in_([BOARD, ANNOUNCEMENTS])))
    for space in spaces:
        assert f'"/community/bereich/{space.id}"' not in index, space.name
        assert client.get(f"/community/bereich/{space.id}").status_code in (403, 404), space.name
    assert room.title in index  # the room's own forum space


def test_a_lotse_who_is_also_a_firm_contact_keeps_the_qualification(client, make_user):
    both = make_user("participant", "firm_contact", name="Petra Beides")
    login(client, both.email)
    menu = _menu(client.get("/").get_data(as_text=True))
    assert "Selbstlernmodule" in menu and "Community" in menu
    assert client.get("/q1/").status_code == 200
