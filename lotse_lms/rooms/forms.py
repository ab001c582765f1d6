"""Forms of the rooms area (the operations check everything again)."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..accounts.picker import PersonField
from ..core.forms import LotseForm, choices
from .models import BUNDESLAENDER, FORMATS, SECTORS, TOPICS

REQUIRED = _l("Bitte füllen Sie dieses Feld aus.")
NUMBER = _l("Bitte eine ganze Zahl eingeben.")


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as check boxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def bundesland_choices(empty=None):
    pairs = sorted(BUNDESLAENDER.items(), key=lambda kv: kv[1])
    return choices(([("", empty)] if empty else []) + pairs)


class RoomForm(LotseForm):
    """Create or edit a room."""

    title = StringField(_l("Titel"), validators=[DataRequired(REQUIRED), Length(max=200)])
    topics = MultiCheckboxField(_l("Themen"), choices=choices(TOPICS.items()))
    bundesland = SelectField(_l("Bundesland"))
    postcode_area = StringField(_l("PLZ-Gebiet (erste Ziffern)"), validators=[Length(max=5)])
    sector = SelectField(_l("Branche"), choices=choices(SECTORS.items()))
    size_min = IntegerField(_l("Beschäftigte von"), validators=[Optional()])
    size_max = IntegerField(_l("Beschäftigte bis"), validators=[Optional()])
    format = SelectField(_l("Format"), choices=choices(FORMATS.items()))
    capacity = IntegerField(_l("Plätze (Unternehmen)"), default=8, validators=[Optional()])
    lead = PersonField(_l("Leitung (Lotsin / Lotse)"), pool="rooms_lead")
    mentor = PersonField(_l("Mentorin / Mentor (optional)"), pool="rooms_mentor")
    public_description = TextAreaField(
        _l("Öffentliche Beschreibung"), validators=[Length(max=10000)]
    )
    private_description = TextAreaField(
        _l("Interne Beschreibung (nur Mitglieder)"), validators=[Length(max=10000)]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.bundesland.choices = bundesland_choices(_l("– bitte wählen –"))
        for f in (self.size_min, self.size_max, self.capacity):
            f.gettext_message = NUMBER

    def data_dict(self):
        """The fields as the operations want them."""
        return {
            "title": self.title.data or "",
            "topics": self.topics.data or [],
            "bundesland": self.bundesland.data or "",
            "postcode_area": self.postcode_area.data or "",
            "sector": self.sector.data,
            "size_min": self.size_min.data,
            "size_max": self.size_max.data,
            "format": self.format.data,
            "capacity": self.capacity.data,
            "public_description": self.public_description.data or "",
            "private_description": self.private_description.data or "",
        }


class PhaseForm(LotseForm):
    """Move a room to another phase (the button's value)."""

    phase = SelectField(_l("Phase"))


class OrganisationForm(LotseForm):
    """An organisation's facts and its consent to be named publicly."""

    name = StringField(
        _l("Name des Unternehmens"), validators=[DataRequired(REQUIRED), Length(max=200)]
    )
    sector = SelectField(_l("Branche"), choices=choices(SECTORS.items()))
    staff_count = IntegerField(_l("Beschäftigte"), validators=[Optional()])
    bundesland = SelectField(_l("Bundesland"))
    postcode = StringField(_l("Postleitzahl"), validators=[Length(max=5)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.bundesland.choices = bundesland_choices(_l("– unbekannt –"))

    def data_dict(self):
        return {
            "name": self.name.data or "",
            "sector": self.sector.data,
            "staff_count": self.staff_count.data,
            "bundesland": self.bundesland.data or "",
            "postcode": self.postcode.data or "",
        }


class InviteForm(OrganisationForm):
    """Invite a firm contact: the person and their firm."""

    contact_name = StringField(
        _l("Name der Ansprechperson"), validators=[DataRequired(REQUIRED), Length(max=120)]
    )
    email = StringField(
        _l("E-Mail-Adresse"),
        validators=[
            DataRequired(REQUIRED),
            Email(
                _l("Bitte geben Sie eine gültige E-Mail-Adresse an."), check_deliverability=False
            ),
            Length(max=254),
        ],
    )


class ConsentForm(LotseForm):
    """A firm's consent to be named publicly."""

    public_consent = BooleanField(_l("Unser Unternehmen darf öffentlich genannt werden."))


class InterestForm(LotseForm):
    """ "Interesse melden": who asks, for which firm; plus the honeypot and the signed start."""

    name = StringField(_l("Ihr Name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    firm = StringField(_l("Unternehmen"), validators=[DataRequired(REQUIRED), Length(max=200)])
    email = StringField(
        _l("E-Mail-Adresse"),
        validators=[
            DataRequired(REQUIRED),
            Email(
                _l("Bitte geben Sie eine gültige E-Mail-Adresse an."), check_deliverability=False
            ),
            Length(max=254),
        ],
    )
    message = TextAreaField(_l("Nachricht (optional)"), validators=[Length(max=2000)])
    #: The honeypot: hidden from people, filled in by bots.
    website = StringField(_l("Bitte dieses Feld leer lassen"))
    #: When the form was shown (signed); too fast a reply is a bot's.
    started = HiddenField()


class DeclineForm(LotseForm):
    """Decline a request, with an optional reason for the requester."""

    reason = TextAreaField(
        _l("Begründung für die anfragende Person (optional)"), validators=[Length(max=2000)]
    )


class CoLeadForm(LotseForm):
    """Add a co-moderator."""

    user = PersonField(
        _l("Co-Moderation (Lotsin / Lotse)"),
        validators=[DataRequired(_l("Bitte wählen Sie eine Person."))],
        pool="rooms_lead",
    )
