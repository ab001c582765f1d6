"""People, their roles and the records certification needs."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.timeutil import UTCDateTime, utcnow
from ..extensions import db
from .roles import Role

#: Forms of address a person may choose for official texts (certificate, verification page).
SALUTATIONS = {"": _l("Neutral (ohne Anrede)"), "frau": _l("Frau"), "herr": _l("Herr")}


class User(UserMixin, db.Model):
    """A person with an account."""

    __tablename__ = "users"
    __table_args__ = (
        # Lists of people by name (the foundation's overview, the dashboard's "waiting for a
        # mentor") read the first rows in index order instead of sorting everyone.
        sa.Index("ix_users_name_id", "name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored in lower case; unique.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    #: None while an invited person has not chosen a password yet.
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    locale: Mapped[str] = mapped_column(sa.String(5), default="de", server_default="de")
    organisation: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    region: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    #: Form of address for official texts: ``frau``, ``herr`` or empty (neutral wording).
    salutation: Mapped[str] = mapped_column(sa.String(10), default="", server_default="")
    #: Deactivated accounts cannot sign in; nothing is deleted.
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Part of every session and remember-me cookie; signing out counts it up, so every
    #: cookie issued before (also one copied elsewhere) stops working.
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")
    #: When the address was confirmed by the mailed link (double opt-in); a self-registered
    #: account cannot sign in before. Accounts staff create count as confirmed.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the person accepted the Datenschutzerklärung, and which version of it.
    privacy_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    privacy_version: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    #: When the person asked for their data to be erased (foundation staff carry it out).
    erasure_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the data was erased; the row stays as an anonymous placeholder.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    #: Loaded when read (a list of people loads them with selectinload, the signed-in person
    #: with the user in one query): not with every User a join brings along.
    role_rows: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="select"
    )

    @property
    def roles(self):
        """The set of roles this person holds."""
        return {Role(row.role) for row in self.role_rows}

    def has_role(self, *roles):
        """True if the person holds any of ``roles``."""
        held = {row.role for row in self.role_rows}
        return any(str(role) in held for role in roles)

    #: The DeviceSession id of the browser this request came from (set at sign-in and by the
    #: user loader; not a column).
    device_id = None

    @property
    def is_active(self):
        """Flask-Login: deactivated people are signed out."""
        return self.active

    def account_key(self):
        """The id, a fragment of the password hash and the epoch: changing either ends every
        session of the account."""
        return f"{self.id}:{(self.password_hash or '')[-12:]}:{self.session_epoch or 0}"

    def get_id(self):
        """Flask-Login: the session keeps the account key and the device session's id."""
        return f"{self.account_key()}:{self.device_id or ''}"

    def __repr__(self):
        return f"<User {self.id} {self.email}>"


#: What the person search (accounts.picker) matches a part of: name and e-mail, lower case.
SEARCH_TEXT = sa.func.lower(User.name + sa.literal_column("' '") + User.email)
#: On PostgreSQL a trigram GIN index on SEARCH_TEXT answers "contains" searches without reading
#: every user (pg_trgm); SQLite has none and scans. Written as DDL with the table (and by its
#: migration) rather than as an Index object: alembic cannot compare an expression index with
#: an operator class, so the migration test leaves exactly these names out (DDL_INDEXES).
SEARCH_INDEX = "ix_users_search_trgm"
#: People lists (mentoring assignments, participation) sort by lower-case name with the id as
#: tiebreak: on PostgreSQL a page is read from this index instead of sorting everyone. DDL as
#: well: SQLite's reflection skips expression indexes with a warning (SQLite sorts in-process).
NAME_ORDER_INDEX = "ix_users_name_lower"
DDL_INDEXES = (SEARCH_INDEX, NAME_ORDER_INDEX)
SEARCH_INDEX_DDL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON users "
    "USING gin (lower(name || ' ' || email) gin_trgm_ops)",
    f"CREATE INDEX IF NOT EXISTS {NAME_ORDER_INDEX} ON users (lower(name), id)",
)
for _statement in SEARCH_INDEX_DDL:
    sa.event.listen(
        User.__table__, "after_create", sa.DDL(_statement).execute_if(dialect="postgresql")
    )


class UserRole(db.Model):
    """That a person holds a role."""

    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    #: Indexed on its own: lists and pickers look people up by role.
    role: Mapped[str] = mapped_column(sa.String(30), primary_key=True, index=True)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="role_rows")


class VerificationStatus(enum.StrEnum):
    """Where a record stands in the foundation's verification."""

    SUBMITTED = "submitted"
    VERIFIED = "verified"
    REJECTED = "rejected"


STATUS_LABELS = {
    VerificationStatus.SUBMITTED: _l("eingereicht, wird geprüft"),
    VerificationStatus.VERIFIED: _l("bestätigt"),
    VerificationStatus.REJECTED: _l("abgelehnt"),
}


class VerifiableRecord:
    """Columns shared by records the foundation verifies."""

    status: Mapped[str] = mapped_column(
        sa.String(20), default=VerificationStatus.SUBMITTED, index=True
    )
    #: The reason given when the foundation rejected the record.
    reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The last rejection before a resubmission (when and why), shown to the next reviewer.
    rejected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejected_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    @property
    def status_label(self):
        """The status in the reader's language."""
        return STATUS_LABELS[VerificationStatus(self.status)]


class ConsultantAuthorisation(VerifiableRecord, db.Model):
    """The participant's authorisation as OM-Beraterin / OM-Berater, with uploaded proof."""

    __tablename__ = "consultant_authorisations"
    kind = "authorisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), unique=True)
    number: Mapped[str] = mapped_column(sa.String(64))
    issued_on: Mapped[date] = mapped_column(sa.Date)
    #: The uploaded proof: original name, stored path below DATA_DIR, type and size.
    proof_name: Mapped[str] = mapped_column(sa.String(255))
    proof_path: Mapped[str] = mapped_column(sa.String(255))
    proof_mime: Mapped[str] = mapped_column(sa.String(80))
    proof_size: Mapped[int]
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])


class WorkshopAttendance(VerifiableRecord, db.Model):
    """Attendance of the workshop "Gemeinsames Beratungsverständnis"."""

    __tablename__ = "workshop_attendances"
    kind = "workshop"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), unique=True)
    attended_on: Mapped[date] = mapped_column(sa.Date)
    place: Mapped[str] = mapped_column(sa.String(200))
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])


RECORD_KINDS = {"authorisation": ConsultantAuthorisation, "workshop": WorkshopAttendance}


class DeviceSession(db.Model):
    """One browser a person is signed in on; ending it signs out that device only."""

    __tablename__ = "device_sessions"

    #: Random, carried in the signed session and remember-me cookies of that browser.
    id: Mapped[str] = mapped_column(sa.String(43), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Updated at most every few minutes (devices.SEEN_EVERY), not on every request.
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: "Chrome 120 · Linux": enough to recognise the device; the full user agent is not kept.
    device: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")

    user: Mapped[User] = relationship()
