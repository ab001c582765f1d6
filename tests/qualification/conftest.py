"""Fixtures of the qualification tests: foundation staff and the builder of real records."""

import pytest

from tests.certification.qualification import Qualification


@pytest.fixture
def staff(make_user):
    """A foundation member."""
    return make_user("foundation", name="Sabine Stiftung")


@pytest.fixture
def qualification(app, make_user, staff):
    """The builder of real qualification records (through each area's operations)."""
    return Qualification(app, make_user, staff)
