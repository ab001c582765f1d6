"""Thin handlers of the core views."""

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.roles import Role
from ..extensions import db
from . import audit, audit_labels, dashboard, health, job_care, jobs, mail
from .access import roles_required
from .errors import Refusal
from .i18n import LANGUAGES
from .paging import Listing
from .urls import safe_redirect_target


def index():
    """The dashboard for signed-in people, the welcome page for everyone else."""
    if not current_user.is_authenticated:
        return render_template("core/welcome.html")
    app = current_app._get_current_object()
    return render_template(
        "core/dashboard.html",
        panels=dashboard.panels_for(app, current_user),
        steps=dashboard.steps_for(app, current_user)
        if current_user.has_role(Role.PARTICIPANT)
        else [],
    )


def set_language(code):
    """Switch the interface language (kept on the account when signed in)."""
    if code not in LANGUAGES:
        abort(404)
    session["locale"] = code
    if current_user.is_authenticated:
        current_user.locale = code
        db.session.commit()
    return redirect(safe_redirect_target(request.form.get("next")))


@roles_required(Role.ADMIN, Role.FOUNDATION)
def audit_log():
    """The audit log a page at a time, for admins and foundation staff."""
    listing = _newest_first(
        Listing.from_request("core.audit_log", audit.SORTS, ("area",), not_null=audit.SORTS)
    )
    area = listing.filters.get("area", "")
    area = area if area in audit_labels.AREAS else ""
    return render_template(
        "core/audit.html",
        entries=audit.page(listing, area),
        listing=listing,
        area=area,
        areas=audit_labels.AREAS,
        describe_action=audit_labels.describe,
        shown_details=audit_labels.shown_details,
    )


@roles_required(Role.ADMIN)
def outbox():
    """Mails the LMS has queued or sent, a page at a time, for admins (the demo has no SMTP)."""
    listing = Listing.from_request(
        "core.outbox", mail.OUTBOX_SORTS, ("state",), size=25, not_null=mail.OUTBOX_SORTS
    )
    listing = _newest_first(listing)
    state = listing.filters.get("state", "")
    return render_template(
        "core/outbox.html",
        mails=mail.outbox_page(listing, state),
        listing=listing,
        state=state,
        parked=mail.parked_count(),
    )


def _newest_first(listing):
    """Newest first unless the person chose a sort."""
    if "sort" not in request.args:
        listing.desc = True
    return listing


@roles_required(Role.ADMIN)
def retry_mail(mail_id):
    """Put a parked mail back in line and hand it to the worker."""
    if mail.retry(mail_id) is None:
        abort(404)
    db.session.commit()
    jobs.enqueue("mail.send")
    flash(_("Die Mail wird erneut versucht."), "success")
    return redirect(url_for("core.outbox"))


@login_required
def job_status(job_id):
    """State and progress of a background job, for its starter, admins and the roles of its kind."""
    job = _job_for_viewer(job_id)
    return render_template(
        "core/job.html",
        job=job,
        details=job_care.details(job),
        can_restart=job_care.can_restart(job),
    )


def _job_for_viewer(job_id):
    """The job, or 404 / 403 for someone who may not follow it."""
    job = jobs.job_by_id(job_id)
    if job is None:
        abort(404)
    if not job_care.can_view(job, current_user):
        abort(403)
    return job


@login_required
def restart_job(job_id):
    """Start a failed resumable job again; it continues where it stopped."""
    job = _job_for_viewer(job_id)
    try:
        job_care.restart(job)
    except Refusal as exc:
        db.session.rollback()
        flash(exc.message, "error")
    return redirect(url_for("core.job_status", job_id=job.id))


def healthz():
    """For load balancers: 200 when the database, the data folder and the queue work, else 503."""
    checks = health.check(current_app._get_current_object())
    healthy = all(value == "ok" for value in checks.values())
    return jsonify(status="ok" if healthy else "fail", checks=checks), 200 if healthy else 503
