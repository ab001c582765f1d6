"""Thin handlers of the core views."""

from flask import abort, current_app, redirect, render_template, request, session
from flask_login import current_user

from ..extensions import db
from . import audit, dashboard, mail
from .access import roles_required
from .i18n import LANGUAGES
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
        if current_user.has_role("participant")
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


@roles_required("admin", "foundation")
def audit_log():
    """The newest audit entries, for admins and foundation staff."""
    return render_template("core/audit.html", entries=audit.entries(limit=300))


@roles_required("admin")
def outbox():
    """Mails the LMS has queued or sent, for admins (the demo has no SMTP)."""
    return render_template("core/outbox.html", mails=mail.outbox())
