"""The Q2 step's SQL conditions name exactly the people whose computed state they name, for
every mix of registrations (cancelled, waiting, enrolled, absent, present, in a cancelled
session) and for hours alone, hours and topics, and topics alone."""

import itertools
from datetime import datetime, timedelta

import sqlalchemy as sa

from lotse_lms.accounts.models import User
from lotse_lms.extensions import db
from lotse_lms.modules.q2.held import held_session
from lotse_lms.modules.q2.models import Attendance, RegStatus, SessionStatus
from lotse_lms.modules.q2.registrations import registration_of
from lotse_lms.qualification.state import DONE, OPEN, STARTED, exact_prefilter, states

#: (status, attendance) a registration is left in; None: not registered.
ENDINGS = [
    None,
    (RegStatus.CANCELLED, None),
    (RegStatus.WAITING, None),
    (RegStatus.ENROLLED, None),
    (RegStatus.ENROLLED, Attendance.ABSENT),
    (RegStatus.ENROLLED, Attendance.PRESENT),
]


def _session(trainer, topic, hours, people, day):
    """A held session of ``topic`` lasting ``hours`` with ``people`` enrolled."""
    start = datetime(2030, 1, 1, 9, 0) + timedelta(days=day)
    return held_session(
        trainer,
        {
            "title": f"Q2 {topic}",
            "topic": topic,
            "format": "virtual",
            "meeting_url": "https://meet.example.org/q2",
            "capacity": 100,
            "dates": [(start, start + timedelta(hours=hours))],
            "trainer_ids": [trainer.id],
            "description": "Übung.",
        },
        people,
        timedelta(days=2000),
    )


def _leave(user, session, ending, minutes):
    """Leave ``user``'s registration of ``session`` in ``ending``."""
    reg = registration_of(user, session)
    if ending is None:
        db.session.delete(reg)
        return
    reg.status, reg.attendance = ending
    reg.attended_minutes = minutes if reg.attendance == Attendance.PRESENT else 0


def test_every_state_by_sql_is_the_computed_one(app, make_user):
    trainer = make_user("trainer", password=None)
    combos = list(itertools.product(ENDINGS, ENDINGS, [None, ENDINGS[-1]]))
    people = [make_user("participant", password=None) for _ in combos]
    sessions = [
        (_session(trainer, "moderating", 3, people, 1), 180),
        (_session(trainer, "initiating", 2, people, 2), 120),
        (_session(trainer, "moderating", 4, people, 3), 240),
    ]
    sessions[2][0].status = SessionStatus.CANCELLED  # its attendance never counts
    for user, endings in zip(people, combos, strict=True):
        for (session, minutes), ending in zip(sessions, endings, strict=True):
            _leave(user, session, ending, minutes)
    db.session.commit()
    ids = [p.id for p in people]

    for hours, topics in ((3.0, []), (4.0, ["moderating", "initiating"]), (0.0, ["initiating"])):
        app.config.update(CERT_Q2_MIN_HOURS=hours, CERT_Q2_TOPICS=topics)
        computed = {uid: step.state for uid, (step,) in states(ids, keys=["q2"]).items()}
        assert set(computed.values()) == {OPEN, STARTED, DONE}, (hours, topics)
        for state in (OPEN, STARTED, DONE):
            condition = exact_prefilter("q2", state, User.id)
            found = set(db.session.scalars(sa.select(User.id).where(User.id.in_(ids), condition)))
            assert found == {uid for uid in ids if computed[uid] == state}, (hours, topics, state)
