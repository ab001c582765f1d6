"""The public directory and "Interesse melden": filters, paging, double opt-in, spam
protection, and the Lotse's decision."""

import re
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from lotse_lms.core.privacy import retention_tasks
from lotse_lms.core.timeutil import utcnow
from lotse_lms.extensions import db
from lotse_lms.rooms import directory, join_requests, operations, policy
from lotse_lms.rooms.models import JoinRequest, RoomMember

from ..conftest import csrf_token, login
from .conftest import link_in, mails_to, room_data

pytestmark = pytest.mark.config(ROOMS_INTEREST_MIN_SECONDS=0)


def _stamp(client, room):
    page = client.get(f"/raeume/verzeichnis/{room.id}").get_data(as_text=True)
    return re.search(r'name="started" type="hidden" value="([^"]+)"', page).group(1)


def _ask(client, room, **changes):
    data = {
        "name": "Frieda Firma",
        "firm": "Tischlerei Holz GmbH",
        "email": "frieda@tischlerei.example",
        "message": "Wir möchten mitmachen.",
        "website": "",
        "started": _stamp(client, room),
        "csrf_token": csrf_token(client, f"/raeume/verzeichnis/{room.id}"),
    }
    data.update(changes)
    return client.post(f"/raeume/verzeichnis/{room.id}", data=data)


def _open(lotse, **changes):
    room = operations.create_room(room_data(**changes), lotse, lotse)
    operations.change_phase(room, "open", lotse)
    return room


def test_the_directory_shows_open_and_running_rooms_and_filters_them(client, lotse):
    nrw = _open(lotse, title="Handwerk Dortmund", postcode_area="44")
    health = _open(
        lotse,
        title="Pflege Lübeck",
        bundesland="SH",
        postcode_area="235",
        sector="gesundheit",
        topics=["plattform_pflege"],
    )
    operations.change_phase(health, "running", lotse)
    operations.create_room(room_data(title="Noch geplant"), lotse, lotse)
    closed = _open(lotse, title="Schon vorbei")
    operations.change_phase(closed, "running", lotse)
    operations.change_phase(closed, "closed", lotse)
    db.session.commit()

    def titles(query=""):
        page = client.get("/raeume/verzeichnis" + query).get_data(as_text=True)
        return {t for t in (nrw.title, health.title, "Noch geplant", "Schon vorbei") if t in page}

    assert titles() == {nrw.title, health.title}
    assert titles("?land=SH") == {health.title}
    assert titles("?plz=44137") == {nrw.title}  # a full postcode finds its area
    assert titles("?plz=2") == {health.title}  # a first digit finds the areas below it
    assert titles("?branche=handwerk") == {nrw.title}
    assert titles("?thema=plattform_pflege") == {health.title}
    assert titles("?thema=unbekannt&land=XX") == {nrw.title, health.title}  # unknown: ignored
    assert client.get(f"/raeume/verzeichnis/{closed.id}").status_code == 404


def test_the_directory_pages_with_constant_queries(client, lotse, count_queries):
    for i in range(3):
        _open(lotse, title=f"Raum {i:02d}")
    db.session.commit()
    few, _r = count_queries(client.get, "/raeume/verzeichnis")
    for i in range(3, 25):
        _open(lotse, title=f"Raum {i:02d}")
    db.session.commit()
    many, _r = count_queries(client.get, "/raeume/verzeichnis")
    assert many == few
    first = client.get("/raeume/verzeichnis").get_data(as_text=True)
    assert "Raum 19" in first and "Raum 20" not in first and "Seite 1 von 2" in first
    assert "Raum 24" in client.get("/raeume/verzeichnis?page=2").get_data(as_text=True)


def test_interest_is_double_opt_in_and_reaches_the_lotse_only_when_confirmed(
    client, open_room, lotse
):
    response = _ask(client, open_room)
    assert response.status_code == 302 and response.location.endswith("/danke")
    request = db.session.scalar(sa.select(JoinRequest))
    assert request.state == "unconfirmed"
    assert mails_to(lotse.email, "Interessensbekundung") == []
    login(client, lotse.email)
    assert "Frieda Firma" not in client.get(f"/raeume/{open_room.id}/anfragen").get_data(
        as_text=True
    )
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})

    (confirm_mail,) = mails_to("frieda@tischlerei.example")
    link = link_in(confirm_mail.body, "/raeume/interesse/")
    page = client.get(link).get_data(as_text=True)
    assert "Anfrage bestätigen" in page
    assert db.session.get(JoinRequest, request.id).state == "unconfirmed"  # a GET confirms nothing
    client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert db.session.get(JoinRequest, request.id).state == "confirmed"
    (notice,) = mails_to(lotse.email, "Interessensbekundung")
    assert "Frieda Firma" in notice.body and f"/raeume/{open_room.id}/anfragen" in notice.body
    client.post(link, data={"csrf_token": csrf_token(client, link)})  # twice: still one notice
    assert len(mails_to(lotse.email, "Interessensbekundung")) == 1

    login(client, lotse.email)
    assert "Frieda Firma" in client.get(f"/raeume/{open_room.id}/anfragen").get_data(as_text=True)


def test_a_forged_or_expired_link_confirms_nothing(client, open_room, app):
    _ask(client, open_room)
    link = link_in(mails_to("frieda@tischlerei.example")[0].body, "/raeume/interesse/")
    assert client.get(link[:-3] + "abc").status_code == 410
    request = db.session.scalar(sa.select(JoinRequest))

    class SignedThreeDaysAgo(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - 73 * 3600

    old = URLSafeTimedSerializer(
        app.config["SECRET_KEY"], salt="rooms-interest-confirm", signer=SignedThreeDaysAgo
    ).dumps(request.id)
    response = client.get(f"/raeume/interesse/{old}")
    assert response.status_code == 410 and "abgelaufen" in response.get_data(as_text=True)


def test_the_form_names_every_error_at_once_and_keeps_nothing(client, open_room):
    response = _ask(client, open_room, name="", firm="", email="kein-at", message="x" * 2001)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count("Bitte füllen Sie dieses Feld aus.") >= 2
    assert "gültige E-Mail-Adresse" in page and "2000" in page
    assert db.session.scalar(sa.select(sa.func.count(JoinRequest.id))) == 0


def test_a_filled_honeypot_is_answered_like_success_but_nothing_is_kept(client, open_room):
    response = _ask(client, open_room, website="http://spam.example")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(JoinRequest.id))) == 0
    assert mails_to("frieda@tischlerei.example") == []


@pytest.mark.config(ROOMS_INTEREST_MIN_SECONDS=60)
def test_a_form_sent_faster_than_a_person_types_is_refused(client, open_room):
    page = _ask(client, open_room).get_data(as_text=True)
    assert "Das ging sehr schnell" in page
    assert db.session.scalar(sa.select(sa.func.count(JoinRequest.id))) == 0


def test_a_missing_or_forged_time_stamp_is_refused(client, open_room):
    page = _ask(client, open_room, started="gefälscht").get_data(as_text=True)
    assert "unvollständig" in page
    assert db.session.scalar(sa.select(sa.func.count(JoinRequest.id))) == 0


@pytest.mark.config(ROOMS_INTEREST_LIMIT="2 per hour", ROOMS_INTEREST_MIN_SECONDS=0)
def test_the_rate_limit_stops_a_flood_from_one_address(client, open_room):
    assert _ask(client, open_room, email="a@x.example").status_code == 302
    assert _ask(client, open_room, email="b@x.example").status_code == 302
    assert _ask(client, open_room, email="c@x.example").status_code == 429
    assert db.session.scalar(sa.select(sa.func.count(JoinRequest.id))) == 2


def test_one_address_gets_one_confirmation_mail_per_room_and_day(client, open_room):
    _ask(client, open_room)
    _ask(client, open_room)
    assert len(mails_to("frieda@tischlerei.example")) == 1


def _confirmed(client, room):
    _ask(client, room)
    request = db.session.scalar(sa.select(JoinRequest).order_by(JoinRequest.id.desc()))
    directory.confirm_interest(request)
    db.session.commit()
    return request


def test_accepting_creates_the_organisation_and_invites_the_contact(
    client, open_room, lotse, post_form
):
    request = _confirmed(client, open_room)
    login(client, lotse.email)
    path = f"/raeume/{open_room.id}/anfragen/{request.id}/annehmen"
    page = client.get(path).get_data(as_text=True)
    assert "Tischlerei Holz GmbH" in page  # the firm's name is taken over
    response = post_form(
        path,
        {
            "name": "Tischlerei Holz GmbH",
            "sector": "handwerk",
            "staff_count": "12",
            "bundesland": "NW",
            "postcode": "44137",
        },
    )
    assert response.status_code == 302
    member = db.session.scalar(sa.select(RoomMember).where(RoomMember.role == "firm_contact"))
    assert member.user.email == "frieda@tischlerei.example"
    assert member.user.has_role("firm_contact") and member.user.password_hash is None
    assert member.organisation.name == "Tischlerei Holz GmbH"
    assert member.organisation.staff_count == 12 and member.organisation.public_consent is False
    assert db.session.get(JoinRequest, request.id).state == "accepted"
    invitation = mails_to("frieda@tischlerei.example")[-1]
    assert open_room.title in invitation.subject and "/invitation/" in invitation.body
    assert policy.room_role(member.user, open_room) == "firm_contact"


def test_declining_tells_the_requester(client, open_room, lotse, post_form):
    request = _confirmed(client, open_room)
    login(client, lotse.email)
    post_form(
        f"/raeume/{open_room.id}/anfragen/{request.id}/ablehnen",
        {"reason": "Der Raum ist für Handwerksbetriebe."},
        page=f"/raeume/{open_room.id}/anfragen",
    )
    assert db.session.get(JoinRequest, request.id).state == "declined"
    mail = mails_to("frieda@tischlerei.example")[-1]
    assert "nicht teilnehmen" in mail.body and "Handwerksbetriebe" in mail.body
    assert (
        db.session.scalar(
            sa.select(sa.func.count(RoomMember.id)).where(RoomMember.role == "firm_contact")
        )
        == 0
    )


def test_retention_deletes_stale_unconfirmed_and_old_decided_requests(client, open_room, app):
    _ask(client, open_room)
    request = db.session.scalar(sa.select(JoinRequest))
    expire = retention_tasks(app)["rooms.interest_requests"]
    assert expire(utcnow()) == 0
    assert expire(utcnow() + timedelta(hours=73)) == 1
    assert db.session.get(JoinRequest, request.id) is None


def test_my_rooms_counts_confirmed_requests_for_the_lead(client, open_room, lotse):
    _ask(client, open_room)
    login(client, lotse.email)
    assert "requests-waiting" not in client.get("/raeume/").get_data(as_text=True)
    request = db.session.scalar(sa.select(JoinRequest))
    directory.confirm_interest(request)
    db.session.commit()
    assert join_requests.open_requests_for(lotse) == 1
    page = client.get("/raeume/").get_data(as_text=True)
    assert "1 bestätigte Interessensbekundung wartet" in page
