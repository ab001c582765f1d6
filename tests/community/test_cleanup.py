"""Read in-app notifications are deleted after COMMUNITY_NOTIFICATION_KEEP_DAYS by a daily job."""

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from lotse_lms.community import notify, operations
from lotse_lms.community.notify_models import Notification
from lotse_lms.core import jobs
from lotse_lms.core.timeutil import utcnow
from lotse_lms.extensions import db


def _make_notes(app, classroom, count):
    thread = operations.create_thread(classroom["space"], classroom["participant"], "Frage", "?")
    for n in range(count):
        operations.reply(thread, classroom["trainer"], f"Antwort {n}")
    db.session.commit()
    jobs.run_pending(app)  # the fan-out of the replies
    return db.session.scalars(
        sa.select(Notification)
        .where(Notification.user_id == classroom["participant"].id)
        .order_by(Notification.id)
    ).all()


@pytest.mark.config(COMMUNITY_NOTIFICATION_KEEP_DAYS=30)
def test_old_read_notifications_go_unread_and_recent_ones_stay(app, classroom):
    old_read, old_unread, new_read = _make_notes(app, classroom, 3)
    long_ago = utcnow() - timedelta(days=31)
    old_read.created_at = old_unread.created_at = long_ago
    old_read.read_at = new_read.read_at = utcnow()
    keep = {old_unread.id, new_read.id}
    db.session.commit()
    jobs.enqueue("community.notification_cleanup")
    assert jobs.run_pending(app) >= 1
    db.session.expire_all()
    assert set(db.session.scalars(sa.select(Notification.id))) == keep
    assert notify.unread_count(classroom["participant"]) == 1


@pytest.mark.config(COMMUNITY_NOTIFICATION_KEEP_DAYS=0)
def test_zero_keeps_every_notification(app, classroom):
    (note,) = _make_notes(app, classroom, 1)
    note.read_at, note.created_at = utcnow(), utcnow() - timedelta(days=3000)
    db.session.commit()
    assert notify.delete_old_read() == 0


def test_the_clean_up_runs_every_night(app):
    night = datetime(2026, 12, 7, 4, 25)
    names = {task.name for task in jobs.queue(app).read_periodic(night)}
    assert "community.notification_cleanup" in names
