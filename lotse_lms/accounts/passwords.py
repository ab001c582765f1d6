"""Password strength: a minimum length and zxcvbn's estimate of how guessable it is.

zxcvbn (Dropbox's estimator, maintained in Python as ``zxcvbn``) knows common passwords,
names, keyboard patterns, repeats ("1111111111") and sequences; it also counts the person's
own name and address as guessable. Its feedback is English, so the messages are ours.
"""

import re

from flask import current_app
from flask_babel import gettext as _
from zxcvbn import zxcvbn

from ..core.errors import collect
from .errors import AccountError

#: Where a name or address splits into words zxcvbn should know.
WORDS = re.compile(r"[\s@._+-]+")
#: zxcvbn only looks at the first characters; longer passwords are not weaker.
CHECKED_LENGTH = 100


def _hint(feedback):
    """A German hint for zxcvbn's warning (its English text names the pattern found)."""
    warning = (feedback.get("warning") or "").lower()
    if "repeat" in warning:
        return _("Wiederholungen wie „aaa“ oder „abcabc“ sind leicht zu erraten.")
    if "sequence" in warning or "keyboard" in warning or "row" in warning:
        return _("Folgen wie „1234“, „abcd“ oder „qwertz“ sind leicht zu erraten.")
    if "common" in warning or "top" in warning:
        return _("Dieses Passwort gehört zu den häufig verwendeten Passwörtern.")
    if "date" in warning or "year" in warning:
        return _("Jahreszahlen und Daten sind leicht zu erraten.")
    if "name" in warning:
        return _("Namen sind leicht zu erraten.")
    return _("Verwenden Sie mehrere ungewöhnliche Wörter oder eine längere Passphrase.")


def check_password_strength(password, user_inputs=()):
    """Refuse a password that is too short or too guessable, every reason at once."""
    config = current_app.config
    with collect(AccountError) as refuse:
        if len(password) < config["PASSWORD_MIN_LENGTH"]:
            refuse(
                _(
                    "Das Passwort muss mindestens %(n)s Zeichen lang sein.",
                    n=config["PASSWORD_MIN_LENGTH"],
                ),
                "password",
            )
        inputs = [part for value in user_inputs for part in [value, *WORDS.split(value)] if part]
        result = zxcvbn(password[:CHECKED_LENGTH] or " ", user_inputs=inputs)
        if result["score"] < config["PASSWORD_MIN_SCORE"]:
            refuse(_("Das Passwort ist zu leicht zu erraten."), "password")
            refuse(_hint(result["feedback"]), "password")
