"""The mentoring step of the qualification path: the recommendation in effect is "recommended"."""

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from ..accounts.models import User
from ..extensions import db
from ..qualification.state import (
    ALL_STATES,
    DONE,
    OPEN,
    PROGRESS_STATES,
    STARTED,
    Requirement,
    StepState,
)
from .models import MentorAssignment, Recommendation, RecommendationStatus

LABEL = _l("Empfehlung der Mentorin / des Mentors")


def load(scope):
    """The step of everyone in ``scope``: two queries, whatever the number of people."""
    mentor = aliased(User)
    newest = (
        sa.select(
            Recommendation.mentee_id,
            Recommendation.status,
            Recommendation.reason,
            Recommendation.created_at,
            mentor.name.label("mentor"),
            sa.func.row_number()
            .over(
                partition_by=Recommendation.mentee_id,
                order_by=(Recommendation.created_at.desc(), Recommendation.id.desc()),
            )
            .label("rank"),
        )
        .join(mentor, Recommendation.mentor_id == mentor.id)
        .where(scope.where(Recommendation.mentee_id))
        .subquery()
    )
    recommendations = {
        row.mentee_id: row
        for row in db.session.execute(sa.select(newest).where(newest.c.rank == 1)).all()
    }
    assigned = dict(
        db.session.execute(
            sa.select(MentorAssignment.mentee_id, User.name)
            .join(User, MentorAssignment.mentor_id == User.id)
            .where(scope.where(MentorAssignment.mentee_id), MentorAssignment.ended_at.is_(None))
        ).all()
    )
    label = str(LABEL)
    return {
        uid: _state(label, recommendations.get(uid), assigned.get(uid))
        for uid in set(recommendations) | set(assigned)
    }


def _state(label, rec, mentor):
    """One person's step from their newest recommendation and current mentor."""
    describe = lambda: _texts(rec, mentor)  # noqa: E731
    if rec is not None and rec.status == RecommendationStatus.RECOMMENDED:
        return StepState("mentor", label, DONE, rec.created_at, describe=describe)
    return StepState("mentor", label, STARTED, describe=describe)


def _texts(rec, mentor):
    """(source, progress, missing) of the mentoring step, in words."""
    if rec is None:
        return (
            "",
            _("Begleitet von %(mentor)s", mentor=mentor),
            _("Noch keine Empfehlung abgegeben."),
        )
    source = _(
        "Empfehlung von %(mentor)s vom %(date)s",
        mentor=rec.mentor,
        date=format_date(rec.created_at),
    )
    if rec.status == RecommendationStatus.RECOMMENDED:
        return source, "", ""
    return (
        source,
        _("Begleitet von %(mentor)s", mentor=mentor or rec.mentor),
        _("Noch nicht empfohlen: %(reason)s", reason=rec.reason or "–"),
    )


def prefilter(state, user_id_column):
    """Exact SQL for every state, as ``load`` decides it: done when the newest recommendation
    says "recommended", begun with a mentor or any recommendation, else open."""
    if state not in (OPEN, STARTED, DONE):
        return sa.false()
    ranked = sa.select(
        Recommendation.mentee_id,
        Recommendation.status,
        sa.func.row_number()
        .over(
            partition_by=Recommendation.mentee_id,
            order_by=(Recommendation.created_at.desc(), Recommendation.id.desc()),
        )
        .label("rank"),
    ).subquery()
    done = user_id_column.in_(
        sa.select(ranked.c.mentee_id).where(
            ranked.c.rank == 1, ranked.c.status == RecommendationStatus.RECOMMENDED.value
        )
    )
    if state == DONE:
        return done
    involved = sa.or_(
        user_id_column.in_(sa.select(Recommendation.mentee_id)),
        user_id_column.in_(
            sa.select(MentorAssignment.mentee_id).where(MentorAssignment.ended_at.is_(None))
        ),
    )
    return ~involved if state == OPEN else sa.and_(involved, ~done)


REQUIREMENT = Requirement(
    "mentor",
    LABEL,
    load,
    70,
    "mentoring.my_mentoring",
    _l("Mentoring ansehen"),
    open_text=_l("Noch keine Mentorin / kein Mentor zugeordnet; die Stiftung ordnet sie zu."),
    prefilter=prefilter,
    exact=ALL_STATES,
    states=PROGRESS_STATES,
)
