"""The lotse-lms commands and the Alembic migrations."""

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from lotse_lms.accounts.models import DDL_INDEXES, User
from lotse_lms.accounts.operations import find_user
from lotse_lms.community.search import include_name as search_names
from lotse_lms.extensions import db

from ..conftest import make_app, scratch_database


def test_create_user_reads_the_password_from_stdin(runner):
    result = runner.invoke(
        args=[
            "create-user",
            "neu@example.org",
            "--name",
            "Nora Neu",
            "--role",
            "trainer",
            "--role",
            "mentor",
            "--password-stdin",
        ],
        input="ein-gutes-passwort\n",
    )
    assert result.exit_code == 0, result.output
    assert "angelegt" in result.output
    user = find_user("neu@example.org")
    assert user.roles == {"trainer", "mentor"}


def test_create_user_refuses_a_duplicate_and_a_short_password(runner, make_user):
    make_user(email="da@example.org")
    result = runner.invoke(
        args=[
            "create-user",
            "da@example.org",
            "--name",
            "X",
            "--role",
            "trainer",
            "--password-stdin",
        ],
        input="ein-gutes-passwort\n",
    )
    assert result.exit_code != 0 and "bereits ein Konto" in result.output
    result = runner.invoke(
        args=[
            "create-user",
            "kurz@example.org",
            "--name",
            "X",
            "--role",
            "trainer",
            "--password-stdin",
        ],
        input="kurz\n",
    )
    assert result.exit_code != 0 and "mindestens 10 Zeichen" in result.output
    assert find_user("kurz@example.org") is None


def test_seed_demo_prints_one_account_per_role_and_can_run_twice(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    for email in (
        "teilnehmerin@lotse.example",
        "trainer@lotse.example",
        "mentorin@lotse.example",
        "reflecting@lotse.example",
        "stiftung@lotse.example",
        "admin@lotse.example",
    ):
        assert email in second.output
    roles = {role for user in db.session.scalars(db.select(User)) for role in user.roles}
    assert roles >= {"participant", "trainer", "mentor", "reflecting_team", "foundation", "admin"}
    assert (
        db.session.scalar(
            db.select(db.func.count(User.id)).where(User.email == "admin@lotse.example")
        )
        == 1
    )


@pytest.fixture
def empty_database(database_url, tmp_path):
    """A database of its own for the migration test, empty at the start."""
    if database_url.startswith("postgresql"):
        with scratch_database(database_url, f"lotse_migrations_{os.getpid()}") as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"


def test_migrations_build_exactly_the_models_and_go_back_down(empty_database, tmp_path):
    app = make_app(empty_database, tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": search_names}
            )
            diff = compare_metadata(context, db.metadata)
        # Indexes written as DDL (alembic cannot compare them); the test below checks them.
        diff = [
            d
            for d in diff
            if not (isinstance(d, tuple) and d[0] == "remove_index" and d[1].name in DDL_INDEXES)
        ]
        summary = [(d[0], getattr(d[1], "name", "")) if isinstance(d, tuple) else d for d in diff]
        assert diff == [], f"models and migrations differ: {summary}"
        downgrade(revision="base")
        with db.engine.connect() as conn:
            left = set(sa.inspect(conn).get_table_names()) - {"alembic_version"}
        assert left == set()
        db.engine.dispose()
