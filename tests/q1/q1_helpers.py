"""Helpers of the Q1 tests (conftest.py registers this module as ``q1_helpers``)."""

import importlib.util
from pathlib import Path

from tests.shared_dir import SCORM_FIXTURES

FIXTURES = SCORM_FIXTURES
VALID = sorted((FIXTURES / "valid").glob("*.zip"))
INVALID = sorted((FIXTURES / "invalid").glob("*.zip"))
CONTENT = (
    "http://lotse-content.test"  # CONTENT_BASE_URL of the tests; the LMS is at http://localhost
)


def origin(version):
    """The content origin of a package version (<key>.<content host>)."""
    return f"http://{version.folder}.lotse-content.test"


def load_hostile_zips():
    """Import tests/scorm/hostile_zips.py (tests is not a package)."""
    path = Path(__file__).resolve().parents[1] / "scorm" / "hostile_zips.py"
    spec = importlib.util.spec_from_file_location("hostile_zips", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def payload(attempt, calls, sequence=None, terminated=False, unload=False):
    """A commit payload like runtime-api.js sends for ``attempt`` (its stored state)."""
    state = attempt.state
    return {
        "protocol": 1,
        "version": state["version"],
        "attempt": state["attempt"],
        "session": state["session"],
        "sequence": state["sequence"] + 1 if sequence is None else sequence,
        "calls": [list(c) for c in calls],
        "terminated": terminated,
        "unload": unload,
    }


def data_files(app):
    """Every file below DATA_DIR/scorm (hidden upload folder included)."""
    root = Path(app.config["DATA_DIR"]) / "scorm"
    return (
        sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
        if root.exists()
        else []
    )
