"""Moderation: report a post, the queue, hide a post with a reason, pin and lock threads.

The audit log names who did what to which post or thread, never the texts."""

import sqlalchemy as sa
from flask_babel import gettext as _

from ..accounts.roles import Role
from ..cohorts.models import TRAINER, CohortMember
from ..core import audit
from ..core.errors import collect
from ..core.text import check_single_line
from ..core.timeutil import utcnow
from ..extensions import db
from . import kinds, policy
from .models import CLASSROOM, Post, Report, Space, Thread
from .operations import CommunityError

MAX_REASON = 500


def _check_moderator(user, space):
    """Refuse anyone who does not moderate ``space``."""
    if not policy.may_moderate(user, space):
        raise CommunityError(_("Das dürfen nur Moderierende dieses Bereichs."))


def _reason(reason):
    """The cleaned reason; refuses an empty or too long one."""
    reason = (reason or "").strip()
    with collect(CommunityError) as refuse:
        refuse.check(check_single_line, reason, "reason", CommunityError)
        if not reason:
            refuse(_("Bitte nennen Sie einen Grund."), "reason")
        elif len(reason) > MAX_REASON:
            refuse(_("Der Grund ist zu lang (höchstens 500 Zeichen)."), "reason")
    return reason


def set_pinned(thread, user, pinned):
    """Pin a thread to the top of its space, or release it."""
    _check_moderator(user, thread.space)
    thread.pinned = bool(pinned)
    audit.record("community.thread_pinned", thread, actor=user, pinned=thread.pinned)
    db.session.flush()


def set_locked(thread, user, locked):
    """Lock a thread (no more replies but from moderators), or open it again."""
    _check_moderator(user, thread.space)
    thread.locked = bool(locked)
    audit.record("community.thread_locked", thread, actor=user, locked=thread.locked)
    db.session.flush()


def report_post(post, user, reason):
    """Report ``post`` to the moderators with a reason (flushed)."""
    if (
        not policy.may_read(user, post.thread.space)
        or post.hidden_reason is not None
        or not post.body
    ):
        raise CommunityError(_("Diesen Beitrag können Sie nicht melden."))
    report = Report(post_id=post.id, reporter_id=user.id, reason=_reason(reason))
    db.session.add(report)
    db.session.flush()
    audit.record("community.post_reported", post, actor=user, report=report.id)
    return report


def hide_post(post, user, reason):
    """Hide ``post`` with a reason its author sees; its open reports are resolved (flushed)."""
    _check_moderator(user, post.thread.space)
    post.hidden_reason, post.hidden_by_id = _reason(reason), user.id
    thread = post.thread
    if thread.solved_post_id == post.id:
        thread.solved_post_id = None
    _resolve(post)
    audit.record("community.post_hidden", post, actor=user, subject=post.author)
    db.session.flush()


def show_post(post, user):
    """Show a hidden post again."""
    _check_moderator(user, post.thread.space)
    post.hidden_reason, post.hidden_by_id = None, None
    audit.record("community.post_shown", post, actor=user, subject=post.author)
    db.session.flush()


def dismiss_report(report, user):
    """Close a report without hiding the post."""
    _check_moderator(user, report.post.thread.space)
    report.resolved_at = utcnow()
    audit.record("community.report_dismissed", report.post, actor=user, report=report.id)
    db.session.flush()


def _resolve(post):
    """Close every open report of ``post``."""
    db.session.execute(
        sa.update(Report)
        .where(Report.post_id == post.id, Report.resolved_at.is_(None))
        .values(resolved_at=utcnow())
    )


def page_of_reports(user, listing):
    """Open reports in the spaces ``user`` moderates, oldest first, with post and thread."""
    select = (
        sa.select(Report, Post, Thread)
        .join(Post, Post.id == Report.post_id)
        .join(Thread, Thread.id == Post.thread_id)
        .join(Space, Space.id == Thread.space_id)
        .where(Report.resolved_at.is_(None))
    )
    if not user.has_role(*policy.STAFF):
        if not user.has_role(Role.TRAINER):
            return []
        trained = sa.select(CohortMember.cohort_id).where(
            CohortMember.user_id == user.id, CohortMember.role == TRAINER
        )
        # trainers look after the boards and their Klassenzimmer, not the spaces of other areas
        others = sa.and_(Space.kind != CLASSROOM, Space.kind.notin_(list(kinds.registered())))
        select = select.where(sa.or_(others, Space.cohort_id.in_(trained)))
    return listing.fetch(select, Report.id)
