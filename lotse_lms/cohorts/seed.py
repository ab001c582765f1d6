"""Demo data: one current cohort with the demo participants, trainer and mentor."""

from datetime import timedelta

import sqlalchemy as sa

from ..accounts.operations import find_user
from ..extensions import db
from .models import MENTOR, PARTICIPANT, TRAINER, Cohort, CohortMember
from .operations import today

NAME = "Demo-Durchgang"
#: (e-mail, role in the cohort) of the demo accounts that belong to it.
MEMBERS = [
    ("teilnehmerin@lotse.example", PARTICIPANT),
    ("paul.praxis@lotse.example", PARTICIPANT),
    ("petra.pilot@lotse.example", PARTICIPANT),
    ("trainer@lotse.example", TRAINER),
    ("mentorin@lotse.example", MENTOR),
]


def seed_cohorts(app, echo):
    """Create the demo cohort once, with the demo accounts that exist."""
    if db.session.scalar(sa.select(Cohort.id).where(Cohort.name == NAME)):
        return
    start = today() - timedelta(days=60)
    cohort = Cohort(name=NAME, starts_on=start, ends_on=start + timedelta(days=365))
    db.session.add(cohort)
    for email, role in MEMBERS:
        user = find_user(email)
        if user is not None:
            db.session.add(CohortMember(cohort=cohort, user_id=user.id, role=role))
    db.session.flush()
    echo(f"Durchgänge: „{NAME}“ angelegt.")
