"""Forms of the cohorts area."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from ..core.forms import LotseForm, choices
from .models import MEMBER_ROLES

REQUIRED = _l("Bitte füllen Sie dieses Feld aus.")
BAD_DATE = _l("Bitte geben Sie ein Datum an (TT.MM.JJJJ).")


def _strip(value):
    """Remove surrounding spaces."""
    return value.strip() if isinstance(value, str) else value


class CohortForm(LotseForm):
    """A cohort's name and dates (the operation checks them all at once)."""

    name = StringField(
        _l("Name"), validators=[InputRequired(REQUIRED), Length(max=120)], filters=[_strip]
    )
    starts_on = DateField(_l("Beginn"), validators=[Optional()])
    ends_on = DateField(_l("Ende"), validators=[Optional()])

    def process_date_errors(self):
        """Say what a date field needs in German (WTForms' own message is English)."""
        for field in (self.starts_on, self.ends_on):
            if field.errors:
                field.errors = [str(BAD_DATE)]


class AddMemberForm(LotseForm):
    """Add the chosen person in a role."""

    user_id = HiddenField()
    role = SelectField(_l("Rolle"), choices=choices(MEMBER_ROLES.items()))


class ActionForm(LotseForm):
    """A button that changes something (CSRF token only)."""


class ImportForm(LotseForm):
    """Upload of a CSV file of participants."""

    file = FileField(
        _l("CSV-Datei"),
        validators=[FileRequired(_l("Bitte wählen Sie eine CSV-Datei aus."))],
    )


class ConfirmImportForm(LotseForm):
    """The checked file again, and the plan the preview showed."""

    text = HiddenField()
    signature = HiddenField()
