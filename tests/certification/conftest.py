"""Fixtures of the certification tests: foundation staff and Lotsen with verified records."""

from datetime import date

import pytest

from lotse_lms.accounts import verification
from lotse_lms.extensions import db

PDF = b"%PDF-1.4\n%%EOF\n"
#: Rules 1 and 2 live in accounts; most tests run with just these, the cross-area ones with all.
BASIC_RULES = ["authorisation", "workshop"]


@pytest.fixture
def staff(make_user):
    """A foundation member."""
    return make_user("foundation", name="Sabine Stiftung")


@pytest.fixture
def lotse(make_user, staff):
    """Factory: a participant whose authorisation and workshop are submitted and (by default) verified."""

    def factory(name="Lena Lotsin", authorisation=True, workshop=True, verify=True, **kwargs):
        """Create the person and the records through the accounts operations."""
        user = make_user("participant", name=name, **kwargs)
        records = []
        if authorisation:
            record, _stale = verification.submit_authorisation(
                user, "OM-4711", date(2025, 3, 1), "n.pdf", PDF
            )
            records.append(record)
        if workshop:
            records.append(verification.submit_workshop(user, date(2025, 4, 2), "Köln"))
        if verify:
            for record in records:
                verification.verify(record, staff)
        db.session.commit()
        return user

    return factory
