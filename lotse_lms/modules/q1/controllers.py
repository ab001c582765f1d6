"""Thin handlers of the LMS pages: catalogue, upload and update, reports (the player is
in player_controllers.py)."""

import os
import tempfile

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...core.access import roles_required
from ...core.forms import choices
from ...extensions import db
from . import operations, progress
from .forms import UpdateForm, UploadForm
from .operations import Q1Error
from .packages import incoming_dir
from .progress import estimated_minutes

MANAGERS = ("trainer", "admin")
REPORT_READERS = ("trainer", "admin", "foundation")


def _package_or_404(package_id):
    """The package with this id, or a 404."""
    package = operations.find_package(package_id)
    if package is None or package.current_version is None:
        abort(404)
    return package


@login_required
def catalogue():
    """All courses with the learner's state; trainers and admins also see the upload link."""
    packages = operations.catalogue()
    states = {}
    for package in packages:
        best = progress.best_registration(operations.registrations_of(current_user, package))
        states[package.id] = best
    return render_template(
        "q1/catalogue.html",
        packages=packages,
        states=states,
        q1=operations.q1_progress(current_user),
        can_manage=current_user.has_role(*MANAGERS),
        can_report=current_user.has_role(*REPORT_READERS),
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


def _import_from_form(form, **kwargs):
    """Run the import of the form's file; returns the version or None after showing the error."""
    path = _save_upload(form.file.data)
    try:
        return operations.import_package(path, title=form.title.data, actor=current_user, **kwargs)
    except Q1Error as exc:
        db.session.rollback()
        form.file.errors = list(form.file.errors) + [exc.message]
        return None
    finally:
        os.unlink(path)


@roles_required(*MANAGERS)
def upload():
    """Upload a SCORM 1.2 or 2004 zip as a new course."""
    form = UploadForm()
    form.module_key.choices = choices(
        [("", _("– kein Q1-Modul –"))]
        + [(k, operations.Q1_TITLES.get(k, k)) for k in current_app.config["Q1_MODULES"]]
    )
    if form.validate_on_submit():
        version = _import_from_form(form, module_key=form.module_key.data or None)
        if version is not None:
            flash(
                _("Das Paket „%(title)s“ wurde importiert.", title=version.package.title), "success"
            )
            return redirect(url_for("q1.package_detail", package_id=version.package_id))
    status = 422 if request.method == "POST" else 200
    return render_template("q1/upload.html", form=form), status


@roles_required(*MANAGERS, "foundation")
def package_detail(package_id):
    """A package's table of contents, versions and the form for a new version."""
    package = _package_or_404(package_id)
    return render_template(
        "q1/package.html",
        package=package,
        version=package.current_version,
        versions=operations.versions_of(package),
        form=UpdateForm(),
        can_manage=current_user.has_role(*MANAGERS),
    )


@roles_required(*MANAGERS)
def update(package_id):
    """Upload a new version of a package; learners' earlier attempts stay with their version."""
    package = _package_or_404(package_id)
    form = UpdateForm()
    if form.validate_on_submit():
        version = _import_from_form(form, package=package)
        if version is not None:
            flash(_("Version %(n)s wurde importiert.", n=version.number), "success")
            return redirect(url_for("q1.package_detail", package_id=package.id))
    return render_template(
        "q1/package.html",
        package=package,
        version=package.current_version,
        versions=operations.versions_of(package),
        form=form,
        can_manage=True,
    ), 422


@roles_required(*REPORT_READERS)
def report(package_id):
    """Every learner of a package: status, score, time, attempts."""
    package = _package_or_404(package_id)
    return render_template(
        "q1/report.html",
        package=package,
        rows=operations.package_report(package),
        estimate=estimated_minutes(package.module_key),
    )


@roles_required(*REPORT_READERS)
def report_csv(package_id):
    """The package report as a CSV download."""
    package = _package_or_404(package_id)
    body = "\ufeff" + operations.report_csv(package)  # BOM: spreadsheets detect UTF-8
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="q1-bericht-{package.id}.csv"'},
    )


@roles_required(*REPORT_READERS)
def learner_report(package_id, user_id):
    """One learner's attempts per SCO in every version of a package."""
    from ...accounts.models import User

    package = _package_or_404(package_id)
    learner = db.get_or_404(User, user_id)
    return render_template(
        "q1/learner_report.html",
        package=package,
        learner=learner,
        versions=operations.learner_report(package, learner),
    )
