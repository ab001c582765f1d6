"""Forms of the accounts area (Flask-WTF, so every one carries a CSRF token)."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.forms import LotseForm, choices
from .errors import AccountError
from .passwords import check_password_strength

REQUIRED = _l("Bitte füllen Sie dieses Feld aus.")
EMAIL = _l("Bitte geben Sie eine gültige E-Mail-Adresse an.")
TOO_LONG = _l("Höchstens %(max)d Zeichen.")


def _strip(value):
    """Remove surrounding spaces people paste along with an address."""
    return value.strip() if isinstance(value, str) else value


def email_field(label=None):
    """An e-mail field with German messages."""
    return EmailField(
        label or _l("E-Mail-Adresse"),
        filters=[_strip],
        validators=[
            DataRequired(REQUIRED),
            Email(EMAIL, check_deliverability=False),
            Length(max=254, message=TOO_LONG),
        ],
    )


def name_field():
    """A person's name."""
    return StringField(
        _l("Name"),
        filters=[_strip],
        validators=[DataRequired(REQUIRED), Length(max=120, message=TOO_LONG)],
    )


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as check boxes (usable by keyboard and screen reader)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LoginForm(LotseForm):
    """Sign in."""

    email = email_field()
    password = PasswordField(_l("Passwort"), validators=[DataRequired(REQUIRED)])
    remember = BooleanField(_l("Angemeldet bleiben"))


class PasswordRulesForm(LotseForm):
    """A form with a new ``password``: every reason against it is shown at once."""

    def password_context(self):
        """What the password must not resemble (name, address)."""
        return [getattr(self, name).data or "" for name in ("name", "email") if hasattr(self, name)]

    def validate(self, extra_validators=None):
        """Validate the fields, then check the password's length and strength."""
        valid = super().validate(extra_validators)
        if self.password.data:
            try:
                check_password_strength(self.password.data, self.password_context())
            except AccountError as exc:
                self.password.errors = [*self.password.errors, *exc.messages_for("password")]
                valid = False
        return valid


class RegisterForm(PasswordRulesForm):
    """Self-registration of a prospective Lotse."""

    name = name_field()
    email = email_field()
    organisation = StringField(
        _l("Organisation"), validators=[Optional(), Length(max=200, message=TOO_LONG)]
    )
    region = SelectField(_l("Region"), validators=[Optional()])
    password = PasswordField(
        _l("Passwort"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)]
    )
    confirm = PasswordField(
        _l("Passwort wiederholen"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("password", _l("Die Passwörter stimmen nicht überein.")),
        ],
    )
    privacy = BooleanField(
        _l(
            "Ich habe die Datenschutzerklärung gelesen und stimme der Verarbeitung meiner Daten zu."
        ),
        validators=[DataRequired(_l("Bitte stimmen Sie der Datenschutzerklärung zu."))],
    )


class ForgotPasswordForm(LotseForm):
    """Ask for a reset link."""

    email = email_field()


class SetPasswordForm(PasswordRulesForm):
    """Choose a new password (reset or invitation)."""

    password = PasswordField(
        _l("Neues Passwort"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)]
    )
    confirm = PasswordField(
        _l("Neues Passwort wiederholen"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("password", _l("Die Passwörter stimmen nicht überein.")),
        ],
    )


class ChangePasswordForm(SetPasswordForm):
    """Change the password while signed in."""

    current = PasswordField(_l("Bisheriges Passwort"), validators=[DataRequired(REQUIRED)])


class ProfileForm(LotseForm):
    """The person's own profile."""

    name = name_field()
    salutation = SelectField(
        _l("Anrede auf Zertifikat und Nachweis"),
        choices=choices(
            [("frau", _l("Frau")), ("herr", _l("Herr")), ("", _l("Neutral (ohne Anrede)"))]
        ),
        validators=[Optional()],
    )
    organisation = StringField(
        _l("Organisation"), validators=[Optional(), Length(max=200, message=TOO_LONG)]
    )
    region = SelectField(_l("Region"), validators=[Optional()])
    phone = StringField(_l("Telefon"), validators=[Optional(), Length(max=40, message=TOO_LONG)])
    locale = SelectField(
        _l("Sprache der Oberfläche"), choices=choices([("de", "Deutsch"), ("en", "English")])
    )


class AuthorisationForm(LotseForm):
    """The OM-consultant authorisation with its proof."""

    number = StringField(
        _l("Nummer der Autorisierung"),
        validators=[DataRequired(REQUIRED), Length(max=64, message=TOO_LONG)],
    )
    issued_on = DateField(
        _l("Datum der Autorisierung"),
        validators=[InputRequired(_l("Bitte geben Sie ein gültiges Datum an."))],
    )
    proof = FileField(_l("Nachweis (PDF, PNG oder JPEG, höchstens 5 MB)"))


class WorkshopForm(LotseForm):
    """Attendance of the workshop "Gemeinsames Beratungsverständnis"."""

    attended_on = DateField(
        _l("Datum des Workshops"),
        validators=[InputRequired(_l("Bitte geben Sie ein gültiges Datum an."))],
    )
    place = StringField(
        _l("Ort"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)]
    )


class RejectForm(LotseForm):
    """Reject a record, with the reason the participant will read."""

    reason = TextAreaField(
        _l("Grund der Ablehnung"),
        validators=[DataRequired(REQUIRED), Length(max=2000, message=TOO_LONG)],
    )


class ConfirmForm(LotseForm):
    """A button that only needs the CSRF token."""


class UserForm(LotseForm):
    """Create or invite an account (admins and foundation staff)."""

    name = name_field()
    email = email_field()
    roles = MultiCheckboxField(_l("Rollen"))
    invite = BooleanField(
        _l("Einladung per E-Mail senden (die Person wählt ihr Passwort selbst)"), default=True
    )
    password = PasswordField(
        _l("Passwort (nur ohne Einladung)"),
        validators=[Optional(), Length(max=200, message=TOO_LONG)],
    )


class RolesForm(LotseForm):
    """Change someone's roles and whether the account is active."""

    roles = MultiCheckboxField(_l("Rollen"))
    active = BooleanField(_l("Konto aktiv"))
