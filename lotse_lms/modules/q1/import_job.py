"""Large package uploads are imported by the worker, so no request waits (or dies) on them."""

import os

from flask import current_app
from flask_babel import gettext as _

from ...accounts.models import User
from ...core import jobs
from ...extensions import db
from .models import ScormPackage
from .packages import import_package

JOB_NAME = "q1.import_package"


def import_upload(
    zip_path, *, title=None, module_key=None, status=None, actor_id=None, package_id=None
):
    """Job: import an uploaded zip as a package (or a new version), then delete the zip.

    The zip goes on every way out; a refused package leaves neither files nor rows behind
    (``import_package`` cleans up what it extracted). Returns the package page's path.
    """
    try:
        jobs.progress(done=0, total=2, message=_("Das Paket wird geprüft und entpackt …"))
        actor = db.session.get(User, actor_id) if actor_id else None
        package = db.session.get(ScormPackage, package_id) if package_id else None
        version = import_package(
            zip_path,
            title=title,
            module_key=module_key,
            actor=actor,
            package=package,
            **({"status": status} if status else {}),
        )
        jobs.progress(done=2, message=_("Version %(n)s ist importiert.", n=version.number))
        return jobs.path_for("q1.package_detail", package_id=version.package_id)
    finally:
        try:
            os.unlink(zip_path)
        except FileNotFoundError:
            pass


def runs_in_background(path):
    """True when an upload is big enough to be handed to the worker."""
    return os.path.getsize(path) >= current_app.config["IMPORT_IN_BACKGROUND_BYTES"]


def register(app):
    """Make the import available as a job."""
    jobs.register(app, JOB_NAME, import_upload)
