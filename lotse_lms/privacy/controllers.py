"""Views: my data (export, erasure request), staff requests, legal pages."""

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.models import User
from ..core.access import roles_required
from ..core.errors import Refusal
from ..core.forms import show_refusal
from ..core.markdown import render_safe
from ..core.privacy import providers
from ..extensions import db
from . import operations
from .forms import ActionForm, ConfirmErasureForm

#: Legal pages: endpoint name -> (instance file, title).
LEGAL_PAGES = {
    "imprint": "impressum.md",
    "notice": "datenschutz.md",
    "accessibility": "barrierefreiheit.md",
}


@login_required
def mine():
    """What the LMS holds about me: export it, or ask for erasure."""
    return render_template(
        "privacy/mine.html",
        form=ActionForm(),
        exports=operations.exports_of(current_user),
        providers=providers(),
    )


@login_required
def export_mine():
    """Start an export of my data; its progress shows on the job page."""
    if not ActionForm().validate_on_submit():
        abort(400)
    job = operations.start_export(current_user, current_user)
    return redirect(url_for("core.job_status", job_id=job.id))


@login_required
def download(export_id):
    """The ZIP of an export, for the person (or who asked for it) while it is valid."""
    export, path = operations.export_for_download(export_id, current_user)
    if export is None:
        abort(404)
    if path is None:
        flash(_("Dieser Datenexport ist abgelaufen oder noch nicht fertig."), "error")
        return redirect(url_for("privacy.mine"))
    return send_file(
        path,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"lotse-daten-{export.created_at:%Y-%m-%d}.zip",
    )


@login_required
def request_erasure():
    """I ask for my data to be erased (or withdraw that request)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    if current_user.erasure_requested_at is None:
        operations.request_erasure(current_user)
        flash(
            _(
                "Ihr Löschantrag ist eingegangen. Die Stiftung bearbeitet ihn und informiert Sie per E-Mail."
            ),
            "success",
        )
    else:
        operations.withdraw_erasure(current_user)
        flash(_("Ihr Löschantrag ist zurückgezogen."), "success")
    db.session.commit()
    return redirect(url_for("privacy.mine"))


@roles_required(*operations.STAFF)
def requests():
    """Staff: the pending erasure requests."""
    return render_template(
        "privacy/requests.html", people=operations.pending_erasures(), form=ActionForm()
    )


@roles_required(*operations.STAFF)
def export_person(user_id):
    """Staff: export a person's data on their request."""
    person = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        job = operations.start_export(person, current_user)
    except Refusal as exc:
        flash(exc.message, "error")
        return redirect(url_for("privacy.requests"))
    return redirect(url_for("core.job_status", job_id=job.id))


@roles_required(*operations.STAFF)
def erase_person(user_id):
    """Staff: the confirmation page stating what an erasure deletes and keeps; then erase."""
    person = db.get_or_404(User, user_id)
    form = ConfirmErasureForm()
    if form.validate_on_submit():
        try:
            operations.erase_person(person, current_user)
        except Refusal as exc:
            show_refusal(form, exc)
        else:
            flash(
                _("Die Daten wurden gelöscht; die Person wurde per E-Mail informiert."), "success"
            )
            return redirect(url_for("privacy.requests"))
    return render_template(
        "privacy/confirm_erasure.html", person=person, form=form, providers=providers()
    )


def legal_page(name):
    """Impressum, Datenschutzerklärung or Barrierefreiheitserklärung (Markdown in the instance folder)."""
    filename = LEGAL_PAGES[name]
    own = Path(current_app.instance_path) / filename
    template = own if own.is_file() else Path(__file__).parent / "legal" / filename
    return render_template(
        "privacy/legal.html",
        body=render_safe(template.read_text(encoding="utf-8")),
        is_template=not own.is_file(),
        filename=filename,
    )


def imprint():
    """The Impressum."""
    return legal_page("imprint")


def notice():
    """The Datenschutzerklärung (privacy notice)."""
    return legal_page("notice")


def accessibility():
    """The Barrierefreiheitserklärung."""
    return legal_page("accessibility")
