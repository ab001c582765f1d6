"""The room's work: topic backlog with votes, actions with comments, experiments, learning cards."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..core.timeutil import UTCDateTime, utcnow
from ..extensions import db

#: States of a topic in the backlog: proposed, taken up by the Lotse, done, dropped.
TOPIC_STATES = {
    "proposed": _l("vorgeschlagen"),
    "taken": _l("aufgegriffen"),
    "done": _l("erledigt"),
    "dropped": _l("verworfen"),
}
#: States of an action.
ACTION_STATES = {
    "open": _l("offen"),
    "in_progress": _l("in Arbeit"),
    "done": _l("erledigt"),
    "dropped": _l("verworfen"),
}
#: States in which an action still wants work (and reminders).
ACTION_OPEN = ("open", "in_progress")
#: The INQA rule: what works is continued, what does not is changed or dropped.
DECISIONS = {
    "continue": _l("weitermachen"),
    "change": _l("ändern"),
    "drop": _l("verwerfen"),
}
#: Where a learning card may be published.
TARGETS = {
    "community": _l("in der Lotsen-Community"),
    "public": _l("öffentlich auf der Seite „Erkenntnisse aus Experimentierräumen“"),
}
#: A named firm's answer to a learning card (None: not yet answered).
APPROVED, DECLINED = "approved", "declined"


class BacklogTopic(db.Model):
    """A topic proposed for the room's backlog; members vote, the Lotse decides its state."""

    __tablename__ = "room_backlog_topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: None once the proposer's data was erased.
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: A key of TOPIC_STATES.
    state: Mapped[str] = mapped_column(sa.String(20), default="proposed", server_default="proposed")
    #: Kept with every vote so the backlog sorts by votes without counting rows.
    vote_count: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposed_by: Mapped[User | None] = relationship()


class BacklogVote(db.Model):
    """One member's vote for a topic (one per member and topic)."""

    __tablename__ = "room_backlog_votes"

    topic_id: Mapped[int] = mapped_column(
        sa.ForeignKey("room_backlog_topics.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RoomAction(db.Model):
    """An agreed action: what, who (a room member), until when, and how far it is."""

    __tablename__ = "room_actions"
    __table_args__ = (sa.Index("ix_room_actions_due", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    #: The member who does it; None once their data was erased.
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    due_on: Mapped[date] = mapped_column(sa.Date)
    #: A key of ACTION_STATES.
    status: Mapped[str] = mapped_column(sa.String(20), default="open", server_default="open")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the owner was reminded the day before (once; cleared when the due date moves).
    reminded_before_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the owner was told the action is overdue (once; cleared when the due date moves).
    reminded_overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])


class RoomActionComment(db.Model):
    """A member's comment on an action."""

    __tablename__ = "room_action_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        sa.ForeignKey("room_actions.id", ondelete="CASCADE"), index=True
    )
    #: None once the author's data was erased (the body is emptied then).
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class RoomExperiment(db.Model):
    """An entry of the experiment log: question → tried in a firm → result → decision."""

    __tablename__ = "room_experiments"

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    #: The question or hypothesis.
    question: Mapped[str] = mapped_column(sa.Text)
    #: What was tried.
    tried: Mapped[str] = mapped_column(sa.Text)
    #: The firm (an organisation of the room) where it was tried.
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room_organisations.id"))
    result: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: A key of DECISIONS, None while undecided.
    decision: Mapped[str | None] = mapped_column(sa.String(20))
    decided_on: Mapped[date | None] = mapped_column(sa.Date)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LearningCard(db.Model):
    """What the room learnt, drafted by the Lotse; leaves the room only with every named firm's yes."""

    __tablename__ = "room_learning_cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    problem: Mapped[str] = mapped_column(sa.Text)
    tried: Mapped[str] = mapped_column(sa.Text)
    result: Mapped[str] = mapped_column(sa.Text)
    advice: Mapped[str] = mapped_column(sa.Text)
    #: None once the author's data was erased.
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When it went to the Lotsen-Community, and the thread it became there.
    community_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    community_thread_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("community_threads.id", ondelete="SET NULL")
    )
    #: When it went onto the public learnings page (index: the public list filters on it).
    public_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    author: Mapped[User | None] = relationship()
    firms: Mapped[list["LearningCardFirm"]] = relationship(
        back_populates="card", cascade="all, delete-orphan", order_by="LearningCardFirm.id"
    )


class LearningCardFirm(db.Model):
    """A firm named in a learning card and its answer (approval is for the card's current text)."""

    __tablename__ = "room_learning_card_firms"
    __table_args__ = (sa.UniqueConstraint("card_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(
        sa.ForeignKey("room_learning_cards.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("room_organisations.id"), index=True)
    #: APPROVED, DECLINED or None (not yet answered).
    decision: Mapped[str | None] = mapped_column(sa.String(20))
    #: The firm contact who answered; None once erased.
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    card: Mapped[LearningCard] = relationship(back_populates="firms")
