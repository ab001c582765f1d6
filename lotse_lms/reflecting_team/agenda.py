"""Reflecting-team sessions in the calendar of their trainer, case owner and members."""

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from ..agenda.registry import Entry
from ..extensions import db
from .models import RTMember, RTSession


def entries(user, first_day, last_day):
    """The reflecting-team sessions ``user`` takes part in, on their day."""
    member = sa.select(RTMember.session_id).where(RTMember.user_id == user.id)
    sessions = db.session.scalars(
        sa.select(RTSession).where(
            RTSession.held_on.between(first_day, last_day),
            sa.or_(
                RTSession.trainer_id == user.id,
                RTSession.case_owner_id == user.id,
                RTSession.id.in_(member),
            ),
        )
    ).all()
    return [
        Entry(
            s.held_on,
            None,
            s.title or _("Reflecting-Team-Sitzung"),
            url_for("reflecting_team.show_session", session_id=s.id),
            _("Reflecting Team"),
        )
        for s in sessions
    ]
