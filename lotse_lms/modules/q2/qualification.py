"""The Q2 step of the qualification path: CERT_Q2_MIN_HOURS attended and every CERT_Q2_TOPICS topic."""

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ...extensions import db
from ...qualification.state import (
    ALL_STATES,
    DONE,
    OPEN,
    PROGRESS_STATES,
    STARTED,
    Requirement,
    StepState,
    hours,
)
from .common import topic_label
from .models import (
    Attendance,
    LiveSession,
    RegStatus,
    SessionDate,
    SessionRegistration,
    SessionStatus,
)

LABEL = _l("Q2-Präsenzteilnahme nachgewiesen")


def load(scope):
    """The Q2 step of everyone in ``scope``: one query, whatever the number of people."""
    dates = (
        sa.select(
            SessionDate.session_id,
            sa.func.min(SessionDate.starts_at).label("starts_at"),
        )
        .group_by(SessionDate.session_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            SessionRegistration.user_id,
            SessionRegistration.status,
            SessionRegistration.attendance,
            SessionRegistration.attended_minutes,
            LiveSession.title,
            LiveSession.topic,
            dates.c.starts_at,
        )
        .join(LiveSession, SessionRegistration.session_id == LiveSession.id)
        .outerjoin(dates, dates.c.session_id == LiveSession.id)
        .where(
            scope.where(SessionRegistration.user_id),
            SessionRegistration.status != RegStatus.CANCELLED,
            LiveSession.status == SessionStatus.SCHEDULED,
        )
        .order_by(dates.c.starts_at, SessionRegistration.id)
    ).all()
    grouped = {}
    for row in rows:
        grouped.setdefault(row.user_id, []).append(row)
    need_hours = float(current_app.config["CERT_Q2_MIN_HOURS"])
    need_topics = list(current_app.config["CERT_Q2_TOPICS"])
    # Without a requirement the step is met by everyone, registered or not.
    ids = scope.ids if need_hours <= 0 and not need_topics else grouped
    label = str(LABEL)
    return {uid: _state(label, grouped.get(uid, []), need_hours, need_topics) for uid in ids}


def _state(label, regs, need_hours, need_topics):
    """One person's Q2 step from their registrations."""
    attended = [
        r for r in regs if r.status == RegStatus.ENROLLED and r.attendance == Attendance.PRESENT
    ]
    have_hours = sum(r.attended_minutes for r in attended) / 60
    have_topics = {r.topic for r in attended}
    missing_topics = [t for t in need_topics if t not in have_topics]
    describe = lambda: _texts(attended, have_hours, have_topics, need_hours, need_topics)  # noqa: E731
    if have_hours + 1e-9 < need_hours or missing_topics:
        return StepState("q2", label, STARTED, describe=describe)
    since = max((r.starts_at for r in attended if r.starts_at), default=None)
    return StepState("q2", label, DONE, since, describe=describe)


def _texts(attended, have_hours, have_topics, need_hours, need_topics):
    """(source, progress, missing) of a Q2 step, in words."""
    source = ""
    if attended:
        source = ngettext(
            "%(hours)s Stunden in %(num)s Q2-Sitzung: %(titles)s",
            "%(hours)s Stunden in %(num)s Q2-Sitzungen: %(titles)s",
            len(attended),
            hours=hours(have_hours),
            titles=", ".join(r.title for r in attended),
        )
    progress = _(
        "%(have)s von %(need)s Stunden besucht", have=hours(have_hours), need=hours(need_hours)
    )
    if need_topics:
        progress += "; " + _(
            "Themen: %(have)s von %(need)s",
            have=len(have_topics & set(need_topics)),
            need=len(need_topics),
        )
    gaps = []
    if have_hours + 1e-9 < need_hours:
        gaps.append(_("noch %(hours)s Stunden Anwesenheit", hours=hours(need_hours - have_hours)))
    missing_topics = [t for t in need_topics if t not in have_topics]
    if missing_topics:
        gaps.append(
            _("Themen offen: %(topics)s", topics=", ".join(topic_label(t) for t in missing_topics))
        )
    return source, progress, "; ".join(gaps)


def prefilter(state, user_id_column):
    """Exact SQL for every state, as ``load`` decides it: open without a registration that
    counts, done with CERT_Q2_MIN_HOURS attended and every CERT_Q2_TOPICS topic, else begun.

    Done and begun are one grouped pass over the registrations that count, run once (not
    correlated per person): the attended ones summed in conditional aggregates."""
    need_hours = float(current_app.config["CERT_Q2_MIN_HOURS"])
    need_topics = list(current_app.config["CERT_Q2_TOPICS"])
    if need_hours <= 0 and not need_topics:
        return sa.true() if state == DONE else sa.false()
    if state not in (OPEN, STARTED, DONE):
        return sa.false()
    registrations = (
        sa.select(SessionRegistration.user_id)
        .join(LiveSession, SessionRegistration.session_id == LiveSession.id)
        .where(
            SessionRegistration.status != RegStatus.CANCELLED,
            LiveSession.status == SessionStatus.SCHEDULED,
        )
    )
    if state == OPEN:
        return ~user_id_column.in_(registrations)
    attended = sa.and_(
        SessionRegistration.status == RegStatus.ENROLLED,
        SessionRegistration.attendance == Attendance.PRESENT,
    )
    minutes = sa.func.sum(sa.case((attended, SessionRegistration.attended_minutes), else_=0))
    # As load: hours + 1e-9 >= need, in minutes (the sum is a whole number of minutes).
    enough = [minutes + 60e-9 >= need_hours * 60]
    if need_topics:
        covered = sa.case(
            (sa.and_(attended, LiveSession.topic.in_(need_topics)), LiveSession.topic)
        )
        enough.append(sa.func.count(sa.distinct(covered)) >= len(set(need_topics)))
    done = sa.and_(*enough)
    per_person = registrations.group_by(SessionRegistration.user_id)
    return user_id_column.in_(per_person.having(done if state == DONE else ~done))


REQUIREMENT = Requirement(
    "q2",
    LABEL,
    load,
    40,
    "q2.mine",
    _l("Meine Termine"),
    open_text=_l("Noch zu keinem Q2-Termin angemeldet."),
    prefilter=prefilter,
    exact=ALL_STATES,
    states=PROGRESS_STATES,
)
