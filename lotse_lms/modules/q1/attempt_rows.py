"""The read and the guarded write of one attempt row: the two statements of most commits.

Commits are the run-time's hot path, so these two statements go to a pooled driver
connection directly, each its own transaction (PostgreSQL: autocommit, and no wait for
the WAL flush). bench/bench_scorm_commit.py, December 2026, 2 loaded CPUs: the same commit
through the ORM session (get, guarded UPDATE, commit) made 60-72 commits/s on SQLite
(ratio 0.12-0.16 to the empty endpoint) and 9-26/s on PostgreSQL (0.04-0.15); with these
statements 222-412/s (0.53-0.68) and 35-135/s (0.11-0.31, the unchanged code 0.14-0.56 in
the same hour). The columns and their stored formats are those of models.ScoAttempt.
"""

from collections import namedtuple
from contextlib import contextmanager
from datetime import UTC

from ...core import jsontext
from ...core.timeutil import utcnow

#: The columns a commit reads.
AttemptRow = namedtuple(
    "AttemptRow",
    "id user_id version_id item_id attempt state sequence registration_id "
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
    "SELECT id, user_id, version_id, item_id, attempt, state, sequence, registration_id, "
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


@contextmanager
def _autocommit(engine):
    """A pooled driver connection on which each statement is its own transaction."""
    fairy = engine.raw_connection()
    connection = fairy.driver_connection
    postgres = engine.dialect.name == "postgresql"
    try:
        if postgres:
            connection.autocommit = True  # no BEGIN and COMMIT round trips
        yield connection
        if not postgres:
            connection.commit()  # pysqlite opened a transaction before the UPDATE
    except engine.dialect.loaded_dbapi.Error:
        fairy.invalidate()  # a broken connection must not go back into the pool
        raise
    finally:
        if postgres and not connection.closed:
            connection.autocommit = False  # as the pool hands it to everyone else
        fairy.close()


def read(engine, attempt_id):
    """The attempt's AttemptRow (state as a dict), or None if there is no such row."""
    with _autocommit(engine) as connection:
        row = connection.execute(SQL[engine.dialect.name][0], (attempt_id,)).fetchone()
    if row is None:
        return None
    row = AttemptRow(*row)
    if isinstance(row.state, str):  # SQLite hands JSON back as text
        row = row._replace(state=jsontext.loads(row.state))
    return row


def write(engine, attempt_id, old_sequence, text, sequence, summary, base=None):
    """Store a state (its JSON ``text`` and ``sequence``) and summary if the row still has
    ``old_sequence``; True if it did. Given ``base`` (PostgreSQL only), the text of the
    state the commit was replayed on, only if the row holds exactly that state and the
    summary's status stays as it is."""
    name = engine.dialect.name
    # Stored like UTCDateTime does: naive UTC (SQLite: SQLAlchemy's text format).
    naive = utcnow().astimezone(UTC).replace(tzinfo=None)
    stamp = naive.strftime("%Y-%m-%d %H:%M:%S.%f") if name == "sqlite" else naive
    values = [summary[column] for column in SUMMARY_COLUMNS]
    params = [*values, text, sequence, stamp, attempt_id, old_sequence]
    sql = SQL[name][1]
    if base is not None:
        status = [summary["completion"], summary["success"], summary["score_percent"]]
        sql, params = SQL[name][2], [*params, base, *status]
    with _autocommit(engine) as connection:
        return connection.execute(sql, params).rowcount == 1
