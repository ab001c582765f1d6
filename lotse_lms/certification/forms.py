"""Forms of certification (Flask-WTF: each carries a CSRF token)."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..core.forms import LotseForm


class ConfirmForm(LotseForm):
    """A button that changes something (issue, renew, start a bulk job, next bulk step)."""


class RevokeForm(LotseForm):
    """Revoke a certificate; the reason is public."""

    reason = TextAreaField(
        _l("Grund des Widerrufs (wird auf der Prüfseite angezeigt)"),
        validators=[
            DataRequired(_l("Bitte geben Sie einen Grund für den Widerruf an.")),
            Length(max=2000, message=_l("Höchstens %(max)d Zeichen.")),
        ],
    )


class VerifyForm(LotseForm):
    """Check a certificate by number, or a credential by upload or pasted text."""

    class Meta:
        csrf = False  # read-only public check; other sites may link or post to it

    number = StringField(_l("Zertifikatsnummer"), validators=[Optional(), Length(max=40)])
    credential_file = FileField(_l("Digitaler Nachweis (Datei .jwt)"))
    credential_text = TextAreaField(
        _l("… oder Nachweis hier einfügen"), validators=[Optional(), Length(max=65536)]
    )
