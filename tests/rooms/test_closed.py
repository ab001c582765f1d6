"""A closed room is read-only; its learning cards still go out, and it can be re-opened."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lotse_lms.community import operations as community
from lotse_lms.community import policy as community_policy
from lotse_lms.community.models import Post
from lotse_lms.core.timeutil import utcnow
from lotse_lms.extensions import db
from lotse_lms.rooms import files, meetings, operations, work, work_cards, work_experiments
from lotse_lms.rooms.meeting_models import ProtocolComment
from lotse_lms.rooms.space import space_of
from lotse_lms.rooms.work_models import BacklogTopic, RoomActionComment

from ..conftest import csrf_token, login
from .meeting_helpers import meeting_fields
from .test_work_cards import CARD

CLOSED = "Dieser Experimentierraum ist abgeschlossen"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _run_then_close(work_room):
    """Content made while the room runs, then the room closed by its Lotse."""
    room, lead, anna = work_room["room"], work_room["lead"], work_room["anna"]
    for phase in ("open", "running"):
        operations.change_phase(room, phase, lead)
    topic = work.propose_topic(room, anna, "Homeoffice")
    action = work.create_action(room, lead, "Formular testen", anna.id, work.today())
    meeting = meetings.schedule_meeting(room, lead, **meeting_fields())
    meeting.starts_at = utcnow() - timedelta(hours=3)
    meeting.ends_at = utcnow() - timedelta(hours=1)
    meetings.save_protocol(meeting, lead, "Wir haben besprochen.")
    entry = work_experiments.save_experiment(
        room,
        lead,
        question="Hilft ein Tablet?",
        tried="Tablet in der Werkstatt",
        organisation_id=work_room["firm_a"].id,
        result="",
        decision="",
        decided_on=None,
    )
    operations.change_phase(room, "closed", lead)
    db.session.commit()
    return topic, action, meeting, entry


def test_nothing_can_be_added_or_changed_in_a_closed_room(work_room):
    room, lead, anna = work_room["room"], work_room["lead"], work_room["anna"]
    topic, action, meeting, entry = _run_then_close(work_room)
    attempts = [
        lambda: work.propose_topic(room, anna, "Noch ein Thema"),
        lambda: work.toggle_vote(topic, room, anna),
        lambda: work.set_topic_state(topic, room, lead, "taken"),
        lambda: work.create_action(room, lead, "Neu", anna.id, work.today()),
        lambda: work.update_action(action, room, lead, "Neu", anna.id, action.due_on, "open"),
        lambda: work.set_action_status(action, room, anna, "done"),
        lambda: work.comment_action(action, room, anna, "Noch eine Frage"),
        lambda: work_experiments.save_experiment(
            room,
            lead,
            entry,
            question="Hilft ein Tablet?",
            tried="Tablet",
            organisation_id=None,
            result="Ja",
            decision="weitermachen",
            decided_on=work.today(),
        ),
        lambda: meetings.schedule_meeting(room, lead, **meeting_fields()),
        lambda: meetings.update_meeting(meeting, lead, **meeting_fields(title="Anders")),
        lambda: meetings.cancel_meeting(meeting, lead),
        lambda: meetings.save_protocol(meeting, lead, "Nachträglich geändert."),
        lambda: meetings.comment_protocol(meeting, anna, "Nachtrag"),
        lambda: files.upload_file(room, anna, "plan.png", PNG),
    ]
    for attempt in attempts:
        with pytest.raises(Exception) as caught:
            attempt()
        assert CLOSED in caught.value.message
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(BacklogTopic.id))) == 1
    assert db.session.get(type(action), action.id).status == "open"
    # a protocol written before closing can still be approved
    meetings.approve_protocol(meeting, anna)
    db.session.commit()


def test_the_closed_room_pages_show_no_buttons_and_refuse_posts(client, work_room):
    room, lead = work_room["room"], work_room["lead"]
    _topic, action, meeting, _entry = _run_then_close(work_room)
    login(client, lead.email)
    page = client.get(f"/raeume/{room.id}").get_data(as_text=True)
    assert CLOSED in page
    for button in ("Treffen planen", "Neue Aufgabe", "Neues Experiment", "und hochladen"):
        assert button not in page, button
    assert "Neue Lernkarte" in page  # learnings are shared after closing
    assert "Wieder eröffnen" in page  # the Lotse can re-open it
    base = f"/raeume/{room.id}"
    for path in (
        "/treffen/neu",
        f"/treffen/{meeting.id}/bearbeiten",
        f"/treffen/{meeting.id}/protokoll",
        "/aufgaben/neu",
        f"/aufgaben/{action.id}/bearbeiten",
        "/experimente/neu",
    ):
        response = client.get(base + path, follow_redirects=True)
        assert response.request.path == base and CLOSED in response.get_data(as_text=True), path
    for path, words in (
        (f"/treffen/{meeting.id}", ("Treffen absagen", "Protokoll bearbeiten", "Kommentieren")),
        (f"/aufgaben/{action.id}", ("Stand speichern", "Kommentieren", "Aufgabe ändern")),
        ("/themen", ("Vorschlagen", "Dafür stimmen", "Übernehmen")),
        ("/dateien", ("Hochladen",)),
    ):
        page = client.get(base + path).get_data(as_text=True)
        for word in words:
            assert f">{word}<" not in page, (path, word)
    token = csrf_token(client, base + "/themen")
    page = client.post(
        base + "/themen", data={"title": "Per Formular", "csrf_token": token}
    ).get_data(as_text=True)
    assert CLOSED in page
    client.post(base + f"/aufgaben/{action.id}", data={"body": "Per Formular", "csrf_token": token})
    client.post(
        base + f"/treffen/{meeting.id}/kommentar",
        data={"body": "Per Formular", "csrf_token": token},
    )
    assert db.session.scalar(sa.select(sa.func.count(BacklogTopic.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(RoomActionComment.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(ProtocolComment.id))) == 0


def test_learning_cards_are_approved_and_published_after_closing(work_room):
    room, lead, anna = work_room["room"], work_room["lead"], work_room["anna"]
    _run_then_close(work_room)
    card = work_cards.save_card(room, lead, organisation_ids=[work_room["firm_a"].id], **CARD)
    work_cards.decide(card, room, anna, work_room["firm_a"].id, approve=True)
    work_cards.publish(card, room, lead, "public")
    db.session.commit()
    assert card.public_at is not None


def test_the_lotse_reopens_a_closed_room(client, work_room):
    room, lead, anna = work_room["room"], work_room["lead"], work_room["anna"]
    _run_then_close(work_room)
    login(client, lead.email)
    token = csrf_token(client, f"/raeume/{room.id}")
    client.post(f"/raeume/{room.id}/phase", data={"phase": "running", "csrf_token": token})
    db.session.expire_all()
    assert room.phase == "running"
    page = client.get(f"/raeume/{room.id}").get_data(as_text=True)
    assert "Raum abschließen" in page and "Wieder eröffnen" not in page
    work.propose_topic(room, anna, "Nach der Wiederaufnahme")
    db.session.commit()


def test_the_forum_of_a_closed_room_can_be_read_but_takes_nothing_new(client, work_room):
    room, lead, anna = work_room["room"], work_room["lead"], work_room["anna"]
    space = space_of(room)
    thread = community.create_thread(space, anna, "Tablets", "Wer nutzt welche?")
    post = community.reply(thread, lead, "Wir testen eins.")
    db.session.commit()
    _run_then_close(work_room)
    for attempt in (
        lambda: community.create_thread(space, anna, "Noch was", "Eine Frage"),
        lambda: community.reply(thread, anna, "Nachtrag"),
        lambda: community.reply(thread, lead, "Auch der Lotse nicht"),
    ):
        with pytest.raises(community.CommunityError) as caught:
            attempt()
        assert CLOSED in caught.value.message
    assert not community.may_edit(lead, post)
    assert not community_policy.may_post(lead, space) and community_policy.may_read(anna, space)

    login(client, anna.email)
    page = client.get(f"/community/thema/{thread.id}").get_data(as_text=True)
    assert "Wir testen eins." in page and CLOSED in page
    assert "Antwort senden" not in page and "Bearbeiten" not in page  # her own first post
    space_page = client.get(f"/community/bereich/{space.id}").get_data(as_text=True)
    assert CLOSED in space_page and "Neues Thema" not in space_page
    token = csrf_token(client, f"/community/thema/{thread.id}")
    client.post(f"/community/thema/{thread.id}", data={"body": "Per Formular", "csrf_token": token})
    assert (
        db.session.scalar(sa.select(sa.func.count(Post.id)).where(Post.thread_id == thread.id)) == 2
    )

    operations.change_phase(room, "running", lead)  # re-opened: the forum takes posts again
    db.session.commit()
    assert community.reply(thread, anna, "Wieder offen").id
