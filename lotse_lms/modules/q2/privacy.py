"""Q2's personal data: a person's registrations with attendance, and their calendar feed."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ...core.privacy import Part, register_privacy, row
from ...extensions import db
from .models import CalendarFeed, ReminderSent, SessionRegistration


def export_q2(user):
    """Every registration with its session's title, dates, status and attendance."""
    registrations = db.session.scalars(
        db.select(SessionRegistration)
        .where(SessionRegistration.user_id == user.id)
        .order_by(SessionRegistration.id)
    ).all()
    return Part(
        {
            "registrations": [
                {
                    **row(reg, exclude={"user_id", "attendance_by_id"}),
                    "session": reg.session.title,
                    "dates": [
                        {"starts_at": d.starts_at.isoformat(), "ends_at": d.ends_at.isoformat()}
                        for d in reg.session.dates
                    ],
                }
                for reg in registrations
            ],
            "calendar_feed": bool(
                db.session.scalar(db.select(CalendarFeed.id).where(CalendarFeed.user_id == user.id))
            ),
        }
    )


def erase_q2(user):
    """Delete the person's registrations (with their reminders) and calendar feed."""
    mine = db.select(SessionRegistration.id).where(SessionRegistration.user_id == user.id)
    db.session.execute(sa.delete(ReminderSent).where(ReminderSent.registration_id.in_(mine)))
    db.session.execute(sa.delete(SessionRegistration).where(SessionRegistration.user_id == user.id))
    db.session.execute(sa.delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    return []


def register(app):
    """Declare Q2's personal data in the privacy registry."""
    register_privacy(
        app,
        "q2",
        _l("Präsenz- und Online-Termine (Q2)"),
        export=export_q2,
        erase=erase_q2,
        kept=_l(
            "Termine, die die Person als Trainerin / Trainer geleitet hat, bleiben bestehen "
            "und nennen „Gelöschte Person“."
        ),
        order=30,
    )
