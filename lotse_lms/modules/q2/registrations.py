"""Verbs on registrations: enrol, join the waiting list, cancel, promote (attendance.py: attendance).

Every verb that changes who holds a place first locks the session row (SELECT ... FOR
UPDATE on PostgreSQL; BEGIN IMMEDIATE on SQLite), so places are handed out strictly in
the order the requests are serialised and never more than the capacity.
"""

import sqlalchemy as sa
from flask_babel import gettext as _

from ...accounts.models import User
from ...accounts.roles import Role
from ...core import audit
from ...core.timeutil import berlin_text
from ...extensions import db
from . import notify, prerequisites
from .common import Q2Error, lock_ids, lock_row, now_utc
from .models import (
    LiveSession,
    RegStatus,
    SessionDate,
    SessionRegistration,
    SessionStatus,
)
from .queries import enrolled_count


def registration_of(user, session):
    """The person's registration row for a session, or None."""
    return db.session.scalar(
        sa.select(SessionRegistration)
        .filter_by(session_id=session.id, user_id=user.id)
        .execution_options(populate_existing=True)
    )


def waiting_list(session):
    """Waiting registrations in queue order; position = index + 1."""
    return db.session.scalars(
        sa.select(SessionRegistration)
        .where(
            SessionRegistration.session_id == session.id,
            SessionRegistration.status == RegStatus.WAITING,
        )
        .order_by(SessionRegistration.queue_no)
    ).all()


def position_of(registration):
    """1-based place on the waiting list, or None when not waiting."""
    if registration.status != RegStatus.WAITING:
        return None
    return 1 + db.session.scalar(
        sa.select(sa.func.count(SessionRegistration.id)).where(
            SessionRegistration.session_id == registration.session_id,
            SessionRegistration.status == RegStatus.WAITING,
            SessionRegistration.queue_no < registration.queue_no,
        )
    )


def clash_for(user, session):
    """Another active registration of ``user`` overlapping ``session``: (session, date) or None."""
    for date in session.dates:
        row = db.session.execute(
            sa.select(LiveSession, SessionDate)
            .join(SessionDate, SessionDate.session_id == LiveSession.id)
            .join(SessionRegistration, SessionRegistration.session_id == LiveSession.id)
            .where(
                SessionRegistration.user_id == user.id,
                SessionRegistration.status != RegStatus.CANCELLED,
                LiveSession.id != session.id,
                LiveSession.status == SessionStatus.SCHEDULED,
                SessionDate.starts_at < date.ends_at,
                SessionDate.ends_at > date.starts_at,
            )
            .limit(1)
        ).first()
        if row:
            return row
    return None


def clashes(session):
    """Registered people who now overlap elsewhere (after a date change): [(user, other, date)]."""
    found = []
    for reg in db.session.scalars(
        sa.select(SessionRegistration)
        .where(
            SessionRegistration.session_id == session.id,
            SessionRegistration.status != RegStatus.CANCELLED,
        )
        .order_by(SessionRegistration.queue_no)
    ):
        clash = clash_for(reg.user, session)
        if clash:
            found.append((reg.user, *clash))
    return found


def enrol(user, session_id):
    """Give ``user`` a place, or a place on the waiting list when full; returns the registration."""
    if not user.has_role(Role.PARTICIPANT):
        raise Q2Error(_("Nur Teilnehmende können sich zu Q2-Terminen anmelden."))
    lock_ids(User, [user.id])  # one request per person at a time: no double or clashing bookings
    session = lock_row(LiveSession, session_id)
    if session is None or session.is_cancelled:
        raise Q2Error(_("Dieser Termin findet nicht statt."))
    now = now_utc()
    if now > session.enrol_deadline or now >= session.starts_at:
        raise Q2Error(
            _("Die Anmeldefrist ist am %(d)s abgelaufen.", d=berlin_text(session.enrol_deadline))
        )
    missing = prerequisites.unmet(user, session.prerequisites)
    if missing:
        raise Q2Error(
            _(
                "Für diesen Termin fehlt noch: %(what)s.",
                what="; ".join(str(p.label) for p in missing),
            )
        )
    reg = registration_of(user, session)
    if reg is not None and reg.status == RegStatus.ENROLLED:
        raise Q2Error(_("Sie sind für diesen Termin bereits angemeldet."))
    if reg is not None and reg.status == RegStatus.WAITING:
        raise Q2Error(_("Sie stehen für diesen Termin bereits auf der Warteliste."))
    clash = clash_for(user, session)
    if clash:
        other, date = clash
        raise Q2Error(
            _(
                "Dieser Termin überschneidet sich mit „%(title)s“ am %(when)s, für den Sie "
                "bereits angemeldet sind oder auf der Warteliste stehen.",
                title=other.title,
                when=berlin_text(date.starts_at),
            )
        )
    last = (
        db.session.scalar(
            sa.select(sa.func.max(SessionRegistration.queue_no)).where(
                SessionRegistration.session_id == session.id
            )
        )
        or 0
    )
    # Counted before the new row is flushed; while anyone waits, newcomers queue behind them.
    full = enrolled_count(session) >= session.capacity or bool(waiting_list(session))
    if reg is None:
        reg = SessionRegistration(session_id=session.id, user_id=user.id)
        db.session.add(reg)
    reg.queue_no = last + 1
    reg.requested_at = now
    reg.cancelled_at = None
    reg.attendance, reg.attended_minutes = None, 0
    reg.status = RegStatus.WAITING if full else RegStatus.ENROLLED
    reg.enrolled_at = None if full else now
    db.session.flush()
    audit.record(
        "q2.waiting" if full else "q2.enrolled",
        reg,
        actor=user,
        subject=user,
        session=session.id,
        queue_no=reg.queue_no,
    )
    if full:
        notify.waiting(user, session, position_of(reg))
    else:
        notify.enrolled(user, session)
    return reg


def cancel(user, session_id, actor=None, reason=""):
    """Give up a place or leave the waiting list; the first waiting person moves up.

    A trainer of the session may take someone off (``actor``), also after the
    cancellation deadline, with a ``reason``; the person is told by mail.
    """
    actor = actor or user
    session = lock_row(LiveSession, session_id)
    by_trainer = actor.id != user.id
    if session is not None and by_trainer and not session.has_trainer(actor):
        raise Q2Error(
            _("Nur die Trainerinnen und Trainer dieses Termins können Teilnehmende abmelden.")
        )
    reg = registration_of(user, session) if session else None
    if reg is None or reg.status == RegStatus.CANCELLED:
        raise Q2Error(
            _("%(name)s ist für diesen Termin nicht angemeldet.", name=user.name)
            if by_trainer
            else _("Sie sind für diesen Termin nicht angemeldet.")
        )
    now = now_utc()
    if session.starts_at and now >= session.starts_at:
        raise Q2Error(_("Der Termin hat bereits begonnen; eine Abmeldung ist nicht mehr möglich."))
    if (
        reg.status == RegStatus.ENROLLED
        and now > session.cancel_deadline
        and not by_trainer
        and not session.is_cancelled
    ):
        raise Q2Error(
            _(
                "Die Abmeldefrist ist am %(d)s abgelaufen. Bitte wenden Sie sich an die "
                "Trainerin oder den Trainer.",
                d=berlin_text(session.cancel_deadline),
            )
        )
    reason = (reason or "").strip()
    if by_trainer and not reason:
        raise Q2Error(
            _("Bitte geben Sie einen Grund an; die Person erhält ihn per E-Mail."), "reason"
        )
    if len(reason) > 2000:
        raise Q2Error(_("Der Grund darf höchstens 2000 Zeichen haben."), "reason")
    was = reg.status
    reg.status = RegStatus.CANCELLED
    reg.cancelled_at = now
    db.session.flush()
    audit.record(
        "q2.removed" if by_trainer else "q2.cancelled",
        reg,
        actor=actor,
        subject=user,
        session=session.id,
        was=was,
        **({"reason": reason} if by_trainer else {}),
    )
    if by_trainer:
        notify.removed_by_trainer(user, session, actor, reason, was == RegStatus.ENROLLED)
    elif was == RegStatus.ENROLLED:
        notify.left(user, session)
    if was == RegStatus.ENROLLED:
        promote_waiting(session)
    return reg


def promote_waiting(session):
    """Fill free places from the waiting list, first come first served; returns who moved up.

    The caller holds the session lock.
    """
    if session.is_cancelled or (session.starts_at and now_utc() >= session.starts_at):
        return []
    free = session.capacity - enrolled_count(session)
    promoted = []
    for reg in waiting_list(session)[: max(free, 0)]:
        reg.status = RegStatus.ENROLLED
        reg.enrolled_at = now_utc()
        promoted.append(reg)
        audit.record(
            "q2.promoted",
            reg,
            actor=None,
            subject=reg.user,
            session=session.id,
            queue_no=reg.queue_no,
        )
        notify.promoted(reg.user, session)
    db.session.flush()
    return promoted
