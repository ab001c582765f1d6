"""The rooms in the qualification (the step "Experimentierraum leiten" as evidence, the
mentor's view of it, a room as a reflecting-team case) and the demo rooms of seed-demo."""

from datetime import date, timedelta

import sqlalchemy as sa

from lotse_lms.core.timeutil import utcnow
from lotse_lms.extensions import db
from lotse_lms.qualification.state import DONE, OPEN, STARTED, path_of
from lotse_lms.reflecting_team import operations as rt
from lotse_lms.rooms import operations, reports
from lotse_lms.rooms.meeting_models import Meeting
from lotse_lms.rooms.models import FIRM_CONTACT, Organisation, Room, RoomMember
from lotse_lms.rooms.work_models import RoomAction, RoomExperiment
from tests.conftest import sign_in_client
from tests.rooms.conftest import room_data


def _step(user):
    return next(s for s in path_of(user) if s.key == "rooms")


def _held(room, days_ago, n):
    start = utcnow() - timedelta(days=days_ago)
    db.session.add(
        Meeting(
            room_id=room.id,
            title=f"Treffen {n}",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="Werkstatt",
            uid=f"m-{room.id}-{n}",
        )
    )


def test_leading_a_room_is_a_step_that_counts_after_four_meetings(trainee, make_user):
    assert _step(trainee).state == OPEN
    room = operations.create_room(room_data(title="Werkstatt digital"), trainee, trainee)
    operations.change_phase(room, "open", trainee)
    operations.change_phase(room, "running", trainee)
    _held(room, 30, 1)
    db.session.add(RoomAction(room_id=room.id, title="Liste", due_on=date.today(), status="open"))
    db.session.commit()
    step = _step(trainee)
    assert step.state == STARTED
    assert step.progress == (
        "„Werkstatt digital“ (Leitung): läuft · 1 Treffen gehalten · 1 Aufgabe offen"
    )
    assert "4 Treffen" in step.missing
    for n, days in ((2, 20), (3, 10), (4, 2)):
        _held(room, days, n)
    db.session.commit()
    step = _step(trainee)
    assert step.state == DONE
    assert step.since.date() == (utcnow() - timedelta(days=2)).date()  # the fourth meeting
    assert step.missing == ""
    assert "„Werkstatt digital“: 4. Treffen am" in step.source


def test_co_moderating_counts_and_the_step_is_not_a_prerequisite(app, trainee, mentor, make_user):
    from lotse_lms.mentoring import operations as mentoring

    co = make_user("participant", name="Clara Co")
    mentoring.assign_mentor(co, mentor, make_user("foundation"), "Passt.")
    room = operations.create_room(room_data(), trainee, trainee)
    operations.add_co_lead(room, co, trainee)
    db.session.commit()
    step = _step(co)
    assert step.state == STARTED
    assert "(Co-Moderation): geplant · 0 Treffen gehalten · 0 Aufgaben offen" in step.progress
    assert "rooms" not in app.config["CERT_RULES"]


def test_the_step_costs_the_same_queries_for_more_people(trainee, make_user, count_queries):
    from lotse_lms.qualification.state import Scope
    from lotse_lms.rooms.qualification_links import load

    operations.create_room(room_data(), trainee, trainee)
    db.session.commit()
    few, _r = count_queries(load, Scope([trainee.id]))
    others = []
    for n in range(4):
        person = make_user("participant", name=f"P {n}")
        room = operations.create_room(room_data(title=f"R {n}"), trainee, trainee)
        db.session.add(RoomMember(room_id=room.id, user_id=person.id, role="co_lead"))
        _held(room, 3, n)
        others.append(person.id)
    db.session.commit()
    many, found = count_queries(load, Scope([trainee.id, *others]))
    assert many == few
    assert set(found) == {trainee.id, *others}


def test_the_mentor_sees_the_room_progress_of_a_mentee(client, trainee, mentor):
    room = operations.create_room(room_data(title="Raum der Mentee"), trainee, trainee)
    _held(room, 5, 1)
    db.session.commit()
    sign_in_client(client, mentor)
    page = client.get(f"/mentoring/mentees/{trainee.id}").get_data(as_text=True)
    assert "Experimentierraum leiten" in page
    assert "„Raum der Mentee“ (Leitung): geplant · 1 Treffen gehalten · 0 Aufgaben offen" in page


def _rt_session(trainee, make_user, trainer):
    members = [make_user("participant"), make_user("mentor"), make_user("reflecting_team")]
    session = rt.create_session(
        trainer,
        held_on=date.today() + timedelta(days=3),
        case_owner=trainee,
        members=members,
        method_slug="reflecting-team-andersen",
    )
    db.session.commit()
    return session


def test_a_room_becomes_the_case_of_a_reflecting_team_round(client, trainee, make_user):
    room = operations.create_room(
        room_data(title="Werkstatt 4.0", private_description="Die Betriebe ringen mit Tablets."),
        trainee,
        trainee,
    )
    named = Organisation(name="Tischlerei Offen", sector="handwerk", staff_count=12)
    hidden = Organisation(name="Bäckerei Geheim", sector="handwerk", staff_count=30)
    named.public_consent = True
    db.session.add_all([named, hidden])
    db.session.flush()
    for org in (named, hidden):
        contact = make_user("firm_contact")
        db.session.add(
            RoomMember(
                room_id=room.id, user_id=contact.id, role=FIRM_CONTACT, organisation_id=org.id
            )
        )
    db.session.add(
        RoomExperiment(
            room_id=room.id,
            question="Hilft ein Tablet-Formular?",
            tried="Formular für Aufträge",
            organisation_id=hidden.id,
            result="Schneller.",
            decision="continue",
        )
    )
    stranger = make_user_lead(make_user)
    other = operations.create_room(room_data(title="Fremder Raum"), stranger, stranger)
    db.session.commit()
    session = _rt_session(trainee, make_user, make_user("trainer"))
    sign_in_client(client, trainee)
    form = client.get(f"/reflecting-team/sessions/{session.id}/case").get_data(as_text=True)
    assert "Experimentierraum „Werkstatt 4.0“" in form
    assert "Fremder Raum" not in form
    filled = client.get(
        f"/reflecting-team/sessions/{session.id}/case?vorlage=raum-{room.id}"
    ).get_data(as_text=True)
    assert "Die Betriebe ringen mit Tablets." in filled
    assert "Frage/Annahme: Hilft ein Tablet-Formular?" in filled
    assert "Entscheidung: weitermachen" in filled
    assert "Tischlerei Offen (Handwerk, 12 Beschäftigte)" in filled
    assert "Handwerk, 30 Beschäftigte" in filled and "Bäckerei Geheim" not in filled
    assert session.case is None  # nothing saved until the owner saves
    assert (
        client.get(
            f"/reflecting-team/sessions/{session.id}/case?vorlage=raum-{other.id}"
        ).status_code
        == 404
    )


def make_user_lead(make_user):
    """A Lotse in training with a mentor, to lead a room that is not the case owner's."""
    from lotse_lms.mentoring import operations as mentoring

    lead = make_user("participant", name="Fremde Lotsin")
    mentoring.assign_mentor(lead, make_user("mentor"), make_user("foundation"), "Passt.")
    return lead


def _room_counts():
    return {
        "rooms": db.session.scalar(sa.select(sa.func.count()).select_from(Room)),
        "orgs": db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)),
        "members": db.session.scalar(sa.select(sa.func.count()).select_from(RoomMember)),
        "meetings": db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)),
        "actions": db.session.scalar(sa.select(sa.func.count()).select_from(RoomAction)),
        "experiments": db.session.scalar(sa.select(sa.func.count()).select_from(RoomExperiment)),
    }


def test_seed_demo_makes_the_seven_rooms_once(runner, client):
    from lotse_lms.accounts import DEMO_PASSWORD
    from tests.conftest import login

    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Experimentierräume: 7 Demo-Räume angelegt" in first.output
    counts = _room_counts()
    rooms = db.session.scalars(sa.select(Room).order_by(Room.id)).all()
    assert [r.title.split(":")[0] for r in rooms] == [
        "EXP I",
        "EXP II",
        "EXP III",
        "EXP IV",
        "EXP V",
        "EXP VI",
        "EXP VII",
    ]
    assert [r.bundesland for r in rooms] == ["NW", "BW", "SH", "SL", "BE", "MV", "NI"]
    assert (rooms[0].size_min, rooms[0].size_max) == (5, 25)
    assert len({t for r in rooms for t in r.topics}) == 10  # every topic of the programme
    for room in rooms:
        firms = operations.members(room, FIRM_CONTACT)
        assert len(firms) >= 2
        meetings = db.session.scalars(sa.select(Meeting).where(Meeting.room_id == room.id)).all()
        assert any(m.protocol and m.starts_at < utcnow() for m in meetings)
        assert counts["actions"] == 14
        assert counts["experiments"] == 7
    data = reports.figures(reports.ReportFilter())
    assert reports.totals(data)["rooms"] == 7
    assert reports.totals(data)["meetings"] == 7

    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert "Experimentierräume: 0 Demo-Räume angelegt" in again.output
    assert _room_counts() == counts

    assert login(client, "unternehmen@lotse.example", DEMO_PASSWORD).status_code == 302
    page = client.get(f"/raeume/{rooms[0].id}").get_data(as_text=True)
    assert "EXP I: Digitale Werkstatt Rhein-Ruhr" in page
