"""Verbs of certification: issue, renew, revoke, reinstate (bulk.py issues for many, verify.py checks).

Every verb checks its rules itself, whatever a form sent, and writes the audit log in the
caller's transaction; the caller commits.
"""

import os
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..accounts.roles import Role
from ..core import audit, jobs, mail
from ..core.files import private_dir, write_private
from ..core.locks import begin_write_lock
from ..core.timeutil import utcnow
from ..core.urls import external_url
from ..extensions import db
from ..modules.q2.models import (
    FORMAT_LABELS,
    Attendance,
    Format,
    LiveSession,
    RegStatus,
    SessionRegistration,
    SessionStatus,
)
from . import credential, pdf, rules, statuslist, wording
from .errors import CertificationError
from .models import Certificate
from .numbers import new_number
from .qualification import barred_condition

MAX_REASON = 2000
#: The worker renders certificate PDFs after the issuing transaction is committed.
PDF_JOB = "certification.render_pdfs"


def certificates_of(user):
    """The person's certificates, newest first (with their renewals, loaded in one query)."""
    return db.session.scalars(
        sa.select(Certificate)
        .options(selectinload(Certificate.renewed_by))
        .where(Certificate.user_id == user.id)
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    ).all()


def current_certificate(user, now=None):
    """The valid certificate not yet renewed, or None."""
    for cert in certificates_of(user):
        if cert.status(now) == "valid" and cert.renewed_by is None:
            return cert
    return None


def barring_certificate(user):
    """The newest revoked certificate whose holder was not reinstated since, or None."""
    return db.session.scalar(
        sa.select(Certificate)
        .where(Certificate.user_id == user.id, barred_condition())
        .order_by(Certificate.revoked_at.desc())
        .limit(1)
    )


def reinstate(user, actor, reason, *, now=None, via="web"):
    """Allow a new certificate after a revocation; the reason is required and audited."""
    if actor is not None and not actor.has_role(Role.FOUNDATION):
        raise CertificationError(_("Nur Mitarbeitende der Stiftung dürfen wieder zulassen."))
    reason = (reason or "").strip()
    if not reason:
        raise CertificationError(
            _("Bitte geben Sie einen Grund für die Wiederzulassung an."), field="reason"
        )
    if len(reason) > MAX_REASON:
        raise CertificationError(
            _("Der Grund darf höchstens %(n)s Zeichen haben.", n=MAX_REASON), field="reason"
        )
    lock_user(user)
    barred = db.session.scalars(
        sa.select(Certificate).where(Certificate.user_id == user.id, barred_condition())
    ).all()
    if not barred:
        raise CertificationError(
            _(
                "%(name)s hat kein widerrufenes Zertifikat, das eine Wiederzulassung braucht.",
                name=user.name,
            )
        )
    now = now or utcnow()
    for cert in barred:
        cert.reinstated_at = now
        cert.reinstated_by_id = actor.id if actor else None
        cert.reinstatement_reason = reason
    audit.record(
        "certification.reinstated",
        user,
        actor=actor,
        subject=user,
        numbers=[c.number for c in barred],
        reason=reason,
        via=via,
    )
    return barred


def lock_user(user):
    """Serialise issuing for one person: row lock on PostgreSQL, write lock on SQLite."""
    lock_users([user.id])


def lock_users(user_ids):
    """lock_user() for many people in one statement (bulk issuing locks a chunk at once)."""
    if db.session.connection().dialect.name == "sqlite":
        begin_write_lock()
        return
    db.session.execute(
        sa.select(User.id).where(User.id.in_(list(user_ids))).order_by(User.id).with_for_update()
    )


def _check_actor(actor, user):
    """Only foundation staff issue, and never their own certificate; None is the command line."""
    if actor is None:
        return
    if not actor.has_role(Role.FOUNDATION):
        raise CertificationError(_("Nur Mitarbeitende der Stiftung dürfen Zertifikate ausstellen."))
    if actor.id == user.id:
        raise CertificationError(_("Ihr eigenes Zertifikat können Sie nicht selbst ausstellen."))


def valid_until_of(issued_at):
    """Issue date plus CERT_VALIDITY_YEARS (None: no expiry); 29 February becomes 28 February."""
    years = current_app.config["CERT_VALIDITY_YEARS"]
    if not years:
        return None
    try:
        return issued_at.replace(year=issued_at.year + years)
    except ValueError:
        return issued_at.replace(year=issued_at.year + years, day=28)


def pdf_file(cert):
    """Path of the certificate's PDF, rendered again if the file is missing."""
    folder = Path(current_app.config["DATA_DIR"]) / "certificates"
    path = folder / f"{cert.number}.pdf"
    if not path.exists():
        private_dir(folder)
        config = current_app.config
        data = pdf.render(
            cert,
            config["CERT_ISSUER_NAME"],
            external_url("certification.verify_number", number=cert.number),
            (config["CERT_SIGNATORY_NAME"], config["CERT_SIGNATORY_FUNCTION"]),
        )
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        write_private(tmp, data)
        os.replace(tmp, path)
    cert.pdf_path = f"certificates/{cert.number}.pdf"
    return path


def render_pdfs(cert_ids):
    """The worker's part of issuing: render the PDFs of these certificates, committing each."""
    for cert_id in cert_ids:
        cert = db.session.get(Certificate, cert_id)
        if cert is not None and not cert.pdf_path:  # gone with a rolled-back savepoint, or done
            pdf_file(cert)
            db.session.commit()


def _attended(user):
    """Q2 sessions attended (count, formats) and total hours (Q1 estimate + attended Q2)."""
    rows = db.session.execute(
        sa.select(LiveSession.format, SessionRegistration.attended_minutes)
        .join(SessionRegistration, SessionRegistration.session_id == LiveSession.id)
        .where(
            SessionRegistration.user_id == user.id,
            SessionRegistration.status == RegStatus.ENROLLED,
            SessionRegistration.attendance == Attendance.PRESENT,
            LiveSession.status == SessionStatus.SCHEDULED,
        )
    ).all()
    q1_hours = current_app.config.get("Q1_ESTIMATED_MINUTES", 0) / 60
    q2_hours = sum(minutes or 0 for _format, minutes in rows) / 60
    with force_locale("de"):
        formats = [str(FORMAT_LABELS[f]) for f in Format if f in {row[0] for row in rows}]
    return {
        "q2_sessions": len(rows),
        "q2_formats": formats,
        "q1_estimated_hours": q1_hours,
        "total_hours": q1_hours + q2_hours,
    }


def issue(user, actor, *, now=None, renews=None, job=None, via="web", checklist=None):
    """Issue the certificate if every prerequisite is met; otherwise refuse, naming what is missing.

    ``checklist``: the person's checklist, computed by the caller after it locked the person
    (bulk issuing: a chunk at once); by default computed here after the lock."""
    _check_actor(actor, user)
    if not user.has_role(Role.PARTICIPANT):
        raise CertificationError(
            _("%(name)s ist nicht als Teilnehmende/r eingetragen.", name=user.name)
        )
    if not user.active:
        raise CertificationError(_("Das Konto von %(name)s ist deaktiviert.", name=user.name))
    lock_user(user)
    now = (now or utcnow()).replace(microsecond=0)
    current = current_certificate(user, now)
    if current is not None and current is not renews:
        raise CertificationError(
            _(
                "%(name)s hat bereits ein gültiges Zertifikat (Nr. %(number)s).",
                name=user.name,
                number=current.number,
            )
        )
    barred = barring_certificate(user)
    if barred is not None:
        raise CertificationError(
            _(
                "Kein Zertifikat für %(name)s: Zertifikat Nr. %(number)s wurde widerrufen; "
                "erst nach einer Wiederzulassung durch die Stiftung.",
                name=user.name,
                number=barred.number,
            )
        )
    evidence, results = rules.evidence_snapshot(user, now, checklist)
    evidence = {
        **evidence,
        "content": {**evidence.get("content", {}), **_attended(user)},
        "holder": {"salutation": user.salutation},
    }
    missing = [r for r in results if not r.met]
    if missing:
        raise CertificationError(
            _(
                "Kein Zertifikat für %(name)s: Es fehlen noch %(rules)s.",
                name=user.name,
                rules="; ".join(r.label for r in missing),
            ),
            missing=[r.key for r in missing],
        )
    cert = Certificate(
        number=new_number(),
        credential_id=credential.new_credential_id(),
        user=user,
        holder_name=user.name,
        issued_at=now,
        valid_until=valid_until_of(now),
        issued_by_id=actor.id if actor else None,
        evidence=evidence,
        renews=renews,
        bulk_job_id=job.id if job else None,
        status_index=statuslist.allocate_index(),
    )
    db.session.add(cert)
    db.session.flush()
    credential.sign(cert)
    jobs.after_commit(PDF_JOB, cert.id)
    audit.record(
        "certification.renewed" if renews else "certification.issued",
        cert,
        actor=actor,
        subject=user,
        number=cert.number,
        via=via,
        renews=renews.number if renews else None,
        valid_until=cert.valid_until,
        missing=[],
    )
    mail.queue(
        user.email,
        _("Ihr Zertifikat als %(title)s", title=wording.title(user.salutation)),
        _(
            "Guten Tag %(name)s,\n\ndie Stiftung hat Ihr Zertifikat ausgestellt (Nr. %(number)s). Sie finden "
            "es als PDF und als digitalen Nachweis (Open Badge) auf der Lernplattform:\n\n%(link)s",
            name=user.name,
            number=cert.number,
            link=external_url("certification.mine"),
        ),
    )
    return cert


def renew(cert, actor, *, now=None, via="web"):
    """Renew a valid certificate before it expires: a new certificate that points to the old one."""
    now = now or utcnow()
    if cert.status(now) == "revoked":
        raise CertificationError(_("Ein widerrufenes Zertifikat kann nicht verlängert werden."))
    if cert.valid_until is None:
        raise CertificationError(
            _("Dieses Zertifikat ist unbefristet und muss nicht verlängert werden.")
        )
    if cert.status(now) == "expired":
        raise CertificationError(
            _("Dieses Zertifikat ist bereits abgelaufen; bitte stellen Sie ein neues aus.")
        )
    if cert.renewed_by is not None:
        raise CertificationError(
            _(
                "Dieses Zertifikat wurde bereits verlängert (Nr. %(number)s).",
                number=cert.renewed_by.number,
            )
        )
    window = timedelta(days=current_app.config["CERT_RENEWAL_WINDOW_DAYS"])
    if cert.valid_until - now > window:
        raise CertificationError(
            _("Verlängern ist erst ab %(days)s Tagen vor Ablauf möglich.", days=window.days)
        )
    return issue(cert.user, actor, now=now, renews=cert, via=via)


def revoke(cert, actor, reason, *, now=None, via="web"):
    """Revoke a certificate; the reason is required and shown on the verification page."""
    if actor is not None and not actor.has_role(Role.FOUNDATION):
        raise CertificationError(_("Nur Mitarbeitende der Stiftung dürfen Zertifikate widerrufen."))
    reason = (reason or "").strip()
    if not reason:
        raise CertificationError(
            _("Bitte geben Sie einen Grund für den Widerruf an."), field="reason"
        )
    if len(reason) > MAX_REASON:
        raise CertificationError(
            _("Der Grund darf höchstens %(n)s Zeichen haben.", n=MAX_REASON), field="reason"
        )
    if cert.revoked_at is not None:
        raise CertificationError(_("Dieses Zertifikat ist bereits widerrufen."))
    cert.revoked_at = now or utcnow()
    cert.revoked_by_id = actor.id if actor else None
    cert.revocation_reason = reason
    audit.record(
        "certification.revoked",
        cert,
        actor=actor,
        subject=cert.user,
        number=cert.number,
        reason=reason,
        via=via,
    )
    mail.queue(
        cert.user.email,
        _("Ihr Zertifikat wurde widerrufen"),
        _(
            "Guten Tag %(name)s,\n\ndie Stiftung hat Ihr Zertifikat Nr. %(number)s widerrufen.\n"
            "Grund: %(reason)s",
            name=cert.user.name,
            number=cert.number,
            reason=reason,
        ),
    )
    return cert
