"""Mentoring lists for many people at once, each in a fixed number of queries."""

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from ..accounts.models import User, UserRole
from ..accounts.roles import Role
from ..cohorts.filters import only_cohort, selected_cohort_id
from ..extensions import db
from .models import MentorAssignment, Recommendation


def current_recommendations(mentee_ids):
    """{mentee id: the recommendation in effect (the newest)} for many mentees, one query."""
    if not mentee_ids:
        return {}
    newest = (
        sa.select(
            Recommendation.id,
            sa.func.row_number()
            .over(
                partition_by=Recommendation.mentee_id,
                order_by=(Recommendation.created_at.desc(), Recommendation.id.desc()),
            )
            .label("n"),
        )
        .where(Recommendation.mentee_id.in_(mentee_ids))
        .subquery()
    )
    rows = db.session.scalars(
        sa.select(Recommendation)
        .join(newest, newest.c.id == Recommendation.id)
        .where(newest.c.n == 1)
    )
    return {rec.mentee_id: rec for rec in rows}


def _participants():
    """Condition: the user holds the participant role."""
    return (
        sa.select(UserRole.user_id)
        .where(UserRole.user_id == User.id, UserRole.role == Role.PARTICIPANT.value)
        .exists()
    )


def _open_assignment():
    """Condition: the user has a mentor now."""
    return (
        sa.select(MentorAssignment.id)
        .where(MentorAssignment.mentee_id == User.id, MentorAssignment.ended_at.is_(None))
        # Correlated with the user only, also where the outer select joins assignments.
        .correlate_except(MentorAssignment)
        .exists()
    )


def unassigned(limit=8):
    """(how many active participants wait for a mentor, the first ``limit`` of them by name)."""
    waiting = sa.and_(_participants(), User.active.is_(True), ~_open_assignment())
    count = db.session.scalar(sa.select(sa.func.count(User.id)).where(waiting))
    first = db.session.scalars(
        sa.select(User).where(waiting).order_by(User.name, User.id).limit(limit)
    ).all()
    return count, first


MENTOR = aliased(User, name="mentor")


def assignment_sorts():
    """Sort keys of the assignments overview."""
    return {"name": sa.func.lower(User.name), "region": User.region, "mentor": MENTOR.name}


def assignments_page(listing, only_open=False):
    """One page of participants with their open assignment and recommendation:
    [(person, assignment or None, recommendation or None)]."""
    shown = [_participants(), listing.matches(User.name, User.email, User.region)]
    if only_open:
        shown += [User.active.is_(True), ~_open_assignment()]
    select = (
        sa.select(User, MentorAssignment)
        .outerjoin(
            MentorAssignment,
            sa.and_(MentorAssignment.mentee_id == User.id, MentorAssignment.ended_at.is_(None)),
        )
        .outerjoin(MENTOR, MENTOR.id == MentorAssignment.mentor_id)
        .where(*shown)
    )
    cohort_id = selected_cohort_id(listing.filters)
    select = only_cohort(select, User.id, cohort_id)
    # Counted without the outer joins (at most one open assignment per mentee, so they add
    # no rows); the page is chosen on the user id alone (from the name index), so only its
    # people are joined with their mentors and loaded whole.
    counted = only_cohort(sa.select(User.id).where(*shown), User.id, cohort_id)
    rows = listing.fetch(select, User.id, key=User.id, counted=counted)
    recommendations = current_recommendations([person.id for person, _a in rows])
    return [(person, assignment, recommendations.get(person.id)) for person, assignment in rows]
