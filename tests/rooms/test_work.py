"""The room's work: topic backlog with votes, actions with comments and reminders, experiments."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lotse_lms.core import jobs
from lotse_lms.core.models import AuditEntry, OutboxMail
from lotse_lms.extensions import db
from lotse_lms.rooms import work, work_reminders
from lotse_lms.rooms.work import WorkError
from lotse_lms.rooms.work_models import RoomAction

from ..conftest import login


def _mails(user):
    """The outbox mails to ``user``, oldest first."""
    return db.session.scalars(
        sa.select(OutboxMail).where(OutboxMail.recipient == user.email).order_by(OutboxMail.id)
    ).all()


def _client(app, user):
    """A client signed in as ``user``."""
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def test_members_propose_and_vote_once_per_topic_and_the_lotse_decides(work_room):
    room, lead, anna, bernd = (work_room[k] for k in ("room", "lead", "anna", "bernd"))
    first = work.propose_topic(room, anna, "Datenschutz", "DSGVO im Betrieb")
    second = work.propose_topic(room, bernd, "Homeoffice")
    assert work.toggle_vote(second, room, anna) is True
    assert work.toggle_vote(second, room, bernd) is True
    assert work.toggle_vote(first, room, anna) is True
    assert work.toggle_vote(first, room, anna) is False  # the second click takes it back
    db.session.commit()
    ordered = db.session.scalars(work.topics_select(room)).all()
    assert [(t.title, t.vote_count) for t in ordered] == [("Homeoffice", 2), ("Datenschutz", 0)]
    with pytest.raises(WorkError):
        work.set_topic_state(second, room, anna, "taken")  # a firm contact does not decide
    work.set_topic_state(second, room, lead, "taken")
    work.set_topic_state(first, room, lead, "dropped")
    with pytest.raises(WorkError):
        work.toggle_vote(first, room, bernd)  # a dropped topic takes no votes
    db.session.commit()
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(AuditEntry.action == "rooms.topic_state")
        )
        == 2
    )


def test_a_topic_form_shows_every_error_and_outsiders_cannot_propose(work_room, make_user):
    room, other = work_room["room"], work_room["other_contact"]
    with pytest.raises(WorkError) as caught:
        work.check_topic("", "x" * 5001)
    assert {field for field, _ in caught.value.errors} == {"title", "description"}
    with pytest.raises(WorkError):
        work.propose_topic(room, other, "Fremd")


def test_actions_check_every_field_and_only_members_own_them(work_room):
    room, lead, anna, other = (work_room[k] for k in ("room", "lead", "anna", "other_contact"))
    with pytest.raises(WorkError) as caught:
        work.create_action(room, lead, "", other.id, None, "irgendwas")
    assert {field for field, _ in caught.value.errors} == {"title", "owner_id", "due_on", "status"}
    with pytest.raises(WorkError) as caught:
        work.create_action(room, lead, "Alt", anna.id, work.today() - timedelta(days=1))
    assert caught.value.field == "due_on"
    with pytest.raises(WorkError):
        work.create_action(room, anna, "Selbst", anna.id, work.today())  # not the Lotse
    action = work.create_action(room, lead, "Reparaturablauf skizzieren", anna.id, work.today())
    work.set_action_status(action, room, anna, "in_progress")  # the owner moves it
    with pytest.raises(WorkError):
        work.set_action_status(action, room, work_room["bernd"], "done")
    work.comment_action(action, room, work_room["bernd"], "Ich helfe gern.")
    with pytest.raises(WorkError):
        work.comment_action(action, room, other, "Von außen")
    db.session.commit()
    assert action.status == "in_progress" and action.owner == anna


def test_reminders_go_through_the_real_queue_once_each(app, work_room):
    room, lead, anna, bernd = (work_room[k] for k in ("room", "lead", "anna", "bernd"))
    today = work.today()
    tomorrow = work.create_action(
        room, lead, "Angebot einholen", anna.id, today + timedelta(days=1)
    )
    later = work.create_action(room, lead, "Später", anna.id, today + timedelta(days=5))
    late = work.create_action(room, lead, "Schulung planen", bernd.id, today + timedelta(days=2))
    done = work.create_action(room, lead, "Schon erledigt", bernd.id, today + timedelta(days=1))
    work.set_action_status(done, room, lead, "done")
    db.session.commit()
    # overdue: its due date has passed (set in SQL, as time would)
    db.session.execute(
        sa.update(RoomAction)
        .where(RoomAction.id == late.id)
        .values(due_on=today - timedelta(days=1))
    )
    db.session.commit()
    jobs.enqueue("rooms.action_reminders")
    assert jobs.run_pending(app) >= 1
    assert [m.subject for m in _mails(anna)] == [
        f"Fällig am {tomorrow.due_on:%d.%m.%Y}: Angebot einholen"
    ]
    assert [m.subject for m in _mails(bernd)] == ["Überfällig: Schulung planen"]
    assert f"/raeume/{room.id}/aufgaben/{tomorrow.id}" in _mails(anna)[0].body
    # a rerun sends nothing again
    jobs.enqueue("rooms.action_reminders")
    jobs.run_pending(app)
    assert len(_mails(anna)) == 1 and len(_mails(bernd)) == 1
    # a moved due date asks again (once it is near); one moved away stays silent
    work.update_action(
        tomorrow, room, lead, tomorrow.title, anna.id, today + timedelta(days=3), "open"
    )
    work.update_action(later, room, lead, later.title, anna.id, today + timedelta(days=1), "open")
    db.session.commit()
    assert work_reminders.send_reminders() == 1
    assert [m.subject for m in _mails(anna)][-1] == f"Fällig am {later.due_on:%d.%m.%Y}: Später"
    assert work_reminders.send_reminders() == 0


def test_the_owner_sees_open_actions_on_the_dashboard(app, work_room):
    room, lead, anna = (work_room[k] for k in ("room", "lead", "anna"))
    work.create_action(room, lead, "Kundenportal testen", anna.id, work.today())
    closed = work.create_action(room, lead, "Erledigtes", anna.id, work.today())
    work.set_action_status(closed, room, anna, "done")
    db.session.commit()
    page = _client(app, anna).get("/").get_data(as_text=True)
    assert "Meine Aufgaben aus Experimentierräumen" in page
    assert "Kundenportal testen" in page and "Erledigtes" not in page
    assert "Kundenportal testen" not in _client(app, work_room["bernd"]).get("/").get_data(
        as_text=True
    )


def test_the_experiment_log_follows_the_inqa_rule(work_room):
    room, lead, firm_a, other_firm = (
        work_room[k] for k in ("room", "lead", "firm_a", "other_firm")
    )
    with pytest.raises(WorkError) as caught:
        work.save_experiment(
            room,
            lead,
            question="",
            tried="",
            organisation_id=other_firm.id,
            result="",
            decision="vielleicht",
            decided_on=None,
        )
    assert {f for f, _ in caught.value.errors} == {
        "question",
        "tried",
        "organisation_id",
        "decision",
    }
    entry = work.save_experiment(
        room,
        lead,
        question="Spart ein digitales Auftragsformular Zeit?",
        tried="Tablet-Formular für Reparaturaufträge",
        organisation_id=firm_a.id,
        result="",
        decision="",
        decided_on=None,
    )
    with pytest.raises(WorkError) as caught:
        work.save_experiment(
            room,
            lead,
            entry,
            question=entry.question,
            tried=entry.tried,
            organisation_id=firm_a.id,
            result="",
            decision="continue",
            decided_on=None,
        )
    assert {f for f, _ in caught.value.errors} == {"result", "decided_on"}
    work.save_experiment(
        room,
        lead,
        entry,
        question=entry.question,
        tried=entry.tried,
        organisation_id=str(firm_a.id),
        result="20 Minuten weniger je Auftrag",
        decision="continue",
        decided_on=work.today(),
    )
    with pytest.raises(WorkError):
        work.save_experiment(
            room,
            work_room["anna"],
            question="q",
            tried="t",
            organisation_id=firm_a.id,
            result="",
            decision="",
            decided_on=None,
        )
    db.session.commit()
    assert entry.decision == "continue" and entry.decided_on == work.today()


def test_a_firm_contact_of_another_room_is_kept_out(app, work_room):
    room, lead, anna = work_room["room"], work_room["lead"], work_room["anna"]
    action = work.create_action(room, lead, "Intern", anna.id, work.today())
    topic = work.propose_topic(room, anna, "Internes Thema")
    db.session.commit()
    other = _client(app, work_room["other_contact"])
    for path in (
        f"/raeume/{room.id}/themen",
        f"/raeume/{room.id}/aufgaben",
        f"/raeume/{room.id}/aufgaben/{action.id}",
        f"/raeume/{room.id}/experimente",
        f"/raeume/{room.id}/lernkarten",
    ):
        assert other.get(path).status_code in (403, 404), path
    assert other.post(f"/raeume/{room.id}/themen/{topic.id}/stimme").status_code in (400, 403, 404)
    member = _client(app, work_room["bernd"])
    page = member.get(f"/raeume/{room.id}/aufgaben/{action.id}").get_data(as_text=True)
    assert "Intern" in page and "Kommentieren" in page
    assert member.get(f"/raeume/{room.id}/aufgaben/neu").status_code == 403


def test_forms_show_all_errors_at_once(app, work_room):
    room, lead = work_room["room"], work_room["lead"]
    client = _client(app, lead)
    from ..conftest import csrf_token

    path = f"/raeume/{room.id}/aufgaben/neu"
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "title": "",
            "owner_id": "",
            "due_on": "",
            "status": "open",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bitte beschreiben Sie die Aufgabe." in html
    assert "Bitte wählen Sie, wer die Aufgabe übernimmt." in html
    assert "Bitte geben Sie ein gültiges Datum an." in html
    assert db.session.scalar(sa.select(sa.func.count(RoomAction.id))) == 0


def test_export_and_erasure_cover_the_rooms_work(app, work_room):
    from lotse_lms.rooms import work_privacy

    room, lead, anna = work_room["room"], work_room["lead"], work_room["anna"]
    topic = work.propose_topic(room, anna, "Medienkompetenz")
    work.toggle_vote(topic, room, anna)
    action = work.create_action(room, lead, "Leitfaden", anna.id, work.today())
    work.comment_action(action, room, anna, "Mache ich.")
    db.session.commit()
    data = work_privacy.export_work(anna).data
    assert data["topics_proposed"][0]["title"] == "Medienkompetenz"
    assert data["topic_votes"][0]["topic"] == "Medienkompetenz"
    assert data["actions_owned"][0]["title"] == "Leitfaden"
    assert data["action_comments"][0]["body"] == "Mache ich."
    work_privacy.erase_work(anna)
    db.session.commit()
    db.session.expire_all()
    assert topic.proposed_by_id is None and topic.vote_count == 0
    assert action.owner_id is None
    assert work_privacy.export_work(anna).data["action_comments"] == []


def test_the_room_page_shows_the_work_sections_in_fixed_queries(app, work_room, count_queries):
    room, lead, anna = work_room["room"], work_room["lead"], work_room["anna"]
    work.propose_topic(room, anna, "Homeoffice")
    work.create_action(room, lead, "Leitfaden schreiben", anna.id, work.today())
    db.session.commit()
    client = _client(app, anna)
    page = client.get(f"/raeume/{room.id}").get_data(as_text=True)
    for text in (
        "Themenspeicher",
        "Homeoffice",
        "Aufgaben",
        "Leitfaden schreiben",
        "Experimentierprotokoll",
        "Lernkarten",
    ):
        assert text in page, text
    assert "Neue Aufgabe" not in page  # a firm contact does not agree actions
    few, _ = count_queries(client.get, f"/raeume/{room.id}/aufgaben")
    few_room, _ = count_queries(client.get, f"/raeume/{room.id}")
    for n in range(30):
        work.create_action(room, lead, f"Aufgabe {n}", anna.id, work.today())
        work.propose_topic(room, anna, f"Thema {n}")
    db.session.commit()
    many, _ = count_queries(client.get, f"/raeume/{room.id}/aufgaben")
    assert many == few
    many_room, response = count_queries(client.get, f"/raeume/{room.id}")
    assert many_room == few_room
    page = response.get_data(as_text=True)
    assert "Aufgabe 3" in page and "Aufgabe 29" not in page  # the first five, then a link


def test_the_mentor_and_the_foundation_follow_the_work_without_taking_part(
    app, work_room, mentor, staff
):
    room, lead, anna = work_room["room"], work_room["lead"], work_room["anna"]
    topic = work.propose_topic(room, anna, "Agiles Management")
    action = work.create_action(room, lead, "Retro planen", anna.id, work.today())
    db.session.commit()
    for person in (mentor, staff):
        client = _client(app, person)
        assert "Agiles Management" in client.get(f"/raeume/{room.id}/themen").get_data(as_text=True)
        assert client.get(f"/raeume/{room.id}/aufgaben/{action.id}").status_code == 200
    with pytest.raises(WorkError):
        work.toggle_vote(topic, room, mentor)
    with pytest.raises(WorkError):
        work.comment_action(action, room, mentor, "Von der Mentorin")
    with pytest.raises(WorkError):
        work.create_action(room, lead, "Mentorin", mentor.id, work.today())  # owners take part
    work.set_topic_state(topic, room, staff, "taken")  # the foundation looks after the room
    db.session.commit()
