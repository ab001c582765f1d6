"""The core's personal data: audit entries about a person and the mails sent to them."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..extensions import db
from .models import AuditEntry, OutboxMail
from .privacy import Part, days_ago, register_privacy, register_retention, rows

#: What an erased mail body or audit detail reads afterwards.
ERASED = "[gelöscht]"


def export_core(user):
    """Audit entries about the person and the mails addressed to them."""
    about = db.select(AuditEntry).where(AuditEntry.subject_id == user.id).order_by(AuditEntry.id)
    mails = db.select(OutboxMail).where(OutboxMail.recipient == user.email)
    return Part(
        {
            "audit_entries": rows(db.session.scalars(about), exclude={"subject_id"}),
            "mails": rows(db.session.scalars(mails.order_by(OutboxMail.id))),
        }
    )


def erase_core(user):
    """Delete mails to the person, blank others' mails naming them, empty audit details."""
    db.session.execute(sa.delete(OutboxMail).where(OutboxMail.recipient == user.email))
    mentions = sa.or_(OutboxMail.body.contains(user.email), OutboxMail.body.contains(user.name))
    db.session.execute(sa.update(OutboxMail).where(mentions).values(body=ERASED, subject=ERASED))
    # The entries stay (what happened, when, to which record): only their details, which
    # may hold names and old values, go.
    db.session.execute(
        sa.update(AuditEntry)
        .where(sa.or_(AuditEntry.subject_id == user.id, AuditEntry.actor_id == user.id))
        .values(details={})
    )
    return []


def expire_sent_mails(now):
    """Delete mails sent longer ago than OUTBOX_DAYS (address, subject and body)."""
    before = days_ago(now, "OUTBOX_DAYS")
    if before is None:
        return 0
    return db.session.execute(sa.delete(OutboxMail).where(OutboxMail.sent_at < before)).rowcount


def expire_audit_details(now):
    """Empty the details of audit entries older than AUDIT_DETAIL_DAYS."""
    before = days_ago(now, "AUDIT_DETAIL_DAYS")
    if before is None:
        return 0
    # Compared as text: an empty JSON object reads the same on SQLite and PostgreSQL.
    result = db.session.execute(
        sa.update(AuditEntry)
        .where(AuditEntry.at < before, sa.cast(AuditEntry.details, sa.Text) != "{}")
        .values(details={})
    )
    return result.rowcount


def register(app):
    """Register the core's export, erasure and retention."""
    register_privacy(
        app,
        "core",
        _l("Protokoll und E-Mails"),
        export=export_core,
        erase=erase_core,
        kept=_l(
            "Protokolleinträge bleiben ohne Einzelheiten erhalten (was wann geschah), "
            "damit Änderungen an Nachweisen und Zertifikaten nachvollziehbar bleiben."
        ),
        order=80,
    )
    register_retention(app, "core.sent_mails", expire_sent_mails)
    register_retention(app, "core.audit_details", expire_audit_details)
