"""The migration to attendance per date moves attendance recorded per session onto the dates."""

import os
from datetime import datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from lotse_lms.extensions import db

from ..conftest import make_app, scratch_database

BEFORE = "7955d1e6c33b"  # the revision this migration follows


@pytest.fixture
def migration_database(database_url, tmp_path):
    """A database of its own, empty at the start, for running the migrations."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    with scratch_database(database_url, f"lotse_q2att_{os.getpid()}") as url:
        yield url


def _insert(conn, table_name, **values):
    """Insert one row into ``table_name`` with the given columns."""
    table = sa.table(table_name, *(sa.column(key) for key in values))
    conn.execute(table.insert().values(**values))


def test_recorded_attendance_is_spread_over_the_dates(migration_database, tmp_path):
    app = make_app(migration_database, tmp_path)
    at = datetime(2026, 3, 2, 9, 0)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            _insert(
                conn,
                "users",
                id=1,
                email="t@example.org",
                name="T",
                password_hash="x",
                created_at=at,
            )
            _insert(
                conn,
                "users",
                id=2,
                email="a@example.org",
                name="A",
                password_hash="x",
                created_at=at,
            )
            _insert(
                conn,
                "users",
                id=3,
                email="b@example.org",
                name="B",
                password_hash="x",
                created_at=at,
            )
            _insert(
                conn,
                "q2_sessions",
                id=1,
                title="Zwei Tage",
                topic="moderating",
                enrol_deadline=at,
                cancel_deadline=at,
                prerequisites=sa.func.json("[]") if conn.dialect.name == "sqlite" else "[]",
                uid="u1",
                created_at=at,
                updated_at=at,
            )
            _insert(
                conn,
                "q2_session_dates",
                id=10,
                session_id=1,
                starts_at=at,
                ends_at=at.replace(hour=12),
            )
            day2 = at.replace(day=3)
            _insert(
                conn,
                "q2_session_dates",
                id=11,
                session_id=1,
                starts_at=day2,
                ends_at=day2.replace(hour=12),
            )
            for reg_id, user_id, status, minutes in (
                (20, 2, "present", 240),
                (21, 3, "excused", 0),
            ):
                _insert(
                    conn,
                    "q2_registrations",
                    id=reg_id,
                    session_id=1,
                    user_id=user_id,
                    requested_at=at,
                    attendance=status,
                    attended_minutes=minutes,
                    attendance_by_id=1,
                    attendance_at=at,
                )
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT registration_id, date_id, status, minutes FROM q2_date_attendance "
                    "ORDER BY registration_id, date_id"
                )
            ).all()
        downgrade(revision=BEFORE)
        with db.engine.connect() as conn:
            kept = conn.execute(
                sa.text("SELECT attendance, attended_minutes FROM q2_registrations ORDER BY id")
            ).all()
        db.engine.dispose()
    assert [tuple(r) for r in rows] == [
        (20, 10, "present", 180),
        (20, 11, "present", 60),
        (21, 10, "excused", 0),
        (21, 11, "excused", 0),
    ]
    assert [tuple(r) for r in kept] == [("present", 240), ("excused", 0)]
