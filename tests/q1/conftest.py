"""Fixtures of the Q1 tests: imported fixture packages, launches, the content-origin client."""

import importlib.util
import sys
from pathlib import Path

import pytest

from lotse_lms.extensions import db
from lotse_lms.modules.q1 import operations
from lotse_lms.modules.q1.tokens import runtime_token


def _register_helpers(name="q1_helpers"):
    """Make a helper module of this folder importable by the test modules (tests is not a
    package)."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules[name] = module
    return module


helpers = _register_helpers()
_register_helpers("conformance")
CONTENT = helpers.CONTENT
FIXTURES = helpers.FIXTURES


class ContentClient:
    """A test client that talks to the content origin (another host than the LMS)."""

    def __init__(self, client):
        """Wrap a Flask test client."""
        self.client = client

    def get(self, path, **kwargs):
        """GET on the content host."""
        return self.client.get(path, base_url=CONTENT, **kwargs)

    def post(self, path, **kwargs):
        """POST on the content host."""
        return self.client.post(path, base_url=CONTENT, **kwargs)


@pytest.fixture
def content(app):
    """A client of the content origin (its own cookie jar, like a separate site)."""
    return ContentClient(app.test_client())


@pytest.fixture
def import_fixture(app):
    """Factory: import a fixture zip by name (without .zip); returns the PackageVersion."""

    def factory(name, **kwargs):
        """Import <name>.zip from the shared folder's fixtures/scorm/valid."""
        return operations.import_package(FIXTURES / "valid" / f"{name}.zip", **kwargs)

    return factory


@pytest.fixture
def launch(app):
    """Factory: launch an item for a user; returns (attempt row, run-time token)."""

    def factory(user, version, item_id=None):
        """Begin a session like the player does and commit it."""
        item_id = item_id or version.entries()[0]["id"]
        started = operations.launch_item(user, version, item_id)
        db.session.commit()
        return started.attempt, runtime_token(started.attempt)

    return factory
