"""The read and the guarded write of one attempt row, the two statements of every commit.

Commits are the run-time's hot path, so both statements go to the driver connection
directly (SQLAlchemy's statement handling cost about as much as the database's own work),
written for the two databases lotse_lms runs on. The columns and their stored formats are
those of models.ScoAttempt.
"""

import json
from collections import namedtuple
from datetime import UTC

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
)
_SELECT = (
    "SELECT user_id, version_id, item_id, attempt, state, sequence, registration_id, "
    "completion, success, score_percent FROM q1_sco_attempts WHERE id = ?"
)
_UPDATE = (
    "UPDATE q1_sco_attempts SET completion = ?, success = ?, score_raw = ?, score_scaled = ?, "
    "score_percent = ?, total_time_seconds = ?, state = ?, sequence = ?, last_accessed = ? "
    "WHERE id = ? AND sequence = ?"
)
SQL = {
    "sqlite": (_SELECT, _UPDATE),
    # set_config(..., true) lasts for the statement's own transaction: this commit does not
    # wait for the WAL flush (a crash may lose the last moments of tracking, never
    # consistency), and it costs no round trip of its own.
    "postgresql": (
        _SELECT.replace("?", "%s"),
        _UPDATE.replace("?", "%s") + " AND set_config('synchronous_commit', 'off', true) = 'off'",
    ),
}


def read(connection, attempt_id):
    """The attempt's AttemptRow (state as a dict), or None if there is no such row."""
    select = SQL[connection.dialect.name][0]
    row = connection.connection.driver_connection.execute(select, (attempt_id,)).fetchone()
    if row is None:
        return None
    row = AttemptRow(*row)
    if isinstance(row.state, str):  # SQLite hands JSON back as text
        row = row._replace(state=json.loads(row.state))
    return row


def write(connection, attempt_id, old_sequence, state, summary, now):
    """Store state and summary if the row still has ``old_sequence``; True if it did."""
    name = connection.dialect.name
    values = [summary[column] for column in SUMMARY_COLUMNS]
    # Stored like UTCDateTime does: naive UTC (SQLite: SQLAlchemy's text format).
    naive = now.astimezone(UTC).replace(tzinfo=None)
    stamp = naive.strftime("%Y-%m-%d %H:%M:%S.%f") if name == "sqlite" else naive
    params = (*values, json.dumps(state), state["sequence"], stamp, attempt_id, old_sequence)
    cursor = connection.connection.driver_connection.execute(SQL[name][1], params)
    return cursor.rowcount == 1
