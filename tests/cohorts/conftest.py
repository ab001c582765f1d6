"""Fixtures of the cohort tests: a cohort factory."""

from datetime import date, timedelta

import pytest

from lotse_lms.cohorts import operations
from lotse_lms.cohorts.models import CohortMember
from lotse_lms.extensions import db


@pytest.fixture
def make_cohort(app, make_user):
    """Factory: a committed cohort running from a month ago for a year (or the dates given)."""
    counter = {"n": 0}
    admin = {}

    def factory(name=None, starts_on=None, ends_on=None, participants=(), trainers=(), mentors=()):
        """Create a cohort with these members."""
        counter["n"] += 1
        if "user" not in admin:
            admin["user"] = make_user("foundation", email="cohort-staff@example.org")
        actor = admin["user"]
        start = starts_on or operations.today() - timedelta(days=30)
        cohort = operations.create_cohort(
            name or f"Durchgang {counter['n']}",
            start,
            ends_on or start + timedelta(days=365),
            actor,
        )
        for role, people in (
            ("participant", participants),
            ("trainer", trainers),
            ("mentor", mentors),
        ):
            for person in people:
                operations.add_member(cohort, person, role, actor)
        db.session.commit()
        return cohort

    return factory


PAST = (date(2024, 1, 1), date(2024, 12, 31))


def join(cohort, people, role="participant"):
    """Test helper: put ``people`` into ``cohort`` directly (fast; the checks are tested elsewhere)."""
    for person in people:
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=person.id, role=role))
    db.session.commit()


def people(make_user, n, prefix):
    """``n`` participants without passwords (fast), named ``prefix NN``."""
    return [make_user(name=f"{prefix} {i:02d}", password=None) for i in range(n)]
