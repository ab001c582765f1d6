"""The accounts area's personal data: profile, roles, consent and the verified records."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.models import AuditEntry, OutboxMail
from ..core.privacy import Part, days_ago, register_privacy, register_retention, row
from ..core.timeutil import utcnow
from ..extensions import db
from .models import (
    ConsultantAuthorisation,
    User,
    UserRole,
    VerificationStatus,
    WorkshopAttendance,
)
from .uploads import proof_file

#: The name an erased account shows wherever it still appears (e.g. as author).
ERASED_NAME = "Gelöschte Person"
#: Never part of an export: secrets of the account, not data about the person.
SECRET_COLUMNS = {"password_hash", "session_epoch"}


def _records(user):
    """The person's authorisation and workshop rows (or None each)."""
    auth = db.session.scalar(
        db.select(ConsultantAuthorisation).where(ConsultantAuthorisation.user_id == user.id)
    )
    workshop = db.session.scalar(
        db.select(WorkshopAttendance).where(WorkshopAttendance.user_id == user.id)
    )
    return auth, workshop


def export_accounts(user):
    """Profile, roles, consent and the records with the uploaded proof."""
    auth, workshop = _records(user)
    files = []
    if auth is not None and auth.proof_path:
        path = proof_file(auth.proof_path)
        if path.exists():
            files.append((f"nachweis_{auth.proof_name}", path))
    return Part(
        {
            "profile": row(user, exclude=SECRET_COLUMNS),
            "roles": sorted(user.roles),
            "authorisation": row(auth) if auth else None,
            "workshop": row(workshop) if workshop else None,
        },
        files,
    )


def erase_accounts(user):
    """Delete the records and roles; the account row stays as an anonymous placeholder.

    The row is kept because other people's records point to it (a trainer's session, a
    mentor's entry); it holds no name, address or password afterwards and cannot sign in.
    """
    auth, workshop = _records(user)
    files = []
    if auth is not None:
        if auth.proof_path:
            files.append(proof_file(auth.proof_path))
        db.session.delete(auth)
    if workshop is not None:
        db.session.delete(workshop)
    db.session.execute(sa.delete(UserRole).where(UserRole.user_id == user.id))
    db.session.expire(user, ["role_rows"])
    user.email = f"geloescht-{user.id}@invalid"
    user.name = ERASED_NAME
    user.password_hash = None
    user.organisation = user.region = user.phone = user.salutation = ""
    user.active = False
    user.last_login_at = None
    user.privacy_version = ""
    user.session_epoch = (user.session_epoch or 0) + 1
    user.erased_at = utcnow()
    return files


def expire_unconfirmed(now):
    """Delete self-registered accounts whose address was not confirmed in time."""
    before = days_ago(now, "UNCONFIRMED_ACCOUNT_DAYS")
    if before is None:
        return 0
    stale = db.session.scalars(
        db.select(User).where(
            User.email_confirmed_at.is_(None),
            User.erased_at.is_(None),
            User.created_at < before,
            User.last_login_at.is_(None),
        )
    ).all()
    # Such an account never signed in: besides its roles it has only the audit entry of its
    # creation and the confirmation mail, which go with it.
    for user in stale:
        db.session.execute(
            sa.delete(AuditEntry).where(
                sa.or_(AuditEntry.subject_id == user.id, AuditEntry.actor_id == user.id)
            )
        )
        db.session.execute(sa.delete(OutboxMail).where(OutboxMail.recipient == user.email))
        db.session.delete(user)
    return len(stale)


def expire_proofs(now):
    """Delete uploaded proofs PROOF_KEEP_DAYS after the foundation verified them.

    The record (number, date, who verified it when) stays as the evidence of the check; only
    the uploaded copy goes. Runs after the erasure's retention of files on its own schedule.
    """
    before = days_ago(now, "PROOF_KEEP_DAYS")
    if before is None:
        return 0
    due = db.session.scalars(
        db.select(ConsultantAuthorisation).where(
            ConsultantAuthorisation.status == VerificationStatus.VERIFIED,
            ConsultantAuthorisation.reviewed_at < before,
            ConsultantAuthorisation.proof_path != "",
        )
    ).all()
    for record in due:
        proof_file(record.proof_path).unlink(missing_ok=True)
        record.proof_path = ""
    return len(due)


def register(app):
    """Register the area's export, erasure and retention."""
    register_privacy(
        app,
        "accounts",
        _l("Konto und Nachweise"),
        export=export_accounts,
        erase=erase_accounts,
        kept=_l(
            "Ein leerer Platzhalter des Kontos („Gelöschte Person“) ohne Name, E-Mail-Adresse "
            "und Passwort bleibt, damit Einträge anderer Personen lesbar bleiben."
        ),
        order=90,
    )
    register_retention(app, "accounts.unconfirmed", expire_unconfirmed)
    register_retention(app, "accounts.proofs", expire_proofs)
