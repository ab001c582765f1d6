"""Moderation (report, queue, hide, dismiss) and the community's export and erasure."""

import pytest
import sqlalchemy as sa

from lotse_lms.community import moderation, operations
from lotse_lms.community.models import Post, PostRevision, Thread
from lotse_lms.community.privacy import erase_community, export_community
from lotse_lms.core.models import AuditEntry
from lotse_lms.core.paging import Listing
from lotse_lms.extensions import db

SECRET = "Mein Kunde Müller GmbH hat Probleme"


def _queue(app, user):
    """The open reports ``user`` sees in the moderation queue."""
    with app.test_request_context("/community/moderation"):
        listing = Listing.from_request("community.queue", {"reported": Post.id})
        return moderation.page_of_reports(user, listing)


def test_a_reported_post_reaches_the_cohorts_trainer_who_hides_it_with_a_reason(
    app, classroom, other_classroom, make_user
):
    participant, trainer = classroom["participant"], classroom["trainer"]
    thread = operations.create_thread(classroom["space"], trainer, "Frage", "Start")
    post = operations.reply(thread, classroom["mentor"], SECRET)
    with pytest.raises(operations.CommunityError) as caught:
        moderation.report_post(post, participant, "  ")
    assert caught.value.field == "reason"
    report = moderation.report_post(post, participant, "Kundendaten")
    db.session.commit()
    assert [row[0].id for row in _queue(app, trainer)] == [report.id]
    assert [row[0].id for row in _queue(app, make_user("foundation"))] == [report.id]
    assert _queue(app, other_classroom["trainer"]) == []
    assert _queue(app, participant) == []
    with pytest.raises(operations.CommunityError):
        moderation.hide_post(post, participant, "Nein")
    with pytest.raises(operations.CommunityError):
        moderation.hide_post(post, other_classroom["trainer"], "Nein")
    moderation.hide_post(post, trainer, "Enthält Kundendaten")
    db.session.commit()
    assert post.hidden_reason == "Enthält Kundendaten"
    assert _queue(app, trainer) == []  # hiding resolved the report
    entries = db.session.scalars(sa.select(AuditEntry)).all()
    assert {e.action for e in entries} >= {"community.post_reported", "community.post_hidden"}
    logged = " ".join(str(e.details) for e in entries)
    assert "Müller" not in logged and "Kundendaten" not in logged


def test_a_dismissed_report_leaves_the_post(app, classroom):
    trainer = classroom["trainer"]
    thread = operations.create_thread(classroom["space"], trainer, "Frage", "Start")
    report = moderation.report_post(
        db.session.get(Post, thread.last_post_id), classroom["participant"], "unhöflich"
    )
    moderation.dismiss_report(report, trainer)
    assert report.resolved_at is not None and _queue(app, trainer) == []


def test_export_lists_the_persons_posts_and_erasure_anonymises_them(classroom):
    participant, trainer = classroom["participant"], classroom["trainer"]
    thread = operations.create_thread(classroom["space"], participant, "Meine Frage", SECRET)
    own = db.session.get(Post, thread.last_post_id)
    operations.edit_post(own, participant, SECRET + " (ergänzt)")
    answer = operations.reply(thread, trainer, "Antwort der Trainerin")
    moderation.report_post(answer, participant, "Test")
    db.session.commit()

    data = export_community(participant).data
    assert [p["body"] for p in data["posts"]] == [SECRET + " (ergänzt)"]
    assert data["posts"][0]["earlier_versions"][0]["body"] == SECRET
    assert data["threads_opened"] == ["Meine Frage"]
    assert data["reports"][0]["reason"] == "Test"

    assert erase_community(participant) == []
    db.session.commit()
    db.session.expire_all()
    assert own.author_id is None and own.body == ""
    assert db.session.get(Thread, thread.id).author_id is None
    assert db.session.scalar(sa.select(sa.func.count(PostRevision.id))) == 0
    assert answer.body == "Antwort der Trainerin" and answer.author_id == trainer.id
    assert export_community(participant).data["posts"] == []
