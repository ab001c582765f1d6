"""Forms of the privacy area."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import DataRequired

from ..core.forms import LotseForm


class ActionForm(LotseForm):
    """A button that changes something (CSRF token only)."""


class ConfirmErasureForm(LotseForm):
    """Foundation staff confirm that a person's data is to be erased."""

    confirm = BooleanField(
        _l("Ich habe die Folgen gelesen: Die Daten dieser Person werden endgültig gelöscht."),
        validators=[DataRequired(_l("Bitte bestätigen Sie die Löschung."))],
    )
