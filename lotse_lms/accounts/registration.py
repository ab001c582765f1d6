"""Self-registration with double opt-in: the account signs in once its address is confirmed."""

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import generate_password_hash

from ..core import audit, mail
from ..core.errors import collect
from ..core.text import check_single_line
from ..core.timeutil import utcnow
from ..core.urls import external_url
from ..extensions import db
from .errors import AccountError
from .models import User
from .operations import check_password_rules, create_user, find_user


def _confirmations():
    """Signed, time-limited tokens of confirmation links (nothing is stored for them)."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="confirm-email")


def register_participant(email, name, password, organisation="", region="", accepted=False):
    """Self-registration of a prospective Lotse, if the instance allows it.

    Whether the address already has an account is told only to the address itself, by
    mail: the visitor sees the same answer either way (and the same work is done, a
    password hash included). Returns the new user, or None for a known address.
    """
    if not current_app.config["ALLOW_REGISTRATION"]:
        raise AccountError(_("Die Selbstregistrierung ist auf dieser Plattform abgeschaltet."))
    with collect(AccountError) as refuse:
        refuse.check(check_password_rules, password, [email or "", name or ""])
        refuse.check(check_single_line, name, "name", AccountError)
        if not accepted:
            refuse(_("Bitte stimmen Sie der Datenschutzerklärung zu."), "privacy")
    existing = find_user(email)
    if existing is not None:
        generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])
        if existing.email_confirmed_at is None:
            # Registered before but never confirmed: the owner gets the link again (the
            # first password stays; a stranger cannot change it this way).
            send_confirmation(existing)
            return None
        mail.queue(
            existing.email,
            _("Ihre Registrierung"),
            _(
                "Guten Tag,\n\njemand hat versucht, mit dieser Adresse ein neues Konto auf der "
                "Lernplattform der OM-Lotsen-Qualifizierung anzulegen. Sie haben dort bereits "
                "ein Konto: Melden Sie sich hier an:\n\n%(login)s\n\nPasswort vergessen? Hier "
                "legen Sie ein neues fest:\n\n%(reset)s\n\nWenn Sie das nicht waren, "
                "ignorieren Sie diese Nachricht einfach.",
                login=external_url("accounts.login"),
                reset=external_url("accounts.forgot_password"),
            ),
        )
        return None
    user = create_user(
        email,
        name,
        roles=[current_app.config["DEFAULT_ROLE"]],
        password=password,
        confirmed=False,
        organisation=organisation,
        region=region,
        privacy_accepted_at=utcnow(),
        privacy_version=current_app.config["PRIVACY_NOTICE_VERSION"],
    )
    send_confirmation(user)
    return user


def send_confirmation(user):
    """Mail the link that confirms the address (double opt-in)."""
    token = _confirmations().dumps([user.id, user.email])
    mail.queue(
        user.email,
        _("Bitte bestätigen Sie Ihre E-Mail-Adresse"),
        _(
            "Guten Tag %(name)s,\n\nIhr Konto auf der Lernplattform der "
            "OM-Lotsen-Qualifizierung ist angelegt. Bitte bestätigen Sie Ihre E-Mail-Adresse "
            "über diesen Link; erst danach können Sie sich anmelden (gültig %(days)s Tage):"
            "\n\n%(link)s\n\nWenn Sie sich nicht registriert haben, ignorieren Sie diese "
            "Nachricht; das Konto wird dann gelöscht.",
            name=user.name,
            days=current_app.config["UNCONFIRMED_ACCOUNT_DAYS"],
            link=external_url("accounts.confirm_email", token=token),
        ),
    )


def confirm_email(token):
    """Confirm the address of a self-registered account from the mailed link."""
    max_age = current_app.config["UNCONFIRMED_ACCOUNT_DAYS"] * 24 * 3600 or None
    try:
        user_id, email = _confirmations().loads(token, max_age=max_age)
    except SignatureExpired:
        raise AccountError(
            _("Dieser Link ist abgelaufen. Bitte registrieren Sie sich erneut.")
        ) from None
    except (BadSignature, ValueError, TypeError):
        raise AccountError(_("Dieser Link ist ungültig.")) from None
    user = db.session.get(User, user_id)
    if user is None or user.email != email or user.erased_at is not None:
        raise AccountError(_("Dieser Link ist ungültig."))
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        audit.record("accounts.email_confirmed", user, actor=user, subject=user)
    return user
