"""Replies after the fact: a participant corrects a reply within the window (the earlier
text stays visible), and a mentor sees which mentees replied since their last visit."""

from datetime import timedelta

import pytest

from lotse_lms.extensions import db
from lotse_lms.mentoring import feedback, replies
from lotse_lms.mentoring.validation import MentoringError

from ..conftest import login


def test_correction_within_the_window_keeps_the_earlier_text(app, client, cast, entries, post_form):
    reply = feedback.add_reply(entries.shared, cast.mentee, "Danke, mach ich so!")
    db.session.commit()
    login(client, cast.mentee.email)
    page = client.get(f"/mentoring/entries/{entries.shared.id}").get_data(as_text=True)
    assert f'data-correct="{reply.id}"' in page
    response = post_form(
        f"/mentoring/replies/{reply.id}/correct",
        {"body": "Danke, ich probiere es in der nächsten Sitzung aus."},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "nächsten Sitzung" in html and "Danke, mach ich so!" in html  # history kept
    assert "korrigiert am" in html and "1 frühere Fassung" in html
    db.session.refresh(reply)
    assert [r.body for r in reply.revisions] == ["Danke, mach ich so!"]
    reply.created_at -= timedelta(minutes=app.config["MENTORING_REPLY_CORRECTION_MINUTES"] + 1)
    db.session.commit()
    with pytest.raises(MentoringError, match="ersten 15 Minuten"):
        replies.correct_reply(reply, cast.mentee, "Zu spät.")
    response = post_form(f"/mentoring/replies/{reply.id}/correct", {"body": "Zu spät."})
    assert response.status_code == 422 and "abgelaufen" in response.get_data(as_text=True)


def test_only_the_participant_corrects_their_own_reply(client, cast, entries):
    mentor_reply = feedback.add_reply(entries.shared, cast.mentor, "Gern geschehen.")
    db.session.commit()
    assert not replies.can_correct(cast.mentor, mentor_reply)  # mentors' replies stay
    login(client, cast.other_participant.email)
    assert client.get(f"/mentoring/replies/{mentor_reply.id}/correct").status_code == 403


def test_mentor_sees_who_replied_since_the_last_visit(client, cast, entries):
    login(client, cast.mentor.email)
    assert "neue Antwort" not in client.get("/mentoring/mentees").get_data(as_text=True)
    feedback.add_reply(entries.shared, cast.mentee, "Eine Frage dazu …")
    db.session.commit()
    mentees = client.get("/mentoring/mentees").get_data(as_text=True)
    assert f'data-new-replies="{cast.mentee.id}"' in mentees and "1 neue Antwort" in mentees
    page = client.get(f"/mentoring/mentees/{cast.mentee.id}").get_data(as_text=True)
    assert "1 neue Antwort" in page  # marked on the entry during this visit
    assert "neue Antwort" not in client.get("/mentoring/mentees").get_data(as_text=True)
    again = client.get(f"/mentoring/mentees/{cast.mentee.id}").get_data(as_text=True)
    assert "neue Antwort" not in again
