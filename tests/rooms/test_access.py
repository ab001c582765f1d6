"""Who reaches which page of the rooms: public, firm contact of this room and of another
room, the leading Lotse, the mentor, the foundation."""

import sqlalchemy as sa

from lotse_lms.accounts.operations import set_password
from lotse_lms.extensions import db
from lotse_lms.rooms import firms, operations
from lotse_lms.rooms.models import Organisation

from ..conftest import PASSWORD, csrf_token, login
from .conftest import room_data

FIRM = {"name": "Bäckerei Korn", "sector": "handwerk", "staff_count": 9, "bundesland": "NW"}

#: path template -> expected status for (public, firm_here, firm_other, lotse, mentor, foundation)
MATRIX = {
    "/": (200, 200, 200, 200, 200, 200),
    "/raeume/": (302, 200, 200, 200, 200, 200),
    "/raeume/neu": (302, 403, 403, 200, 403, 200),
    "/raeume/{room}": (302, 200, 404, 200, 200, 200),
    "/raeume/{room}/bearbeiten": (302, 403, 404, 200, 403, 200),
    "/raeume/{room}/mitglieder": (302, 403, 404, 200, 403, 200),
    "/raeume/{room}/anfragen": (302, 403, 404, 200, 403, 200),
    "/raeume/{room}/unternehmen/{org}": (302, 403, 404, 200, 403, 200),
    "/raeume/verzeichnis": (200, 200, 200, 200, 200, 200),
    "/raeume/verzeichnis/{room}": (200, 200, 200, 200, 200, 200),
    "/raeume/verzeichnis/{planned}": (404, 404, 404, 404, 404, 404),
}
#: POSTs: a phase change only by the lead (and co-leads) and the foundation; the consent form
#: of a firm of this room reaches those who see the room (the operation lets only the firm's
#: contacts and the foundation decide, see test_firms.py).
POSTS = {
    "/raeume/{room}/phase": (302, 403, 404, 302, 403, 302),
    "/raeume/{room}/unternehmen/{org}/nennung": (302, 302, 404, 302, 302, 302),
}
WHO = ("public", "firm_here", "firm_other", "lotse", "mentor", "foundation")


def test_access_matrix_over_the_rooms_pages(app, lotse, mentor, staff):
    room = operations.create_room(room_data(), lotse, lotse, mentor=mentor)
    operations.change_phase(room, "open", lotse)
    other = operations.create_room(room_data(title="Anderer Raum"), lotse, lotse)
    planned = operations.create_room(room_data(title="Geplant"), lotse, lotse)
    here = firms.invite_firm_contact(room, "Hanna Hier", "hanna@korn.example", FIRM, lotse)
    there = firms.invite_firm_contact(
        other, "Otto Anders", "otto@anders.example", {**FIRM, "name": "Anders AG"}, lotse
    )
    for member in (here, there):  # as if they followed the invitation link
        set_password(member.user, PASSWORD)
    db.session.commit()
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Bäckerei Korn"))
    people = {
        "firm_here": here.user.email,
        "firm_other": there.user.email,
        "lotse": lotse.email,
        "mentor": mentor.email,
        "foundation": staff.email,
    }
    clients = {}
    for who in WHO:
        clients[who] = app.test_client()
        if who != "public":
            assert login(clients[who], people[who]).status_code == 302, who
    values = {"room": room.id, "org": org.id, "planned": planned.id}
    found = {}
    for path, expected in MATRIX.items():
        for who, status in zip(WHO, expected, strict=True):
            got = clients[who].get(path.format(**values)).status_code
            if got != status:
                found[(path, who)] = (got, status)
    for path, expected in POSTS.items():
        for who, status in zip(WHO, expected, strict=True):
            client = clients[who]
            token = csrf_token(client, "/raeume/verzeichnis")
            got = client.post(
                path.format(**values), data={"csrf_token": token, "phase": "planned"}
            ).status_code
            if got != status:
                found[(path, who)] = (got, status)
            if path.endswith("/phase") and got == 302 and who != "public":
                operations.change_phase(db.session.get(type(room), room.id), "open", staff)
                db.session.commit()
    assert found == {}, found
    assert db.session.get(Organisation, org.id).public_consent is False  # no box ticked
