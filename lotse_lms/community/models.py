"""The community's spaces, threads, posts, their edit history, read markers and reports."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..core.timeutil import UTCDateTime, utcnow
from ..extensions import db

#: The kinds of space: a cohort's Klassenzimmer, a topic board of the Lotsen-Community,
#: the announcements.
CLASSROOM, BOARD, ANNOUNCEMENTS = "classroom", "board", "announcements"
KINDS = {
    CLASSROOM: _l("Klassenzimmer"),
    BOARD: _l("Lotsen-Community"),
    ANNOUNCEMENTS: _l("Ankündigungen"),
}


class Space(db.Model):
    """A place to talk: the Klassenzimmer of a cohort, a topic board, or the announcements."""

    __tablename__ = "community_spaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: A key of KINDS.
    kind: Mapped[str] = mapped_column(sa.String(20), index=True)
    #: The cohort of a Klassenzimmer (one space per cohort); None for the other kinds.
    cohort_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cohorts.id"), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    #: Order of the topic boards on the community page.
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Threads without a post for this many days are deleted by the nightly retention job
    #: (None: kept). Set by the foundation.
    retention_days: Mapped[int | None] = mapped_column()

    def __repr__(self):
        return f"<Space {self.id} {self.kind} {self.name}>"


class Thread(db.Model):
    """A topic of a space: its title, its posts, and whether it is pinned, locked or solved."""

    __tablename__ = "community_threads"
    __table_args__ = (
        sa.Index("ix_community_threads_space_order", "space_id", "last_post_at"),
        # The space index's order (pinned first, newest activity, id): read from the index.
        sa.Index("ix_community_threads_space_pinned", "space_id", "pinned", "last_post_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("community_spaces.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    #: None once the author's data was erased ("ehemaliges Mitglied").
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Kept with every post so lists sort and mark unread without counting posts.
    last_post_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_post_id: Mapped[int] = mapped_column(default=0, server_default="0")
    post_count: Mapped[int] = mapped_column(default=0, server_default="0")
    pinned: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    locked: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: The answer that solved the question ("Frage gelöst"), if any (a post of this thread;
    #: no foreign key, as posts already point at their thread and tables want one order).
    solved_post_id: Mapped[int | None] = mapped_column()
    #: True while the opening post waits for a moderator (pre-moderation): only its author
    #: and the moderators see the thread.
    pending: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    space: Mapped[Space] = relationship(lazy="joined")
    author: Mapped[User | None] = relationship(lazy="joined")


class Post(db.Model):
    """One contribution to a thread, in Markdown (rendered safely when shown)."""

    __tablename__ = "community_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("community_threads.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why a moderator hid the post (shown to its author); None while it is visible.
    hidden_reason: Mapped[str | None] = mapped_column(sa.String(500))
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: Pre-moderation: PENDING while it waits for a moderator, REJECTED once refused (the
    #: reason is in ``hidden_reason``); None for a published post.
    review: Mapped[str | None] = mapped_column(sa.String(10), index=True)
    #: When the people concerned were told of the published post (notifications and mails
    #: made by the fan-out job, see ``operations.fan_out``); None until then. The job claims a
    #: post by setting it, so a rerun or the catch-up never tells anyone twice.
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    thread: Mapped[Thread] = relationship(foreign_keys=[thread_id])
    author: Mapped[User | None] = relationship(foreign_keys=[author_id], lazy="joined")
    attachments: Mapped[list["Attachment"]] = relationship(
        lazy="selectin", order_by="Attachment.id", viewonly=True
    )


#: States of a pre-moderated post (``Post.review``).
PENDING, REJECTED = "pending", "rejected"


class Attachment(db.Model):
    """A file attached to a post (checked like proofs), stored below DATA_DIR."""

    __tablename__ = "community_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("community_posts.id"), index=True)
    #: The name it had on the uploader's computer (shown and offered when downloading).
    filename: Mapped[str] = mapped_column(sa.String(200))
    mime: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int] = mapped_column()
    #: Path below DATA_DIR (random name).
    path: Mapped[str] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PostRevision(db.Model):
    """An earlier wording of an edited post (the history of its edits)."""

    __tablename__ = "community_post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("community_posts.id"), index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    #: When this wording was replaced.
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReadMark(db.Model):
    """How far a person has read a thread: the newest post they have seen."""

    __tablename__ = "community_read_marks"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("community_threads.id"), primary_key=True)
    last_post_id: Mapped[int] = mapped_column(default=0, server_default="0")


class Report(db.Model):
    """A person's report of a post to the moderators, with a reason."""

    __tablename__ = "community_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("community_posts.id"), index=True)
    #: None once the reporter's data was erased.
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When a moderator dealt with it (hid the post or dismissed the report).
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    post: Mapped[Post] = relationship(lazy="joined")
    reporter: Mapped[User | None] = relationship(lazy="joined")
