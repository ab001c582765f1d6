"""Q2 live sessions: sessions, their dates and trainers, registrations, feeds, reminders."""

import enum
import uuid
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...accounts.models import User
from ...core.timeutil import BERLIN, UTCDateTime, utcnow
from ...extensions import db


class Format(enum.StrEnum):
    """How a session takes place."""

    IN_PERSON = "in_person"
    VIRTUAL = "virtual"
    HYBRID = "hybrid"


FORMAT_LABELS = {
    Format.IN_PERSON: _l("Präsenz"),
    Format.VIRTUAL: _l("Virtuell"),
    Format.HYBRID: _l("Hybrid"),
}


class SessionStatus(enum.StrEnum):
    """Whether a session still takes place."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class RegStatus(enum.StrEnum):
    """Where a person stands for a session."""

    ENROLLED = "enrolled"
    WAITING = "waiting"
    CANCELLED = "cancelled"


REG_LABELS = {
    RegStatus.ENROLLED: _l("angemeldet"),
    RegStatus.WAITING: _l("Warteliste"),
    RegStatus.CANCELLED: _l("abgemeldet"),
}


class Attendance(enum.StrEnum):
    """What the trainer recorded for a participant."""

    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


ATTENDANCE_LABELS = {
    Attendance.PRESENT: _l("anwesend"),
    Attendance.ABSENT: _l("abwesend"),
    Attendance.EXCUSED: _l("entschuldigt"),
}

session_trainers = sa.Table(
    "q2_session_trainers",
    db.metadata,
    sa.Column("session_id", sa.ForeignKey("q2_sessions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True, index=True),
)


def _day(moment):
    """The Berlin calendar day of a UTC time."""
    return moment.astimezone(BERLIN).date()


def _new_uid():
    """A random, stable identifier for the session's calendar events."""
    return uuid.uuid4().hex


def _new_date_uid():
    """The calendar UID of a new date: random, so no later date ever gets it again."""
    return f"q2-{uuid.uuid4().hex}@lotse-lms"


class LiveSession(db.Model):
    """A Q2 live session (in person, virtual or hybrid) on one or more dates."""

    __tablename__ = "q2_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    #: Key of a topic from the config list Q2_TOPICS.
    topic: Mapped[str] = mapped_column(sa.String(40), index=True)
    #: Markdown, rendered with core.markdown.render_safe.
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    format: Mapped[str] = mapped_column(
        sa.String(20), default=Format.IN_PERSON, server_default=Format.IN_PERSON.value
    )
    #: Venue address (in person, hybrid); shown to enrolled participants only.
    venue: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: Region of the venue from config REGIONS; empty for virtual sessions.
    region: Mapped[str] = mapped_column(sa.String(100), default="", server_default="", index=True)
    #: https link of the meeting (virtual, hybrid); shown to enrolled participants only.
    meeting_url: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    capacity: Mapped[int] = mapped_column(default=12, server_default="12")
    #: Last moment to enrol (UTC).
    enrol_deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Last moment a participant may cancel (UTC).
    cancel_deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Keys of prerequisite checks (see prerequisites.py).
    prerequisites: Mapped[list] = mapped_column(sa.JSON, default=list)
    status: Mapped[str] = mapped_column(
        sa.String(20),
        default=SessionStatus.SCHEDULED,
        server_default=SessionStatus.SCHEDULED.value,
        index=True,
    )
    #: Stable part of the calendar UIDs; never changes.
    uid: Mapped[str] = mapped_column(sa.String(64), unique=True, default=_new_uid)
    #: iCalendar SEQUENCE: raised on every change participants should see.
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why the session was cancelled (told to participants, shown on the page).
    cancel_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    dates: Mapped[list["SessionDate"]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        order_by="SessionDate.starts_at",
        lazy="selectin",
    )
    trainers: Mapped[list[User]] = relationship(
        secondary=session_trainers, lazy="selectin", order_by=User.name
    )

    @property
    def starts_at(self):
        """Start of the first date."""
        return self.dates[0].starts_at if self.dates else None

    @property
    def ends_at(self):
        """End of the last date."""
        return max(d.ends_at for d in self.dates) if self.dates else None

    @property
    def minutes(self):
        """Scheduled length of all dates together, in minutes."""
        return sum(d.minutes for d in self.dates)

    @property
    def is_cancelled(self):
        """True once the session has been cancelled."""
        return self.status == SessionStatus.CANCELLED

    def replace_dates(self, dates):
        """Set the dates to ``dates`` [(start, end)]; return the rows taken out.

        A row keeps its calendar UID when its date stays, moves within its day, or, when as
        many dates go as come, moves to the new date in the same order (updates of that
        appointment). Otherwise old dates are removed (cancelled in calendars) and new ones
        added.
        """
        wanted = list(dates)
        spare = []
        for row in self.dates:
            if (row.starts_at, row.ends_at) in wanted:
                wanted.remove((row.starts_at, row.ends_at))
            else:
                spare.append(row)
        for row in list(spare):
            same_day = [w for w in wanted if _day(w[0]) == _day(row.starts_at)]
            if same_day:
                row.starts_at, row.ends_at = same_day[0]
                wanted.remove(same_day[0])
                spare.remove(row)
        if len(spare) == len(wanted):
            for row, (start, end) in zip(spare, wanted, strict=True):
                row.starts_at, row.ends_at = start, end
            spare, wanted = [], []
        for row in spare:
            self.dates.remove(row)
        for start, end in wanted:
            self.dates.append(SessionDate(starts_at=start, ends_at=end))
        self.dates.sort(key=lambda d: d.starts_at)
        return spare

    def has_trainer(self, user):
        """True if ``user`` is one of the session's trainers."""
        return any(t.id == user.id for t in self.trainers)


class SessionDate(db.Model):
    """One date of a session: start and end in UTC."""

    __tablename__ = "q2_session_dates"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("q2_sessions.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: iCalendar UID of this date; never changes (dates before it existed: q2-<session>-<id>).
    uid: Mapped[str] = mapped_column(sa.String(100), default=_new_date_uid, server_default="")

    session: Mapped[LiveSession] = relationship(back_populates="dates")

    @property
    def minutes(self):
        """Length of the date in minutes."""
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class SessionRegistration(db.Model):
    """A person's place on a session: enrolled, waiting or cancelled, with attendance."""

    __tablename__ = "q2_registrations"
    __table_args__ = (sa.UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("q2_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(
        sa.String(20), default=RegStatus.ENROLLED, server_default=RegStatus.ENROLLED.value
    )
    #: Arrival number within the session, taken under the session lock: the queue order.
    queue_no: Mapped[int] = mapped_column(default=0, server_default="0")
    #: When the person (last) asked for a place.
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the place was confirmed (directly or by promotion from the waiting list).
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: present / absent / excused, or None while not recorded.
    attendance: Mapped[str | None] = mapped_column(sa.String(20))
    attended_minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    attendance_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    attendance_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[LiveSession] = relationship(lazy="joined")
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")

    @property
    def status_label(self):
        """The status in the reader's language."""
        return REG_LABELS[RegStatus(self.status)]

    @property
    def attendance_label(self):
        """The recorded attendance in the reader's language, or ''."""
        return ATTENDANCE_LABELS[Attendance(self.attendance)] if self.attendance else ""


class DateAttendance(db.Model):
    """Whether a participant attended one date of a session, and for how long.

    The registration's ``attendance`` and ``attended_minutes`` hold the session total
    (present on any date; the minutes summed), which the qualification path reads.
    """

    __tablename__ = "q2_date_attendance"
    __table_args__ = (sa.UniqueConstraint("registration_id", "date_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("q2_registrations.id", ondelete="CASCADE"), index=True
    )
    date_id: Mapped[int] = mapped_column(
        sa.ForeignKey("q2_session_dates.id", ondelete="CASCADE"), index=True
    )
    #: present / absent / excused.
    status: Mapped[str] = mapped_column(sa.String(20))
    #: Minutes attended on this date (0 unless present).
    minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CalendarFeed(db.Model):
    """A person's secret calendar subscription address (revocable by replacing the token)."""

    __tablename__ = "q2_calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), unique=True)
    #: The secret part of the feed URL.
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReminderSent(db.Model):
    """That the 24-hour reminder for one date went to one registration (sent once only)."""

    __tablename__ = "q2_reminders_sent"
    __table_args__ = (sa.UniqueConstraint("registration_id", "date_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("q2_registrations.id", ondelete="CASCADE"), index=True
    )
    date_id: Mapped[int] = mapped_column(sa.ForeignKey("q2_session_dates.id", ondelete="CASCADE"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
