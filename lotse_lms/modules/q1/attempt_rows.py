"""The read and the guarded write of one attempt row: the statements of every commit.

Commits are the run-time's hot path, so the statements go to the driver connection
directly (SQLAlchemy's statement handling cost about as much as the database's own work),
written for the two databases lotse_lms runs on. The columns and their stored formats are
those of models.ScoAttempt. On PostgreSQL a commit built on the base its page sent back
needs only the write (commits.py).
"""

import os
import threading
import weakref
from collections import namedtuple
from contextlib import contextmanager
from datetime import UTC

import sqlalchemy as sa

from ...core import jsontext

#: The columns a commit reads.
AttemptRow = namedtuple(
    "AttemptRow",
    "user_id version_id item_id attempt state sequence registration_id "
    "completion success score_percent",
)
#: The summary columns a commit writes besides state, sequence and last_accessed.
SUMMARY_COLUMNS = (
    "completion",
    "success",
    "score_raw",
    "score_scaled",
    "score_percent",
    "total_time_seconds",
    "sessions",
)
_SELECT = (
    "SELECT user_id, version_id, item_id, attempt, state, sequence, registration_id, "
    "completion, success, score_percent FROM q1_sco_attempts WHERE id = ?"
)
_UPDATE = (
    "UPDATE q1_sco_attempts SET completion = ?, success = ?, score_raw = ?, score_scaled = ?, "
    "score_percent = ?, total_time_seconds = ?, sessions = ?, state = ?, sequence = ?, last_accessed = ? "
    "WHERE id = ? AND sequence = ?"
)
#: set_config(..., true) lasts for the statement's own transaction: a PostgreSQL commit does
#: not wait for the WAL flush (a crash may lose the last moments of tracking, never
#: consistency), and the setting costs no round trip of its own.
_ASYNC = " AND set_config('synchronous_commit', 'off', true) = 'off'"
#: PostgreSQL, for a commit replayed on the state the page sent back (its base): the row
#: must hold exactly that state, and the commit must leave its status as it is (otherwise
#: the registration's result is due, which this statement does not do).
_IF_BASE = (
    " AND state::text = ? AND completion = ? AND success = ?"
    " AND score_percent IS NOT DISTINCT FROM ?"
)
#: dialect -> (SELECT, UPDATE[, UPDATE on a base])
SQL = {
    "sqlite": (_SELECT, _UPDATE),
    "postgresql": tuple(
        sql.replace("?", "%s") for sql in (_SELECT, _UPDATE + _ASYNC, _UPDATE + _IF_BASE + _ASYNC)
    ),
}


#: A DB-API connection and the name of its dialect ("sqlite" or "postgresql").
Driver = namedtuple("Driver", "dialect connection")


def driver_of(connection):
    """The Driver under a SQLAlchemy Connection (its statements join its transaction)."""
    return Driver(connection.dialect.name, connection.connection.driver_connection)


@contextmanager
def autocommit(engine):
    """A Driver on which each statement is its own transaction.

    No SQLAlchemy Connection is built around it (that cost as much as a round trip). On
    PostgreSQL it is one of the connections kept in autocommit mode for commits: no BEGIN
    and COMMIT round trips, no pool checkout and reset (see _CommitConnections). On
    SQLite it is a pooled connection; pysqlite opens a transaction before the UPDATE,
    committed here.
    """
    if engine.dialect.name == "postgresql":
        spare = _CommitConnections.of(engine)
        connection = spare.take(engine)
        try:
            yield Driver("postgresql", connection)
        except engine.dialect.loaded_dbapi.Error:
            connection.close()  # broken or not: the next commit takes another one
            raise
        finally:
            spare.give_back(connection)
        return
    fairy = engine.raw_connection()
    try:
        yield Driver(engine.dialect.name, fairy.driver_connection)
        fairy.driver_connection.commit()
    except engine.dialect.loaded_dbapi.Error:
        fairy.invalidate()  # a broken connection must not go back into the pool
        raise
    finally:
        fairy.close()  # the pool rolls back what is left open


class _CommitConnections:
    """An engine's idle PostgreSQL connections in autocommit mode, for commits.

    A connection is taken from the engine's pool once and detached from it; afterwards
    a commit only pops and pushes a list. At most MAX_IDLE stay open. Disposing of the
    engine (or its garbage collection) closes them; a forked process makes its own.
    """

    MAX_IDLE = 4
    _lock = threading.Lock()
    _by_engine = weakref.WeakKeyDictionary()

    def __init__(self):
        """No connections yet."""
        self.lock = threading.Lock()
        self.idle = []
        self.pid = os.getpid()
        # A parent process's connections after a fork: never used nor closed here (the
        # sockets are the parent's), and kept referenced, since psycopg warns when an open
        # connection is collected.
        self.inherited = []

    @classmethod
    def of(cls, engine):
        """The engine's spare connections, set up on first use."""
        spare = cls._by_engine.get(engine)
        if spare is None:
            with cls._lock:
                spare = cls._by_engine.get(engine)
                if spare is None:
                    spare = cls._by_engine[engine] = cls()
                    sa.event.listen(engine, "engine_disposed", lambda _e: spare.close_all())
                    weakref.finalize(engine, spare.close_all)
        return spare

    def take(self, engine):
        """An idle connection, or a new one from the engine."""
        with self.lock:
            if self.pid != os.getpid():
                self.inherited, self.idle, self.pid = self.idle, [], os.getpid()
            if self.idle:
                return self.idle.pop()
        fairy = engine.raw_connection()
        connection = fairy.driver_connection
        fairy.detach()
        connection.autocommit = True
        return connection

    def give_back(self, connection):
        """Keep a connection for the next commit, or close it."""
        if not connection.closed:
            with self.lock:
                if len(self.idle) < self.MAX_IDLE and self.pid == os.getpid():
                    self.idle.append(connection)
                    return
            connection.close()

    def close_all(self):
        """Close the idle connections (the engine is disposed of or gone)."""
        with self.lock:
            idle, self.idle = self.idle, []
        for connection in idle:
            connection.close()


def read(driver, attempt_id):
    """The attempt's AttemptRow (state as a dict), or None if there is no such row."""
    row = driver.connection.execute(SQL[driver.dialect][0], (attempt_id,)).fetchone()
    if row is None:
        return None
    row = AttemptRow(*row)
    if isinstance(row.state, str):  # SQLite hands JSON back as text
        row = row._replace(state=jsontext.loads(row.state))
    return row


def write(driver, attempt_id, old_sequence, text, sequence, summary, now, base=None):
    """Store a state (its JSON ``text`` and ``sequence``) and summary if the row still has
    ``old_sequence``; True if it did. Given ``base`` (PostgreSQL only), the text of the
    state the commit was replayed on, only if the row holds exactly that state and the
    summary's status stays as it is."""
    name = driver.dialect
    values = [summary[column] for column in SUMMARY_COLUMNS]
    # Stored like UTCDateTime does: naive UTC (SQLite: SQLAlchemy's text format).
    naive = now.astimezone(UTC).replace(tzinfo=None)
    stamp = naive.strftime("%Y-%m-%d %H:%M:%S.%f") if name == "sqlite" else naive
    params = [*values, text, sequence, stamp, attempt_id, old_sequence]
    if base is None:
        sql = SQL[name][1]
    else:
        status = [summary["completion"], summary["success"], summary["score_percent"]]
        sql, params = SQL[name][2], [*params, base, *status]
    cursor = driver.connection.execute(sql, params)
    return cursor.rowcount == 1
