"""Notifications of the community, each person's delivery setting, followed and muted threads."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.timeutil import UTCDateTime, utcnow
from ..extensions import db
from .models import Post, Thread

#: Why someone is told: a reply in a thread they took part in or follow, or an @mention.
REPLY, MENTION = "reply", "mention"
#: How notifications reach a person by mail.
NOW, DAILY, WEEKLY, OFF = "now", "daily", "weekly", "off"
DELIVERIES = {
    NOW: _l("sofort (eine E-Mail je Benachrichtigung)"),
    DAILY: _l("täglich (eine Zusammenfassung am Morgen)"),
    WEEKLY: _l("wöchentlich (eine Zusammenfassung am Montag)"),
    OFF: _l("aus (nur hier in der Plattform)"),
}
#: A thread's setting for one person: every post, or none at all.
FOLLOW, MUTE = "follow", "mute"


class Notification(db.Model):
    """One thing a person is told about: a post that answers or mentions them."""

    __tablename__ = "community_notifications"
    __table_args__ = (sa.Index("ix_community_notifications_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    #: REPLY or MENTION.
    kind: Mapped[str] = mapped_column(sa.String(20))
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("community_threads.id"), index=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("community_posts.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When a mail told the person (alone or in a digest); None: not mailed (yet).
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: The digest run that claimed it (a rerun of the job claims only unclaimed rows).
    digest_id: Mapped[str | None] = mapped_column(sa.String(36))

    thread: Mapped[Thread] = relationship(lazy="joined")
    post: Mapped[Post] = relationship(lazy="joined")


class NotifySetting(db.Model):
    """How a person wants to be told by mail (no row: DAILY)."""

    __tablename__ = "community_notify_settings"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    delivery: Mapped[str] = mapped_column(sa.String(10), default=DAILY, server_default=DAILY)


class ThreadWatch(db.Model):
    """A person follows a thread (told of every post) or has muted it (told of nothing)."""

    __tablename__ = "community_thread_watches"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("community_threads.id"), primary_key=True)
    #: FOLLOW or MUTE.
    mode: Mapped[str] = mapped_column(sa.String(10))
