"""Checks of what people type into mentoring forms; refusals carry a German message."""

from datetime import date

from flask_babel import gettext as _

from ..core.errors import Refusal
from ..core.timeutil import BERLIN, utcnow

#: Longest texts accepted (characters); forms show the same limits.
OBSERVATIONS_MAX = 10_000
NEXT_STEPS_MAX = 5_000
REASON_MAX = 5_000
REPLY_MAX = 5_000
OCCASION_OTHER_MAX = 200


class MentoringError(Refusal):
    """A mentoring request that cannot be carried out."""


def clean_text(value, field, maximum, required_message=None):
    """Strip a text, drop NUL characters (PostgreSQL refuses them) and check its length."""
    text = (value or "").replace("\x00", "").strip()
    if required_message and not text:
        raise MentoringError(required_message, field)
    if len(text) > maximum:
        raise MentoringError(_("Höchstens %(n)s Zeichen.", n=maximum), field)
    return text


def check_past_date(value, field):
    """A day that has already begun in Berlin; refuses missing and future dates."""
    if not isinstance(value, date):
        raise MentoringError(_("Bitte geben Sie ein gültiges Datum an."), field)
    if value > utcnow().astimezone(BERLIN).date():
        raise MentoringError(_("Das Datum darf nicht in der Zukunft liegen."), field)
    return value
