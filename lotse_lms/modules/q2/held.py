"""Q2 sessions that have already taken place, built through Q2's own verbs.

The demo data and the tests need Lotsen who attended a session in the past. Q2 refuses to
schedule one there, so the one builder here does what a real session goes through: it is
scheduled ahead, the people enrol while it is open, and then its dates move back.
"""

from ...core.timeutil import to_berlin, to_utc
from ...extensions import db
from .operations import create_session
from .registrations import enrol


def held_session(trainer, data, people, back):
    """Schedule ``data`` (as for ``create_session``), enrol ``people``, then move it ``back``.

    ``back`` is a timedelta; each date keeps its Berlin wall-clock time (a session at 9:00
    stays at 9:00 across a change to or from summer time). The enrolment and cancellation
    deadlines move to the first start, as for a session that has begun. Attendance is left
    to the caller (``attendance.record_attendance``). Returns the session.
    """
    session = create_session(trainer, data)
    for user in people:
        enrol(user, session.id)
    for when in session.dates:
        start, end = to_berlin(when.starts_at), to_berlin(when.ends_at)
        when.starts_at = to_utc(start.replace(tzinfo=None) - back)
        when.ends_at = to_utc(end.replace(tzinfo=None) - back)
    session.enrol_deadline = session.cancel_deadline = session.dates[0].starts_at
    db.session.flush()
    return session
