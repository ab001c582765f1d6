"""Certificate numbers: make one, read one as typed, find its certificate.

Both the verbs (operations.py) and public verification (verify.py) use these.
"""

import secrets

import sqlalchemy as sa

from ..extensions import db
from .models import Certificate

NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
NUMBER_PREFIX = "OML"


def new_number():
    """An unguessable certificate number: 80 random bits in four groups of Crockford base32."""
    chars = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(16))
    return "-".join([NUMBER_PREFIX] + [chars[i : i + 4] for i in range(0, 16, 4)])


def normalise_number(text):
    """Accept numbers typed in lower case, with spaces or without dashes; None if malformed."""
    raw = "".join((text or "").upper().split()).replace("-", "")
    raw = raw.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if raw.startswith("0M1"):  # "OML" after the translation above
        raw = NUMBER_PREFIX + raw[3:]
    body = raw[len(NUMBER_PREFIX) :]
    if (
        not raw.startswith(NUMBER_PREFIX)
        or len(body) != 16
        or any(c not in NUMBER_ALPHABET for c in body)
    ):
        return None
    return "-".join([NUMBER_PREFIX] + [body[i : i + 4] for i in range(0, 16, 4)])


def find(number):
    """The certificate with this number, or None."""
    number = normalise_number(number)
    if number is None:
        return None
    return db.session.scalar(sa.select(Certificate).where(Certificate.number == number))
