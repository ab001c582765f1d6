"""Launching SCOs: the attempt a launch begins, and the learner's registration.

Every launch begins a new session of the SCO's current attempt, or a new attempt: in a
sequenced package when the sequencer began a new attempt on the activity (the run-time's
attempt numbers are the sequencer's), otherwise after a session that ended the attempt
(datamodel.should_start_new_attempt). Accepting the commits of a launched SCO is
commits.py's part.
"""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ...core.timeutil import utcnow
from ...extensions import db
from ...scorm import datamodel
from .errors import Q1Error
from .models import ScoAttempt, ScormRegistration
from .progress import attempt_summary, recompute_result


@dataclass
class Launch:
    """What the player needs to start an item: the attempt row and its kind."""

    registration: ScormRegistration
    attempt: ScoAttempt
    entry: dict

    @property
    def is_sco(self):
        """True if the item talks to the run-time API."""
        return bool(self.entry["sco"])


def registration_for(user, version, create=True):
    """Return the learner's registration for a package version (created on first use)."""
    reg = db.session.scalar(
        db.select(ScormRegistration).where(
            ScormRegistration.user_id == user.id, ScormRegistration.version_id == version.id
        )
    )
    if reg is None and create:
        reg = ScormRegistration(user_id=user.id, version_id=version.id)
        db.session.add(reg)
        try:
            db.session.flush()
        except IntegrityError:  # the same learner launched in two tabs at once
            db.session.rollback()
            reg = db.session.scalar(
                db.select(ScormRegistration).where(
                    ScormRegistration.user_id == user.id, ScormRegistration.version_id == version.id
                )
            )
    return reg


def latest_attempt(registration, item_id):
    """The newest attempt of an item in a registration, or None."""
    return db.session.scalar(
        db.select(ScoAttempt)
        .where(ScoAttempt.registration_id == registration.id, ScoAttempt.item_id == item_id)
        .order_by(ScoAttempt.attempt.desc())
        .limit(1)
    )


def launch_config(user, version, entry):
    """LMS settings of a SCO for the data model: learner, credit, item settings, limits."""
    config = current_app.config
    limit = config[
        "SCORM12_SUSPEND_DATA_MAX" if version.standard == "1.2" else "SCORM2004_SUSPEND_DATA_MAX"
    ]
    settings = dict(entry.get("settings") or {})
    return {
        "learner_id": str(user.id),
        "learner_name": user.name[:250],
        "credit": "credit",
        "mode": "normal",
        "suspend_data_limit": limit,
        **settings,
    }


def apply_summary(row, state):
    """Copy the data model's summary of ``state`` into the row's summary columns."""
    for key, value in attempt_summary(state).items():
        setattr(row, key, value)


def _base_state(version, row, config, sequenced):
    """The state the launch's session begins on: the row's, or a fresh attempt's.

    ``sequenced`` is (the sequencer's attempt count of the activity, whether this delivery
    began a new attempt), or None when the package is not sequenced. A new activity
    attempt begins a run-time attempt with fresh data, numbered like the sequencer's (or
    after the row's, should the row be ahead, as after a reset of the sequencing state);
    a resumed or continued activity attempt continues the row's attempt.
    """
    if sequenced is None:
        if row is None:
            return datamodel.new_state(version.standard, config)
        fresh = datamodel.should_start_new_attempt(row.state)
        number = row.attempt + 1
    else:
        count, began = sequenced
        if row is None:
            return datamodel.new_state(version.standard, config, max(count, 1))
        fresh = began
        number = max(count, row.attempt + 1)
    if not fresh:
        return row.state
    return datamodel.new_state(version.standard, config, number, row.state["sequence"])


def launch_item(user, version, item_id, sequenced=None):
    """Begin a session of ``item_id`` for ``user`` and return a Launch (flushed, not committed).

    ``sequenced``: (the sequencer's attempt count of the activity, whether the delivery
    began a new attempt) for a sequenced package.
    """
    entry = version.entry(item_id)
    if entry is None:
        raise Q1Error(_("Diese Lerneinheit gibt es in diesem Paket nicht."), code="unknown_item")
    reg = registration_for(user, version)
    now = utcnow()
    reg.last_item = item_id
    reg.last_accessed = now
    row = latest_attempt(reg, item_id)
    if not entry["sco"]:
        if row is None:  # an asset counts as completed once launched
            row = ScoAttempt(
                registration_id=reg.id,
                user_id=user.id,
                version_id=version.id,
                item_id=item_id,
                attempt=1,
                is_asset=True,
                completion="completed",
            )
            db.session.add(row)
        row.last_accessed = now
        db.session.flush()
        recompute_result(reg)
        return Launch(reg, row, entry)
    config = launch_config(user, version, entry)
    base = _base_state(version, row, config, sequenced)
    if row is None or base["attempt"] != row.attempt:
        row = ScoAttempt(
            registration_id=reg.id,
            user_id=user.id,
            version_id=version.id,
            item_id=item_id,
            attempt=base["attempt"],
        )
        db.session.add(row)
    state = datamodel.begin_session(base, config)
    row.state = state
    row.sequence = state["sequence"]
    row.last_accessed = now
    apply_summary(row, state)
    db.session.flush()
    recompute_result(reg)
    return Launch(reg, row, entry)
