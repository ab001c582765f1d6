"""Issuing for many Lotsen: prepare the list, confirm exactly that list, then issue in chunks.

``prepare_bulk`` stores who would get a certificate now as a draft job; nothing is issued
until ``start_bulk`` receives exactly that list and hands it to the worker (``core.jobs``),
whose page shows the progress. Each person is checked again when their turn comes, so
someone who lost eligibility in between is skipped and named. The command line runs the
same steps in its own process. Every chunk is committed: a job started again after a killed
worker continues with the next person.
"""

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..accounts.models import User
from ..accounts.roles import Role
from ..core import audit, jobs
from ..core.locks import begin_write_lock
from ..core.timeutil import utcnow
from ..extensions import db
from ..qualification import overview
from . import rules
from .errors import CertificationError
from .models import BulkJob
from .operations import issue, lock_users

DRAFT, RUNNING, DONE, CANCELLED = "draft", "running", "done", "cancelled"
JOB_NAME = "certification.bulk_issue"


def eligible_participants(now=None):
    """Participants waiting for a certificate (every prerequisite met, none valid, not barred)."""
    return [row.user for row in overview.eligible(now)]


def _check_staff(actor):
    """Only foundation staff (or the command line, ``None``) issue in bulk."""
    if actor is not None and not actor.has_role(Role.FOUNDATION):
        raise CertificationError(_("Nur Mitarbeitende der Stiftung dürfen Zertifikate ausstellen."))


def prepare_bulk(actor, user_ids=None, *, now=None, cohort_id=None):
    """A draft job for ``user_ids`` (default: everyone eligible now, of one cohort if given,
    by name); nothing is issued."""
    _check_staff(actor)
    if user_ids is None:
        user_ids = [row.user.id for row in overview.eligible(now, cohort_id=cohort_id)]
    user_ids = list(dict.fromkeys(int(uid) for uid in user_ids))
    if not user_ids:
        raise CertificationError(_("Zurzeit erfüllt niemand ohne Zertifikat alle Voraussetzungen."))
    job = BulkJob(
        created_by_id=actor.id if actor else None,
        user_ids=user_ids,
        status=DRAFT,
        processed=0,
        issued=0,
        refused=0,
        messages=[],
    )
    db.session.add(job)
    db.session.flush()
    audit.record("certification.bulk_prepared", job, actor=actor, count=len(user_ids))
    return job


def confirm_bulk(job, actor, confirmed_ids):
    """Start the job if ``confirmed_ids`` is exactly the prepared list; refuse otherwise."""
    _check_staff(actor)
    job = _lock_job(job)
    if job.status != DRAFT:
        raise CertificationError(_("Diese Liste wurde bereits bestätigt oder verworfen."))
    if [int(uid) for uid in confirmed_ids] != list(job.user_ids):
        raise CertificationError(
            _("Die bestätigte Liste stimmt nicht mit der vorbereiteten überein; bitte neu prüfen.")
        )
    job.status = RUNNING
    audit.record("certification.bulk_started", job, actor=actor, count=job.total)
    return job


def start_bulk(job, actor, confirmed_ids):
    """Confirm exactly the prepared list and hand the issuing to the worker; commits.

    Returns the tracked job, whose page (``/jobs/<id>``) shows the progress."""
    job = confirm_bulk(job, actor, confirmed_ids)
    bulk_id = job.id
    tracked = jobs.start(
        JOB_NAME,
        bulk_id,
        actor.id if actor else None,
        actor=actor,
        message=_("Die Ausstellung wartet auf den Worker."),
    )
    job = db.session.get(BulkJob, bulk_id)
    job.job_id = tracked.id
    db.session.commit()
    return tracked


def summary(job):
    """How far a bulk job is, in words."""
    return _(
        "%(processed)s von %(total)s bearbeitet: %(issued)s ausgestellt, %(refused)s übersprungen.",
        processed=job.processed,
        total=job.total,
        issued=job.issued,
        refused=job.refused,
    )


def run_bulk_job(bulk_id, actor_id=None):
    """The worker's part: issue the confirmed list chunk by chunk, committing and reporting each."""
    job = db.session.get(BulkJob, bulk_id)
    if job is None:
        raise CertificationError(_("Diese Liste gibt es nicht mehr."))
    actor = db.session.get(User, actor_id) if actor_id else None
    jobs.progress(done=job.processed, total=job.total, message=summary(job))
    while job.status == RUNNING:
        job = run_bulk_step(job, actor)
        db.session.commit()
        jobs.progress(done=job.processed, message=summary(job))
    return jobs.path_for("certification.overview")


def recent_jobs(limit=3):
    """The latest confirmed bulk jobs, for the foundation's overview."""
    return db.session.scalars(
        sa.select(BulkJob)
        .where(BulkJob.job_id.is_not(None))
        .order_by(BulkJob.id.desc())
        .limit(limit)
    ).all()


def cancel_bulk(job, actor):
    """Discard a draft job; nothing was issued."""
    _check_staff(actor)
    job = _lock_job(job)
    if job.status != DRAFT:
        raise CertificationError(_("Nur eine noch nicht bestätigte Liste kann verworfen werden."))
    job.status = CANCELLED
    job.finished_at = utcnow()
    audit.record("certification.bulk_cancelled", job, actor=actor)
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
    """Process the next chunk of a confirmed job; each person is issued or skipped with the reason.

    Each certificate is dated the moment it is issued, unless ``now`` fixes one time for all."""
    job = _lock_job(job)
    if job.status != RUNNING:
        return job
    size = chunk or current_app.config["CERT_BULK_CHUNK"]
    batch = job.user_ids[job.processed : job.processed + size]
    users = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(batch)))}
    # The chunk's people are locked first, then their checklists computed in one go (a few
    # queries per step for the chunk, not per person); issue() checks each again with them.
    lock_users(users)
    checked = (now or utcnow()).replace(microsecond=0)
    checklists = rules.checklists(users, checked) if users else {}
    messages = list(job.messages or [])
    for user_id in batch:
        user = users.get(user_id)
        try:
            with db.session.begin_nested():
                if user is None:
                    raise CertificationError(_("Das Konto gibt es nicht mehr."))
                # Each certificate carries the moment it was issued (issue() reads the clock
                # when ``now`` is None); the checklists were decided at ``checked``, while the
                # chunk's people are locked, so nothing they show can change before then.
                issue(user, actor, now=now, job=job, via=via, checklist=checklists.get(user_id))
            job.issued += 1
        except CertificationError as exc:
            job.refused += 1
            messages.append(
                {"user_id": user_id, "name": user.name if user else "?", "message": exc.message}
            )
    job.messages = messages
    job.processed += len(batch)
    if job.processed >= job.total:
        job.status = DONE
        job.finished_at = utcnow()
        audit.record(
            "certification.bulk_finished", job, actor=actor, issued=job.issued, refused=job.refused
        )
    return job


def issue_bulk(actor, user_ids=None, *, chunk=None, now=None, progress=None, via="cli"):
    """Prepare, confirm and issue in one go (the command line confirms before calling this)."""
    job = prepare_bulk(actor, user_ids, now=now)
    job = confirm_bulk(job, actor, job.user_ids)
    db.session.commit()
    while job.status == RUNNING:
        job = run_bulk_step(job, actor, chunk=chunk, now=now, via=via)
        db.session.commit()
        if progress is not None:
            progress(job)
    return job
