"""Proofs and the SQLite database are created 0600 in 0700 folders, whatever the umask."""

import os
import stat
from pathlib import Path

import pytest

from lotse_lms.accounts.uploads import store_proof

from ..conftest import make_app

PDF = b"%PDF-1.4\n%%EOF\n"


def _mode(path):
    return stat.S_IMODE(Path(path).stat().st_mode)


@pytest.fixture
def open_umask():
    """The usual umask 022, under which files would be created 0644."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_uploaded_proofs_are_private(app, open_umask):
    relative = store_proof(PDF, "pdf")
    path = Path(app.config["DATA_DIR"]) / relative
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700


def test_a_new_sqlite_database_and_the_data_folder_are_private(tmp_path, open_umask):
    db_file = tmp_path / "neu" / "lotse.db"
    app = make_app(f"sqlite:///{db_file}", tmp_path / "inst")
    assert _mode(db_file) == 0o600
    assert _mode(db_file.parent) == 0o700
    assert _mode(app.config["DATA_DIR"]) == 0o700
    assert _mode(app.instance_path) == 0o700
