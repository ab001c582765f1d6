"""Prerequisites a session may require: a small registry of named checks.

Other areas add checks with ``register_prerequisite(app, key, label, check)``; the Q1 area,
for example, registers "Q1 module X completed". A session stores the keys it requires.
"""

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from ...accounts.models import VerificationStatus
from ...accounts.verification import authorisation_of

REGISTRY_KEY = "lotse_q2_prerequisites"


@dataclass(frozen=True)
class Prerequisite:
    """A named check: ``check(user) -> bool``."""

    key: str
    label: object
    check: object


def register_prerequisite(app, key, label, check):
    """Make a check available to sessions under ``key`` with a label people read."""
    app.extensions.setdefault(REGISTRY_KEY, {})[key] = Prerequisite(key, label, check)


def available(app=None):
    """Return the registered prerequisites, key -> Prerequisite, in registration order."""
    return (app or current_app).extensions.get(REGISTRY_KEY, {})


def label_of(key):
    """The label of a prerequisite key (the key if it is no longer registered)."""
    found = available().get(key)
    return found.label if found else key


def unmet(user, keys):
    """Return the prerequisites in ``keys`` that ``user`` does not fulfil (unknown keys count as unmet)."""
    registry = available()
    missing = []
    for key in keys or []:
        prereq = registry.get(key)
        if prereq is None or not prereq.check(user):
            missing.append(prereq or Prerequisite(key, key, None))
    return missing


def _authorisation_verified(user):
    """The foundation has verified the person's OM-consultant authorisation."""
    record = authorisation_of(user)
    return record is not None and record.status == VerificationStatus.VERIFIED


def register_builtin(app):
    """The checks Q2 can offer by itself."""
    register_prerequisite(
        app,
        "authorisation_verified",
        _l("Autorisierung als OM-Beraterin / OM-Berater von der Stiftung bestätigt"),
        _authorisation_verified,
    )
