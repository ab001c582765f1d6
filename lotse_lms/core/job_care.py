"""Looking after tracked jobs: who follows them, starting a failed one again, the sweeper.

A worker killed mid-job (a deploy, out of memory, a machine gone) never reports back, and its
task has already left the queue: the job would show "running" for ever. ``sweep`` runs every
five minutes on the worker and fails every running job whose heartbeat (its start and each
``jobs.progress`` report) is older than JOB_STALE_MINUTES; a job of a resumable kind can then
be started again from its page and continues where it stopped.
"""

import logging
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup

from ..accounts.roles import Role
from ..extensions import db
from . import jobs
from .errors import Refusal
from .models import Job
from .timeutil import utcnow

log = logging.getLogger(__name__)


def init_app(app):
    """Run the sweeper every five minutes on the worker."""
    jobs.register_periodic(app, "jobs.sweep", sweep, minute="*/5")


def can_view(job, user):
    """True if ``user`` may follow ``job``: its starter, admins and the roles of its kind."""
    if job.created_by_id == user.id or user.has_role(Role.ADMIN):
        return True
    viewers = jobs.kind_of(job).viewers
    return bool(viewers) and user.has_role(*viewers)


def details(job):
    """The HTML the job's kind adds to its page, or an empty string."""
    show = jobs.kind_of(job).details
    # the kind renders its details with an autoescaping template
    return Markup(show(job)) if show is not None else Markup("")  # noqa: S704


def can_restart(job):
    """True if a failed job may be started again (its kind continues where it stopped)."""
    return job.state == "failed" and jobs.kind_of(job).resumable and job.params is not None


def restart(job):
    """Queue a failed resumable job again with its parameters; commits."""
    if not can_restart(job):
        raise Refusal(_("Dieser Auftrag kann nicht erneut gestartet werden."))
    job.state = "queued"
    job.message = _("Erneut gestartet; wartet auf die Verarbeitung.")
    job.finished_at = None
    db.session.commit()
    params = job.params or {}
    jobs.hand_over(job, *params.get("args", []), **params.get("kwargs", {}))
    return job


def sweep(now=None):
    """Fail every running job whose worker has been silent for JOB_STALE_MINUTES; returns them."""
    now = now or utcnow()
    minutes = current_app.config["JOB_STALE_MINUTES"]
    stale = db.session.scalars(
        sa.select(Job).where(
            Job.state == "running",
            sa.func.coalesce(Job.heartbeat_at, Job.started_at, Job.created_at)
            < now - timedelta(minutes=minutes),
        )
    ).all()
    for job in stale:
        message = _(
            "Abgebrochen: Der Worker hat sich seit über %(minutes)s Minuten nicht gemeldet "
            "(beendet oder abgestürzt).",
            minutes=minutes,
        )
        if jobs.kind_of(job).resumable:
            message += " " + _("Der Auftrag kann erneut gestartet werden und setzt dann fort.")
        job.state = "failed"
        job.message = message[:500]
        job.finished_at = now
        log.warning("Job %s (%s) swept: no heartbeat since %s", job.id, job.name, job.heartbeat_at)
    return stale
