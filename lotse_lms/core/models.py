"""Shared tables: the audit log and the mail outbox."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .timeutil import UTCDateTime, utcnow


class AuditEntry(db.Model):
    """One change someone made: who did what to which record, and when."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: When the change was made (UTC).
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: Who made it; None for the system (CLI, scheduled jobs, self-registration).
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: A dotted verb, e.g. ``accounts.roles_changed``.
    action: Mapped[str] = mapped_column(sa.String(80), index=True)
    #: The kind and id of the record that changed.
    target_type: Mapped[str] = mapped_column(sa.String(60))
    target_id: Mapped[str | None] = mapped_column(sa.String(64))
    #: The person the change concerns, for "what happened to me" views.
    subject_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: Details of the change (old and new values, reasons).
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    actor = db.relationship("User", foreign_keys=[actor_id], lazy="joined")
    subject = db.relationship("User", foreign_keys=[subject_id], lazy="joined")


class OutboxMail(db.Model):
    """A mail waiting to be sent, or sent; the outbox keeps both."""

    __tablename__ = "outbox_mails"
    __table_args__ = (
        # The outbox's "parked" list in its order: the few parked mails alone, so the list
        # never walks every mail in date order looking for them (SQLite's planner did).
        sa.Index(
            "ix_outbox_mails_parked_order",
            "created_at",
            "id",
            sqlite_where=sa.text("parked_at IS NOT NULL"),
            postgresql_where=sa.text("parked_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    recipient: Mapped[str] = mapped_column(sa.String(254), index=True)
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    #: An iCalendar object (iTIP REQUEST or CANCEL) sent as the mail's text/calendar part.
    calendar: Mapped[str | None] = mapped_column(sa.Text)
    #: An https URL that turns this kind of mail off in one click (RFC 8058): sent as
    #: List-Unsubscribe with List-Unsubscribe-Post.
    unsubscribe_url: Mapped[str | None] = mapped_column(sa.String(1000))
    #: Set once the mail has been handed to SMTP (or written to the log without SMTP).
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    #: Earliest time of the next try; a sender claims a mail by moving it forward.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: Set when the mail failed ``MAIL_MAX_ATTEMPTS`` times; no more tries, admins see it.
    parked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class Job(db.Model):
    """A background job whose progress any page can show (queued, running, done, failed)."""

    __tablename__ = "jobs"

    #: The id of the task on the queue (a uuid hex string).
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    #: The registered job name, e.g. ``q1.import_package``.
    name: Mapped[str] = mapped_column(sa.String(80), index=True)
    #: queued, running, done or failed.
    state: Mapped[str] = mapped_column(sa.String(20), default="queued")
    #: Steps done out of ``total`` (0 of 0 while the size is unknown).
    done: Mapped[int] = mapped_column(default=0, server_default="0")
    total: Mapped[int] = mapped_column(default=0, server_default="0")
    #: What is happening now, or the German message of a failure.
    message: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    #: Where the result can be seen once done (a path inside the LMS).
    result_url: Mapped[str | None] = mapped_column(sa.String(500))
    #: Who started it; only they and admins see its page.
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The last sign of life of the running job (its start and every progress report); the
    #: sweeper fails a running job whose worker stayed silent for JOB_STALE_MINUTES.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The arguments the job was started with, so a resumable job can be started again.
    params: Mapped[dict | None] = mapped_column(sa.JSON)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
