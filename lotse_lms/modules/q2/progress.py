"""A Lotse's Q2 progress and time budget, for the dashboard, trainers and certification."""

import sqlalchemy as sa
from flask import current_app

from ...extensions import db
from .models import Attendance, LiveSession, RegStatus, SessionRegistration, SessionStatus


def _registrations(user_ids):
    """Registrations (not cancelled) of people in scheduled sessions, by session start."""
    rows = db.session.scalars(
        sa.select(SessionRegistration)
        .join(LiveSession)
        .where(
            SessionRegistration.user_id.in_(list(user_ids)),
            SessionRegistration.status != RegStatus.CANCELLED,
            LiveSession.status == SessionStatus.SCHEDULED,
        )
    ).all()
    return sorted(rows, key=lambda r: (r.session.starts_at, r.id))


def counted_minutes(reg):
    """Minutes a registration takes from the budget: attended time once recorded, else planned."""
    if reg.status != RegStatus.ENROLLED:
        return 0
    if reg.attendance:
        return reg.attended_minutes
    return reg.session.minutes


def _summary(regs):
    """Totals of one person's registrations."""
    enrolled = [r for r in regs if r.status == RegStatus.ENROLLED]
    planned = sum(r.session.minutes for r in enrolled)
    attended = sum(r.attended_minutes for r in enrolled if r.attendance == Attendance.PRESENT)
    q1 = current_app.config["Q1_ESTIMATED_MINUTES"]
    total = q1 + sum(counted_minutes(r) for r in regs)
    budget = current_app.config["QUALIFICATION_BUDGET_HOURS"] * 60
    return {
        "planned_hours": planned / 60,
        "attended_hours": attended / 60,
        "attended_topics": {
            r.session.topic for r in enrolled if r.attendance == Attendance.PRESENT
        },
        "q1_estimated_hours": q1 / 60,
        "total_hours": total / 60,
        "budget_hours": budget / 60,
        "over_budget": total > budget,
        "sessions": [
            {
                "session_id": r.session_id,
                "title": r.session.title,
                "topic": r.session.topic,
                "starts_at": r.session.starts_at,
                "status": r.status,
                "attendance": r.attendance,
                "planned_hours": r.session.minutes / 60,
                "attended_hours": r.attended_minutes / 60,
            }
            for r in regs
        ],
    }


def q2_progress(user):
    """The person's Q2 progress.

    Returns a dict: planned_hours (enrolled sessions), attended_hours (marked present),
    attended_topics (set of topic keys attended), q1_estimated_hours, total_hours (Q1 estimate
    plus attended or still planned Q2 time), budget_hours, over_budget (bool) and sessions
    (list of dicts: session_id, title, topic, starts_at, status, attendance, planned_hours,
    attended_hours).
    """
    return _summary(_registrations([user.id]))


def budget_by_user(user_ids, extra_session=None):
    """Total hours per person (Q1 estimate + Q2), optionally as if also enrolled in ``extra_session``."""
    by_user = {uid: [] for uid in user_ids}
    for reg in _registrations(user_ids):
        by_user[reg.user_id].append(reg)
    result = {}
    budget = current_app.config["QUALIFICATION_BUDGET_HOURS"]
    for uid, regs in by_user.items():
        total = _summary(regs)["total_hours"]
        if extra_session is not None and not any(
            r.session_id == extra_session.id and r.status == RegStatus.ENROLLED for r in regs
        ):
            total += extra_session.minutes / 60
        result[uid] = {"total_hours": total, "over_budget": total > budget}
    return result
