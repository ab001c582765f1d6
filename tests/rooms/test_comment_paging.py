"""Comments under a protocol and under an action come in pages, with as many queries for
many comments as for one; a new comment opens the page it is on."""

from datetime import timedelta

from lotse_lms.core.timeutil import utcnow
from lotse_lms.extensions import db
from lotse_lms.rooms import meetings, work
from lotse_lms.rooms.meeting_models import ProtocolComment
from lotse_lms.rooms.work_models import RoomActionComment

from ..conftest import csrf_token, login
from .meeting_helpers import meeting_fields

MANY = 65  # more than two pages of 30


def _meeting_with_protocol(room, lead):
    meeting = meetings.schedule_meeting(room, lead, **meeting_fields())
    meeting.starts_at = utcnow() - timedelta(hours=3)
    meeting.ends_at = utcnow() - timedelta(hours=1)
    meetings.save_protocol(meeting, lead, "Wir haben besprochen.")
    db.session.commit()
    return meeting


def _fill(model, count, **fields):
    db.session.add_all(model(body=f"Beitrag Nummer {n}.", **fields) for n in range(count))
    db.session.commit()


def test_protocol_comments_are_paged_in_constant_queries(client, work_room, count_queries):
    room, lead, anna, bernd = (work_room[k] for k in ("room", "lead", "anna", "bernd"))
    meeting = _meeting_with_protocol(room, lead)
    path = f"/raeume/{room.id}/treffen/{meeting.id}"
    _fill(ProtocolComment, 1, meeting_id=meeting.id, author_id=anna.id)
    login(client, bernd.email)
    client.get(path)  # warm up (session, caches)
    few, _r = count_queries(client.get, path)
    _fill(ProtocolComment, MANY - 1, meeting_id=meeting.id, author_id=bernd.id)
    many, response = count_queries(client.get, path)
    assert many == few
    page = response.get_data(as_text=True)
    assert page.count('class="post" id="kommentar-') == 30 and "Seite 1 von 3" in page
    last = client.get(path + "?page=3").get_data(as_text=True)
    assert last.count('class="post" id="kommentar-') == MANY - 60
    response = client.post(
        path + "/kommentar", data={"body": "Der neueste.", "csrf_token": csrf_token(client, path)}
    )
    newest = db.session.scalar(db.select(db.func.max(ProtocolComment.id)))
    assert response.location.endswith(f"{path}?page=3#kommentar-{newest}")


def test_action_comments_are_paged_in_constant_queries(client, work_room, count_queries):
    room, lead, anna = work_room["room"], work_room["lead"], work_room["anna"]
    action = work.create_action(room, lead, "Angebot einholen", anna.id, work.today())
    db.session.commit()
    path = f"/raeume/{room.id}/aufgaben/{action.id}"
    _fill(RoomActionComment, 1, action_id=action.id, author_id=lead.id)
    login(client, anna.email)
    client.get(path)
    few, _r = count_queries(client.get, path)
    _fill(RoomActionComment, MANY - 1, action_id=action.id, author_id=anna.id)
    many, response = count_queries(client.get, path)
    assert many == few
    page = response.get_data(as_text=True)
    assert page.count('class="card post" id="comment-') == 30 and "Seite 1 von 3" in page
    response = client.post(
        path, data={"body": "Der neueste.", "csrf_token": csrf_token(client, path)}
    )
    newest = db.session.scalar(db.select(db.func.max(RoomActionComment.id)))
    assert response.location.endswith(f"{path}?page=3#comment-{newest}")
