"""Forms of certification (Flask-WTF: each carries a CSRF token)."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..core.forms import LotseForm


class ConfirmForm(LotseForm):
    """A button that changes something; ``confirmed`` is set only by a confirmation page."""

    confirmed = HiddenField()

    @property
    def is_confirmed(self):
        """True when the request comes from the page that stated the consequence."""
        return self.confirmed.data == "1"


class RevokeForm(ConfirmForm):
    """Revoke a certificate; the reason is public."""

    reason = TextAreaField(
        _l("Grund des Widerrufs (wird auf der Prüfseite angezeigt)"),
        validators=[
            DataRequired(_l("Bitte geben Sie einen Grund für den Widerruf an.")),
            Length(max=2000, message=_l("Höchstens %(max)d Zeichen.")),
        ],
    )


class ReinstateForm(LotseForm):
    """Allow a new certificate after a revocation; the reason goes to the audit log."""

    reason = TextAreaField(
        _l("Grund der Wiederzulassung"),
        validators=[
            DataRequired(_l("Bitte geben Sie einen Grund für die Wiederzulassung an.")),
            Length(max=2000, message=_l("Höchstens %(max)d Zeichen.")),
        ],
    )


class BulkConfirmForm(LotseForm):
    """Confirm exactly the prepared list of a bulk job."""

    user_ids = HiddenField()
    checked = BooleanField(
        _l("Ich habe die Liste geprüft: genau diese Personen erhalten ein Zertifikat."),
        validators=[DataRequired(_l("Bitte bestätigen Sie, dass Sie die Liste geprüft haben."))],
    )


class VerifyForm(LotseForm):
    """Check a certificate by number, or a credential by upload or pasted text."""

    class Meta:
        csrf = False  # read-only public check; other sites may link or post to it

    number = StringField(_l("Zertifikatsnummer"), validators=[Optional(), Length(max=40)])
    credential_file = FileField(_l("Digitaler Nachweis (Datei .jwt) oder Zertifikat als PDF"))
    credential_text = TextAreaField(
        _l("… oder Nachweis hier einfügen"), validators=[Optional(), Length(max=65536)]
    )
