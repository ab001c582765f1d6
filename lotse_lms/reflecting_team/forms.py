"""Forms of the reflecting team (Flask-WTF: every form carries a CSRF token).

Forms check only the shape of the input; the rules live in operations.py.
"""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..accounts.picker import PeopleField, PersonField
from ..core.forms import LotseForm
from .operations import TEXT_MAX

TOO_LONG = _l("Höchstens %(max)d Zeichen.")


def _strip(value):
    """Remove surrounding spaces."""
    return value.strip() if isinstance(value, str) else value


def text_area(label):
    """A Markdown text field (optional at form level; the operation decides what is required)."""
    return TextAreaField(
        label, filters=[_strip], validators=[Optional(), Length(max=TEXT_MAX, message=TOO_LONG)]
    )


class DayField(DateField):
    """A date field whose complaint about unreadable input is German."""

    def process_formdata(self, valuelist):
        """Parse the date; replace WTForms' English message."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Bitte geben Sie ein gültiges Datum an.")) from None


class SessionForm(LotseForm):
    """A trainer sets up or changes a session."""

    title = StringField(
        _l("Titel (optional)"),
        filters=[_strip],
        validators=[Optional(), Length(max=200, message=TOO_LONG)],
    )
    held_on = DayField(
        _l("Datum der Sitzung"),
        validators=[InputRequired(_l("Bitte geben Sie ein gültiges Datum an."))],
    )
    # The field finds people by e-mail; the operation refuses wrong roles with a German message.
    case_owner = PersonField(_l("Fallgebende Person"), pool="rt_case_owner")
    members = PeopleField(_l("Reflecting Team"), pool="rt_member")
    # validate_choice=False: the operation refuses unknown methods with a German message.
    method_slug = SelectField(_l("Methode"), validate_choice=False)
    q2_session_id = SelectField(
        _l("Zugehörige Q2-Sitzung (optional)"), validate_choice=False, validators=[Optional()]
    )

    def validate_q2_session_id(self, field):
        """Accept only the id of a listed session (a positive whole number) or nothing."""
        if field.data and not str(field.data).isdigit():
            raise ValidationError(_l("Bitte wählen Sie eine Q2-Sitzung aus der Liste."))


class CaseForm(LotseForm):
    """The case owner describes the case."""

    situation = text_area(_l("Situation in Ihrem Experimentierraum"))
    firms = text_area(_l("Beteiligte Betriebe"))
    question = text_area(_l("Ihre Frage an das Reflecting Team"))


class ReflectionForm(LotseForm):
    """A team member's reflection."""

    observations = text_area(_l("Beobachtungen"))
    hypotheses = text_area(_l("Hypothesen"))
    ideas = text_area(_l("Ideen und Anregungen"))


class SelfReflectionForm(LotseForm):
    """The case owner's closing self-reflection."""

    takeaways = text_area(_l("Was nehme ich mit?"))
    next_steps = text_area(_l("Was werde ich ausprobieren?"))


class AmendmentForm(LotseForm):
    """A correction or addition to a locked text."""

    body = text_area(_l("Nachtrag"))


class ConfirmForm(LotseForm):
    """A button that only needs the CSRF token."""
