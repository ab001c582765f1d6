"""Q2 in a person's calendar: their dates (also on the waiting list), the sessions they
train, and the deadlines that matter to them."""

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from ...agenda.registry import Entry, utc_bounds
from ...extensions import db
from .models import LiveSession, RegStatus, SessionDate, SessionRegistration, session_trainers


def _sessions(user, start, end):
    """(session, registration status or None for a trainer) with a date or deadline in range."""
    mine = (
        sa.select(LiveSession, SessionRegistration.status)
        .join(SessionRegistration, SessionRegistration.session_id == LiveSession.id)
        .where(
            SessionRegistration.user_id == user.id,
            SessionRegistration.status != RegStatus.CANCELLED,
        )
    )
    trained = (
        sa.select(LiveSession, sa.null())
        .join(session_trainers, session_trainers.c.session_id == LiveSession.id)
        .where(session_trainers.c.user_id == user.id)
    )
    in_range = sa.or_(
        LiveSession.id.in_(
            sa.select(SessionDate.session_id).where(
                SessionDate.starts_at < end, SessionDate.ends_at > start
            )
        ),
        LiveSession.enrol_deadline.between(start, end),
        LiveSession.cancel_deadline.between(start, end),
    )
    rows = db.session.execute(trained.where(in_range)).all()
    rows += db.session.execute(mine.where(in_range)).all()
    return rows


def entries(user, first_day, last_day):
    """Q2 entries of ``user``: dates, and the cancellation / enrolment deadlines."""
    start, end = utc_bounds(first_day, last_day)
    found = []
    for session, status in _sessions(user, start, end):
        url = url_for("q2.detail", session_id=session.id)
        note = ""
        if session.is_cancelled:
            note = _("abgesagt")
        elif status == RegStatus.WAITING:
            note = _("Warteliste")
        total = len(session.dates)
        for number, date in enumerate(session.dates, 1):
            title = session.title if total == 1 else f"{session.title} ({number}/{total})"
            found.append(Entry(date.starts_at, date.ends_at, title, url, "Q2", "event", note))
        if session.is_cancelled:
            continue
        if status is None:
            found.append(
                Entry(
                    session.enrol_deadline,
                    None,
                    _("Anmeldeschluss: %(t)s", t=session.title),
                    url,
                    "Q2",
                    "deadline",
                )
            )
        elif status == RegStatus.ENROLLED:
            found.append(
                Entry(
                    session.cancel_deadline,
                    None,
                    _("Abmeldefrist: %(t)s", t=session.title),
                    url,
                    "Q2",
                    "deadline",
                )
            )
    return found
