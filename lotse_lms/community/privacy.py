"""The community's personal data: a person's threads, posts (with their edits) and reports.

Erasure, as Moodle's forum does it: the person's posts are emptied (shown as "Beitrag
gelöscht"), their earlier wordings deleted, and their name is replaced by "ehemaliges
Mitglied" on posts, threads and reports. Thread titles and the other members' posts stay, so
the conversations of the others remain readable; quotes in others' posts are their texts.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.privacy import Part, register_privacy, register_retention
from ..core.uploads import stored_path
from ..extensions import db
from . import attachments, operations, search
from .models import PENDING, REJECTED, Post, PostRevision, ReadMark, Report, Space, Thread
from .notify_models import Notification, NotifySetting, ThreadWatch


def _export_notifications(user):
    """The person's notifications, mail setting and followed or muted threads."""
    notes = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    ).all()
    watches = db.session.execute(
        sa.select(Thread.title, ThreadWatch.mode)
        .join(Thread, Thread.id == ThreadWatch.thread_id)
        .where(ThreadWatch.user_id == user.id)
        .order_by(Thread.id)
    ).all()
    setting = db.session.get(NotifySetting, user.id)
    return {
        "notifications": [
            {
                "kind": n.kind,
                "thread": n.thread.title,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
                "mailed_at": n.mailed_at.isoformat() if n.mailed_at else None,
            }
            for n in notes
        ],
        "notification_mails": setting.delivery if setting else None,
        "followed_or_muted_threads": [{"thread": t, "mode": m} for t, m in watches],
    }


def export_community(user):
    """The person's posts with thread and space, their edits, the threads they opened, reports."""
    posts = db.session.execute(
        sa.select(Post, Thread.title, Space.name)
        .join(Thread, Thread.id == Post.thread_id)
        .join(Space, Space.id == Thread.space_id)
        .where(Post.author_id == user.id)
        .order_by(Post.id)
    ).all()
    revisions = {}
    for rev in db.session.scalars(
        sa.select(PostRevision)
        .join(Post, Post.id == PostRevision.post_id)
        .where(Post.author_id == user.id)
        .order_by(PostRevision.id)
    ):
        revisions.setdefault(rev.post_id, []).append(
            {"body": rev.body, "replaced_at": rev.replaced_at.isoformat()}
        )
    threads = db.session.scalars(
        sa.select(Thread.title).where(Thread.author_id == user.id).order_by(Thread.id)
    ).all()
    reports = db.session.scalars(
        sa.select(Report).where(Report.reporter_id == user.id).order_by(Report.id)
    ).all()
    files = attachments.of_author(user)
    by_post = {}
    for found in files:
        by_post.setdefault(found.post_id, []).append(_export_name(found))
    return Part(
        {
            **_export_notifications(user),
            "posts": [
                {
                    "space": space,
                    "thread": title,
                    "body": post.body,
                    "created_at": post.created_at.isoformat(),
                    "edited_at": post.edited_at.isoformat() if post.edited_at else None,
                    "hidden_reason": post.hidden_reason,
                    "moderation": post.review,
                    "attachments": by_post.get(post.id, []),
                    "earlier_versions": revisions.get(post.id, []),
                }
                for post, title, space in posts
            ],
            "threads_opened": list(threads),
            "reports": [
                {"post": r.post_id, "reason": r.reason, "created_at": r.created_at.isoformat()}
                for r in reports
            ],
        },
        files=[
            (_export_name(found), attachments.file_of(found))
            for found in files
            if attachments.file_of(found).exists()
        ],
    )


def _export_name(found):
    """The name of an attachment in the export archive (unique by its id)."""
    return f"{found.id}_{found.filename}"


def erase_community(user):
    """Empty the person's posts, delete their attachments, drop their edits and read markers,
    anonymise their name; returns the attachment files to remove after the commit."""
    own_posts = sa.select(Post.id).where(Post.author_id == user.id)
    files = [stored_path(path) for path in attachments.delete_of_posts(own_posts)]
    search.forget_author(user)
    db.session.execute(sa.delete(PostRevision).where(PostRevision.post_id.in_(own_posts)))
    db.session.execute(  # a post still waiting for moderation will never be published
        sa.update(Post)
        .where(Post.author_id == user.id, Post.review == PENDING)
        .values(review=REJECTED)
    )
    db.session.execute(
        sa.update(Post).where(Post.author_id == user.id).values(body="", author_id=None)
    )
    db.session.execute(sa.update(Thread).where(Thread.author_id == user.id).values(author_id=None))
    db.session.execute(
        sa.update(Report).where(Report.reporter_id == user.id).values(reason="", reporter_id=None)
    )
    db.session.execute(
        sa.update(Post).where(Post.hidden_by_id == user.id).values(hidden_by_id=None)
    )
    db.session.execute(sa.delete(ReadMark).where(ReadMark.user_id == user.id))
    for model in (Notification, NotifySetting, ThreadWatch):
        db.session.execute(sa.delete(model).where(model.user_id == user.id))
    return files


def register(app):
    """Declare the community's personal data in the privacy registry."""
    register_privacy(
        app,
        "community",
        _l("Community"),
        export=export_community,
        erase=erase_community,
        kept=_l(
            "Die Titel der Themen und die Beiträge der anderen bleiben, damit deren Gespräche "
            "lesbar bleiben; Ihre Beiträge werden geleert und als „ehemaliges Mitglied“ gezeigt."
        ),
        order=60,
    )
    register_retention(app, "community.spaces", operations.expire_threads)
