"""Shared fixtures: the app on SQLite or PostgreSQL, clients, people in each role.

Set LOTSE_TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/lotse_test) to run
the suite on PostgreSQL; the database is created if it does not exist.
"""

import contextlib
import contextvars
import functools
import os
import re

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient

from lotse_lms import create_app
from lotse_lms.accounts import devices
from lotse_lms.accounts.operations import create_user
from lotse_lms.extensions import db

PASSWORD = "richtig-geheim-123"


def sign_in_client(client, user):
    """Sign ``user`` in on ``client`` without the login form (tested elsewhere): a device
    session as at sign-in, its id in the client's Flask-Login session."""
    devices.start(user, "pytest")
    db.session.commit()
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return user


def _postgres_admin(url):
    """An autocommit engine on the server's maintenance database."""
    server_url = url.rpartition("/")[0]
    return sa.create_engine(
        server_url.replace("postgresql://", "postgresql+psycopg://", 1) + "/postgres",
        isolation_level="AUTOCOMMIT",
    )


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """The database the suite runs against: PostgreSQL if configured, else a SQLite file.

    On PostgreSQL each run gets its own database (name + process id), created now and
    dropped at the end, so that runs side by side never empty each other's tables.
    """
    url = os.environ.get("LOTSE_TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    with scratch_database(url, f"{url.rpartition('/')[2]}_{os.getpid()}") as scratch:
        yield scratch


@contextlib.contextmanager
def scratch_database(url, name):
    """An empty PostgreSQL database ``name`` on the server of ``url``: its URL, dropped after."""
    admin = _postgres_admin(url)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{url.rpartition('/')[0]}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class IsolatedClient(FlaskClient):
    """A test client whose requests get their own app context, session and ``g``, as in production.

    The test's own app context (for calling operations directly) stays separate; after each
    request its session is expired so the test reads what the request committed.
    """

    def open(self, *args, **kwargs):
        """Run the request in a fresh context, then expire the test's session."""
        kwargs.setdefault("buffered", True)  # read and close file responses at once
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return response


def make_app(database_url, tmp_path, **overrides):
    """Create an app for tests with its own instance and data folders."""
    config = {
        "DATABASE_URL": database_url,
        "DATA_DIR": str(tmp_path / "data"),
        "SECRET_KEY": "test-secret-key",
        "TESTING": True,
        "BASE_URL": "http://localhost",
        # Package versions are served from <key>.lotse-content.test (never resolved: the test
        # client sends the Host header; browser tests use *.localhost, see browser/conftest.py).
        "CONTENT_BASE_URL": "http://lotse-content.test",
        "PASSWORD_MIN_LENGTH": 10,
        # Cheaper scrypt for tests only: the suite signs in thousands of times.
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        # Pre-moderation of new members' first posts is tested on its own (marked with
        # @pytest.mark.config(COMMUNITY_PREMODERATE_POSTS=2)); elsewhere posts appear at once.
        "COMMUNITY_PREMODERATE_POSTS": 0,
    }
    config.update(overrides)
    application = create_app(config, instance_path=tmp_path / "instance", environ={})
    application.test_client_class = IsolatedClient
    return application


@pytest.fixture(scope="session")
def _schema(database_url, tmp_path_factory):
    """Create all tables once per run (tests only; the app itself uses migrations)."""
    app = make_app(database_url, tmp_path_factory.mktemp("schema"))
    with app.app_context():
        db.drop_all()
        _drop_alembic_version()
        db.create_all()
        db.engine.dispose()
    return True


def _drop_alembic_version():
    """Remove a leftover alembic_version table so the schema test starts clean."""
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


def _empty_tables():
    """Delete every row, children first, so each test starts with an empty database."""
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(_postgres_emptying())
        else:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@functools.cache
def _postgres_emptying():
    """One script that empties every table and restarts every sequence at 1 (as TRUNCATE …
    RESTART IDENTITY, which costs ~150 ms a test for its 68 tables; this script 2–40 ms).
    The references that close a cycle (use_alter) are cleared first, then the rows go
    children first."""
    tables = db.metadata.sorted_tables
    cycles = [
        sa.update(table).values(dict.fromkeys((c.name for c in fk.columns), None))
        for table in tables
        for fk in table.foreign_key_constraints
        if fk.use_alter
    ]
    deletes = [sa.delete(table) for table in reversed(tables)]
    restart = (
        sa.select(sa.func.setval(sa.column("oid"), 1, False))
        .select_from(sa.table("pg_class", sa.column("oid"), sa.column("relkind")))
        .where(sa.column("relkind") == "S")
    )
    dialect = db.engine.dialect
    return "".join(
        f"{stmt.compile(dialect=dialect, compile_kwargs={'literal_binds': True})};"
        for stmt in [*cycles, *deletes, restart]
    )


@pytest.fixture
def app(database_url, tmp_path, _schema, request):
    """The application with an empty database; pass overrides with @pytest.mark.config(...)."""
    marker = request.node.get_closest_marker("config")
    overrides = marker.kwargs if marker else {}
    application = make_app(database_url, tmp_path, **overrides)
    with application.app_context():
        yield application
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


@pytest.fixture
def fresh_tables(app):
    """On PostgreSQL, the tables as a new database has them: TRUNCATE gives each new, empty
    files, where the rows earlier tests deleted leave pages and statistics behind that sway
    the planner. For tests that judge EXPLAIN plans."""
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        with db.engine.begin() as conn:
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def client(app):
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner of the app's ``lotse-lms`` commands."""
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Factory: create a committed user with the given roles."""
    counter = {"n": 0}

    def factory(*roles, email=None, name=None, password=PASSWORD, **profile):
        """Create a user holding ``roles`` (default: participant)."""
        counter["n"] += 1
        roles = roles or ("participant",)
        user = create_user(
            email or f"{roles[0]}{counter['n']}@example.org",
            name or f"{roles[0].title()} {counter['n']}",
            roles=roles,
            password=password,
            **profile,
        )
        db.session.commit()
        return user

    return factory


def csrf_token(client, path="/login"):
    """Fetch a page and return the CSRF token from its form."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, email, password=PASSWORD):
    """Sign in through the login form, CSRF token included."""
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


@pytest.fixture
def login_as(client, make_user):
    """Factory: create a user with ``roles`` and sign the test client in as them."""

    def factory(*roles, **kwargs):
        """Sign in as a new user holding ``roles``; returns the user."""
        user = make_user(*roles, **kwargs)
        response = login(client, user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return factory


@pytest.fixture
def post_form(client):
    """POST a form like a browser: the CSRF token is taken from the page at ``page``."""

    def post(path, data=None, page=None, **kwargs):
        """Send ``data`` to ``path`` with a valid CSRF token."""
        data = dict(data or {})
        data["csrf_token"] = csrf_token(client, page or path)
        return client.post(path, data=data, **kwargs)

    return post


@pytest.fixture
def count_queries(app):
    """Factory: run a callable (e.g. a page request) and count the SQL statements it sends.

    Returns (count, result); a streamed answer is read to its end inside the count."""

    def counted(fn, *args, **kwargs):
        """Call ``fn`` and count its statements."""
        statements = []

        def note(_conn, _cursor, statement, *_rest):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", note)
        try:
            result = fn(*args, **kwargs)
            if hasattr(result, "get_data"):
                result.get_data()
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", note)
        return len(statements), result

    return counted
