"""Handlers of bulk issuing: prepare the list, confirm exactly it (or discard); the worker issues."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import User
from ..accounts.roles import Role
from ..cohorts.filters import selected_cohort_id
from ..core.access import roles_required
from ..extensions import db
from ..qualification.overview import Row
from ..qualification.state import states
from . import bulk as bulk_ops
from .errors import CertificationError
from .forms import BulkConfirmForm, ConfirmForm
from .models import BulkJob

STAFF = (Role.FOUNDATION,)
#: People listed on the confirmation page at most (the job keeps them all).
SHOWN = 500


@roles_required(*STAFF)
def prepare():
    """Store who would get a certificate now; the page then shows that list for confirmation."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        job = bulk_ops.prepare_bulk(current_user, cohort_id=selected_cohort_id(request.form))
        db.session.commit()
    except CertificationError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("certification.overview"))
    return redirect(url_for("certification.bulk", job_id=job.id))


def _job_or_404(job_id):
    """Load a bulk job or answer 404."""
    return db.get_or_404(BulkJob, job_id)


def _listed(job):
    """The first people of a draft job with their current path (who lost eligibility shows so)."""
    ids = list(job.user_ids)[:SHOWN]
    users = {u.id: u for u in db.session.scalars(db.select(User).where(User.id.in_(ids)))}
    found = states([uid for uid in ids if uid in users])
    return [Row(users[uid], found[uid]) for uid in ids if uid in users]


@roles_required(*STAFF)
def bulk(job_id):
    """A draft job's list to confirm; a confirmed one shows its progress on the job's page."""
    job = _job_or_404(job_id)
    if job.job_id:
        return redirect(url_for("core.job_status", job_id=job.job_id))
    form = BulkConfirmForm(user_ids=",".join(str(uid) for uid in job.user_ids))
    rows = _listed(job) if job.status == bulk_ops.DRAFT else []
    return render_template(
        "certification/bulk.html",
        job=job,
        rows=rows,
        confirm_form=form,
        form=ConfirmForm(),
        shown=SHOWN,
    )


@roles_required(*STAFF)
def confirm(job_id):
    """Start issuing for exactly the list the page showed."""
    job = _job_or_404(job_id)
    form = BulkConfirmForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("certification.bulk", job_id=job.id))
    try:
        ids = [int(part) for part in (form.user_ids.data or "").split(",") if part.strip()]
    except ValueError:
        abort(400)
    try:
        tracked = bulk_ops.start_bulk(job, current_user, ids)
    except CertificationError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("certification.bulk", job_id=job.id))
    return redirect(url_for("core.job_status", job_id=tracked.id))


@roles_required(*STAFF)
def cancel(job_id):
    """Discard a draft list; nothing is issued."""
    job = _job_or_404(job_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        bulk_ops.cancel_bulk(job, current_user)
        db.session.commit()
        flash(_("Die Liste wurde verworfen; es wurde nichts ausgestellt."), "info")
    except CertificationError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    return redirect(url_for("certification.overview"))


def job_details(tracked):
    """The bulk job's part of its progress page: counts and everyone skipped with the reason."""
    job = db.session.scalar(sa.select(BulkJob).where(BulkJob.job_id == tracked.id))
    if job is None:
        return ""
    return render_template("certification/_bulk_job.html", job=job, shown=SHOWN)
