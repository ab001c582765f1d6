"""Forms of the mentoring area (Flask-WTF, so every one carries a CSRF token).

The operations check everything again; the forms give early, field-level messages.
Choices that depend on the instance (mentors, occasions) are filled in by the controllers.
"""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..accounts.picker import PersonField
from ..core.forms import LotseForm, choices
from .validation import NEXT_STEPS_MAX, OBSERVATIONS_MAX, OCCASION_OTHER_MAX, REASON_MAX, REPLY_MAX

REQUIRED = _l("Bitte füllen Sie dieses Feld aus.")
TOO_LONG = _l("Höchstens %(max)d Zeichen.")
MARKDOWN_HINT = _l("Markdown möglich: **fett**, *kursiv*, Listen mit „-“, Links.")


def _long_text(label, maximum, required=True):
    """A Markdown text area with German messages."""
    validators = [DataRequired(REQUIRED)] if required else [Optional()]
    return TextAreaField(label, validators=[*validators, Length(max=maximum, message=TOO_LONG)])


class AssignForm(LotseForm):
    """Assign or change a participant's mentor."""

    mentor = PersonField(
        _l("Mentorin / Mentor"),
        validators=[DataRequired(_l("Bitte wählen Sie eine Mentorin / einen Mentor."))],
        pool="mentor",
    )
    reason = _long_text(_l("Begründung"), REASON_MAX)


class EndAssignmentForm(LotseForm):
    """End the current mentoring without a successor (used with prefix "end")."""

    reason = _long_text(_l("Warum endet das Mentoring?"), REASON_MAX)


VISIBILITY_CHOICES = [
    ("shared", _l("Mit der/dem Mentee teilen – sie/er kann den Eintrag lesen und beantworten")),
    ("private", _l("Nur für Mentorin / Mentor und Stiftung – die/der Mentee sieht ihn nicht")),
]


class EntryForm(LotseForm):
    """A feedback entry; shared or private has no default and must be chosen."""

    occurred_on = DateField(
        _l("Datum"), validators=[InputRequired(_l("Bitte geben Sie ein gültiges Datum an."))]
    )
    occasion = SelectField(
        _l("Anlass"),
        validators=[DataRequired(_l("Bitte wählen Sie einen Anlass."))],
        invalid_choice_message=_l("Bitte wählen Sie einen Anlass aus der Liste."),
    )
    occasion_other = StringField(
        _l("Anderer Anlass"),
        validators=[Optional(), Length(max=OCCASION_OTHER_MAX, message=TOO_LONG)],
    )
    observations = _long_text(_l("Beobachtungen"), OBSERVATIONS_MAX)
    next_steps = _long_text(_l("Vereinbarte nächste Schritte"), NEXT_STEPS_MAX, required=False)
    visibility = RadioField(
        _l("Wer darf den Eintrag lesen?"),
        choices=choices(VISIBILITY_CHOICES),
        invalid_choice_message=_l(
            "Bitte wählen Sie, ob der Eintrag geteilt wird oder nur für Mentorin / Mentor und Stiftung ist."
        ),
    )


class ReplyForm(LotseForm):
    """An answer to a shared entry."""

    body = _long_text(_l("Ihre Antwort"), REPLY_MAX)


RECOMMENDATION_CHOICES = [
    ("recommended", _l("Empfohlen – die Person kann zertifiziert werden")),
    ("not_yet", _l("Noch nicht empfohlen")),
]


class RecommendationForm(LotseForm):
    """The mentor's recommendation for certification."""

    status = RadioField(
        _l("Empfehlung"),
        choices=choices(RECOMMENDATION_CHOICES),
        invalid_choice_message=_l("Bitte wählen Sie „empfohlen“ oder „noch nicht“."),
    )
    reason = _long_text(_l("Begründung"), REASON_MAX)
