"""Who may read and change what in mentoring; views and operations both ask here.

- Foundation staff read everything (every entry, private or shared; every recommendation)
  but write no feedback; with trainers they assign mentors.
- A mentor writes feedback and recommendations only for their current mentees, reads and
  revises only their own entries, and keeps read-only access to former mentees' pages.
- A mentee reads their mentor's name, the entries shared with them (from any of their
  mentors), their recommendations, and answers shared entries.
- Nobody else (trainers, reflecting team, admins, other mentors) reads feedback.
"""

from ..accounts.roles import Role
from ..extensions import db
from .mentors import is_eligible_mentor
from .models import MentorAssignment


def is_staff(user):
    """Foundation staff: read every mentoring record."""
    return user.is_authenticated and user.has_role(Role.FOUNDATION)


def can_assign(user):
    """Foundation staff and trainers assign and change mentors."""
    return user.is_authenticated and user.has_role(Role.FOUNDATION, Role.TRAINER)


def _assignment(mentor, mentee, current_only):
    """The newest assignment of ``mentor`` to ``mentee`` (only an open one if asked)."""
    query = db.select(MentorAssignment).where(
        MentorAssignment.mentor_id == mentor.id, MentorAssignment.mentee_id == mentee.id
    )
    if current_only:
        query = query.where(MentorAssignment.ended_at.is_(None))
    return db.session.scalars(query.order_by(MentorAssignment.id.desc()).limit(1)).first()


def is_current_mentor(user, mentee):
    """True if ``user`` is the mentee's mentor now (and still may mentor)."""
    if not user.is_authenticated or user.id == mentee.id:
        return False
    return _assignment(user, mentee, True) is not None and is_eligible_mentor(user)


def was_mentor(user, mentee):
    """True if ``user`` is or was the mentee's mentor."""
    return user.is_authenticated and _assignment(user, mentee, False) is not None


def can_view_mentee(user, mentee):
    """The mentee page: foundation staff, current and former mentors, never the mentee."""
    if not user.is_authenticated or user.id == mentee.id:
        return False
    return is_staff(user) or was_mentor(user, mentee)


def can_write_feedback(user, mentee):
    """New entries and recommendations: only the current mentor."""
    return is_current_mentor(user, mentee)


def can_read_entry(user, entry):
    """Private: the entry's mentor and foundation staff; shared: also the mentee."""
    if not user.is_authenticated:
        return False
    if user.id == entry.mentee_id:
        # Checked first: staff who take part themselves must not read private notes on them.
        return entry.is_shared
    return is_staff(user) or user.id == entry.mentor_id


def can_revise_entry(user, entry):
    """Only the entry's mentor, and only while they still accompany the mentee."""
    return (
        user.is_authenticated
        and user.id == entry.mentor_id
        and is_current_mentor(user, entry.mentee)
    )


def can_reply(user, entry):
    """Replies on shared entries: the mentee, and the entry's mentor while current."""
    if not user.is_authenticated or not entry.is_shared:
        return False
    return user.id == entry.mentee_id or can_revise_entry(user, entry)


def can_see_revision(user, entry, revision):
    """Earlier versions: as the entry, but the mentee only sees versions once shared."""
    if not can_read_entry(user, entry):
        return False
    return user.id != entry.mentee_id or revision.is_shared


def can_read_recommendation(user, recommendation):
    """The mentee, foundation staff, the mentee's current mentor, and its own author."""
    if not user.is_authenticated:
        return False
    if is_staff(user) or user.id in (recommendation.mentee_id, recommendation.mentor_id):
        return True
    return is_current_mentor(user, recommendation.mentee)
