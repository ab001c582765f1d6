"""Forms of the room's work: topic, action, comment, experiment, learning card, publishing."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)

from ..core.forms import LotseForm


def _strip(value):
    """Remove surrounding spaces."""
    return value.strip() if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        """The operation checks the choices (with a German message)."""


class LenientSelect(SelectField):
    """A select whose value the operation checks (so its message is the one shown)."""

    def pre_validate(self, form):
        """Leave the check to the operation."""


class LenientDate(DateField):
    """A date whose absence or bad format the operation refuses (in German, with the others)."""

    def process_formdata(self, valuelist):
        """Parse the date; leave None for an empty or unreadable one."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None


class TopicForm(LotseForm):
    """A topic proposed for the backlog."""

    title = StringField(_l("Thema"), filters=[_strip], render_kw={"maxlength": 200})
    description = TextAreaField(_l("Worum geht es? (optional)"), render_kw={"rows": 3})


class TopicStateForm(LotseForm):
    """The Lotse's decision about a topic."""

    state = LenientSelect(_l("Stand"), choices=[])


class ActionForm(LotseForm):
    """An action: what, who, until when, and its state."""

    title = StringField(_l("Was ist zu tun?"), filters=[_strip], render_kw={"maxlength": 300})
    owner_id = LenientSelect(_l("Wer übernimmt es?"), choices=[])
    due_on = LenientDate(_l("Fällig am"))
    status = LenientSelect(_l("Stand"), choices=[])


class StatusForm(LotseForm):
    """The owner moves an action."""

    status = LenientSelect(_l("Stand"), choices=[])


class CommentForm(LotseForm):
    """A comment on an action."""

    body = TextAreaField(_l("Ihr Kommentar"), render_kw={"rows": 4})


class ExperimentForm(LotseForm):
    """An entry of the experiment log."""

    question = TextAreaField(_l("Frage / Annahme"), render_kw={"rows": 3})
    tried = TextAreaField(_l("Was wird erprobt?"), render_kw={"rows": 3})
    organisation_id = LenientSelect(_l("In welchem Betrieb?"), choices=[])
    result = TextAreaField(_l("Ergebnis"), render_kw={"rows": 3})
    decision = LenientSelect(_l("Entscheidung"), choices=[])
    decided_on = LenientDate(_l("Entschieden am"))


class CardForm(LotseForm):
    """A learning card."""

    title = StringField(_l("Titel"), filters=[_strip], render_kw={"maxlength": 200})
    problem = TextAreaField(_l("Problem"), render_kw={"rows": 3})
    tried = TextAreaField(_l("Was wurde erprobt?"), render_kw={"rows": 3})
    result = TextAreaField(_l("Ergebnis"), render_kw={"rows": 3})
    advice = TextAreaField(_l("Rat an andere"), render_kw={"rows": 3})
    organisation_ids = MultiCheckboxField(_l("Genannte Betriebe"), choices=[], coerce=str)


class PublishForm(LotseForm):
    """Where a learning card goes."""

    target = RadioField(_l("Veröffentlichen"), choices=[])


class ButtonForm(LotseForm):
    """A button that changes something (CSRF token only)."""
