"""An attempt's launches are counted in a column of their own, kept by every write of the
state and filled from the stored states by the migration, so reports read no JSON."""

import csv
import io
import os

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from q1_helpers import FIXTURES

from lotse_lms.accounts.operations import create_user
from lotse_lms.extensions import db
from lotse_lms.modules.q1 import packages, tracking
from tests.conftest import make_app, scratch_database

BEFORE = "7955d1e6c33b"


@pytest.fixture
def version(import_fixture):
    """An imported single-SCO SCORM 1.2 package."""
    return import_fixture("RuntimeBasicCalls_SCORM12")


def _launch(user, version, times):
    """Open the package's SCO ``times`` times, as the player does."""
    item = version.entries()[0]["id"]
    for _ in range(times):
        attempt = tracking.launch_item(user, version, item).attempt
        db.session.commit()
    return attempt


def test_each_launch_counts_and_the_csv_reads_the_column(
    client, login_as, make_user, version, count_queries
):
    attempt = _launch(make_user(name="Lena Lotsin", password=None), version, 3)
    assert attempt.sessions == attempt.state["session"] == 3
    login_as("trainer")
    _queries, response = count_queries(client.get, f"/q1/packages/{version.package_id}/report.csv")
    rows = list(
        csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert [r["Sitzungen in Lektionen"] for r in rows if r["Name"] == "Lena Lotsin"] == ["3"]


@pytest.fixture
def migration_database(database_url, tmp_path):
    """A database of its own, empty at the start, for running the migrations."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    with scratch_database(database_url, f"lotse_sessions_{os.getpid()}") as url:
        yield url


def test_the_migration_fills_the_count_from_the_stored_states(migration_database, tmp_path):
    app = make_app(migration_database, tmp_path)
    with app.app_context():
        upgrade()
        user = create_user("lena@example.org", "Lena Lotsin", roles=["participant"])
        db.session.commit()
        version = packages.import_package(FIXTURES / "valid" / "RuntimeBasicCalls_SCORM12.zip")
        _launch(user, version, 4)
        db.session.commit()
        downgrade(revision=BEFORE)
        upgrade()
        counted = db.session.execute(sa.text("SELECT sessions FROM q1_sco_attempts")).scalars()
        assert list(counted) == [4]
        db.session.remove()
        db.engine.dispose()
