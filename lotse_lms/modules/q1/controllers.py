"""Thin handlers of the LMS pages: catalogue, upload and update, reports (the player is
in player_controllers.py)."""

import os
import tempfile

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...accounts.models import User
from ...accounts.roles import Role
from ...cohorts.filters import selected_cohort_id
from ...cohorts.operations import all_cohorts
from ...core import jobs
from ...core.access import roles_required
from ...core.csvexport import csv_response
from ...core.forms import choices
from ...extensions import db
from . import import_job, lifecycle, packages, reports
from .errors import Q1Error
from .forms import CertificateForm, PublishForm, UpdateForm, UploadForm
from .models import DRAFT
from .overview import module_overview
from .packages import incoming_dir
from .progress import estimated_minutes
from .reports import CSV_HEADER, STATUSES

MANAGERS = lifecycle.MANAGER_ROLES
REPORT_READERS = lifecycle.STAFF_ROLES


def _package_or_404(package_id):
    """The package with this id, or a 404."""
    package = packages.find_package(package_id)
    if package is None or package.current_version is None:
        abort(404)
    return package


@login_required
def catalogue():
    """The courses the user takes part in, with their state and progress; staff also see
    drafts, the lifecycle state and the archived packages."""
    staff = lifecycle.is_staff(current_user)
    return render_template(
        "q1/catalogue.html",
        modules=[module_overview(current_user, p) for p in lifecycle.catalogue_for(current_user)],
        archived=lifecycle.archived_packages() if staff else [],
        takes_part=lifecycle.takes_part(current_user),
        certificate=lifecycle.certificate_packages(),
        status_labels=lifecycle.STATUS_LABELS,
        audiences=lifecycle.AUDIENCES,
        staff=staff,
        can_manage=current_user.has_role(*MANAGERS),
    )


def _save_upload(storage):
    """Write an uploaded file to a temporary file below DATA_DIR/scorm and return its path."""
    incoming = incoming_dir()
    incoming.mkdir(parents=True, exist_ok=True)
    fd, path = tempfile.mkstemp(prefix="upload-", suffix=".zip", dir=incoming)
    try:
        with os.fdopen(fd, "wb") as out:
            storage.save(out)
    except BaseException:
        os.unlink(path)
        raise
    return path


def _import_in_background(path, form, package=None, module_key=None, status=None):
    """Hand a big upload to the worker and send the uploader to the job's progress page."""
    job = jobs.start(
        import_job.JOB_NAME,
        path,
        title=form.title.data,
        module_key=module_key,
        status=status,
        actor_id=current_user.id,
        package_id=package.id if package is not None else None,
        actor=current_user,
        message=_("Das Paket wartet auf den Import."),
    )
    return redirect(url_for("core.job_status", job_id=job.id))


def _import_from_form(form, **kwargs):
    """Run the import of the form's file; returns the version or None after showing the error.

    A big file is imported by the worker instead: then the answer is a redirect to its job.
    """
    path = _save_upload(form.file.data)
    if import_job.runs_in_background(path):
        return _import_in_background(path, form, **kwargs)
    try:
        return packages.import_package(path, title=form.title.data, actor=current_user, **kwargs)
    except Q1Error as exc:
        db.session.rollback()
        form.file.errors = list(form.file.errors) + [exc.message]
        return None
    finally:
        os.unlink(path)


@roles_required(*MANAGERS)
def upload():
    """Upload a SCORM 1.2 or 2004 zip as a new course: a draft only staff see."""
    form = UploadForm()
    if form.validate_on_submit():
        version = _import_from_form(form, status=DRAFT)
        if isinstance(version, Response):
            return version
        if version is not None:
            flash(
                _(
                    "Das Paket „%(title)s“ wurde als Entwurf importiert. Probieren Sie es in "
                    "der Vorschau aus und veröffentlichen Sie es dann.",
                    title=version.package.title,
                ),
                "success",
            )
            return redirect(url_for("q1.package_detail", package_id=version.package_id))
    status = 422 if request.method == "POST" else 200
    return render_template("q1/upload.html", form=form), status


@roles_required(*MANAGERS, Role.FOUNDATION)
def package_detail(package_id):
    """A package's table of contents, versions and the form for a new version."""
    package = _package_or_404(package_id)
    return render_package(package, UpdateForm())


def cohort_choices():
    """The cohorts a package can be published for, newest first."""
    return choices([(c.id, c.name) for c in all_cohorts()])


def render_package(package, form, status=200):
    """The package page with its forms: new version, lifecycle, the certificate setting."""
    publish_form = PublishForm(audience=package.audience, cohorts=[c.id for c in package.cohorts])
    publish_form.audience.choices = [(k, str(v[0])) for k, v in lifecycle.AUDIENCES.items()]
    publish_form.cohorts.choices = cohort_choices()
    certificate_form = CertificateForm(module_key=package.module_key or "")
    certificate_form.module_key.choices = choices(
        [("", _("zählt nicht für das Zertifikat"))] + lifecycle.module_choices()
    )
    return render_template(
        "q1/package.html",
        package=package,
        version=package.current_version,
        versions=packages.versions_of(package),
        form=form,
        publish_form=publish_form,
        certificate_form=certificate_form,
        status_labels=lifecycle.STATUS_LABELS,
        audiences=lifecycle.AUDIENCES,
        audience_label=lifecycle.audience_label,
        can_delete=lifecycle.can_delete(package),
        can_manage=current_user.has_role(*MANAGERS),
        can_certify=current_user.has_role(*lifecycle.CERTIFICATE_ROLES),
    ), status


@roles_required(*MANAGERS)
def update(package_id):
    """Upload a new version of a package; learners' earlier attempts stay with their version."""
    package = _package_or_404(package_id)
    form = UpdateForm()
    if form.validate_on_submit():
        version = _import_from_form(form, package=package)
        if isinstance(version, Response):
            return version
        if version is not None:
            flash(_("Version %(n)s wurde importiert.", n=version.number), "success")
            return redirect(url_for("q1.package_detail", package_id=package.id))
    return render_package(package, form, 422)


@roles_required(*REPORT_READERS)
def report(package_id):
    """The learners of a package, a page at a time: status, score, time, sessions."""
    package = _package_or_404(package_id)
    listing = reports.report_listing("q1.report", package)
    rows = reports.package_report(package, listing)
    return render_template(
        "q1/report.html",
        package=package,
        rows=rows,
        listing=listing,
        statuses=STATUSES,
        estimate=estimated_minutes(package.module_key),
    )


@roles_required(*REPORT_READERS)
def report_csv(package_id):
    """The whole package report as a CSV download, streamed row by row."""
    package = _package_or_404(package_id)
    return csv_response(
        CSV_HEADER,
        reports.report_csv_rows(package, selected_cohort_id()),
        f"q1-bericht-{package.id}.csv",
    )


@roles_required(*REPORT_READERS)
def learner_report(package_id, user_id):
    """One learner's attempts per SCO in every version of a package."""
    package = _package_or_404(package_id)
    learner = db.get_or_404(User, user_id)
    return render_template(
        "q1/learner_report.html",
        package=package,
        learner=learner,
        versions=reports.learner_report(package, learner),
        completion_labels=reports.COMPLETION_LABELS,
        success_labels=reports.SUCCESS_LABELS,
    )
