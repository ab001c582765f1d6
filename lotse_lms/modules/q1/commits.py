"""Accepting the commits of a launched SCO: the server side of the SCORM run-time's Commit.

A commit is replayed through the Python data model; the row is written only if its
sequence number is still the one read (optimistic lock), so of two concurrent writers one
is refused. Commits that change a SCO's status also update the registration's roll-up
(and its sequencing state) in the same transaction.
"""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import orm
from sqlalchemy.exc import OperationalError

from ...core.timeutil import utcnow
from ...extensions import db
from ...scorm import datamodel
from . import attempt_rows, sequencing
from .models import Registration
from .progress import attempt_summary, rollup

#: Commit refusals the learner can do nothing about but reload: HTTP 409.
CONFLICTS = {"stale_sequence", "stale_session", "wrong_attempt", "session_closed", "conflict"}


def refusal_message(error):
    """The German text the player shows for a refused commit."""
    if error in {"stale_session", "wrong_attempt"}:
        return _(
            "Diese Lerneinheit wurde inzwischen in einem anderen Fenster oder Tab geöffnet. "
            "Ihre Eingaben in diesem Fenster werden nicht mehr gespeichert; "
            "bitte arbeiten Sie im neueren Fenster weiter."
        )
    if error in CONFLICTS:
        return _(
            "Diese Daten sind veraltet: eine neuere Speicherung liegt bereits vor. "
            "Bitte laden Sie die Seite neu."
        )
    if error in {"token_expired"}:
        return _("Ihre Sitzung für diese Lerneinheit ist abgelaufen. Bitte starten Sie sie neu.")
    return _("Die Lerneinheit hat ungültige Daten gesendet; sie wurden nicht gespeichert.")


class CommitRefused(Exception):
    """A commit was not stored; ``status`` is the HTTP status, ``result`` the JSON answer."""

    def __init__(self, status, error, detail="", **extra):
        """Build the JSON answer with the German message for the page."""
        super().__init__(error)
        self.status = status
        self.result = {
            "ok": False,
            "error": error,
            "detail": detail,
            "message": refusal_message(error),
            **extra,
        }


#: A page sends Commit and Terminate right after each other; both may arrive at once.
MAX_TRIES = 5


def commit_attempt(ident, payload):
    """Store a commit payload for the attempt a run-time token names; return the result.

    ``ident`` is (attempt_id, user_id, version_id, item_id, attempt_number) from the token.
    Raises CommitRefused (nothing stored) when the token does not fit the attempt, the
    payload is stale or the data model refuses a call.

    Most commits change only the attempt (location, suspend data, times): they take two
    statements without a transaction around them, a read and an UPDATE that matches only
    while the sequence number is still the one read (optimistic lock). A commit that
    changes the attempt's summary (status, score) or ends the session also updates the
    registration's roll-up: it is replayed again inside one transaction that locks the
    registration row, so concurrent roll-ups of one learner never overwrite each other.
    """
    for _try in range(MAX_TRIES):
        try:
            with db.engine.connect() as connection, _quick(connection).begin() as quick:
                stored = _store(quick.connection, ident, payload, roll_up=False)
            if stored is not None:
                return stored
            with db.engine.connect() as connection, connection.begin():
                return _store(connection, ident, payload, roll_up=True)
        except _Overtaken:
            continue  # a commit of the same page was stored meanwhile: replay on its result
        except OperationalError:
            if db.engine.dialect.name != "sqlite":
                raise
            continue  # SQLite: our read snapshot went stale before the write (SQLITE_BUSY)
    raise CommitRefused(409, "conflict", "the attempt kept changing while this commit was stored")


def _quick(connection):
    """The connection for the read and single UPDATE of a commit without roll-up.

    PostgreSQL runs each statement as its own transaction (no BEGIN and COMMIT round
    trips); pysqlite already sends BEGIN only before the UPDATE, so SQLite stays as it is.
    """
    if connection.dialect.name == "postgresql":
        return connection.execution_options(isolation_level="AUTOCOMMIT")
    return connection


class _Overtaken(Exception):
    """Another request stored a commit of the same attempt between our read and write."""


def _store(connection, ident, payload, roll_up):
    """Replay and write one commit and return its result.

    Without ``roll_up`` nothing is written and None is returned when the commit needs the
    registration's roll-up; with it, the roll-up joins the connection's transaction.
    """
    attempt_id, user_id, version_id, item_id, number = ident
    row = attempt_rows.read(connection, attempt_id)
    if (
        row is None
        or (row.user_id, row.version_id, row.item_id) != (user_id, version_id, item_id)
        or row.state is None
    ):
        raise CommitRefused(403, "token_mismatch", "the token does not name this attempt")
    if row.attempt != number:
        raise CommitRefused(409, "wrong_attempt", "a newer attempt of this SCO exists")
    config = {"max_calls": current_app.config["SCORM_COMMIT_MAX_CALLS"]}
    state, result = datamodel.apply_commit(row.state, payload, config)
    if not result["ok"]:
        error = result["error"]
        status = 409 if error in CONFLICTS else 422
        extra = {k: v for k, v in result.items() if k not in {"ok", "error", "detail"}}
        raise CommitRefused(status, error, result.get("detail", ""), **extra)
    summary = attempt_summary(state)
    changed = result.get("session_ended") or (
        summary["completion"],
        summary["success"],
        summary["score_percent"],
    ) != (row.completion, row.success, row.score_percent)
    if changed and not roll_up:
        return None
    if roll_up:  # lock the registration first: its roll-ups run one after the other
        session = orm.Session(bind=connection)
        registration = session.get(
            Registration, row.registration_id, with_for_update={"of": Registration}
        )
    if not attempt_rows.write(connection, attempt_id, row.sequence, state, summary, utcnow()):
        raise _Overtaken()
    if roll_up:
        with session:
            rollup(registration, session)
            sequencing.record_commit(session, registration, item_id, state, result)
    return result
