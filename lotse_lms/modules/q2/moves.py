"""Trainers move people by hand: admit from the waiting list, add directly, tell who clashes.

Each verb locks the session like the verbs in registrations.py, writes the audit log and
sends the person a notice. Taking someone off is ``registrations.cancel`` with an actor.
"""

import sqlalchemy as sa
from flask_babel import gettext as _

from ...accounts.models import User
from ...accounts.roles import Role
from ...core import audit
from ...core.timeutil import berlin_text
from ...extensions import db
from . import notify
from .common import Q2Error, lock_ids, lock_row, now_utc
from .models import LiveSession, RegStatus, SessionRegistration
from .queries import enrolled_count
from .registrations import clash_for, clashes, registration_of


def _make_room(session, actor):
    """Raise the capacity by one when every place is taken (a trainer's decision to overbook)."""
    taken = enrolled_count(session)
    if taken >= session.capacity:
        audit.record(
            "q2.capacity_raised", session, actor=actor, old=session.capacity, new=taken + 1
        )
        session.capacity = taken + 1


def _check_trainer(session, actor):
    """Only the session's trainers move people, and only on a session that still takes place."""
    if session is None or not session.has_trainer(actor):
        raise Q2Error(
            _("Nur die Trainerinnen und Trainer dieses Termins können Personen eintragen.")
        )
    if session.is_cancelled:
        raise Q2Error(_("Dieser Termin findet nicht statt."))


def admit(registration, actor):
    """A trainer gives a waiting person a place, ahead of the queue and even when full.

    When every place is taken the capacity grows by one, so the numbers stay true.
    """
    session = lock_row(LiveSession, registration.session_id)
    _check_trainer(session, actor)
    reg = registration_of(registration.user, session)
    if reg.status != RegStatus.WAITING:
        raise Q2Error(_("%(name)s steht nicht auf der Warteliste.", name=registration.user.name))
    _make_room(session, actor)
    reg.status = RegStatus.ENROLLED
    reg.enrolled_at = now_utc()
    db.session.flush()
    audit.record("q2.admitted", reg, actor=actor, subject=reg.user, session=session.id)
    notify.admitted_by_trainer(reg.user, session, actor)
    return reg


def add_person(session_id, user, actor):
    """A trainer enrols a participant directly: no deadline, no prerequisites, no queue.

    Refused for people without the participant role, people already registered and people
    booked elsewhere at the same time. When every place is taken the capacity grows by one.
    """
    if user is None or not user.has_role(Role.PARTICIPANT):
        raise Q2Error(
            _("Unter dieser E-Mail-Adresse ist keine teilnehmende Person registriert."), "email"
        )
    lock_ids(User, [user.id])
    session = lock_row(LiveSession, session_id)
    _check_trainer(session, actor)
    reg = registration_of(user, session)
    if reg is not None and reg.status != RegStatus.CANCELLED:
        raise Q2Error(
            _("%(name)s ist bereits angemeldet oder auf der Warteliste.", name=user.name), "email"
        )
    clash = clash_for(user, session)
    if clash:
        other, date = clash
        raise Q2Error(
            _(
                "%(name)s ist zur selben Zeit für „%(title)s“ (%(when)s) angemeldet.",
                name=user.name,
                title=other.title,
                when=berlin_text(date.starts_at),
            ),
            "email",
        )
    _make_room(session, actor)
    last = db.session.scalar(
        sa.select(sa.func.max(SessionRegistration.queue_no)).where(
            SessionRegistration.session_id == session.id
        )
    )
    if reg is None:
        reg = SessionRegistration(session_id=session.id, user_id=user.id)
        db.session.add(reg)
    now = now_utc()
    reg.queue_no = (last or 0) + 1
    reg.status, reg.requested_at, reg.enrolled_at, reg.cancelled_at = (
        RegStatus.ENROLLED,
        now,
        now,
        None,
    )
    reg.attendance, reg.attended_minutes = None, 0
    db.session.flush()
    audit.record("q2.added", reg, actor=actor, subject=user, session=session.id)
    notify.added_by_trainer(user, session, actor)
    return reg


def notify_clashes(session, actor, user_ids):
    """Tell the chosen people who now clash after a move; returns how many were told."""
    if not session.has_trainer(actor):
        raise Q2Error(_("Nur die Trainerinnen und Trainer dieses Termins können ihn ändern."))
    told = 0
    for user, other, date in clashes(session):
        if user.id in user_ids:
            notify.clash_after_move(user, session, other, date.starts_at)
            audit.record("q2.clash_notified", session, actor=actor, subject=user, other=other.id)
            told += 1
    return told
