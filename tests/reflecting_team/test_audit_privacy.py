"""The admin-readable audit log holds ids, lengths and who/when of reflecting-team texts, no wording."""

import json
import os

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from lotse_lms.core.models import AuditEntry
from lotse_lms.extensions import db
from lotse_lms.reflecting_team import operations

from ..conftest import make_app, scratch_database
from .conftest import sign_in

SECRET_WORDS = ["Bäckerei", "Drei Betriebe", "Wie weiter", "Beobachtung von", "Klein anfangen"]
SECRET_WORDS += ["Nutzen zeigen", "Pilot mit", "Zeitdruck", "Ganz neue Frage"]


def test_no_reflecting_team_wording_reaches_the_audit_log_or_its_page(
    app, client, cast, new_session
):
    session = new_session(reflections=2, closed=True, self_reflection=True)
    reflection = session.reflection_of(cast.members[0])
    operations.add_amendment(reflection, cast.members[0], "Ergänzung: Zeitdruck war Thema.")
    db.session.commit()
    other = new_session(case=True)
    operations.submit_case(
        other,
        cast.owner,
        **{
            "situation": "Drei Betriebe testen eine App.",
            "firms": "Bäckerei, Metallbau",
            "question": "Ganz neue Frage?",
        },
    )
    db.session.commit()
    entries = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action.startswith("reflecting_team."))
    ).all()
    actions = {e.action for e in entries}
    assert {
        "reflecting_team.case_submitted",
        "reflecting_team.case_revised",
        "reflecting_team.reflection_recorded",
        "reflecting_team.self_reflection_recorded",
        "reflecting_team.amendment_added",
    } <= actions
    logged = json.dumps([e.details for e in entries], ensure_ascii=False)
    for word in SECRET_WORDS:
        assert word not in logged
    amendment = next(e for e in entries if e.action == "reflecting_team.amendment_added")
    assert amendment.details["length"] == len("Ergänzung: Zeitdruck war Thema.")
    assert amendment.actor_id == cast.members[0].id and amendment.at is not None
    case = next(e for e in entries if e.action == "reflecting_team.case_submitted")
    assert case.details["lengths"]["firms"] == len("Bäckerei, Metallbau")
    sign_in(client, cast.admin)
    page = client.get("/audit").get_data(as_text=True)
    assert "reflecting_team.amendment_added" in page or "Reflecting" in page
    for word in SECRET_WORDS:
        assert word not in page


@pytest.fixture
def migration_database(database_url, tmp_path):
    """A database of its own, empty at the start, for running the migrations."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    with scratch_database(database_url, f"lotse_rtaudit_{os.getpid()}") as url:
        yield url


OLD_ENTRIES = [
    (
        "reflecting_team.case_submitted",
        {
            "session": 1,
            "situation": "Drei Betriebe",
            "firms": "Bäckerei",
            "question": "Wie weiter?",
        },
    ),
    (
        "reflecting_team.reflection_revised",
        {"session": 1, "changed": {"observations": ["Beobachtung von A", "Klein anfangen"]}},
    ),
    ("reflecting_team.amendment_added", {"session": 1, "amends": "case:1", "body": "Zeitdruck"}),
    ("reflecting_team.session_closed", {"reflections": 2, "case": True}),
]


def test_the_migration_removes_texts_already_logged(migration_database, tmp_path):
    app = make_app(migration_database, tmp_path)
    with app.app_context():
        upgrade(revision="ba6acd8c4ecf")
        table = sa.table(
            "audit_entries",
            sa.column("action", sa.String),
            sa.column("target_type", sa.String),
            sa.column("target_id", sa.String),
            sa.column("at", sa.DateTime),
            sa.column("details", sa.JSON),
        )
        with db.engine.begin() as conn:
            for action, details in OLD_ENTRIES:
                conn.execute(
                    table.insert().values(
                        action=action,
                        target_type="X",
                        target_id="1",
                        at=sa.func.now(),
                        details=details,
                    )
                )
        upgrade()
        with db.engine.connect() as conn:
            rows = dict(conn.execute(sa.select(table.c.action, table.c.details)).all())
        db.engine.dispose()
    for word in SECRET_WORDS:
        assert word not in json.dumps(rows, ensure_ascii=False)
    assert rows["reflecting_team.case_submitted"] == {
        "session": 1,
        "lengths": {"situation": 13, "firms": 8, "question": 11},
    }
    assert rows["reflecting_team.reflection_revised"] == {
        "session": 1,
        "changed": ["observations"],
        "lengths": {"observations": 14},
    }
    assert rows["reflecting_team.amendment_added"] == {
        "session": 1,
        "amends": "case:1",
        "length": 9,
    }
    assert rows["reflecting_team.session_closed"] == {"reflections": 2, "case": True}
