"""Who may read, write in and moderate which space.

- Klassenzimmer: the cohort's participants, trainers and mentors; foundation staff and
  admins look after every one. Trainers of the cohort moderate it.
- Lotsen-Community: certified Lotsen (a valid certificate), mentors, trainers, foundation.
- Ankündigungen: everyone signed in but firm contacts reads; trainers, foundation and admins
  post.
- Kinds other areas register (``kinds.py``): their members, as the area says.
"""

import sqlalchemy as sa
import sqlalchemy.orm
from flask import has_request_context, request

from ..accounts.roles import Role, firm_contact_only
from ..certification.operations import current_certificate
from ..cohorts.models import TRAINER, CohortMember
from ..extensions import db
from .kinds import kind_of
from .models import ANNOUNCEMENTS, BOARD, CLASSROOM, Space, Thread

#: Roles that look after every space (read, post, moderate).
STAFF = (Role.FOUNDATION, Role.ADMIN)
#: Roles that read and post in the Lotsen-Community without a certificate.
BOARD_ROLES = (Role.TRAINER, Role.MENTOR, *STAFF)
#: Roles that post announcements.
ANNOUNCERS = (Role.TRAINER, *STAFF)
#: Roles that see the moderation queue.
MODERATORS = (Role.TRAINER, *STAFF)


#: Attribute of the request that keeps the cohort roles it looked up.
_ROLES_SEEN = "lotse_community_cohort_roles"


def _roles_seen():
    """The request's ``{(user id, cohort id): roles}`` (None outside a request): a reply asks
    whether one may read and whether one may post, one query answers both."""
    if not has_request_context():
        return None
    if not hasattr(request, _ROLES_SEEN):
        setattr(request, _ROLES_SEEN, {})
    return getattr(request, _ROLES_SEEN)


@sa.event.listens_for(sa.orm.Session, "after_flush")
def _forget_roles(session, _context):
    """A membership written in this request makes the request look its roles up again."""
    if has_request_context() and hasattr(request, _ROLES_SEEN):
        if any(
            isinstance(obj, CohortMember)
            for obj in (*session.new, *session.dirty, *session.deleted)
        ):
            getattr(request, _ROLES_SEEN).clear()


#: Built once: nearly every community request asks (building it took as long as running it).
_COHORT_ROLES = sa.select(CohortMember.role).where(
    CohortMember.cohort_id == sa.bindparam("cohort_id"),
    CohortMember.user_id == sa.bindparam("user_id"),
)


def cohort_role(user, cohort_id):
    """The roles ``user`` holds in the cohort (empty set: not a member); asked once per
    request."""
    seen = _roles_seen()
    key = (user.id, cohort_id)
    if seen is not None and key in seen:
        return set(seen[key])
    roles = set(db.session.scalars(_COHORT_ROLES, {"cohort_id": cohort_id, "user_id": user.id}))
    if seen is not None:
        seen[key] = frozenset(roles)
    return roles


#: A thread with its space and the reader's roles in the space's cohort (a Klassenzimmer's;
#: no rows to join elsewhere): one query where the thread and the roles took two, on every
#: thread page and reply. Without the thread's author, which thread pages do not show (its
#: 18 columns were most of the row).
_THREAD_WITH_ROLES = (
    sa.select(Thread, CohortMember.role)
    .join(Thread.space)
    .outerjoin(
        CohortMember,
        (CohortMember.cohort_id == Space.cohort_id)
        & (CohortMember.user_id == sa.bindparam("user_id")),
    )
    .options(sa.orm.contains_eager(Thread.space), sa.orm.lazyload(Thread.author))
    .where(Thread.id == sa.bindparam("thread_id"))
)


def thread_for(user, thread_id):
    """The thread ``thread_id`` (None if there is none); the roles ``user`` holds in its
    cohort come with it and answer :func:`cohort_role` for the rest of the request."""
    rows = db.session.execute(_THREAD_WITH_ROLES, {"thread_id": thread_id, "user_id": user.id})
    rows = rows.all()
    if not rows:
        return None
    thread = rows[0][0]
    seen = _roles_seen()
    if seen is not None and thread.space.cohort_id is not None:
        seen[(user.id, thread.space.cohort_id)] = frozenset(role for _t, role in rows if role)
    return thread


def is_lotse(user):
    """True for people with a valid certificate (certified Lotsen)."""
    return current_certificate(user) is not None


def may_read_boards(user):
    """True for those who belong to the Lotsen-Community."""
    return user.has_role(*BOARD_ROLES) or is_lotse(user)


def may_read(user, space):
    """True if ``user`` may see ``space`` and its threads."""
    if space.kind == ANNOUNCEMENTS:
        return not firm_contact_only(user)
    if user.has_role(*STAFF):
        return True
    if space.kind == BOARD:
        return may_read_boards(user)
    if kind_of(space):
        return user.id in kind_of(space).member_ids(space, [user.id])
    return space.kind == CLASSROOM and bool(cohort_role(user, space.cohort_id))


def readers(users, space):
    """Those of ``users`` who may read ``space``; a Klassenzimmer's members are found in one
    query (load the users' roles with them, so a long list costs no query per person)."""
    if kind_of(space):
        ids = kind_of(space).member_ids(space, [user.id for user in users])
        return [user for user in users if user.id in ids or user.has_role(*STAFF)]
    if space.kind != CLASSROOM:
        return [user for user in users if may_read(user, space)]
    members = set(
        db.session.scalars(
            sa.select(CohortMember.user_id).where(
                CohortMember.cohort_id == space.cohort_id,
                CohortMember.user_id.in_([user.id for user in users]),
            )
        )
    )
    return [user for user in users if user.id in members or user.has_role(*STAFF)]


def read_only_reason(space):
    """Why ``space`` takes no new threads, replies or edits now (its area says so, e.g. a
    closed Experimentierraum), or None."""
    kind = kind_of(space)
    return kind.read_only(space) if kind and kind.read_only else None


def may_post(user, space):
    """True if ``user`` may open threads and reply in ``space``."""
    if read_only_reason(space):
        return False
    if space.kind == ANNOUNCEMENTS:
        return user.has_role(*ANNOUNCERS)
    return may_read(user, space)


def may_moderate(user, space):
    """True if ``user`` may pin, lock, hide and handle reports in ``space``."""
    if user.has_role(*STAFF):
        return True
    if kind_of(space):
        return kind_of(space).moderates(user, space)
    if not user.has_role(Role.TRAINER):
        return False
    if space.kind == CLASSROOM:
        return TRAINER in cohort_role(user, space.cohort_id)
    return True


def may_see_thread(user, thread):
    """True if ``user`` may open ``thread``: readers of its space; a thread waiting for
    moderation only for its author and the space's moderators."""
    if not may_read(user, thread.space):
        return False
    return not thread.pending or thread.author_id == user.id or may_moderate(user, thread.space)


def may_see_post(user, post):
    """True if ``user`` may see ``post``: readers of its thread; a post waiting for
    moderation or rejected only for its author and the space's moderators."""
    if not may_see_thread(user, post.thread):
        return False
    return not post.review or post.author_id == user.id or may_moderate(user, post.thread.space)
