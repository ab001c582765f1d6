"""Fixtures of the privacy tests: a Lotse with records in every area and a certificate."""

from datetime import date

import pytest

from lotse_lms.certification import operations as certification
from lotse_lms.cohorts import operations as cohorts
from lotse_lms.community import operations as community
from lotse_lms.community import policy as community_policy
from lotse_lms.core import jobs
from lotse_lms.extensions import db
from lotse_lms.mentoring import feedback
from tests.certification.qualification import ALL_PARTS, Qualification

NAME = "Lena Lotsin"
EMAIL = "lena.lotsin@example.org"


@pytest.fixture
def staff(make_user):
    """A foundation member."""
    return make_user("foundation", name="Sabine Stiftung")


@pytest.fixture
def lena(app, make_user, staff):
    """A certified Lotse with records in every area, a shared feedback entry and her reply."""
    builder = Qualification(app, make_user, staff)
    user = make_user("participant", name=NAME, email=EMAIL, phone="0170 1234567")
    steps = {
        "authorisation": builder.authorisation,
        "workshop": builder.workshop,
        "q1": builder.q1,
        "q2": builder.q2,
        "reflecting_team": builder.reflecting_team,
        "mentor": builder.mentor_recommendation,
    }
    for part in ALL_PARTS:
        steps[part](user)
        db.session.commit()
    entry = feedback.create_entry(
        user,
        builder.mentor,
        occurred_on=date(2026, 11, 2),
        occasion="other",
        occasion_other="Telefonat",
        observations="Lena Lotsin moderiert ruhig.",
        visibility="shared",
    )
    db.session.commit()
    feedback.add_reply(entry, user, "Danke, ich übe weiter.")
    db.session.commit()
    certification.issue(user, staff)
    cohort = cohorts.create_cohort(
        "Durchgang Herbst 2026", date(2026, 9, 1), date(2027, 2, 28), staff
    )
    cohorts.add_member(cohort, user, "participant", staff)
    classroom = community.classroom_of(cohort)
    community.create_thread(classroom, user, "Vorstellung", f"Ich bin {NAME}, 0170 1234567.")
    community.ensure_defaults()
    assert community_policy.is_lotse(user)  # certified: she belongs to the Lotsen-Community
    db.session.commit()
    jobs.run_pending(app)  # the certificate's PDF and the mails
    return user
