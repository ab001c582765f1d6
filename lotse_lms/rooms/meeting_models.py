"""A room's meetings (dates, agenda, protocol with comments and approvals), files and space."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..core.timeutil import UTCDateTime, utcnow
from ..extensions import db
from .models import Room


class Meeting(db.Model):
    """One meeting of a room: when and where, its agenda, and the protocol written after it."""

    __tablename__ = "room_meetings"
    __table_args__ = (sa.Index("ix_room_meetings_room_start", "room_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("rooms.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Address of the meeting place ("" for a virtual meeting).
    place: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    #: Link of the video conference ("" for a meeting in person).
    video_url: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    #: The calendar UID, fixed at creation, so calendars update the entry instead of adding one.
    uid: Mapped[str] = mapped_column(sa.String(120), unique=True)
    #: iCalendar SEQUENCE: rises with every change calendars must take over.
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    #: The protocol in Markdown ("" until the Lotse writes it).
    protocol: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: Rises with every change of the protocol; approvals count for the version they saw.
    protocol_version: Mapped[int] = mapped_column(default=0, server_default="0")
    protocol_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    room: Mapped[Room] = relationship(lazy="joined")
    agenda: Mapped[list["AgendaItem"]] = relationship(
        order_by="AgendaItem.position", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_cancelled(self):
        """True once the meeting was cancelled."""
        return self.cancelled_at is not None


class AgendaItem(db.Model):
    """One point of a meeting's agenda, in order."""

    __tablename__ = "room_agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("room_meetings.id"), index=True)
    position: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(sa.String(300))


class ProtocolApproval(db.Model):
    """A firm contact's approval of one version of a meeting's protocol."""

    __tablename__ = "room_protocol_approvals"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "user_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("room_meetings.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: The protocol_version approved.
    version: Mapped[int] = mapped_column()
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class ProtocolComment(db.Model):
    """A member's comment on a meeting's protocol (Markdown)."""

    __tablename__ = "room_protocol_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("room_meetings.id"), index=True)
    #: None once the author's data was erased.
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship(lazy="joined")


class RoomFile(db.Model):
    """A file shared in a room (checked and stored like proofs, see core/uploads.py)."""

    __tablename__ = "room_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("rooms.id"), index=True)
    #: None once the uploader's data was erased.
    uploader_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(255))
    #: Path below DATA_DIR.
    path: Mapped[str] = mapped_column(sa.String(255))
    mime: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploader: Mapped[User | None] = relationship(lazy="joined")


class RoomSpace(db.Model):
    """The room's private space in the community (kind "room"), created when first opened."""

    __tablename__ = "room_spaces"

    room_id: Mapped[int] = mapped_column(sa.ForeignKey("rooms.id"), primary_key=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("community_spaces.id"), unique=True)
