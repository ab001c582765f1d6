"""Issuing for many Lotsen: a job row processed in chunks, so pages and the CLI show progress."""

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..accounts.models import User, UserRole
from ..core import audit
from ..core.locks import begin_write_lock
from ..core.timeutil import utcnow
from ..extensions import db
from . import rules
from .models import BulkJob, Certificate


def participants():
    """Active participants, by name."""
    return db.session.scalars(
        sa.select(User)
        .join(UserRole)
        .where(UserRole.role == "participant", User.active.is_(True))
        .order_by(User.name, User.id)
    ).all()


def _certified_ids(now=None):
    """Ids of people holding a valid certificate now."""
    now = now or utcnow()
    rows = db.session.execute(
        sa.select(Certificate.user_id).where(
            Certificate.revoked_at.is_(None),
            sa.or_(Certificate.valid_until.is_(None), Certificate.valid_until > now),
        )
    ).all()
    return {row[0] for row in rows}


def eligible_participants(now=None):
    """Participants without a valid certificate who meet every prerequisite."""
    certified = _certified_ids(now)
    return [user for user in participants() if user.id not in certified and rules.is_eligible(user)]


def start_bulk(actor, user_ids=None, *, now=None):
    """Create a job for ``user_ids`` (default: every eligible participant); nothing is issued yet."""
    from .operations import CertificationError

    if actor is not None and not actor.has_role("foundation"):
        raise CertificationError(_("Nur Mitarbeitende der Stiftung dürfen Zertifikate ausstellen."))
    if user_ids is None:
        user_ids = [user.id for user in eligible_participants(now)]
    user_ids = list(dict.fromkeys(int(uid) for uid in user_ids))
    if not user_ids:
        raise CertificationError(_("Zurzeit erfüllt niemand ohne Zertifikat alle Voraussetzungen."))
    job = BulkJob(
        created_by_id=actor.id if actor else None,
        user_ids=user_ids,
        status="running",
        processed=0,
        issued=0,
        refused=0,
        messages=[],
    )
    db.session.add(job)
    db.session.flush()
    audit.record("certification.bulk_started", job, actor=actor, count=len(user_ids))
    return job


def _lock_job(job):
    """Lock the job row so two pollers never process the same chunk."""
    begin_write_lock()
    return db.session.scalars(
        sa.select(BulkJob)
        .where(BulkJob.id == job.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def run_bulk_step(job, actor, *, chunk=None, now=None, via="web"):
    """Process the next chunk of the job; every person is issued or refused with the reason."""
    from .operations import CertificationError, issue

    job = _lock_job(job)
    if job.status != "running":
        return job
    size = chunk or current_app.config["CERT_BULK_CHUNK"]
    batch = job.user_ids[job.processed : job.processed + size]
    messages = list(job.messages or [])
    for user_id in batch:
        user = db.session.get(User, user_id)
        try:
            with db.session.begin_nested():
                if user is None:
                    raise CertificationError(_("Das Konto gibt es nicht mehr."))
                issue(user, actor, now=now, job=job, via=via)
            job.issued += 1
        except CertificationError as exc:
            job.refused += 1
            messages.append(
                {"user_id": user_id, "name": user.name if user else "?", "message": exc.message}
            )
    job.messages = messages
    job.processed += len(batch)
    if job.processed >= job.total:
        job.status = "done"
        job.finished_at = utcnow()
        audit.record(
            "certification.bulk_finished", job, actor=actor, issued=job.issued, refused=job.refused
        )
    return job


def issue_bulk(actor, user_ids=None, *, chunk=None, now=None, progress=None, via="cli"):
    """Issue for everyone eligible (or ``user_ids``), committing chunk by chunk; ``progress(job)`` after each."""
    job = start_bulk(actor, user_ids, now=now)
    db.session.commit()
    while job.status == "running":
        job = run_bulk_step(job, actor, chunk=chunk, now=now, via=via)
        db.session.commit()
        if progress is not None:
            progress(job)
    return job
