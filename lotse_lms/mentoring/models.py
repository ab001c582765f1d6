"""Mentor assignments, feedback entries with their revisions and replies, recommendations.

Nothing here is ever deleted: an assignment ends, an edited entry keeps its earlier
versions as revisions, and a new recommendation replaces the old one in effect only.
"""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..core.timeutil import UTCDateTime, utcnow
from ..extensions import db


class Visibility(enum.StrEnum):
    """Who may read a feedback entry besides its mentor and the foundation."""

    SHARED = "shared"  # also the mentee
    PRIVATE = "private"  # only the mentor and foundation staff


class RecommendationStatus(enum.StrEnum):
    """The mentor's recommendation for certification."""

    RECOMMENDED = "recommended"
    NOT_YET = "not_yet"


#: Occasions known to the code, with labels in the reader's language; an instance may
#: list further keys in MENTORING_OCCASIONS, which are then shown as written.
OCCASION_LABELS = {
    "q2_session": _l("Nach einer Q2-Sitzung (Präsenz oder online)"),
    "own_experimentierraum": _l("Nach dem eigenen Experimentierraum"),
    "reflecting_team": _l("Nach einer Sitzung des Reflecting Teams"),
    "mentoring_talk": _l("Vereinbartes Mentoring-Gespräch"),
    "other": _l("Anderer Anlass"),
}
OTHER = "other"

RECOMMENDATION_LABELS = {
    RecommendationStatus.RECOMMENDED: _l("empfohlen"),
    RecommendationStatus.NOT_YET: _l("noch nicht empfohlen"),
}


def occasion_label(key, other_text=""):
    """The label of an occasion key (the free text for "other")."""
    if key == OTHER:
        return other_text or OCCASION_LABELS[OTHER]
    return OCCASION_LABELS.get(key, key)


class MentorAssignment(db.Model):
    """That a mentor accompanies a mentee from ``started_at`` until ``ended_at``."""

    __tablename__ = "mentor_assignments"
    __table_args__ = (
        # At most one open assignment per mentee, even under concurrent requests.
        sa.Index(
            "uq_mentor_assignments_open_mentee",
            "mentee_id",
            unique=True,
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The participant who is accompanied.
    mentee_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: The experienced Lotse who accompanies them.
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: Foundation staff or trainer who made the assignment; None when made on the console.
    assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: Why this mentor was chosen (Markdown).
    reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: When the assignment began (UTC).
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When it ended (UTC); None while it is the current one.
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Who ended it; None when made on the console.
    ended_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: Why it ended (Markdown); for a change of mentor the reason of the new assignment.
    end_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    mentee: Mapped[User] = relationship(foreign_keys=[mentee_id], lazy="joined")
    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id], lazy="joined")
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])
    ended_by: Mapped[User | None] = relationship(foreign_keys=[ended_by_id])

    @property
    def is_current(self):
        """True while the assignment has not ended."""
        return self.ended_at is None


class FeedbackText:
    """The text of a feedback entry, shared by the entry and its earlier versions."""

    #: The day the observed event or conversation took place.
    occurred_on: Mapped[date] = mapped_column(sa.Date)
    #: A key of MENTORING_OCCASIONS or "other".
    occasion: Mapped[str] = mapped_column(sa.String(60), default=OTHER, server_default=OTHER)
    #: The occasion in the mentor's words when ``occasion`` is "other".
    occasion_other: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    #: What the mentor observed (Markdown).
    observations: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: Next steps agreed with the mentee (Markdown).
    next_steps: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: "shared" or "private", always chosen explicitly by the mentor.
    visibility: Mapped[str] = mapped_column(
        sa.String(10), default=Visibility.PRIVATE, server_default=Visibility.PRIVATE.value
    )

    @property
    def occasion_label(self):
        """The occasion in the reader's language (or the mentor's own words)."""
        return occasion_label(self.occasion, self.occasion_other)

    @property
    def is_shared(self):
        """True if the mentee may read this text."""
        return self.visibility == Visibility.SHARED


class FeedbackEntry(FeedbackText, db.Model):
    """A mentor's feedback to a mentee: observations and agreed next steps."""

    __tablename__ = "feedback_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentee_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: The mentor who wrote it; only they may revise it, and only while still the mentor.
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: 1 for the first version; each revision adds one.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: When the current version was saved (equal to created_at for version 1).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    mentee: Mapped[User] = relationship(foreign_keys=[mentee_id])
    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id], lazy="joined")
    replies: Mapped[list["FeedbackReply"]] = relationship(
        back_populates="entry",
        order_by="FeedbackReply.created_at, FeedbackReply.id",
        lazy="selectin",
    )
    revisions: Mapped[list["FeedbackRevision"]] = relationship(
        back_populates="entry", order_by="FeedbackRevision.version.desc()"
    )


class FeedbackRevision(FeedbackText, db.Model):
    """An earlier version of a feedback entry, kept when the mentor revised it."""

    __tablename__ = "feedback_revisions"
    __table_args__ = (sa.UniqueConstraint("entry_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("feedback_entries.id"), index=True)
    #: The version number this text had.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    #: When this version had been saved.
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When it was replaced by the next version, and by whom.
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    replaced_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    entry: Mapped[FeedbackEntry] = relationship(back_populates="revisions")


class FeedbackReply(db.Model):
    """An answer to a shared feedback entry, by the mentee or the entry's mentor."""

    __tablename__ = "feedback_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("feedback_entries.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    #: The answer (Markdown); replies are not edited.
    body: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the author last corrected the reply (within the correction window), else None.
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    entry: Mapped[FeedbackEntry] = relationship(back_populates="replies")
    author: Mapped[User] = relationship(lazy="joined")
    revisions: Mapped[list["ReplyRevision"]] = relationship(
        back_populates="reply", order_by="ReplyRevision.id", cascade="all, delete-orphan"
    )


class ReplyRevision(db.Model):
    """A reply's text before one of its author's corrections (the history is kept)."""

    __tablename__ = "feedback_reply_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    reply_id: Mapped[int] = mapped_column(sa.ForeignKey("feedback_replies.id"), index=True)
    body: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: When this text had been written, and when the correction replaced it.
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reply: Mapped[FeedbackReply] = relationship(back_populates="revisions")


class MentorVisit(db.Model):
    """When a mentor last opened a mentee's page: replies after it are new to them."""

    __tablename__ = "mentor_visits"
    __table_args__ = (sa.UniqueConstraint("mentor_id", "mentee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    mentee_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Recommendation(db.Model):
    """The mentor's recommendation for certification; the newest one is in effect."""

    __tablename__ = "mentor_recommendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentee_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    #: "recommended" or "not_yet".
    status: Mapped[str] = mapped_column(
        sa.String(20),
        default=RecommendationStatus.NOT_YET,
        server_default=RecommendationStatus.NOT_YET.value,
    )
    #: Why (Markdown); required for both outcomes.
    reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    mentee: Mapped[User] = relationship(foreign_keys=[mentee_id])
    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id], lazy="joined")

    @property
    def status_label(self):
        """The outcome in the reader's language."""
        return RECOMMENDATION_LABELS[RecommendationStatus(self.status)]

    @property
    def is_recommended(self):
        """True for a positive recommendation."""
        return self.status == RecommendationStatus.RECOMMENDED
