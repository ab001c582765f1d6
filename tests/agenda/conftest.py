"""Fixtures of the calendar tests: a Lotse with a date in every area that has dates."""

from datetime import timedelta

import pytest

from lotse_lms.core.timeutil import BERLIN
from lotse_lms.extensions import db
from lotse_lms.mentoring.models import FeedbackEntry
from lotse_lms.modules.q2 import operations, registrations
from lotse_lms.modules.q2.common import now_utc
from lotse_lms.reflecting_team.models import RTMember, RTSession

from ..q2.conftest import berlin, session_data


def day_in(days):
    """The Berlin day ``days`` from today."""
    return (now_utc().astimezone(BERLIN) + timedelta(days=days)).date()


@pytest.fixture
def programme(make_user):
    """A trainer's two Q2 sessions (one with a waiting list), a reflecting team and a mentor."""
    trainer = make_user("trainer", name="Tina Trainerin")
    lotse = make_user("participant", name="Lena Lotsin")
    other = make_user("participant", name="Olaf Other")
    mentor = make_user("mentor", name="Mia Mentorin")
    booked = operations.create_session(
        trainer, session_data(trainer, title="Moderation", dates=[(berlin(20, 9), berlin(20, 12))])
    )
    full = operations.create_session(
        trainer,
        session_data(
            trainer, title="Netzwerk", capacity=1, dates=[(berlin(21, 14), berlin(21, 17))]
        ),
    )
    registrations.enrol(lotse, booked.id)
    registrations.enrol(other, full.id)
    registrations.enrol(lotse, full.id)  # waiting list
    team = RTSession(
        title="Fall Lena", held_on=day_in(22), trainer_id=trainer.id, case_owner_id=other.id
    )
    team.members = [RTMember(user_id=lotse.id)]
    db.session.add(team)
    db.session.add(
        FeedbackEntry(
            mentee_id=lotse.id,
            mentor_id=mentor.id,
            occurred_on=day_in(23),
            occasion="other",
            occasion_other="Gespräch im Betrieb",
            visibility="shared",
        )
    )
    db.session.commit()
    return {"trainer": trainer, "lotse": lotse, "mentor": mentor, "booked": booked, "full": full}
