"""Q1's personal data: a person's registrations, SCO attempts and global objectives."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ...core.privacy import Part, register_privacy, row, rows
from ...extensions import db
from .models import GlobalObjective, ScoAttempt, ScormRegistration


def export_q1(user):
    """Each registration with the package's title and its attempts (SCORM data included)."""
    registrations = db.session.scalars(
        db.select(ScormRegistration)
        .where(ScormRegistration.user_id == user.id)
        .order_by(ScormRegistration.id)
    ).all()
    attempts = db.session.scalars(
        db.select(ScoAttempt).where(ScoAttempt.user_id == user.id).order_by(ScoAttempt.id)
    ).all()
    by_registration = {}
    for attempt in attempts:
        by_registration.setdefault(attempt.registration_id, []).append(attempt)
    objectives = db.session.scalars(
        db.select(GlobalObjective).where(GlobalObjective.user_id == user.id)
    )
    return Part(
        {
            "registrations": [
                {
                    **row(reg, exclude={"user_id"}),
                    "package": reg.version.package.title,
                    "attempts": rows(by_registration.get(reg.id, []), exclude={"user_id"}),
                }
                for reg in registrations
            ],
            "global_objectives": rows(objectives, exclude={"user_id"}),
        }
    )


def erase_q1(user):
    """Delete the person's attempts, registrations and objectives."""
    db.session.execute(sa.delete(ScoAttempt).where(ScoAttempt.user_id == user.id))
    db.session.execute(sa.delete(ScormRegistration).where(ScormRegistration.user_id == user.id))
    db.session.execute(sa.delete(GlobalObjective).where(GlobalObjective.user_id == user.id))
    return []


def register(app):
    """Declare Q1's personal data in the privacy registry."""
    register_privacy(app, "q1", _l("Lernmodule (Q1)"), export=export_q1, erase=erase_q1, order=20)
