"""Mentoring conversations in the calendar: the mentor's entries, and those shared with the mentee."""

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from ..agenda.registry import Entry
from ..extensions import db
from .models import FeedbackEntry, Visibility


def entries(user, first_day, last_day):
    """Mentoring entries on their day: all the mentor wrote, the shared ones of the mentee."""
    rows = db.session.scalars(
        sa.select(FeedbackEntry)
        .options(joinedload(FeedbackEntry.mentee))
        .where(
            FeedbackEntry.occurred_on.between(first_day, last_day),
            sa.or_(
                FeedbackEntry.mentor_id == user.id,
                sa.and_(
                    FeedbackEntry.mentee_id == user.id,
                    FeedbackEntry.visibility == Visibility.SHARED,
                ),
            ),
        )
    ).all()
    return [
        Entry(
            e.occurred_on,
            None,
            _("Mentoring mit %(name)s: %(occasion)s", name=e.mentee.name, occasion=e.occasion_label)
            if e.mentor_id == user.id
            else _("Mentoring: %(occasion)s", occasion=e.occasion_label),
            url_for("mentoring.entry", entry_id=e.id),
            _("Mentoring"),
        )
        for e in rows
    ]
