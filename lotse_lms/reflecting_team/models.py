"""Reflecting-team sessions, their members, the case, reflections and amendments."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..core.timeutil import UTCDateTime, utcnow
from ..extensions import db


class RTSession(db.Model):
    """A reflecting-team session a trainer sets up around one Lotse's case."""

    __tablename__ = "rt_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: A short title people recognise the session by.
    title: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    #: The day the session takes place.
    held_on: Mapped[date] = mapped_column(sa.Date, index=True)
    #: Loose link to a Q2 live session (no foreign key: the Q2 area is optional).
    q2_session_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    #: Slug of the method in the method library, and its title when chosen (kept if the file goes).
    method_slug: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
    method_title: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    #: The trainer who set the session up and moderates it.
    trainer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: The Lotse who brings the case.
    case_owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: Set when the trainer closes the session; reflections are locked from then on.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    trainer: Mapped[User] = relationship(foreign_keys=[trainer_id], lazy="joined")
    case_owner: Mapped[User] = relationship(foreign_keys=[case_owner_id], lazy="joined")
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    members: Mapped[list["RTMember"]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="RTMember.id",
    )
    case: Mapped["RTCase | None"] = relationship(back_populates="session", lazy="selectin")
    reflections: Mapped[list["RTReflection"]] = relationship(
        back_populates="session", lazy="selectin", order_by="RTReflection.id"
    )
    self_reflection: Mapped["RTSelfReflection | None"] = relationship(
        back_populates="session", lazy="selectin"
    )

    @property
    def closed(self):
        """True once the trainer has closed the session."""
        return self.closed_at is not None

    @property
    def member_users(self):
        """The team members as users."""
        return [m.user for m in self.members]

    def reflection_of(self, user):
        """Return ``user``'s reflection in this session, or None."""
        return next((r for r in self.reflections if r.author_id == user.id), None)


class RTMember(db.Model):
    """That a person belongs to the reflecting team of a session."""

    __tablename__ = "rt_members"
    __table_args__ = (sa.UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("rt_sessions.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[RTSession] = relationship(back_populates="members")
    user: Mapped[User] = relationship(lazy="joined")


class LockableText:
    """Columns shared by the texts of a session: author, times, amendments."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Last change before the session was locked (the audit log keeps the earlier text).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RTCase(LockableText, db.Model):
    """The case the case owner brings from their own Experimentierraum."""

    __tablename__ = "rt_cases"
    kind = "case"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("rt_sessions.id"), unique=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: The situation in the Experimentierraum (Markdown).
    situation: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: The firms involved, described without personal data of third parties (Markdown).
    firms: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: The case owner's question to the team (Markdown).
    question: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    session: Mapped[RTSession] = relationship(back_populates="case")
    author: Mapped[User] = relationship(lazy="joined")


class RTReflection(LockableText, db.Model):
    """A team member's reflection on the case."""

    __tablename__ = "rt_reflections"
    __table_args__ = (sa.UniqueConstraint("session_id", "author_id"),)
    kind = "reflection"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("rt_sessions.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: What the member noticed (Markdown).
    observations: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: Tentative explanations, offered not asserted (Markdown).
    hypotheses: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: Ideas the case owner may pick up or leave (Markdown).
    ideas: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    session: Mapped[RTSession] = relationship(back_populates="reflections")
    author: Mapped[User] = relationship(lazy="joined")


class RTSelfReflection(LockableText, db.Model):
    """The case owner's closing self-reflection."""

    __tablename__ = "rt_self_reflections"
    kind = "self_reflection"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("rt_sessions.id"), unique=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: What the case owner takes with them (Markdown).
    takeaways: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: What they will try in their Experimentierraum (Markdown).
    next_steps: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    session: Mapped[RTSession] = relationship(back_populates="self_reflection")
    author: Mapped[User] = relationship(lazy="joined")


class RTAmendment(db.Model):
    """A later correction of a locked text; the original stays as it was."""

    __tablename__ = "rt_amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("rt_sessions.id"), index=True)
    #: Which text it amends: ``case``, ``reflection`` or ``self_reflection``, and its id.
    target_kind: Mapped[str] = mapped_column(sa.String(20))
    target_id: Mapped[int] = mapped_column(sa.Integer)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: The correction or addition (Markdown).
    body: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship(lazy="joined")


TEXT_KINDS = {"case": RTCase, "reflection": RTReflection, "self_reflection": RTSelfReflection}
