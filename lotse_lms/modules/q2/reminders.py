"""The reminder about 24 hours before each date; safe to run as often as cron likes."""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ...extensions import db
from . import notify
from .common import lock_row, now_utc
from .models import (
    LiveSession,
    RegStatus,
    ReminderSent,
    SessionDate,
    SessionRegistration,
    SessionStatus,
)


def due_dates(now):
    """Dates starting within the reminder window, of sessions that take place."""
    window = now + timedelta(hours=current_app.config["Q2_REMINDER_HOURS"])
    return db.session.scalars(
        sa.select(SessionDate)
        .join(LiveSession)
        .where(
            LiveSession.status == SessionStatus.SCHEDULED,
            SessionDate.starts_at > now,
            SessionDate.starts_at <= window,
        )
        .order_by(SessionDate.starts_at)
    ).all()


def send_reminders(now=None):
    """Queue every due reminder not sent before, committing per session; returns how many."""
    now = now or now_utc()
    sent = 0
    for date_id, session_id in [(d.id, d.session_id) for d in due_dates(now)]:
        # Under the session lock a second cron run waits and then sees the reminders as sent.
        lock_row(LiveSession, session_id)
        done = set(
            db.session.scalars(
                sa.select(ReminderSent.registration_id).where(ReminderSent.date_id == date_id)
            )
        )
        regs = db.session.scalars(
            sa.select(SessionRegistration)
            .where(
                SessionRegistration.session_id == session_id,
                SessionRegistration.status == RegStatus.ENROLLED,
            )
            .order_by(SessionRegistration.queue_no)
        ).all()
        for reg in regs:
            if reg.id in done:
                continue
            db.session.add(ReminderSent(registration_id=reg.id, date_id=date_id, sent_at=now))
            notify.reminder(reg.user, reg.session)
            sent += 1
        db.session.commit()
    return sent
