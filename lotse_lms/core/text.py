"""Checks on text people type: single-line fields hold no control characters.

Names, titles and subjects end up in mail headers, PDF lines, CSV cells and page titles; a
line break in a name (``Eve\\r\\nBcc: …``) would break a header or smuggle in a new one, a
bidi override would turn text around. Every single-line field refuses them with one message.
"""

import unicodedata

from flask_babel import lazy_gettext as _l

#: Unicode categories refused in single-line fields: control characters (C0, C1, DEL),
#: format characters (bidi overrides, zero-width), line and paragraph separators.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})

CONTROL_MESSAGE = _l(
    "Bitte ohne Steuerzeichen wie Zeilenumbrüche oder Tabulatoren eingeben "
    "(z. B. beim Einfügen aus einem anderen Programm mitkopiert)."
)


def has_control_characters(text):
    """True if ``text`` holds a character no single-line field may hold."""
    return any(unicodedata.category(ch) in REFUSED_CATEGORIES for ch in text or "")


def check_single_line(value, field, error_class):
    """Raise ``error_class`` for ``field`` if ``value`` holds control characters."""
    if isinstance(value, str) and has_control_characters(value):
        raise error_class(str(CONTROL_MESSAGE), field)
