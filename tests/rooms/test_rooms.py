"""Rooms: creating and editing through the forms, phases, invitations of firm contacts,
consent to be named publicly, co-moderation, the audit of membership changes, privacy."""

import pytest
import sqlalchemy as sa

from lotse_lms.accounts.operations import set_password
from lotse_lms.core.models import AuditEntry
from lotse_lms.core.privacy import providers
from lotse_lms.extensions import db
from lotse_lms.rooms import firms, operations, policy
from lotse_lms.rooms.models import JoinRequest, Organisation, Room, RoomMember

from ..conftest import login
from .conftest import mails_to, room_data

FIRM = {"name": "Bäckerei Korn", "sector": "handwerk", "staff_count": 9, "bundesland": "NW"}
FORM = {
    "title": "Digitale Werkstatt",
    "topics": ["homeoffice", "datenschutz"],
    "bundesland": "NW",
    "postcode_area": "44",
    "sector": "handwerk",
    "size_min": "5",
    "size_max": "25",
    "format": "praesenz",
    "capacity": "6",
    "public_description": "Für Handwerksbetriebe.",
    "private_description": "",
    "mentor": "",
    "lead": "",
}


def test_a_certified_lotse_creates_a_room_through_the_form(client, lotse, post_form):
    login(client, lotse.email)
    response = post_form("/raeume/neu", FORM)
    assert response.status_code == 302
    room = db.session.scalar(sa.select(Room))
    assert room.lead_id == lotse.id and room.phase == "planned" and room.mentor_id is None
    assert room.topics == ["datenschutz", "homeoffice"] and room.capacity == 6
    assert "Digitale Werkstatt" in client.get("/raeume/").get_data(as_text=True)


def test_the_room_form_names_every_error_at_once_and_writes_nothing(client, lotse, post_form):
    login(client, lotse.email)
    bad = {
        **FORM,
        "title": "",
        "topics": [],
        "bundesland": "",
        "postcode_area": "4a",
        "size_min": "30",
        "size_max": "5",
        "capacity": "0",
    }
    page = post_form("/raeume/neu", bad).get_data(as_text=True)
    for message in (
        "Bitte füllen Sie dieses Feld aus.",
        "mindestens ein Thema",
        "Bitte wählen Sie ein Bundesland",
        "PLZ-Gebiet besteht",
        "kleinste Betriebsgröße",
        "wie viele Unternehmen",
    ):
        assert message in page, message
    assert db.session.scalar(sa.select(sa.func.count(Room.id))) == 0


def test_a_trainee_creates_a_room_with_their_mentor(client, trainee, mentor, post_form):
    login(client, trainee.email)
    form_page = client.get("/raeume/neu").get_data(as_text=True)
    assert mentor.email in form_page  # the mentor is filled in
    post_form("/raeume/neu", {**FORM, "mentor": mentor.email})
    room = db.session.scalar(sa.select(Room))
    assert room.lead_id == trainee.id and room.mentor_id == mentor.id
    assert policy.room_role(mentor, room) == "mentor"


def test_a_trainee_without_mentor_in_the_form_is_refused(trainee):
    with pytest.raises(operations.RoomError) as refused:
        operations.check_room(room_data(), trainee, None, trainee)
    assert "mit Mentorin oder Mentor" in str(refused.value)


def test_the_foundation_creates_a_room_for_a_lotse(client, staff, lotse, post_form):
    login(client, staff.email)
    post_form("/raeume/neu", {**FORM, "lead": lotse.email})
    room = db.session.scalar(sa.select(Room))
    assert room.lead_id == lotse.id and room.created_by_id == staff.id


def test_phases_move_only_along_the_allowed_steps(room, lotse, client, post_form):
    with pytest.raises(operations.RoomError):
        operations.change_phase(room, "running", lotse)  # geplant -> läuft skips a step
    operations.change_phase(room, "open", lotse)
    operations.change_phase(room, "planned", lotse)  # back while nobody runs yet
    operations.change_phase(room, "open", lotse)
    operations.change_phase(room, "running", lotse)
    with pytest.raises(operations.RoomError):
        operations.change_phase(room, "open", lotse)
    operations.change_phase(room, "closed", lotse)
    with pytest.raises(operations.RoomError):
        operations.change_phase(room, "open", lotse)  # a closed room re-opens only to "läuft"
    db.session.commit()
    login(client, lotse.email)
    post_form(f"/raeume/{room.id}/phase", {"phase": "open"}, page=f"/raeume/{room.id}")
    assert db.session.get(Room, room.id).phase == "closed"
    changes = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "rooms.phase_changed")
    ).all()
    assert len(changes) == 5


def test_inviting_a_new_firm_contact_creates_an_account_and_mails_a_password_link(room, lotse):
    member = firms.invite_firm_contact(room, "Hanna Hier", "Hanna@Korn.example", FIRM, lotse)
    db.session.commit()
    user = member.user
    assert user.email == "hanna@korn.example" and user.has_role("firm_contact")
    assert user.password_hash is None and user.organisation == "Bäckerei Korn"
    (mail,) = mails_to("hanna@korn.example")
    assert room.title in mail.subject and "/invitation/" in mail.body
    audit = db.session.scalar(
        sa.select(AuditEntry).where(
            AuditEntry.action == "rooms.member_added", AuditEntry.subject_id == user.id
        )
    )
    assert audit.actor_id == lotse.id and audit.details["role"] == "firm_contact"


def test_inviting_an_existing_account_adds_the_role_and_links_the_room(room, lotse, make_user):
    known = make_user("participant", email="paul@korn.example")
    firms.invite_firm_contact(room, "Paul", "paul@korn.example", FIRM, lotse)
    db.session.commit()
    assert known.has_role("firm_contact") and known.has_role("participant")
    (mail,) = mails_to("paul@korn.example")
    assert f"/raeume/{room.id}" in mail.body and "/invitation/" not in mail.body


def test_an_invitation_names_every_problem_and_respects_capacity(room, lotse, staff):
    firms.invite_firm_contact(room, "Hanna", "hanna@korn.example", FIRM, lotse)
    with pytest.raises(operations.RoomError) as refused:
        firms.invite_firm_contact(
            room, "", "kaputt", {**FIRM, "name": "", "staff_count": -1}, lotse
        )
    fields = {field for field, _m in refused.value.errors}
    assert {"contact_name", "email", "name", "staff_count"} <= fields
    with pytest.raises(operations.RoomError, match="schon an"):
        firms.invite_firm_contact(room, "Hanna", "hanna@korn.example", FIRM, lotse)
    with pytest.raises(operations.RoomError, match="Stiftung"):
        firms.invite_firm_contact(room, "S", staff.email, {**FIRM, "name": "X"}, lotse)
    room.capacity = 2
    firms.invite_firm_contact(room, "Zweite", "b@b.example", {**FIRM, "name": "B GmbH"}, lotse)
    # a second contact of a firm already in the room takes no new place
    firms.invite_firm_contact(room, "Kollegin", "k@korn.example", FIRM, lotse)
    with pytest.raises(operations.RoomError, match="Plätze"):
        firms.invite_firm_contact(room, "Dritte", "c@c.example", {**FIRM, "name": "C AG"}, lotse)
    assert firms.firm_count(room) == 2
    assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 2


def test_only_the_firm_decides_to_be_named_publicly(room, lotse, mentor, client, post_form):
    member = firms.invite_firm_contact(room, "Hanna", "hanna@korn.example", FIRM, lotse)
    operations.change_phase(room, "open", lotse)
    db.session.commit()
    org = member.organisation
    assert org.public_consent is False
    assert "Bäckerei Korn" not in client.get(f"/raeume/verzeichnis/{room.id}").get_data(
        as_text=True
    )
    with pytest.raises(operations.RoomError):
        firms.set_consent(org, True, lotse)  # the Lotse cannot decide for the firm
    set_password(member.user, "ein-gutes-passwort-1")
    db.session.commit()
    login(client, member.user.email, "ein-gutes-passwort-1")
    page = client.get(f"/raeume/{room.id}").get_data(as_text=True)
    assert "Ihr Unternehmen" in page
    post_form(
        f"/raeume/{room.id}/unternehmen/{org.id}/nennung",
        {"public_consent": "y"},
        page=f"/raeume/{room.id}",
    )
    assert db.session.get(Organisation, org.id).public_consent is True
    assert "Bäckerei Korn" in client.get(f"/raeume/verzeichnis/{room.id}").get_data(as_text=True)
    assert db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "rooms.consent_changed")
    ).details == {"public_consent": True}


def test_co_moderators_manage_and_removing_members_is_audited(room, lotse, certified):
    colleague = certified(name="Carla Kollegin", email="carla@example.org")
    member = operations.add_co_lead(room, colleague, lotse)
    assert policy.can_manage(colleague, room)
    firm = firms.invite_firm_contact(room, "Hanna", "hanna@korn.example", FIRM, colleague)
    operations.remove_member(room, firm, colleague)
    operations.remove_member(room, member, lotse)
    with pytest.raises(operations.RoomError):
        operations.remove_member(room, operations.members(room, "lead")[0], lotse)
    db.session.commit()
    assert not policy.can_view(colleague, room)
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.action.like("rooms.member%"))
    ).all()
    assert actions.count("rooms.member_removed") == 2


def test_privacy_exports_and_erases_memberships_and_requests(room, lotse, app):
    member = firms.invite_firm_contact(room, "Hanna", "hanna@korn.example", FIRM, lotse)
    db.session.add(
        JoinRequest(
            room_id=room.id,
            name="Hanna",
            firm="Bäckerei Korn",
            email="hanna@korn.example",
            state="accepted",
        )
    )
    db.session.commit()
    provider = next(p for p in providers(app) if p.name == "rooms")
    data = provider.export(member.user).data
    assert data["memberships"][0]["organisation"] == "Bäckerei Korn"
    assert data["interest_requests"][0]["firm"] == "Bäckerei Korn"
    provider.erase(member.user)
    db.session.commit()
    assert (
        db.session.scalar(
            sa.select(sa.func.count(RoomMember.id)).where(RoomMember.user_id == member.user_id)
        )
        == 0
    )
    assert db.session.scalar(sa.select(sa.func.count(JoinRequest.id))) == 0
    assert db.session.get(Organisation, member.organisation_id) is not None  # the firm stays


def test_the_lead_edits_the_room_and_changes_its_phase_on_the_page(room, lotse, client, post_form):
    login(client, lotse.email)
    page = client.get(f"/raeume/{room.id}/bearbeiten").get_data(as_text=True)
    assert "Digitale Werkstatt Rhein-Ruhr" in page
    post_form(f"/raeume/{room.id}/bearbeiten", {**FORM, "title": "Werkstatt 4.0"})
    edited = db.session.get(Room, room.id)
    assert edited.title == "Werkstatt 4.0" and edited.lead_id == lotse.id
    post_form(f"/raeume/{room.id}/phase", {"phase": "open"}, page=f"/raeume/{room.id}")
    assert db.session.get(Room, room.id).phase == "open"
    assert "Öffentliche Seite" in client.get(f"/raeume/{room.id}").get_data(as_text=True)


def test_my_rooms_lists_only_my_rooms_with_constant_queries(
    app, room, lotse, client, count_queries
):
    member = firms.invite_firm_contact(room, "Hanna", "hanna@korn.example", FIRM, lotse)
    set_password(member.user, "ein-gutes-passwort-1")
    operations.create_room(room_data(title="Fremder Raum"), lotse, lotse)
    db.session.commit()
    login(client, member.user.email, "ein-gutes-passwort-1")
    page = client.get("/raeume/").get_data(as_text=True)
    assert room.title in page and "Fremder Raum" not in page
    client = app.test_client()
    login(client, lotse.email)
    few, _r = count_queries(client.get, "/raeume/")
    for i in range(10):
        operations.create_room(room_data(title=f"Raum {i}"), lotse, lotse)
    db.session.commit()
    many, response = count_queries(client.get, "/raeume/")
    assert many == few and "Raum 9" in response.get_data(as_text=True)


def test_the_lead_resends_an_invitation_until_the_password_is_set(room, lotse, client, post_form):
    member = firms.invite_firm_contact(room, "Hanna", "hanna@korn.example", FIRM, lotse)
    db.session.commit()
    login(client, lotse.email)
    members_page = f"/raeume/{room.id}/mitglieder"
    assert "Einladung erneut senden" in client.get(members_page).get_data(as_text=True)
    post_form(f"{members_page}/{member.id}/einladung", page=members_page)
    assert len(mails_to("hanna@korn.example", "Einladung")) == 2
    set_password(member.user, "ein-gutes-passwort-1")
    db.session.commit()
    with pytest.raises(operations.RoomError, match="schon eingerichtet"):
        firms.resend_invitation(room, member, lotse)
