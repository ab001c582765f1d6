"""Read-only lookups for the Q2 pages: catalogue, counts, a trainer's sessions, people's bookings."""

from datetime import datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from ...accounts.models import User
from ...cohorts.filters import only_cohort
from ...core.timeutil import to_utc
from ...extensions import db
from .common import now_utc
from .models import (
    LiveSession,
    RegStatus,
    SessionDate,
    SessionRegistration,
    SessionStatus,
    session_trainers,
)


def _last_end():
    """Subquery: end of the last date per session."""
    return (
        sa.select(
            SessionDate.session_id,
            sa.func.max(SessionDate.ends_at).label("last_end"),
            sa.func.min(SessionDate.starts_at).label("first_start"),
        )
        .group_by(SessionDate.session_id)
        .subquery()
    )


def upcoming(topic=None, fmt=None, region=None, from_day=None):
    """Scheduled sessions that have not ended, filtered, earliest first."""
    bounds = _last_end()
    query = (
        sa.select(LiveSession)
        .join(bounds, bounds.c.session_id == LiveSession.id)
        .where(LiveSession.status == SessionStatus.SCHEDULED, bounds.c.last_end > now_utc())
        .order_by(bounds.c.first_start, LiveSession.id)
    )
    if topic:
        query = query.where(LiveSession.topic == topic)
    if fmt:
        query = query.where(LiveSession.format == fmt)
    if region:
        query = query.where(LiveSession.region == region)
    if from_day:
        query = query.where(bounds.c.first_start >= to_utc(datetime.combine(from_day, time(0, 0))))
    return db.session.scalars(query).all()


def counts(session_ids):
    """Enrolled and waiting numbers per session: {id: {"enrolled": n, "waiting": m}}."""
    result = {sid: {"enrolled": 0, "waiting": 0} for sid in session_ids}
    if not session_ids:
        return result
    rows = db.session.execute(
        sa.select(SessionRegistration.session_id, SessionRegistration.status, sa.func.count())
        .where(
            SessionRegistration.session_id.in_(list(session_ids)),
            SessionRegistration.status != RegStatus.CANCELLED,
        )
        .group_by(SessionRegistration.session_id, SessionRegistration.status)
    ).all()
    for sid, status, n in rows:
        result[sid][status] = n
    return result


def managed_sessions(user, staff=False, cohort_id=None):
    """Every session (staff) or the trainer's own, newest first; with ``cohort_id`` only
    sessions someone of that cohort registered for."""
    bounds = _last_end()
    query = (
        sa.select(LiveSession)
        .join(bounds, bounds.c.session_id == LiveSession.id)
        .order_by(bounds.c.first_start.desc(), LiveSession.id.desc())
    )
    if not staff:
        query = query.where(
            LiveSession.id.in_(
                sa.select(session_trainers.c.session_id).where(
                    session_trainers.c.user_id == user.id
                )
            )
        )
    if cohort_id:
        of_cohort = only_cohort(
            sa.select(SessionRegistration.session_id), SessionRegistration.user_id, cohort_id
        )
        query = query.where(LiveSession.id.in_(of_cohort))
    return db.session.scalars(query).all()


#: First start and last end per session, shared by the managed list and its sort keys.
_BOUNDS = _last_end()
#: Sort keys of the managed-session list (the first is the default).
MANAGED_SORTS = {"starts": _BOUNDS.c.first_start, "title": sa.func.lower(LiveSession.title)}


def managed_page(user, listing, staff=False, cohort_id=None):
    """One page of :func:`managed_sessions`, searched by title and sorted (a fixed number of queries)."""
    query = (
        sa.select(LiveSession)
        .join(_BOUNDS, _BOUNDS.c.session_id == LiveSession.id)
        .where(listing.matches(LiveSession.title))
    )
    if not staff:
        query = query.where(
            LiveSession.id.in_(
                sa.select(session_trainers.c.session_id).where(
                    session_trainers.c.user_id == user.id
                )
            )
        )
    if cohort_id:
        of_cohort = only_cohort(
            sa.select(SessionRegistration.session_id), SessionRegistration.user_id, cohort_id
        )
        query = query.where(LiveSession.id.in_(of_cohort))
    return listing.fetch(query, LiveSession.id.desc(), scalars=True)


def registrations_of(user):
    """The person's registrations (any status), by session start."""
    rows = db.session.scalars(
        sa.select(SessionRegistration).where(SessionRegistration.user_id == user.id)
    ).all()
    return sorted(rows, key=lambda r: (r.session.starts_at, r.id))


def registrations_for(session, cohort_id=None):
    """All registrations of a session (or of one cohort's people): enrolled, then waiting,
    then cancelled; in queue order."""
    return registrations_by_session([session], cohort_id).get(session.id, [])


def registrations_by_session(sessions, cohort_id=None):
    """``{session id: registrations}`` of many sessions in one query, each list ordered as
    :func:`registrations_for` orders it (people come with them)."""
    order = sa.case(
        {RegStatus.ENROLLED.value: 0, RegStatus.WAITING.value: 1},
        value=SessionRegistration.status,
        else_=2,
    )
    query = sa.select(SessionRegistration).where(
        SessionRegistration.session_id.in_([s.id for s in sessions])
    )
    query = only_cohort(query, SessionRegistration.user_id, cohort_id)
    grouped = {}
    ordered = query.order_by(SessionRegistration.session_id, order, SessionRegistration.queue_no)
    for reg in db.session.scalars(ordered):
        grouped.setdefault(reg.session_id, []).append(reg)
    return grouped


def export_rows(user, staff=False, cohort_id=None):
    """The registrations of :func:`managed_sessions` for the CSV export, as narrow rows in
    the same order (session newest first, then enrolled, waiting, cancelled in queue order).

    One statement read through a server-side cursor (``yield_per``): the first rows arrive
    before the last are read, only the columns the file shows are loaded, no ORM objects."""
    bounds = _last_end()
    person = aliased(User, name="person")
    order = sa.case(
        {RegStatus.ENROLLED.value: 0, RegStatus.WAITING.value: 1},
        value=SessionRegistration.status,
        else_=2,
    )
    query = (
        sa.select(
            LiveSession.id,
            LiveSession.title,
            LiveSession.topic,
            LiveSession.status.label("session_status"),
            bounds.c.first_start,
            person.name,
            person.email,
            person.organisation,
            person.region,
            SessionRegistration.status,
            SessionRegistration.attendance,
            SessionRegistration.attended_minutes,
        )
        .join(bounds, bounds.c.session_id == LiveSession.id)
        .join(SessionRegistration, SessionRegistration.session_id == LiveSession.id)
        .join(person, person.id == SessionRegistration.user_id)
        .order_by(
            bounds.c.first_start.desc(),
            LiveSession.id.desc(),
            order,
            SessionRegistration.queue_no,
            SessionRegistration.id,
        )
    )
    if not staff:
        query = query.where(
            LiveSession.id.in_(
                sa.select(session_trainers.c.session_id).where(
                    session_trainers.c.user_id == user.id
                )
            )
        )
    query = only_cohort(query, SessionRegistration.user_id, cohort_id)
    yield from db.session.execute(query, execution_options={"yield_per": 500})


def recent_choices(limit):
    """The newest ``limit`` sessions that are not cancelled, newest first, as rows (id, title,
    starts_at): the reflecting-team session form's choices, in one narrow query."""
    first_start = (
        sa.select(sa.func.min(SessionDate.starts_at))
        .where(SessionDate.session_id == LiveSession.id)
        .scalar_subquery()
    )
    return db.session.execute(
        sa.select(LiveSession.id, LiveSession.title, first_start.label("starts_at"))
        .where(LiveSession.status != SessionStatus.CANCELLED)
        .order_by(LiveSession.id.desc())
        .limit(limit)
    ).all()


def enrolled_count(session):
    """How many people hold a confirmed place."""
    return db.session.scalar(
        sa.select(sa.func.count(SessionRegistration.id)).where(
            SessionRegistration.session_id == session.id,
            SessionRegistration.status == RegStatus.ENROLLED,
        )
    )
