"""Cohorts' personal data: the cohorts a person belongs to, and in which role."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.privacy import Part, register_privacy
from ..extensions import db
from .models import Cohort, CohortMember


def export_cohorts(user):
    """Each membership with the cohort's name and dates."""
    memberships = db.session.execute(
        db.select(CohortMember, Cohort)
        .join(Cohort, Cohort.id == CohortMember.cohort_id)
        .where(CohortMember.user_id == user.id)
        .order_by(Cohort.starts_on, Cohort.id)
    )
    return Part(
        [
            {
                "cohort": cohort.name,
                "starts_on": cohort.starts_on.isoformat(),
                "ends_on": cohort.ends_on.isoformat(),
                "role": member.role,
                "added_at": member.added_at.isoformat(),
            }
            for member, cohort in memberships
        ]
    )


def erase_cohorts(user):
    """Take the person out of every cohort; the cohorts themselves stay."""
    db.session.execute(sa.delete(CohortMember).where(CohortMember.user_id == user.id))
    return []


def register(app):
    """Declare the cohorts' personal data in the privacy registry."""
    register_privacy(
        app,
        "cohorts",
        _l("Durchgänge"),
        export=export_cohorts,
        erase=erase_cohorts,
        order=15,
    )
