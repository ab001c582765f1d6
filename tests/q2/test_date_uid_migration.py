"""The migration that stores each date's calendar UID keeps the UIDs calendars already know."""

import sqlalchemy as sa
from flask_migrate import upgrade

from lotse_lms.extensions import db

from ..conftest import make_app
from ..core.test_cli_migrations import empty_database  # noqa: F401 - SQLite or PostgreSQL scratch


def test_existing_dates_keep_their_uid_and_new_ones_get_a_fresh_one(
    empty_database,  # noqa: F811
    tmp_path,
):
    app = make_app(empty_database, tmp_path)
    with app.app_context():
        upgrade(revision="7955d1e6c33b")
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO q2_sessions (id, title, topic, enrol_deadline, cancel_deadline, "
                    "prerequisites, uid, created_at, updated_at) VALUES (7, 'Alt', 'moderating', "
                    "'2099-01-01 09:00:00', '2099-01-01 09:00:00', '[]', 'abc123', "
                    "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO q2_session_dates (id, session_id, starts_at, ends_at) "
                    "VALUES (42, 7, '2099-01-01 09:00:00', '2099-01-01 12:00:00')"
                )
            )
        upgrade(revision="c4a1e7d93b62")
        with db.engine.connect() as conn:
            uid = conn.scalar(sa.text("SELECT uid FROM q2_session_dates WHERE id = 42"))
        assert uid == "q2-abc123-42@lotse-lms"
        db.engine.dispose()
