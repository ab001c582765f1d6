"""Handlers for foundation staff and admins: verification queue and accounts."""

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..core.access import roles_required
from ..core.forms import choices, show_refusal
from ..core.paging import Listing
from ..extensions import db
from . import operations, verification
from .errors import AccountError
from .forms import ConfirmForm, RejectForm, RolesForm, UserForm
from .models import User
from .roles import ROLE_LABELS, Role, grantable_by
from .uploads import pdf_page_count, pdf_preview, proof_file

STAFF = (Role.ADMIN, Role.FOUNDATION)


def _role_choices(actor):
    """Roles the actor may grant, with their labels."""
    allowed = grantable_by(actor)
    return choices([(str(role), ROLE_LABELS[role]) for role in Role if role in allowed])


@roles_required(Role.FOUNDATION)
def verification_queue():
    """Records waiting for the foundation's check, oldest first, a page at a time."""
    listing = Listing.from_request("accounts.verification_queue", {"submitted": None})
    listing.total, records = verification.queue_page(listing.page, listing.size)
    return render_template("accounts/queue.html", records=records, listing=listing)


def _record_or_404(kind, record_id):
    """Load a record for review or answer 404."""
    record = verification.get_record(kind, record_id)
    if record is None:
        abort(404)
    return record


@roles_required(Role.FOUNDATION)
def review_record(kind, record_id):
    """Look at one record and verify or reject it."""
    record = _record_or_404(kind, record_id)
    reject_form = RejectForm()
    confirm_form = ConfirmForm()
    if request.method == "POST":
        decision = request.form.get("decision")
        try:
            if decision == "verify" and confirm_form.validate_on_submit():
                verification.verify(record, current_user)
                db.session.commit()
                flash(
                    _("Der Nachweis von %(name)s ist bestätigt.", name=record.user.name), "success"
                )
                return redirect(url_for("accounts.verification_queue"))
            if decision == "reject" and reject_form.validate_on_submit():
                verification.reject(record, current_user, reject_form.reason.data)
                db.session.commit()
                flash(_("Der Nachweis von %(name)s ist abgelehnt.", name=record.user.name), "info")
                return redirect(url_for("accounts.verification_queue"))
        except AccountError as exc:
            db.session.rollback()
            flash(exc.message, "error")
    pdf = getattr(record, "proof_mime", None) == "application/pdf"
    return render_template(
        "accounts/review.html",
        record=record,
        reject_form=reject_form,
        confirm_form=confirm_form,
        same_number=verification.same_number_elsewhere(record),
        pages=pdf_page_count(record.proof_path) if pdf else None,
    )


@roles_required(Role.FOUNDATION)
def proof_preview(kind, record_id):
    """The proof as an image for the review page: a picture as uploaded, a PDF's first page."""
    record = _record_or_404(kind, record_id)
    if not getattr(record, "proof_path", None):
        abort(404)
    if record.proof_mime != "application/pdf":
        return send_file(proof_file(record.proof_path), mimetype=record.proof_mime)
    png = pdf_preview(record.proof_path)
    if png is None:
        abort(404)
    return Response(png, mimetype="image/png", headers={"Cache-Control": "private, max-age=300"})


@roles_required(Role.FOUNDATION)
def record_proof(kind, record_id):
    """Download the proof attached to a record."""
    record = _record_or_404(kind, record_id)
    if not getattr(record, "proof_path", None):
        abort(404)
    return send_file(
        proof_file(record.proof_path),
        mimetype=record.proof_mime,
        download_name=record.proof_name,
        as_attachment=True,
    )


@roles_required(*STAFF)
def users():
    """All accounts, searchable and filterable by role and by inactivity (no sign-in for
    INACTIVE_ACCOUNT_DAYS days: flagged for the staff's retention review)."""
    role = request.args.get("role") or None
    if role and role not in {str(r) for r in Role}:
        role = None
    inactive = request.args.get("inactive") == "1"
    listing = Listing.from_request(
        "accounts.users",
        {"name": db.func.lower(User.name), "email": User.email, "created": User.created_at},
        filters=("role", "inactive"),
    )
    return render_template(
        "accounts/users.html",
        users=operations.page_of_users(listing, role, inactive),
        listing=listing,
        role=role,
        inactive=inactive,
        inactive_before=operations.inactive_before(),
        roles=Role,
        labels=ROLE_LABELS,
    )


@roles_required(*STAFF)
def new_user():
    """Create an account or send an invitation."""
    form = UserForm()
    form.roles.choices = _role_choices(current_user)
    if not form.is_submitted():
        # A new account starts with the configured default role, never without one by accident.
        form.roles.data = [current_app.config["DEFAULT_ROLE"]]
    if form.validate_on_submit():
        try:
            if form.invite.data:
                user = operations.invite_user(
                    form.email.data, form.name.data, form.roles.data, current_user
                )
            else:
                if not form.password.data:
                    raise AccountError(
                        _("Ohne Einladung braucht das Konto ein Passwort."), "password"
                    )
                if not set(form.roles.data) <= grantable_by(current_user):
                    raise AccountError(
                        _("Sie dürfen diese Rolle nicht vergeben oder entziehen."), "roles"
                    )
                user = operations.create_user(
                    form.email.data,
                    form.name.data,
                    form.roles.data,
                    password=form.password.data,
                    actor=current_user,
                )
            db.session.commit()
        except AccountError as exc:
            show_refusal(form, exc)
        else:
            flash(_("Das Konto für %(name)s ist angelegt.", name=user.name), "success")
            return redirect(url_for("accounts.users"))
    return render_template("accounts/user_new.html", form=form)


@roles_required(*STAFF)
def edit_user(user_id):
    """Change someone's roles or deactivate the account."""
    user = db.get_or_404(User, user_id)
    form = RolesForm(data={"roles": [str(r) for r in user.roles], "active": user.active})
    allowed = grantable_by(current_user)
    form.roles.choices = choices([(str(r), ROLE_LABELS[r]) for r in Role])
    if form.validate_on_submit():
        try:
            # Roles the actor may not touch stay as they are, whatever the form says.
            kept = {r for r in user.roles if r not in allowed}
            wanted = {Role(r) for r in form.roles.data if Role(r) in allowed} | kept
            operations.set_roles(user, wanted, current_user)
            operations.set_active(user, form.active.data, current_user)
            db.session.commit()
        except AccountError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            flash(_("Die Änderungen für %(name)s sind gespeichert.", name=user.name), "success")
            return redirect(url_for("accounts.users"))
    return render_template(
        "accounts/user_edit.html",
        form=form,
        user=user,
        allowed={str(r) for r in allowed},
        authorisation=verification.authorisation_of(user),
        workshop=verification.workshop_of(user),
    )
