"""Forms of Q2 (Flask-WTF, so each carries a CSRF token)."""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ...accounts.picker import PeopleField
from ...core.forms import LotseForm
from .attendance import field_name
from .common import Q2Error

REQUIRED = _l("Bitte füllen Sie dieses Feld aus.")
#: Date rows a new session's form starts with ("add a date" adds more).
DATE_ROWS = 4


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as check boxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DateRowForm(Form):
    """One date of a session: day, start and end time (Europe/Berlin)."""

    day = DateField(_l("Datum"), validators=[Optional()])
    start = TimeField(_l("Beginn"), validators=[Optional()])
    end = TimeField(_l("Ende"), validators=[Optional()])


def _row_values(row):
    """(day, start, end) of one date row; None where empty or unreadable."""
    return row.form.day.data, row.form.start.data, row.form.end.data


class SessionForm(LotseForm):
    """Create or edit a session."""

    title = StringField(_l("Titel"), validators=[DataRequired(REQUIRED), Length(max=200)])
    topic = SelectField(_l("Q2-Thema"), validators=[DataRequired(REQUIRED)])
    description = TextAreaField(
        _l("Beschreibung (Markdown)"), validators=[Optional(), Length(max=20000)]
    )
    format = SelectField(_l("Format"), validators=[DataRequired(REQUIRED)])
    venue = TextAreaField(
        _l("Adresse des Veranstaltungsorts"), validators=[Optional(), Length(max=1000)]
    )
    region = SelectField(_l("Region des Veranstaltungsorts"), validators=[Optional()])
    meeting_url = StringField(_l("Link zum Online-Raum"), validators=[Optional(), Length(max=500)])
    capacity = IntegerField(
        _l("Plätze"), validators=[InputRequired(_l("Bitte geben Sie die Zahl der Plätze an."))]
    )
    dates = FieldList(FormField(DateRowForm), label=_l("Termine"), min_entries=DATE_ROWS)
    enrol_deadline = DateTimeLocalField(
        _l("Anmeldeschluss"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    cancel_deadline = DateTimeLocalField(
        _l("Abmeldeschluss"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    # A person picker (e-mail addresses, names with JavaScript), not a box per trainer; the
    # name stays trainer_ids, the key of the operation's data and of its refusals.
    trainer_ids = PeopleField(_l("Trainerinnen und Trainer"), pool="q2_trainer")
    prerequisites = MultiCheckboxField(_l("Voraussetzungen für die Anmeldung"))

    def validate(self, extra_validators=None):
        """Validate; a malformed date row becomes one German message per row, not nested dicts."""
        valid = super().validate(extra_validators)
        if any(self.dates.errors):
            self.dates.errors = [
                _("Bitte prüfen Sie Datum, Beginn und Ende von Termin %(n)s.", n=number)
                for number, errors in enumerate(self.dates.errors, 1)
                if errors
            ]
        return valid

    def incomplete_rows(self):
        """One refusal message per date row with some but not all of day, start and end."""
        return [
            _("Bitte geben Sie für Termin %(n)s Datum, Beginn und Ende an.", n=number)
            for number, row in enumerate(self.dates.entries, 1)
            if 0 < len([v for v in _row_values(row) if v is not None]) < 3
        ]

    def to_data(self):
        """The values as operations expect them (naive times are Europe/Berlin).

        Empty and incomplete date rows are left out (see :meth:`incomplete_rows`).
        """
        dates = [
            (datetime.combine(day, start), datetime.combine(day, end))
            for day, start, end in map(_row_values, self.dates.entries)
            if None not in (day, start, end)
        ]
        return {
            "title": self.title.data,
            "topic": self.topic.data,
            "description": self.description.data,
            "format": self.format.data,
            "venue": self.venue.data,
            "region": self.region.data,
            "meeting_url": self.meeting_url.data,
            "capacity": self.capacity.data,
            "dates": dates,
            "enrol_deadline": self.enrol_deadline.data,
            "cancel_deadline": self.cancel_deadline.data,
            "trainer_ids": [user.id for user in self.trainer_ids.people],
            "prerequisites": self.prerequisites.data or [],
        }


class CancelSessionForm(LotseForm):
    """Cancel a session, with a reason participants read."""

    reason = TextAreaField(
        _l("Grund der Absage (wird den Angemeldeten mitgeteilt)"),
        validators=[Optional(), Length(max=2000)],
    )


class RemoveForm(LotseForm):
    """Take a participant off a session, with the reason they read."""

    reason = TextAreaField(
        _l("Grund (wird der Person mitgeteilt)"),
        validators=[DataRequired(REQUIRED), Length(max=2000)],
    )


class AddPersonForm(LotseForm):
    """Enrol a participant directly by their e-mail address."""

    email = StringField(_l("E-Mail-Adresse"), validators=[DataRequired(REQUIRED), Length(max=254)])


class ConfirmForm(LotseForm):
    """A button that only needs the CSRF token (enrol, cancel, attendance, new feed address)."""


def parse_hours(text, name):
    """Hours typed as "3" or "2,5" -> minutes; None when empty."""
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        hours = float(text)
    except ValueError:
        raise Q2Error(_("Die Stunden von %(name)s sind keine Zahl.", name=name), "hours") from None
    if hours != hours or hours in (float("inf"), float("-inf")):
        raise Q2Error(_("Die Stunden von %(name)s sind keine Zahl.", name=name), "hours")
    return round(hours * 60)


def read_attendance(formdata, registrations, dates):
    """What the attendance form holds: ({(registration_id, date_id): (status, minutes)}, refusals).

    Rows left "– offen –" are skipped; hours that are no number become a refusal on their
    field (the other rows are still read, so every error shows at once).
    """
    entries, refusals = {}, []
    for reg in registrations:
        for date in dates:
            status = formdata.get(field_name("status", reg.id, date.id)) or None
            if not status:
                continue
            hours = field_name("hours", reg.id, date.id)
            try:
                minutes = parse_hours(formdata.get(hours), reg.user.name)
            except Q2Error as exc:
                refusals.append((hours, exc.message))
                continue
            entries[reg.id, date.id] = (status, minutes if status == "present" else None)
    return entries, refusals
