"""Certificates the foundation issues, and bulk issuing jobs."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..core.timeutil import UTCDateTime, utcnow
from ..extensions import db


class Certificate(db.Model):
    """One certificate "OM-Lotsin / OM-Lotse" with its signed credential and its evidence."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The public number printed on the PDF, e.g. ``OML-7K3Q-M2XD-9PZA-4HTR`` (80 random bits).
    number: Mapped[str] = mapped_column(sa.String(32), unique=True)
    #: The credential's ``id`` (``urn:uuid:…``), also the JWT ``jti``.
    credential_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: The certified Lotse.
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: The holder's name as printed and signed (kept even if the account's name changes).
    holder_name: Mapped[str] = mapped_column(sa.String(120))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: End of validity; None when the instance issues certificates without expiry.
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Foundation staff who issued it; None when issued from the command line.
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: The checklist the certificate was based on (prerequisites, sources, dates).
    evidence: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: The Open Badges 3.0 credential as a compact JWS (VC-JWT, EdDSA/Ed25519).
    credential_jwt: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: The id (JWK thumbprint) of the key that signed the credential.
    key_id: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")
    #: This credential's bit in the W3C Bitstring Status List (random, unique); None for
    #: certificates issued before the list existed (they are only on the 1EdTech list).
    status_index: Mapped[int | None] = mapped_column(unique=True)
    #: The PDF below DATA_DIR (regenerated from this row if missing); empty until the worker
    #: has rendered it after issuing.
    pdf_path: Mapped[str] = mapped_column(sa.String(255), default="", server_default="")
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: Why the certificate was revoked (shown on the public verification page).
    revocation_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: A revoked certificate bars its holder from a new one until foundation staff reinstate
    #: them: when, by whom and why (audited as ``certification.reinstated``).
    reinstated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reinstated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reinstatement_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: The certificate this one renews (the renewal points to the old one).
    renews_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certificates.id"), unique=True)
    #: The bulk job that issued it, if any.
    bulk_job_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("certificate_bulk_jobs.id"), index=True
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])
    reinstated_by: Mapped[User | None] = relationship(foreign_keys=[reinstated_by_id])
    renews: Mapped["Certificate | None"] = relationship(
        remote_side=[id], foreign_keys=[renews_id], back_populates="renewed_by"
    )
    renewed_by: Mapped["Certificate | None"] = relationship(
        foreign_keys=[renews_id], back_populates="renews", uselist=False
    )

    @property
    def pdf_ready(self):
        """True once the worker has rendered the PDF (the page says "wird erstellt" before)."""
        return bool(self.pdf_path)

    def status(self, now=None):
        """``revoked``, ``expired`` or ``valid`` at ``now``."""
        now = now or utcnow()
        if self.revoked_at is not None:
            return "revoked"
        if self.valid_until is not None and self.valid_until <= now:
            return "expired"
        return "valid"

    def evidence_rules(self):
        """The prerequisites of the evidence snapshot, with ``since`` as datetime again."""
        rules = []
        for rule in (self.evidence or {}).get("rules", []):
            since = rule.get("since")
            rules.append({**rule, "since": datetime.fromisoformat(since) if since else None})
        return rules

    def __repr__(self):
        return f"<Certificate {self.number} user={self.user_id}>"


class BulkJob(db.Model):
    """Issuing certificates for many Lotsen, processed in chunks so a page can show progress."""

    __tablename__ = "certificate_bulk_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Who started the job; None from the command line.
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: ``draft`` until confirmed, ``running`` until every person is processed, then ``done``
    #: (or ``cancelled`` when the draft was discarded).
    status: Mapped[str] = mapped_column(sa.String(20), default="running", server_default="running")
    #: The people to process, in order (user ids).
    user_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: How many of ``user_ids`` are processed.
    processed: Mapped[int] = mapped_column(default=0, server_default="0")
    issued: Mapped[int] = mapped_column(default=0, server_default="0")
    refused: Mapped[int] = mapped_column(default=0, server_default="0")
    #: One line per refused person: user id, name, message.
    messages: Mapped[list] = mapped_column(sa.JSON, default=list)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The background job (``core.jobs``) that issues the confirmed list; its page shows progress.
    job_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def total(self):
        """How many people the job covers."""
        return len(self.user_ids or [])

    @property
    def percent(self):
        """Progress in whole percent."""
        return 100 if not self.total else int(self.processed * 100 / self.total)
