"""Verbs on sessions: create, update, copy and cancel. Registrations live in registrations.py."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from ...accounts.models import User
from ...accounts.roles import Role
from ...core import audit
from ...core.errors import collect
from ...core.timeutil import berlin_text, to_berlin
from ...extensions import db
from . import attendance, ical, notify
from .common import Q2Error, lock_row, lock_rows, now_utc
from .models import (
    LiveSession,
    RegStatus,
    SessionDate,
    SessionRegistration,
    SessionStatus,
    session_trainers,
)
from .registrations import promote_waiting
from .validation import aware, check_capacity, clean_session

#: Fields whose change participants are told about (and calendars update).
NOTIFY_FIELDS = ("title", "format", "venue", "meeting_url", "dates")


def _trainers(ids, clean_dates, session_id=None, lock=True):
    """Lock and check the trainers: each must hold the trainer role and be free at every date."""
    ids = sorted({int(i) for i in ids or []})
    if not ids:
        raise Q2Error(
            _("Bitte wählen Sie mindestens eine Trainerin oder einen Trainer."), "trainer_ids"
        )
    if lock:  # serialises concurrent scheduling of the same trainers
        users = lock_rows(User, ids)
    else:
        users = db.session.scalars(sa.select(User).where(User.id.in_(ids))).all()
    if len(users) != len(ids) or not all(u.has_role(Role.TRAINER) for u in users):
        raise Q2Error(
            _("Nur Personen mit der Rolle Trainerin / Trainer können eingeplant werden."),
            "trainer_ids",
        )
    for start, end in clean_dates:
        query = (
            sa.select(User, LiveSession, SessionDate)
            .join(session_trainers, session_trainers.c.user_id == User.id)
            .join(LiveSession, LiveSession.id == session_trainers.c.session_id)
            .join(SessionDate, SessionDate.session_id == LiveSession.id)
            .where(
                User.id.in_(ids),
                LiveSession.status == SessionStatus.SCHEDULED,
                SessionDate.starts_at < end,
                SessionDate.ends_at > start,
            )
        )
        if session_id is not None:
            query = query.where(LiveSession.id != session_id)
        clash = db.session.execute(query.limit(1)).first()
        if clash:
            user, other, date = clash
            raise Q2Error(
                _(
                    "%(name)s ist am %(when)s bereits für „%(title)s“ eingeplant.",
                    name=user.name,
                    when=berlin_text(date.starts_at),
                    title=other.title,
                ),
                "trainer_ids",
            )
    return users


def _deadlines_follow(session, data):
    """A deadline left at "start of the first date" follows that date when it moves."""
    data = dict(data)
    for key in ("enrol_deadline", "cancel_deadline"):
        value = data.get(key)
        if not isinstance(value, datetime) or getattr(session, key) != session.starts_at:
            continue
        try:
            if aware(value, key) == session.starts_at:
                data[key] = None
        except Q2Error:
            pass  # a time that does not exist: clean_session names it
    return data


def _checked(data, session=None, lock=True):
    """Cleaned fields and the (locked) trainers, or one Q2Error with every refusal of both."""
    if session is not None:
        data = _deadlines_follow(session, data)
    with collect(Q2Error) as refuse:
        clean = refuse.check(clean_session, data, session)
        trainers = refuse.check(
            _trainers,
            data.get("trainer_ids"),
            clean["dates"] if clean else [],
            session.id if session else None,
            lock=lock,
        )
    return clean, trainers


def check_session(data, session=None):
    """Every refusal ``data`` would meet when saved (fields and trainers), without writing.

    The session form calls it when its own checks already failed, so one answer shows all.
    """
    _checked(data, session, lock=False)


def create_session(actor, data):
    """Schedule a new session from ``data`` (see validation.clean_session for the keys); returns it."""
    clean, trainers = _checked(data)
    dates = clean.pop("dates")
    session = LiveSession(**clean, created_by_id=actor.id, trainers=trainers)
    session.dates = [SessionDate(starts_at=s, ends_at=e) for s, e in dates]
    db.session.add(session)
    db.session.flush()
    audit.record(
        "q2.session_created",
        session,
        actor=actor,
        title=session.title,
        dates=[s for s, _e in dates],
        capacity=session.capacity,
    )
    return session


def update_session(session, actor, data):
    """Change a session; participants are told about changes that matter to them."""
    if not session.has_trainer(actor):
        raise Q2Error(_("Nur die Trainerinnen und Trainer dieses Termins können ihn ändern."))
    if session.is_cancelled:
        raise Q2Error(_("Ein abgesagter Termin kann nicht mehr geändert werden."))
    clean, trainers = _checked(data, session)
    session = lock_row(LiveSession, session.id)
    check_capacity(session, clean["capacity"])
    before = {f: getattr(session, f) for f in clean if f != "dates"}
    before["dates"] = [(d.starts_at, d.ends_at) for d in session.dates]
    dates = clean.pop("dates")
    for field, value in clean.items():
        setattr(session, field, value)
    # Dates that stay keep their rows (and calendar UIDs); removed ones get a CANCEL below.
    # Their attendance goes before the rows (SQLite does not enforce ON DELETE CASCADE).
    with db.session.no_autoflush:
        gone = session.replace_dates(dates)
        attendance.dates_removed([row.id for row in gone], actor)
    removed = [ical.stub(row) for row in gone]
    session.trainers = trainers
    changed = sorted(
        f for f in before if before[f] != (dates if f == "dates" else getattr(session, f))
    )
    session.sequence += 1
    session.updated_at = now_utc()
    db.session.flush()
    audit.record("q2.session_updated", session, actor=actor, changed=changed)
    if set(changed) & set(NOTIFY_FIELDS):
        for reg in active_registrations(session):
            notify.changed(reg.user, session, reg.status == RegStatus.ENROLLED, removed)
    promote_waiting(session)  # more places may have been added
    return session


def active_registrations(session):
    """Enrolled and waiting registrations, in arrival order."""
    return db.session.scalars(
        sa.select(SessionRegistration)
        .where(
            SessionRegistration.session_id == session.id,
            SessionRegistration.status != RegStatus.CANCELLED,
        )
        .order_by(SessionRegistration.queue_no)
    ).all()


def cancel_session(session, actor, reason=""):
    """Cancel a session: everyone registered is told; calendars show it as cancelled."""
    if not session.has_trainer(actor):
        raise Q2Error(_("Nur die Trainerinnen und Trainer dieses Termins können ihn absagen."))
    session = lock_row(LiveSession, session.id)
    if session.is_cancelled:
        raise Q2Error(_("Dieser Termin ist bereits abgesagt."))
    reason = (reason or "").strip()
    if len(reason) > 2000:
        raise Q2Error(_("Der Grund darf höchstens 2000 Zeichen haben."), "reason")
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = reason
    session.cancelled_at = session.updated_at = now_utc()
    session.sequence += 1
    db.session.flush()
    audit.record("q2.session_cancelled", session, actor=actor, reason=reason)
    for reg in active_registrations(session):
        notify.cancelled(reg.user, session, reason, reg.status == RegStatus.ENROLLED)
    return session


def _shift(value, shift):
    """Move a time by ``shift`` in Berlin wall-clock time (10:00 stays 10:00 across DST)."""
    return to_berlin(value).replace(tzinfo=None) + shift


def copy_data(source, shift=timedelta(days=7)):
    """Form data for a new session like ``source``, its dates moved by ``shift`` (duplicate)."""
    return {
        "title": source.title,
        "topic": source.topic,
        "description": source.description,
        "format": source.format,
        "venue": source.venue,
        "region": source.region,
        "meeting_url": source.meeting_url,
        "capacity": source.capacity,
        "dates": [(_shift(d.starts_at, shift), _shift(d.ends_at, shift)) for d in source.dates],
        "enrol_deadline": _shift(source.enrol_deadline, shift),
        "cancel_deadline": _shift(source.cancel_deadline, shift),
        "prerequisites": list(source.prerequisites or []),
        "trainer_ids": [t.id for t in source.trainers],
    }


def duplicate_session(source, actor, shift=timedelta(days=7)):
    """Create a copy of ``source`` ``shift`` later (same trainers, text, place and size)."""
    return create_session(actor, copy_data(source, shift))
