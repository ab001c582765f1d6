"""Thin handlers of a package's lifecycle (publish, archive, delete) and of the
foundation's setting which packages count for the certificate."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...core.access import roles_required
from ...extensions import db
from . import lifecycle, packages
from .controllers import cohort_choices, render_package
from .errors import Q1Error
from .forms import CertificateForm, PublishForm, UpdateForm


def _package_or_404(package_id):
    """The package with this id, or a 404."""
    package = packages.find_package(package_id)
    if package is None or package.current_version is None:
        abort(404)
    return package


def _refused(package, exc):
    """Show a refusal on the package page."""
    db.session.rollback()
    flash(exc.message, "error")
    return render_package(package, UpdateForm(formdata=None), 422)


@roles_required(*lifecycle.MANAGER_ROLES)
def publish(package_id):
    """Publish a draft (or an archived package again) for the chosen audience."""
    package = _package_or_404(package_id)
    form = PublishForm()
    form.audience.choices = [(k, str(v[0])) for k, v in lifecycle.AUDIENCES.items()]
    form.cohorts.choices = cohort_choices()
    if not form.validate_on_submit():
        return render_package(package, UpdateForm(formdata=None), 422)
    try:
        lifecycle.publish(package, current_user, form.audience.data, form.cohorts.data or ())
    except Q1Error as exc:
        return _refused(package, exc)
    label = lifecycle.audience_label(package)
    flash(_("Das Paket ist veröffentlicht für: %(audience)s.", audience=label), "success")
    return redirect(url_for("q1.package_detail", package_id=package.id))


@roles_required(*lifecycle.MANAGER_ROLES)
def archive(package_id):
    """Take a package out of the catalogue; attempts and reports stay."""
    package = _package_or_404(package_id)
    try:
        lifecycle.archive(package, current_user)
    except Q1Error as exc:
        return _refused(package, exc)
    flash(_("Das Paket ist archiviert. Es steht nicht mehr im Katalog."), "success")
    return redirect(url_for("q1.package_detail", package_id=package.id))


@roles_required(*lifecycle.MANAGER_ROLES)
def delete(package_id):
    """Delete a package without learners' attempts."""
    package = _package_or_404(package_id)
    title = package.title
    try:
        lifecycle.delete_package(package, current_user)
    except Q1Error as exc:
        return _refused(package, exc)
    flash(_("Das Paket „%(title)s“ wurde gelöscht.", title=title), "success")
    return redirect(url_for("q1.catalogue"))


@roles_required(*lifecycle.CERTIFICATE_ROLES)
def set_certificate(package_id):
    """The foundation's setting: which Q1 module of the certificate the package is."""
    package = _package_or_404(package_id)
    form = CertificateForm()
    form.module_key.choices = [("", "")] + lifecycle.module_choices()
    if not form.validate_on_submit():
        return render_package(package, UpdateForm(formdata=None), 422)
    try:
        lifecycle.set_certificate_module(package, form.module_key.data, current_user)
    except Q1Error as exc:
        return _refused(package, exc)
    flash(_("Die Einstellung für das Zertifikat ist gespeichert."), "success")
    return redirect(url_for("q1.package_detail", package_id=package.id))
