"""Language and time zone of the person using the LMS."""

from flask import current_app, has_request_context, session
from flask_babel import format_decimal
from flask_login import current_user

LANGUAGES = {"de": "Deutsch", "en": "English"}


def select_locale():
    """German unless the signed-in person (or this browser session) chose English."""
    if not has_request_context():
        return current_app.config["DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in LANGUAGES:
        return chosen
    return current_app.config["DEFAULT_LOCALE"]


def select_timezone():
    """Everyone sees times in Europe/Berlin, where the qualification takes place."""
    return "Europe/Berlin"


def percent(value):
    """A percentage as every page writes it: one decimal, the reader's decimal mark, a
    non-breaking space before the sign ("91,7 %"); "–" for none."""
    if value is None:
        return "–"
    return format_decimal(value, format="#,##0.0") + "\u00a0%"
