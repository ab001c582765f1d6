"""The rooms area's frame: the app serves it, the policy answers who sees and manages a room,
sections registered by other parts appear on the room page."""

import pytest
from flask_babel import lazy_gettext as _l
from jinja2 import ChoiceLoader, DictLoader

from lotse_lms.accounts.roles import ROLE_LABELS, Role
from lotse_lms.extensions import db
from lotse_lms.rooms import operations, policy
from lotse_lms.rooms.models import LEAD, MENTOR, RoomMember
from lotse_lms.rooms.sections import register_section, visible_sections

from ..conftest import login
from .conftest import room_data


def test_the_firm_contact_role_exists_with_a_german_label():
    assert Role.FIRM_CONTACT == "firm_contact"
    assert "Unternehmensvertreterin / Unternehmensvertreter" in str(ROLE_LABELS[Role.FIRM_CONTACT])


def test_the_menu_leads_to_my_rooms(client, login_as):
    login_as("participant")
    page = client.get("/").get_data(as_text=True)
    assert "Experimentierräume" in page
    response = client.get("/raeume/")
    assert response.status_code == 200
    assert "Sie gehören noch keinem Experimentierraum an." in response.get_data(as_text=True)


def test_the_policy_answers_for_lead_mentor_staff_and_strangers(
    room, lotse, staff, make_user, mentor
):
    stranger = make_user("participant")
    assert policy.room_role(lotse, room) == LEAD
    assert policy.can_view(lotse, room) and policy.can_manage(lotse, room)
    assert policy.room_role(staff, room) == policy.FOUNDATION
    assert policy.can_manage(staff, room) and not policy.is_member(staff, room)
    assert policy.room_role(stranger, room) is None
    assert not policy.can_view(stranger, room) and not policy.can_manage(stranger, room)
    assert not policy.can_view(None, room)


def test_a_trainee_with_a_mentor_may_lead_and_gets_the_mentor_as_member(trainee, mentor):
    assert policy.may_lead(trainee)
    room = operations.create_room(room_data(), trainee, trainee)
    db.session.commit()
    assert room.mentor_id == mentor.id
    assert policy.room_role(mentor, room) == MENTOR
    assert policy.can_view(mentor, room) and not policy.can_manage(mentor, room)


def test_a_participant_without_certificate_or_mentor_may_not_lead(make_user):
    plain = make_user("participant")
    assert not policy.may_lead(plain) and not policy.may_create(plain)
    with pytest.raises(operations.RoomError) as refused:
        operations.create_room(room_data(), plain, plain)
    assert "kann keinen Raum leiten" in str(refused.value)
    assert db.session.scalar(db.select(db.func.count(RoomMember.id))) == 0


def test_a_registered_section_shows_on_the_room_page_for_those_it_is_meant_for(
    app, client, room, lotse, mentor, staff
):
    register_section(
        app,
        "probe",
        _l("Probe"),
        "rooms/_probe_section.html",
        loader=lambda room, user: {"greeting": f"Hallo {user.name}"},
        order=5,
    )
    register_section(app, "intern", _l("Nur Leitung"), "rooms/_probe_section.html", need="manage")
    probe = DictLoader({"rooms/_probe_section.html": "<p>{{ section_context.greeting }}</p>"})
    app.jinja_env.loader = ChoiceLoader([probe, app.jinja_env.loader])
    probes = ("probe", "intern")  # the other parts register their sections too
    assert [s.key for s, _c in visible_sections(room, lotse, app) if s.key in probes] == [
        "probe",
        "intern",
    ]
    login(client, lotse.email)
    page = client.get(f"/raeume/{room.id}").get_data(as_text=True)
    assert "Hallo Lena Lotsin" in page and "Nur Leitung" in page


def test_the_welcome_page_leads_to_the_directory(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/raeume/verzeichnis"' in page
