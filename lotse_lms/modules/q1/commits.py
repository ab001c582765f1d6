"""Accepting the commits of a launched SCO: the server side of the SCORM run-time's Commit.

A commit is replayed through the Python data model; the row is written only if its
sequence number is still the one read (optimistic lock), so of two concurrent writers one
is refused. Commits that change a SCO's status also update the registration's result
(and its sequencing state) in the same transaction.

On PostgreSQL every accepted commit's answer carries the stored state as JSON text
("base"). The page sends it back with its next commit, which is then replayed on it
instead of on a read of the row: one round trip instead of two. The browser is not
trusted with it: the UPDATE matches only while the row holds exactly that text, so a base
that was made up or has gone stale changes nothing, and whatever else happens (a
refusal, a status change that needs the result recomputed) is decided again on the row itself.
"""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import orm
from sqlalchemy.exc import OperationalError

from ...core import jsontext
from ...core.timeutil import utcnow
from ...extensions import db
from ...scorm import datamodel
from ...scorm.datamodel.commit import payload_for
from . import attempt_rows, sequencing
from .models import ScormRegistration
from .progress import attempt_summary, recompute_result

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
    if error == "state_too_large":
        return _(
            "Diese Lerneinheit hat mehr Daten gesendet, als gespeichert werden können; "
            "die letzten Eingaben wurden nicht gespeichert."
        )
    if error in {"token_expired"}:
        return _("Ihre Sitzung für diese Lerneinheit ist abgelaufen. Bitte starten Sie sie neu.")
    if error in {"token_invalid", "token_mismatch"}:
        return _(
            "Der Startlink dieser Lerneinheit ist ungültig; Ihre Eingaben wurden nicht "
            "gespeichert. Bitte starten Sie die Lerneinheit im Modul neu."
        )
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
    registration's result: it is replayed again inside one transaction that locks the
    registration row, so concurrent recomputations of one learner's result never overwrite each other.
    On PostgreSQL a commit that sends back the base of the previous answer skips the read:
    one statement.
    """
    config = current_app.config
    limits = (
        config["SCORM_COMMIT_MAX_CALLS"],
        config["SCORM_COMMIT_BASE_MAX_BYTES"],
        config["SCORM_STATE_MAX_BYTES"],
    )
    engine = db.engine
    postgres = engine.dialect.name == "postgresql"
    base = payload.get("base") if postgres and isinstance(payload, dict) else None
    busy = (OperationalError, engine.dialect.loaded_dbapi.OperationalError)
    for _try in range(MAX_TRIES):
        try:
            with attempt_rows.autocommit(engine) as driver:
                if base is None:
                    stored = _store(driver, ident, payload, limits)
                else:
                    stored = _store_on_base(driver, ident, payload, limits, base)
            if stored is not None:
                return stored
            with engine.connect() as connection, connection.begin():
                driver = attempt_rows.driver_of(connection)
                return _store(driver, ident, payload, limits, connection)
        except _Reread:
            base = None
            continue
        except busy:
            if postgres:
                raise
            continue  # SQLite: the database stayed locked past the busy timeout
    raise CommitRefused(409, "conflict", "the attempt kept changing while this commit was stored")


def finish_attempt(attempt, calls, terminated=True):
    """Commit ``calls`` (pairs of element and value) on a launched attempt and end its
    session, as the learner's browser does: the demo seeder, the tests' builders and the
    national bench use it.

    The run-time stores commits on a connection of its own, as a separate request would, so
    the launch is committed first.
    """
    payload = payload_for(attempt.state, calls, terminated)
    ident = (attempt.id, attempt.user_id, attempt.version_id, attempt.item_id, attempt.attempt)
    db.session.commit()
    return commit_attempt(ident, payload)


def base_for(text, dialect, max_bytes):
    """The base a page gets back for a stored state (its JSON text): the text itself on
    PostgreSQL, if not longer than ``max_bytes`` (SCORM_COMMIT_BASE_MAX_BYTES). None on
    SQLite: there the read is in-process and cheaper than the longer request."""
    if dialect == "sqlite" or len(text) > max_bytes:
        return None
    return text


class _Reread(Exception):
    """Replay the commit again on a fresh read of the row: another request stored a commit
    of the same attempt between our read and write, or the base was no help."""


def _store(driver, ident, payload, limits, connection=None):
    """Replay and write one commit on an attempt_rows.Driver and return its result.

    ``limits`` is (SCORM_COMMIT_MAX_CALLS, SCORM_COMMIT_BASE_MAX_BYTES,
    SCORM_STATE_MAX_BYTES). Without ``connection`` nothing is written and None is
    returned when the commit changes the registration's result; ``connection`` is the
    SQLAlchemy Connection under the driver, in whose transaction the result is recomputed.
    """
    attempt_id, user_id, version_id, item_id, number = ident
    row = attempt_rows.read(driver, attempt_id)
    if (
        row is None
        or (row.user_id, row.version_id, row.item_id) != (user_id, version_id, item_id)
        or row.state is None
    ):
        raise CommitRefused(403, "token_mismatch", "the token does not name this attempt")
    if row.attempt != number:
        raise CommitRefused(409, "wrong_attempt", "a newer attempt of this SCO exists")
    state, result = _replay(row.state, payload, limits[0])
    summary = attempt_summary(state)
    changed = result.get("session_ended") or _status(summary) != (
        row.completion,
        row.success,
        row.score_percent,
    )
    if changed and not connection:
        return None
    if connection:  # lock the registration first: its results are recomputed one at a time
        session = orm.Session(bind=connection)
        registration = session.get(
            ScormRegistration, row.registration_id, with_for_update={"of": ScormRegistration}
        )
    text = _checked_text(state, limits[2])
    if not attempt_rows.write(
        driver, attempt_id, row.sequence, text, state["sequence"], summary, utcnow()
    ):
        raise _Reread()
    if connection:
        with session:
            recompute_result(registration, session)
            sequencing.record_commit(session, registration, item_id, state, result)
    return {**result, "base": base_for(text, driver.dialect, limits[1])}


def _store_on_base(driver, ident, payload, limits, base):
    """Replay a commit on the state text the page sent back and write it with one
    statement that matches only if the row holds exactly that state and the commit leaves
    its status as it is. Raises _Reread otherwise, and whenever the replay fails: the row
    decides then."""
    try:
        old = jsontext.loads(base)
        state, result = _replay(old, payload, limits[0])
        summary = attempt_summary(state)
    except (CommitRefused, ValueError, TypeError, KeyError, AttributeError):
        raise _Reread() from None  # a stale or made-up base, or a refused commit
    if result.get("session_ended"):
        raise _Reread()
    text = _checked_text(state, limits[2])
    stamp = utcnow()
    if not attempt_rows.write(
        driver, ident[0], old["sequence"], text, state["sequence"], summary, stamp, base
    ):
        raise _Reread()
    return {**result, "base": base_for(text, driver.dialect, limits[1])}


def _checked_text(state, max_bytes):
    """The state as JSON text, or CommitRefused when it has grown past SCORM_STATE_MAX_BYTES
    (the collections' SPMs bound it too; this catches every other way of growing)."""
    text = jsontext.dumps(state)
    if len(text) > max_bytes:
        raise CommitRefused(413, "state_too_large", f"the stored state would be {len(text)} bytes")
    return text


def _replay(state, payload, max_calls):
    """The data model's replay of a payload on a state: (new state, result) or CommitRefused."""
    state, result = datamodel.apply_commit(state, payload, {"max_calls": max_calls})
    if not result["ok"]:
        error = result["error"]
        status = 409 if error in CONFLICTS else 422
        extra = {k: v for k, v in result.items() if k not in {"ok", "error", "detail"}}
        raise CommitRefused(status, error, result.get("detail", ""), **extra)
    return state, result


def _status(summary):
    """The part of an attempt's summary that the registration's result depends on."""
    return summary["completion"], summary["success"], summary["score_percent"]
