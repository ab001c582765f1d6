"""Thin handlers of the LMS pages: catalogue, upload and update, player, reports."""

import os
import tempfile

from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
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
from . import links, operations, progress
from .forms import UpdateForm, UploadForm
from .models import PackageVersion, ScoAttempt
from .operations import Q1Error
from .tokens import content_token, runtime_token

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
    incoming = operations.storage_root() / ".incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    fd, path = tempfile.mkstemp(prefix="upload-", suffix=".zip", dir=incoming)
    with os.fdopen(fd, "wb") as out:
        storage.save(out)
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


@login_required
def player(package_id):
    """The player: table of contents, previous/next, and the content frame."""
    package = _package_or_404(package_id)
    version = package.current_version
    reg = operations.registration_for(current_user, version, create=False)
    entries = version.entries()
    wanted = request.args.get("item")
    start = (
        wanted
        if version.entry(wanted or "")
        else (reg.last_item if reg and version.entry(reg.last_item or "") else entries[0]["id"])
    )
    response = Response(
        render_template(
            "q1/player.html",
            package=package,
            version=version,
            start=start,
            states=_item_states(reg),
            config={
                "launchUrl": url_for("q1.launch", version_id=version.id),
                "statusUrl": url_for("q1.status", version_id=version.id),
                "contentOrigin": links.content_origin(),
                "start": start,
                "items": [{"id": e["id"], "title": e["title"]} for e in entries],
            },
        )
    )
    response.headers["Content-Security-Policy"] = links.player_csp()
    return response


def _item_states(reg):
    """Item id -> (completion, success, score) of the attempt that counts, for the TOC."""
    if reg is None:
        return {}
    attempts = db.session.scalars(
        db.select(ScoAttempt).where(ScoAttempt.registration_id == reg.id)
    ).all()
    by_item = {}
    for attempt in attempts:
        by_item.setdefault(attempt.item_id, []).append(attempt)
    return {item: progress._best(rows) for item, rows in by_item.items()}


def _version_or_404(version_id):
    """The package version with this id, or a 404."""
    version = db.get_or_404(PackageVersion, version_id)
    return version


@login_required
def launch(version_id):
    """Begin a session of an item (JSON {item}) and answer with the URL the frame opens."""
    version = _version_or_404(version_id)
    if version.package.current_version_id != version.id:
        return jsonify(
            {
                "ok": False,
                "message": _(
                    "Von diesem Modul gibt es eine neue Version. Bitte laden Sie die Seite neu."
                ),
            }
        ), 409
    item_id = (request.get_json(silent=True) or {}).get("item")
    try:
        started = operations.launch_item(current_user, version, str(item_id or ""))
    except Q1Error as exc:
        db.session.rollback()
        return jsonify({"ok": False, "message": exc.message}), 404
    entry = started.entry
    if started.is_sco:
        url = links.content_url("q1_content.launch_page", token=runtime_token(started.attempt))
    elif entry["external"]:
        url = entry["launch"]
    else:
        url = links.package_url(content_token(current_user.id, version.id), entry["launch"])
    db.session.commit()
    return jsonify(
        {
            "ok": True,
            "url": url,
            "item": entry["id"],
            "title": entry["title"],
            "sco": started.is_sco,
        }
    )


@login_required
def status(version_id):
    """The learner's state of every item and of the package, for the player's TOC."""
    version = _version_or_404(version_id)
    reg = operations.registration_for(current_user, version, create=False)
    items = {
        item: {"completion": a.completion, "success": a.success, "score": a.score_percent}
        for item, a in _item_states(reg).items()
    }
    package = {
        "completed": bool(reg and reg.completed),
        "passed": reg.passed if reg else None,
        "score": reg.score if reg else None,
    }
    return jsonify({"items": items, "package": package})


@roles_required(*REPORT_READERS)
def report(package_id):
    """Every learner of a package: status, score, time, attempts."""
    package = _package_or_404(package_id)
    return render_template(
        "q1/report.html", package=package, rows=operations.package_report(package)
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
