"""Fixtures of the Q1 tests: imported fixture packages, launches, the content-origin client."""

import importlib.util
import sys
from pathlib import Path

import pytest
from flask import current_app
from itsdangerous import URLSafeSerializer, URLSafeTimedSerializer

from lotse_lms.extensions import db
from lotse_lms.modules.q1 import packages, tracking
from lotse_lms.modules.q1.models import PackageVersion
from lotse_lms.modules.q1.tokens import CONTENT_SALT, RUNTIME_SALT, runtime_token


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
    """A test client of the content origins: each request goes to the origin of the package
    version its token belongs to, as the browser follows the URLs the LMS hands out."""

    def __init__(self, client):
        """Wrap a Flask test client."""
        self.client = client

    def get(self, path, **kwargs):
        """GET on the token's content origin."""
        kwargs.setdefault("base_url", _origin_of_path(path))
        return self.client.get(path, **kwargs)

    def post(self, path, **kwargs):
        """POST on the token's content origin."""
        kwargs.setdefault("base_url", _origin_of_path(path))
        return self.client.post(path, **kwargs)


def _origin_of_path(path):
    """The content origin a /scorm-content/ path's token points to (the bare host if none)."""
    parts = path.split("?")[0].split("/")
    secret = current_app.config["SECRET_KEY"]
    # loads_unsafe: an expired or stale token still names its version (the app refuses it)
    if len(parts) > 3 and parts[2] in ("launch", "commit"):
        data = URLSafeTimedSerializer(secret, salt=RUNTIME_SALT).loads_unsafe(parts[3])[1]
        version_id = data[2] if isinstance(data, list) and len(data) == 5 else None
    elif len(parts) > 3 and parts[2] == "p":
        data = URLSafeSerializer(secret, salt=CONTENT_SALT).loads_unsafe(parts[3])[1]
        version_id = data[0] if isinstance(data, list) and len(data) == 3 else None
    else:
        return CONTENT
    version = db.session.get(PackageVersion, version_id) if isinstance(version_id, int) else None
    return helpers.origin(version) if version else CONTENT


@pytest.fixture
def content(app):
    """A client of the content origin (its own cookie jar, like a separate site)."""
    return ContentClient(app.test_client())


@pytest.fixture
def import_fixture(app):
    """Factory: import a fixture zip by name (without .zip); returns the PackageVersion."""

    def factory(name, **kwargs):
        """Import <name>.zip from the shared folder's fixtures/scorm/valid."""
        return packages.import_package(FIXTURES / "valid" / f"{name}.zip", **kwargs)

    return factory


@pytest.fixture
def launch(app):
    """Factory: launch an item for a user; returns (attempt row, run-time token)."""

    def factory(user, version, item_id=None):
        """Begin a session like the player does and commit it."""
        item_id = item_id or version.entries()[0]["id"]
        started = tracking.launch_item(user, version, item_id)
        db.session.commit()
        return started.attempt, runtime_token(started.attempt)

    return factory
