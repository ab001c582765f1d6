"""Fixtures of the Q2 tests: trainers, Lotsen and sessions made through the operations."""

from datetime import datetime, timedelta

import pytest

from lotse_lms.core.timeutil import BERLIN
from lotse_lms.extensions import db
from lotse_lms.modules.q2 import operations
from lotse_lms.modules.q2.common import now_utc


def berlin(days, hour=10, minute=0):
    """A naive Europe/Berlin time ``days`` from today at ``hour``:``minute`` (as forms send it)."""
    day = (now_utc().astimezone(BERLIN) + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, hour, minute)


def session_data(trainer, **overrides):
    """Valid data for a virtual three-hour session in 14 days."""
    data = {
        "title": "Experimentierräume moderieren",
        "topic": "moderating",
        "format": "virtual",
        "meeting_url": "https://meet.example.org/q2-raum",
        "capacity": 10,
        "dates": [(berlin(14, 9), berlin(14, 12))],
        "trainer_ids": [trainer.id],
        "description": "Wir üben **Moderation**.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def trainer(make_user):
    """A committed trainer."""
    return make_user("trainer", name="Tina Trainerin")


@pytest.fixture
def new_session(trainer):
    """Factory: create and commit a session (defaults from session_data)."""

    def create(by=None, **overrides):
        """Create a session as ``by`` (default: the trainer fixture)."""
        actor = by or trainer
        session = operations.create_session(actor, session_data(actor, **overrides))
        db.session.commit()
        return session

    return create


def move_to_past(session, days=1):
    """Test helper: let a session's dates lie ``days`` in the past (it has started)."""
    for date in session.dates:
        date.starts_at -= timedelta(days=15 + days)
        date.ends_at -= timedelta(days=15 + days)
    session.enrol_deadline = session.cancel_deadline = session.dates[0].starts_at
    db.session.commit()
