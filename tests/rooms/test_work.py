"""The room's work: topic backlog with votes, actions with comments and reminders, experiments."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lotse_lms.core import jobs
from lotse_lms.core.models import AuditEntry, OutboxMail
from lotse_lms.extensions import db
from lotse_lms.rooms import work, work_cards, work_experiments, work_reminders
from lotse_lms.rooms.work import WorkError
from lotse_lms.rooms.work_models import RoomAction

from ..conftest import login


def _mails(user):
    """The outbox mails to ``user`` after the invitation that brought them in, oldest first."""
    return db.session.scalars(
        sa.select(OutboxMail)
        .where(OutboxMail.recipient == user.email, OutboxMail.subject.not_like("Einladung%"))
        .order_by(OutboxMail.id)
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
    bernd.locale = "en"
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
    assert [m.subject for m in _mails(bernd)] == ["Overdue: Schulung planen"]  # his language
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
        work_experiments.save_experiment(
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
    entry = work_experiments.save_experiment(
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
        work_experiments.save_experiment(
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
    work_experiments.save_experiment(
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
        work_experiments.save_experiment(
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
    work_cards.save_card(
        room,
        lead,
        organisation_ids=[],
        title="Erste",
        problem="P",
        tried="T",
        result="R",
        advice="A",
    )
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
    pages = [f"/raeume/{room.id}/{p}" for p in ("aufgaben", "themen", "lernkarten")]
    few = [count_queries(client.get, path)[0] for path in pages]
    few_room, _ = count_queries(client.get, f"/raeume/{room.id}")
    bernd = work_room["bernd"]
    for n in range(30):  # owners, proposers and named firms alternate
        person = (anna, bernd)[n % 2]
        work.create_action(room, lead, f"Aufgabe {n}", person.id, work.today())
        work.propose_topic(room, person, f"Thema {n}")
        firm = work_room[("firm_a", "firm_b")[n % 2]]
        work_cards.save_card(
            room,
            lead,
            organisation_ids=[firm.id],
            title=f"Karte {n}",
            problem="P",
            tried="T",
            result="R",
            advice="A",
        )
    db.session.commit()
    many = [count_queries(client.get, path)[0] for path in pages]
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


def _post(client, path, data):
    """POST ``data`` to ``path`` with the CSRF token of its page."""
    from ..conftest import csrf_token

    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


def test_the_lotse_keeps_backlog_log_and_cards_through_the_pages(app, work_room):
    room, lead, anna, firm_a = (work_room[k] for k in ("room", "lead", "anna", "firm_a"))
    base = f"/raeume/{room.id}"
    member = _client(app, anna)
    assert _post(member, f"{base}/themen", {"title": "Homeoffice"}).status_code == 302
    (topic,) = db.session.scalars(work.topics_select(room)).all()
    vote = member.post(
        f"{base}/themen/{topic.id}/stimme", data={"csrf_token": _token(member, f"{base}/themen")}
    )
    assert vote.status_code == 302
    db.session.refresh(topic)
    assert topic.vote_count == 1

    lead_client = _client(app, lead)
    path = f"{base}/experimente/neu"
    refused = _post(
        lead_client,
        path,
        {
            "question": "",
            "tried": "",
            "organisation_id": "",
            "decision": "continue",
            "decided_on": "",
        },
    )
    html = refused.get_data(as_text=True)
    for message in (
        "Bitte nennen Sie die Frage oder Annahme.",
        "Bitte beschreiben Sie, was erprobt wird.",
        "Bitte wählen Sie den Betrieb, in dem es erprobt wird.",
        "Vor der Entscheidung steht das Ergebnis.",
        "Bitte geben Sie das Datum der Entscheidung an.",
    ):
        assert message in html, message
    saved = _post(
        lead_client,
        path,
        {
            "question": "Hilft ein Messenger?",
            "tried": "Gruppenchat",
            "organisation_id": str(firm_a.id),
            "result": "",
            "decision": "",
            "decided_on": "",
        },
    )
    assert saved.status_code == 302
    log = lead_client.get(f"{base}/experimente").get_data(as_text=True)
    assert "Hilft ein Messenger?" in log and firm_a.name in log

    card = _post(
        lead_client,
        f"{base}/lernkarten/neu",
        {
            "title": "Messenger im Betrieb",
            "problem": "P",
            "tried": "T",
            "result": "R",
            "advice": "A",
            "organisation_ids": [str(firm_a.id)],
        },
    )
    assert card.status_code == 302
    page = member.get(card.headers["Location"]).get_data(as_text=True)
    assert "Zustimmen" in page and firm_a.name in page
    assert member.get(f"{base}/lernkarten/neu").status_code == 403


def _token(client, path):
    """The CSRF token of ``path``."""
    from ..conftest import csrf_token

    return csrf_token(client, path)


def test_every_page_of_the_work_opens_for_the_lotse(app, work_room, staff):
    room, lead, anna, firm_a = (work_room[k] for k in ("room", "lead", "anna", "firm_a"))
    work.propose_topic(room, anna, "Datenschutz")
    action = work.create_action(room, lead, "Checkliste", anna.id, work.today())
    work.comment_action(action, room, anna, "**Gern**")
    entry = work_experiments.save_experiment(
        room,
        lead,
        question="Q?",
        tried="T",
        organisation_id=firm_a.id,
        result="",
        decision="",
        decided_on=None,
    )
    card = work_cards.save_card(
        room,
        lead,
        organisation_ids=[firm_a.id],
        title="Karte",
        problem="P",
        tried="T",
        result="R",
        advice="A",
    )
    work_cards.decide(card, room, anna, firm_a.id, approve=True)
    work_cards.publish(card, room, lead, "public")
    db.session.commit()
    base = f"/raeume/{room.id}"
    client = _client(app, lead)
    for path in (
        base,
        f"{base}/themen",
        f"{base}/aufgaben",
        f"{base}/aufgaben/neu",
        f"{base}/aufgaben/{action.id}",
        f"{base}/aufgaben/{action.id}/bearbeiten",
        f"{base}/experimente",
        f"{base}/experimente/neu",
        f"{base}/experimente/{entry.id}/bearbeiten",
        f"{base}/lernkarten",
        f"{base}/lernkarten/neu",
        f"{base}/lernkarten/{card.id}",
        "/raeume/erkenntnisse",
        f"/raeume/erkenntnisse/{card.id}",
    ):
        assert client.get(path).status_code == 200, path
    edit = client.get(f"{base}/aufgaben/{action.id}/bearbeiten").get_data(as_text=True)
    assert 'value="Checkliste"' in edit and "Anna Albers" in edit
    assert "<strong>Gern</strong>" in client.get(f"{base}/aufgaben/{action.id}").get_data(
        as_text=True
    )
    # a published card is not edited any more
    assert "Lernkarte ändern" not in client.get(f"{base}/lernkarten/{card.id}").get_data(
        as_text=True
    )


def test_the_worker_runs_the_reminders_every_morning(app):
    from datetime import datetime

    def scheduled(at):
        return {task.name for task in jobs.queue(app).read_periodic(at)}

    assert "rooms.action_reminders" in scheduled(datetime(2026, 12, 7, 7, 15))
    assert "rooms.action_reminders" not in scheduled(datetime(2026, 12, 7, 7, 16))
