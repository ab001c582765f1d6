"""Who may be a mentor: holders of the mentor role and whoever a registered source names.

Policy (who may read and write what) and the verbs (assignments) both ask here.
"""

from flask import current_app

from ..accounts.models import User, UserRole
from ..accounts.roles import Role
from ..extensions import db


def register_mentor_source(app, source):
    """Add a callable() -> iterable[User] of further eligible mentors (e.g. certified Lotsen)."""
    app.extensions.setdefault("lotse_mentor_sources", []).append(source)


def eligible_mentors():
    """Active people who may mentor: holders of the mentor role plus every registered source."""
    query = (
        db.select(User)
        .join(UserRole)
        .where(UserRole.role == str(Role.MENTOR), User.active.is_(True))
    )
    people = {user.id: user for user in db.session.scalars(query)}
    for source in current_app.extensions.get("lotse_mentor_sources", []):
        people.update({user.id: user for user in source() if user.active})
    return sorted(people.values(), key=lambda u: (u.name.lower(), u.id))


def is_eligible_mentor(user):
    """True if ``user`` may accompany mentees now."""
    if not user.active:
        return False
    if user.has_role(Role.MENTOR):
        return True
    return any(user.id == u.id for u in eligible_mentors())
