"""Verbs on attendance: per date of a session, with the session total kept on the registration.

A trainer records present / absent / excused and the minutes for each date that has begun.
The registration's ``attendance`` and ``attended_minutes`` hold the total (present on any
date; the minutes summed), which progress, the qualification path and certificates read.
All entries of one save are checked first; nothing is written unless every one is valid.
"""

import sqlalchemy as sa
from flask_babel import gettext as _

from ...core import audit
from ...core.errors import collect
from ...core.timeutil import berlin_text
from ...extensions import db
from .common import Q2Error, now_utc
from .models import ATTENDANCE_LABELS, Attendance, DateAttendance, RegStatus, SessionRegistration


def field_name(kind, registration_id, date_id):
    """The form field of one entry: ``status-<registration>-<date>`` or ``hours-…``."""
    return f"{kind}-{registration_id}-{date_id}"


def hours_text(minutes):
    """Minutes as hours with at most two decimals, German style."""
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def by_date(registrations):
    """{(registration_id, date_id): DateAttendance} of ``registrations`` (one query)."""
    ids = [r.id for r in registrations]
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(DateAttendance).where(DateAttendance.registration_id.in_(ids))
    )
    return {(row.registration_id, row.date_id): row for row in rows}


def _check_actor(session, actor):
    """Only the session's trainers record, and not for a cancelled session."""
    if not session.has_trainer(actor):
        raise Q2Error(
            _("Nur die Trainerinnen und Trainer dieses Termins erfassen die Anwesenheit.")
        )
    if session.is_cancelled:
        raise Q2Error(_("Für einen abgesagten Termin wird keine Anwesenheit erfasst."))


def _checked(session, registrations, dates, entries, refuse):
    """Cleaned {(reg, date): (status, minutes)}; refusals go to ``refuse`` with their field."""
    now = now_utc()
    clean = {}
    for (reg_id, date_id), (status, minutes) in entries.items():
        reg, date = registrations.get(reg_id), dates.get(date_id)
        if reg is None or date is None:
            refuse(_("Unbekannte Anmeldung oder unbekannter Termin."))
            continue
        if reg.status != RegStatus.ENROLLED:
            refuse(
                _("%(name)s ist für diesen Termin nicht angemeldet.", name=reg.user.name),
                field_name("status", reg_id, date_id),
            )
            continue
        if now < date.starts_at:
            refuse(
                _(
                    "Die Anwesenheit kann erst ab Beginn des Termins (%(d)s) erfasst werden.",
                    d=berlin_text(date.starts_at),
                ),
                field_name("status", reg_id, date_id),
            )
            continue
        try:
            status = Attendance(status)
        except ValueError:
            refuse(
                _("Bitte wählen Sie anwesend, abwesend oder entschuldigt."),
                field_name("status", reg_id, date_id),
            )
            continue
        if status != Attendance.PRESENT:
            clean[reg_id, date_id] = (status, 0)
            continue
        minutes = date.minutes if minutes is None else minutes
        if not isinstance(minutes, int) or not 0 < minutes <= date.minutes:
            refuse(
                _(
                    "Die Stunden von %(name)s müssen größer als 0 sein und dürfen die Dauer des "
                    "Termins (%(h)s h) nicht überschreiten.",
                    name=reg.user.name,
                    h=hours_text(date.minutes),
                ),
                field_name("hours", reg_id, date_id),
            )
            continue
        clean[reg_id, date_id] = (status, minutes)
    return clean


def check_dates(session, actor, entries):
    """Raise one Q2Error with every refusal ``entries`` would meet; write nothing."""
    _check_actor(session, actor)
    regs = _registrations(session, {reg_id for reg_id, _d in entries})
    with collect(Q2Error) as refuse:
        _checked(session, regs, {d.id: d for d in session.dates}, entries, refuse)


def _registrations(session, ids):
    """The session's registrations among ``ids``, by id."""
    if not ids:
        return {}
    query = sa.select(SessionRegistration).where(
        SessionRegistration.session_id == session.id, SessionRegistration.id.in_(sorted(ids))
    )
    return {r.id: r for r in db.session.scalars(query)}


def record_dates(session, actor, entries):
    """Record attendance per date: ``{(registration_id, date_id): (status, minutes|None)}``.

    ``minutes`` None for "present" means the whole date. Every entry is checked before any
    is written (one Q2Error lists them all, each with its form field). Returns how many
    date entries changed; corrections are logged with the old and the new value.
    """
    _check_actor(session, actor)
    regs = _registrations(session, {reg_id for reg_id, _d in entries})
    dates = {d.id: d for d in session.dates}
    with collect(Q2Error) as refuse:
        clean = _checked(session, regs, dates, entries, refuse)
    existing = by_date(list(regs.values()))
    changed = 0
    touched = set()
    for (reg_id, date_id), (status, minutes) in clean.items():
        row = existing.get((reg_id, date_id))
        old = (row.status, row.minutes) if row else (None, 0)
        if old == (str(status), minutes):
            continue
        if row is None:
            row = DateAttendance(registration_id=reg_id, date_id=date_id)
            db.session.add(row)
            existing[reg_id, date_id] = row
        row.status, row.minutes = str(status), minutes
        row.recorded_by_id, row.recorded_at = actor.id, now_utc()
        changed += 1
        touched.add(reg_id)
        audit.record(
            "q2.attendance_corrected" if old[0] else "q2.attendance_recorded",
            regs[reg_id],
            actor=actor,
            subject=regs[reg_id].user,
            session=session.id,
            date=date_id,
            old=list(old),
            new=[str(status), minutes],
            label=str(ATTENDANCE_LABELS[status]),
        )
    for reg_id in touched:
        _total(regs[reg_id], [row for (r, _d), row in existing.items() if r == reg_id], actor)
    db.session.flush()
    return changed


def _total(registration, rows, actor):
    """Put the session total of the per-date ``rows`` on the registration."""
    statuses = {row.status for row in rows}
    for status in (Attendance.PRESENT, Attendance.ABSENT, Attendance.EXCUSED):
        if status in statuses:
            registration.attendance = str(status)
            break
    else:
        registration.attendance = None
    registration.attended_minutes = sum(
        row.minutes for row in rows if row.status == Attendance.PRESENT
    )
    registration.attendance_by_id, registration.attendance_at = actor.id, now_utc()


def record_attendance(registration, actor, status, minutes=None):
    """Record one status for every date of the session that has begun (the whole session).

    ``minutes`` (present only) fill the dates in order, each up to its length; None means
    all of them. Returns True when something changed.
    """
    session = registration.session
    _check_actor(session, actor)
    now = now_utc()
    begun = [d for d in session.dates if d.starts_at <= now]
    if not begun:
        raise Q2Error(
            _(
                "Die Anwesenheit kann erst ab Beginn des Termins (%(d)s) erfasst werden.",
                d=berlin_text(session.starts_at),
            )
        )
    total = sum(d.minutes for d in begun)
    if status == Attendance.PRESENT and minutes is not None:
        if not isinstance(minutes, int) or not 0 < minutes <= total:
            raise Q2Error(
                _(
                    "Die Stunden von %(name)s müssen größer als 0 sein und dürfen die Dauer des "
                    "Termins (%(h)s h) nicht überschreiten.",
                    name=registration.user.name,
                    h=hours_text(total),
                ),
                "hours",
            )
    entries = {}
    left = total if minutes is None else minutes
    for date in begun:
        share = min(left, date.minutes) if status == Attendance.PRESENT else None
        if share == 0:
            entries[registration.id, date.id] = (Attendance.ABSENT, None)
            continue
        left -= share or 0
        entries[registration.id, date.id] = (status, share)
    return record_dates(session, actor, entries) > 0


def dates_removed(date_ids, actor):
    """Forget the attendance of dates taken off a session and correct the session totals.

    Called by update_session; explicit because SQLite does not enforce ON DELETE CASCADE.
    """
    if not date_ids:
        return
    reg_ids = set(
        db.session.scalars(
            sa.select(DateAttendance.registration_id).where(DateAttendance.date_id.in_(date_ids))
        )
    )
    if not reg_ids:
        return
    db.session.execute(sa.delete(DateAttendance).where(DateAttendance.date_id.in_(date_ids)))
    regs = db.session.scalars(
        sa.select(SessionRegistration).where(SessionRegistration.id.in_(reg_ids))
    ).all()
    rows = by_date(regs)
    for reg in regs:
        _total(reg, [row for (r, _d), row in rows.items() if r == reg.id], actor)
