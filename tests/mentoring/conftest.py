"""Fixtures of the mentoring tests: a cast of people and a mentee with a mentor."""

from datetime import date, timedelta
from functools import cache
from types import SimpleNamespace

import pytest
from werkzeug.security import generate_password_hash

from lotse_lms.extensions import db
from lotse_lms.mentoring import feedback, operations

from ..conftest import PASSWORD


@cache
def _password_hash():
    """One scrypt hash of the test password, shared by the cast (hashing is slow on purpose)."""
    return generate_password_hash(PASSWORD, method="scrypt")


@pytest.fixture
def person(make_user):
    """Factory: a committed user holding ``roles`` who signs in with the test password."""

    def factory(*roles, **kwargs):
        """Create the user without hashing anew."""
        user = make_user(*roles, password=None, **kwargs)
        user.password_hash = _password_hash()
        db.session.commit()
        return user

    return factory


@pytest.fixture
def cast(person):
    """One person per role, a second mentor, a second participant; mentee has ``mentor``."""
    people = SimpleNamespace(
        foundation=person("foundation", name="Sabine Stiftung"),
        trainer=person("trainer", name="Tobias Trainer"),
        mentor=person("mentor", name="Miriam Mentorin"),
        other_mentor=person("mentor", name="Martin Mentor"),
        mentee=person("participant", name="Lena Lotsin"),
        other_participant=person("participant", name="Paul Praxis"),
        reflecting=person("reflecting_team", name="Rafael Reflektor"),
        admin=person("admin", name="Anton Admin"),
    )
    operations.assign_mentor(people.mentee, people.mentor, people.foundation, "Gleiche Region.")
    db.session.commit()
    return people


def entry_data(**overrides):
    """Valid fields of a feedback entry, with ``overrides``."""
    data = {
        "occurred_on": date.today() - timedelta(days=2),
        "occasion": "q2_session",
        "observations": "Klare Moderation.",
        "next_steps": "Zeitplan mit Puffer.",
        "visibility": "shared",
    }
    data.update(overrides)
    return data


@pytest.fixture
def entries(cast):
    """A shared and a private entry by the mentor about the mentee (committed)."""
    shared = feedback.create_entry(cast.mentee, cast.mentor, **entry_data(visibility="shared"))
    private = feedback.create_entry(
        cast.mentee, cast.mentor, **entry_data(visibility="private", observations="Nur intern.")
    )
    db.session.commit()
    return SimpleNamespace(shared=shared, private=private)
