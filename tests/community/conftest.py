"""Fixtures of the community tests: a cohort with its Klassenzimmer and people in it."""

import pytest

from lotse_lms.community import operations
from lotse_lms.core import jobs
from lotse_lms.extensions import db

from ..cohorts.conftest import join, make_cohort  # noqa: F401 (a fixture used by the tests)


@pytest.fixture
def classroom(make_user, make_cohort):  # noqa: F811 (the imported fixture)
    """A cohort with a participant, a trainer and a mentor, and its Klassenzimmer."""
    participant, trainer, mentor = (make_user(r) for r in ("participant", "trainer", "mentor"))
    cohort = make_cohort(name="Frühjahr")
    join(cohort, [participant])
    join(cohort, [trainer], role="trainer")
    join(cohort, [mentor], role="mentor")
    space = operations.classroom_of(cohort)
    db.session.commit()
    return {
        "cohort": cohort,
        "space": space,
        "participant": participant,
        "trainer": trainer,
        "mentor": mentor,
    }


@pytest.fixture
def other_classroom(make_user, make_cohort):  # noqa: F811 (the imported fixture)
    """A second cohort with its own participant and trainer."""
    participant, trainer = make_user("participant"), make_user("trainer")
    cohort = make_cohort(name="Herbst")
    join(cohort, [participant])
    join(cohort, [trainer], role="trainer")
    space = operations.classroom_of(cohort)
    db.session.commit()
    return {"cohort": cohort, "space": space, "participant": participant, "trainer": trainer}


@pytest.fixture
def told(app):
    """Commit, then run the jobs waiting on the real queue (the fan-out of new posts:
    read markers, notifications, mails), as the worker would; returns how many ran."""

    def run():
        db.session.commit()
        return jobs.run_pending(app)

    return run
