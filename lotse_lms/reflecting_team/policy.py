"""Who may read, write and amend what in a reflecting-team session.

A case and its reflections are seen by the case owner, the session's team members, its
trainer and foundation staff, nobody else (admins included: they run the platform, they
are not part of the confidential conversation).
"""

from ..accounts.roles import Role
from ..core.timeutil import BERLIN, utcnow


def is_member(user, session):
    """True if ``user`` belongs to the session's reflecting team."""
    return any(m.user_id == user.id for m in session.members)


def is_case_owner(user, session):
    """True if ``user`` brings the session's case."""
    return session.case_owner_id == user.id


def is_trainer(user, session):
    """True if ``user`` is the session's trainer (and still holds the trainer role)."""
    return session.trainer_id == user.id and user.has_role(Role.TRAINER)


def can_read(user, session):
    """The case owner, the members, the trainer and foundation staff read a session."""
    if not user.is_authenticated:
        return False
    return (
        is_case_owner(user, session)
        or is_member(user, session)
        or session.trainer_id == user.id
        or user.has_role(Role.FOUNDATION)
    )


def can_manage(user, session):
    """Only the session's trainer changes its frame and closes it."""
    return is_trainer(user, session)


def may_write_case(user, session):
    """The case owner may describe the case until the session is closed."""
    return is_case_owner(user, session) and not session.closed


def may_reflect(user, session):
    """A team member may record or revise a reflection once the case is there, until closing."""
    return is_member(user, session) and session.case is not None and not session.closed


def today():
    """Today's date in Berlin, where the sessions take place."""
    return utcnow().astimezone(BERLIN).date()


def self_reflection_due(session):
    """The closing self-reflection comes after the session: on or after its day, or once closed."""
    return session.closed or session.held_on <= today()


def may_self_reflect(user, session):
    """The case owner writes the self-reflection once; revisions only until the session is closed."""
    if not is_case_owner(user, session) or session.case is None:
        return False
    if session.self_reflection is None:
        return self_reflection_due(session)
    return not session.closed


def locked(record):
    """Texts of a closed session are locked: corrections come as amendments."""
    return record.session.closed


def may_amend(user, record):
    """Only a text's author adds amendments, and only once the text is locked."""
    return record.author_id == user.id and locked(record)
