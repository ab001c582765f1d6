"""Handlers for signing in and out, passwords and the person's own profile and records."""

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..core.forms import choices, validate_all
from ..core.forms import show_refusal as _fail
from ..core.urls import safe_redirect_target
from ..extensions import db
from . import devices, operations, registration, verification
from .errors import AccountError
from .forms import (
    AuthorisationForm,
    ChangePasswordForm,
    ConfirmForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    SetPasswordForm,
    WorkshopForm,
)
from .limits import guarded, remember_device
from .roles import refuse_firm_contacts
from .uploads import proof_file


def _region_choices():
    """The configured regions for select fields."""
    return choices([("", _("– bitte wählen –"))] + [(r, r) for r in current_app.config["REGIONS"]])


@guarded
def login():
    """Sign in with e-mail address and password."""
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = operations.authenticate(form.email.data, form.password.data)
        except AccountError as exc:
            flash(exc.message, "error")
        else:
            devices.start(user, request.user_agent.string)
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return remember_device(redirect(safe_redirect_target(request.args.get("next"))), user)
    return render_template(
        "accounts/login.html", form=form
    ), 200 if request.method == "GET" else 422


def logout():
    """Sign out on this device; its session ends on the server too, so a copy of its cookie
    stops working. Other devices stay signed in (see ``sign_out_everywhere``)."""
    if current_user.is_authenticated:
        devices.end(current_user, current_user.device_id)
        db.session.commit()
    logout_user()
    flash(_("Sie sind abgemeldet."), "info")
    return redirect(url_for("core.index"))


@login_required
def device_sessions():
    """The devices the person is signed in on, with "sign out there" and "everywhere"."""
    rows = sorted(devices.of(current_user), key=lambda row: row.id != current_user.device_id)
    return render_template("accounts/devices.html", devices=rows, form=ConfirmForm())


@login_required
def end_device_session(device_id):
    """Sign out another device of one's own (this one: the header's "Abmelden")."""
    if ConfirmForm().validate_on_submit() and devices.end(current_user, device_id):
        db.session.commit()
        flash(_("Das Gerät ist abgemeldet."), "success")
    return redirect(url_for("accounts.device_sessions"))


@login_required
def sign_out_everywhere():
    """Sign out on every device, this one included: every cookie issued so far stops working."""
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("accounts.device_sessions"))
    devices.end_all(current_user)
    db.session.commit()
    logout_user()
    flash(_("Sie sind auf allen Geräten abgemeldet."), "info")
    return redirect(url_for("core.index"))


@guarded
def register():
    """Self-registration as a prospective Lotse (if the instance allows it)."""
    if not current_app.config["ALLOW_REGISTRATION"]:
        abort(404)
    form = RegisterForm()
    form.region.choices = _region_choices()
    if form.validate_on_submit():
        try:
            registration.register_participant(
                form.email.data,
                form.name.data,
                form.password.data,
                organisation=form.organisation.data or "",
                region=form.region.data or "",
                accepted=form.privacy.data,
            )
            db.session.commit()
        except AccountError as exc:
            _fail(form, exc)
        else:
            # The same answer whether or not the address had an account already.
            flash(
                _(
                    "Vielen Dank! Wir haben Ihnen eine E-Mail an %(email)s geschickt. Bitte "
                    "bestätigen Sie Ihre Adresse über den Link darin und melden Sie sich dann "
                    "hier an.",
                    email=form.email.data,
                ),
                "success",
            )
            return redirect(url_for("accounts.login"))
    return render_template("accounts/register.html", form=form)


def confirm_email(token):
    """Confirm the address of a new account from the mailed link (double opt-in)."""
    try:
        registration.confirm_email(token)
        db.session.commit()
    except AccountError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(
            _("Vielen Dank, Ihre E-Mail-Adresse ist bestätigt. Sie können sich jetzt anmelden."),
            "success",
        )
    return redirect(url_for("accounts.login"))


@guarded
def forgot_password():
    """Ask for a password reset link."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        operations.request_password_reset(form.email.data)
        db.session.commit()
        flash(
            _(
                "Wenn es zu dieser Adresse ein Konto gibt, haben wir einen Link zum Zurücksetzen gesendet."
            ),
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form)


def _set_password_page(token, purpose, template):
    """Shared handler of reset and invitation links."""
    try:
        user = operations.user_from_password_token(token, purpose)
    except AccountError as exc:
        flash(exc.message, "error")
        return redirect(url_for("accounts.forgot_password"))
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            operations.reset_password(token, form.password.data, purpose)
            db.session.commit()
        except AccountError as exc:
            _fail(form, exc)
        else:
            flash(_("Ihr Passwort ist gespeichert. Bitte melden Sie sich an."), "success")
            logout_user()
            return redirect(url_for("accounts.login"))
    return render_template(template, form=form, user=user)


def reset_password(token):
    """Choose a new password from a reset link."""
    return _set_password_page(token, "reset", "accounts/reset.html")


def accept_invitation(token):
    """Choose the first password from an invitation link."""
    return _set_password_page(token, "invite", "accounts/invitation.html")


@login_required
def profile():
    """The person's own profile and, for participants, their records."""
    form = ProfileForm(obj=current_user)
    form.region.choices = _region_choices()
    if form.validate_on_submit():
        try:
            operations.update_profile(
                current_user,
                name=form.name.data,
                salutation=form.salutation.data or "",
                organisation=form.organisation.data or "",
                region=form.region.data or "",
                phone=form.phone.data or "",
                locale=form.locale.data,
            )
            db.session.commit()
        except AccountError as exc:
            _fail(form, exc)
        else:
            flash(_("Ihr Profil ist gespeichert."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template(
        "accounts/profile.html",
        form=form,
        authorisation=verification.authorisation_of(current_user),
        workshop=verification.workshop_of(current_user),
    )


@login_required
@guarded
def change_password():
    """Change the password while signed in."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            operations.authenticate(current_user.email, form.current.data)
        except AccountError as exc:
            form.current.errors = [*form.current.errors, exc.message]
        else:
            try:
                operations.set_password(current_user, form.password.data)
                db.session.commit()
            except AccountError as exc:
                _fail(form, exc)
            else:
                login_user(current_user._get_current_object())
                flash(_("Ihr Passwort ist geändert."), "success")
                return redirect(url_for("accounts.profile"))
    return render_template("accounts/password.html", form=form)


@login_required
def edit_authorisation():
    """Submit or correct the OM-consultant authorisation with its proof."""
    refuse_firm_contacts()
    record = verification.authorisation_of(current_user)
    form = AuthorisationForm(obj=record)
    if form.validate_on_submit():
        upload = form.proof.data
        # one byte over the limit is enough for check_proof to refuse it
        data = upload.read(current_app.config["PROOF_MAX_BYTES"] + 1) if upload else None
        if upload:
            upload.close()
        try:
            record, stale = verification.submit_authorisation(
                current_user,
                form.number.data,
                form.issued_on.data,
                upload.filename if upload else None,
                data,
            )
            verification.commit_with_files(record.proof_path if data else None, stale)
        except AccountError as exc:
            _fail(form, exc)
        else:
            flash(
                _("Ihre Autorisierung ist eingereicht und wird von der Stiftung geprüft."),
                "success",
            )
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/authorisation.html", form=form, record=record)


@login_required
def edit_workshop():
    """Submit or correct the attendance of the workshop."""
    refuse_firm_contacts()
    record = verification.workshop_of(current_user)
    form = WorkshopForm(obj=record)
    if validate_all(
        form, lambda: verification.check_workshop(form.attended_on.data, form.place.data)
    ):
        try:
            verification.submit_workshop(current_user, form.attended_on.data, form.place.data)
            db.session.commit()
        except AccountError as exc:
            _fail(form, exc)
        else:
            flash(
                _("Ihre Workshop-Teilnahme ist eingereicht und wird von der Stiftung geprüft."),
                "success",
            )
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/workshop.html", form=form, record=record)


@login_required
def own_proof():
    """Download one's own uploaded proof."""
    refuse_firm_contacts()
    record = verification.authorisation_of(current_user)
    if record is None or not record.proof_path:
        abort(404)
    return send_file(
        proof_file(record.proof_path),
        mimetype=record.proof_mime,
        download_name=record.proof_name,
        as_attachment=True,
    )
