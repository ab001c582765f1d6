"""What the community pages show: spaces a person sees, pages of threads and posts, unread.

Each page is a fixed number of queries whatever the number of threads or posts: counts and
read markers come from the thread rows and one outer join, authors are joined.
"""

import sqlalchemy as sa

from ..accounts.roles import firm_contact_only
from ..cohorts.operations import all_cohorts, cohorts_of
from ..extensions import db
from . import policy
from .kinds import registered
from .models import ANNOUNCEMENTS, BOARD, Post, ReadMark, Space, Thread
from .operations import classroom_of, ensure_defaults

THREADS_PER_PAGE, POSTS_PER_PAGE = 30, 30


def visible_spaces(user):
    """The spaces ``user`` sees: their Klassenzimmer, the spaces of registered kinds they
    belong to, the boards, the announcements.

    Staff see the Klassenzimmer of every cohort (a handful per year)."""
    ensure_defaults()
    if user.has_role(*policy.STAFF):
        cohorts = all_cohorts()
    else:
        cohorts = [cohort for cohort, _role in cohorts_of(user)]
    kinds = [ANNOUNCEMENTS, BOARD] if policy.may_read_boards(user) else [ANNOUNCEMENTS]
    if firm_contact_only(user):
        kinds = []
    spaces = [classroom_of(cohort) for cohort in dict.fromkeys(cohorts)]
    for kind in registered().values():
        spaces += kind.spaces_of(user)
    spaces += db.session.scalars(
        sa.select(Space).where(Space.kind.in_(kinds)).order_by(Space.kind, Space.position)
    ).all()
    return spaces


def _unread(user):
    """A condition: the thread has posts ``user`` has not seen (needs the ReadMark join)."""
    return Thread.last_post_id > sa.func.coalesce(ReadMark.last_post_id, 0)


def _with_marks(select, user):
    """``select`` joined to the user's read markers."""
    return select.outerjoin(
        ReadMark, sa.and_(ReadMark.thread_id == Thread.id, ReadMark.user_id == user.id)
    )


def space_counts(user, spaces):
    """``{space id: (threads, unread threads)}`` for ``spaces`` in one query."""
    rows = db.session.execute(
        _with_marks(
            sa.select(
                Thread.space_id,
                sa.func.count(Thread.id),
                sa.func.sum(sa.case((_unread(user), 1), else_=0)),
            ),
            user,
        )
        .where(Thread.space_id.in_([s.id for s in spaces]), _listed(user))
        .group_by(Thread.space_id)
    )
    return {space_id: (total, int(unread or 0)) for space_id, total, unread in rows}


def page_of_threads(space, user, listing):
    """One page of the space's threads, pinned first, as (thread, unread) rows."""
    select = _with_marks(sa.select(Thread, _unread(user).label("unread")), user).where(
        Thread.space_id == space.id, _listed(user)
    )
    return listing.fetch(
        select.where(listing.matches(Thread.title)).order_by(Thread.pinned.desc()),
        Thread.id.desc(),
        key=Thread.id,
    )


def page_of_posts(thread, user, listing, moderator=False):
    """One page of the thread's posts, oldest first (authors joined, attachments loaded in
    one more query); posts waiting for moderation or rejected only for their author and
    the space's moderators (``moderator``)."""
    select = sa.select(Post).where(Post.thread_id == thread.id)
    if not moderator:
        select = select.where(sa.or_(Post.review.is_(None), Post.author_id == user.id))
    return listing.fetch(select, scalars=True)


def _listed(user):
    """A condition: the thread is published, or waits for moderation and is the user's own."""
    return sa.or_(Thread.pending.is_(False), Thread.author_id == user.id)


def first_post_id(thread):
    """The id of the thread's opening post."""
    return db.session.scalar(sa.select(sa.func.min(Post.id)).where(Post.thread_id == thread.id))


def last_read(user, thread):
    """The newest post of ``thread`` that ``user`` has seen (0: none)."""
    mark = db.session.get(ReadMark, (user.id, thread.id))
    return mark.last_post_id if mark else 0


def page_of_unread(user, listing):
    """Threads of the user's spaces with posts they have not seen ("Neu seit Ihrem letzten
    Besuch"), newest activity first."""
    ids = [space.id for space in visible_spaces(user)]
    select = _with_marks(sa.select(Thread), user).where(
        Thread.space_id.in_(ids), _unread(user), Thread.pending.is_(False)
    )
    return listing.fetch(select, Thread.id.desc(), scalars=True)


def unread_announcements(user, limit=5):
    """The newest announcements ``user`` has not opened yet (for the dashboard)."""
    return db.session.scalars(
        _with_marks(sa.select(Thread), user)
        .join(Space, Space.id == Thread.space_id)
        .where(Space.kind == ANNOUNCEMENTS, _unread(user), Thread.pending.is_(False))
        .order_by(Thread.last_post_at.desc(), Thread.id.desc())
        .limit(limit)
    ).all()
