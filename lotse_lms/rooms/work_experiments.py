"""The experiment log: question or hypothesis → what was tried in which firm → result →
decision, by the INQA rule: what works is continued, what does not is changed or dropped."""

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from ..core import audit
from ..core.errors import collect
from ..extensions import db
from . import policy
from .work import MAX_TEXT, WorkError, _need, clean, firm_ids, today
from .work_models import DECISIONS, RoomExperiment


def _int_or_none(value):
    """``value`` as an int, or None."""
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def check_experiment(room, question, tried, organisation_id, result, decision, decided_on):
    """The entry's fields cleaned; a decision needs a result and a date, and vice versa."""
    with collect(WorkError) as refuse:
        question = clean(
            refuse,
            question,
            "question",
            MAX_TEXT,
            _("Bitte nennen Sie die Frage oder Annahme."),
        )
        tried = clean(
            refuse, tried, "tried", MAX_TEXT, _("Bitte beschreiben Sie, was erprobt wird.")
        )
        organisation_id = _int_or_none(organisation_id)
        if organisation_id is None:
            refuse(_("Bitte wählen Sie den Betrieb, in dem es erprobt wird."), "organisation_id")
        elif organisation_id not in firm_ids(room):
            refuse(_("Der Betrieb gehört nicht zu diesem Raum."), "organisation_id")
        result = clean(refuse, result, "result", MAX_TEXT)
        decision = decision or None
        if decision is not None and decision not in DECISIONS:
            refuse(_("Bitte wählen Sie: weitermachen, ändern oder verwerfen."), "decision")
        elif decision:
            if not result:
                refuse(_("Vor der Entscheidung steht das Ergebnis."), "result")
            if not isinstance(decided_on, date):
                refuse(_("Bitte geben Sie das Datum der Entscheidung an."), "decided_on")
            elif decided_on > today():
                refuse(_("Das Datum darf nicht in der Zukunft liegen."), "decided_on")
        elif decided_on:
            refuse(_("Ein Datum gehört nur zu einer Entscheidung."), "decided_on")
    return question, tried, organisation_id, result, decision, decided_on if decision else None


def save_experiment(room, user, experiment=None, **fields):
    """Start (``experiment`` None) or continue an entry of the experiment log (flushed)."""
    policy.refuse_if_closed(room, WorkError)
    _need(
        policy.can_manage(user, room), _("Das Experimentierprotokoll führt die Lotsin / der Lotse.")
    )
    if experiment is not None:
        _need(experiment.room_id == room.id)
    values = check_experiment(room, **fields)
    if experiment is None:
        experiment = RoomExperiment(room_id=room.id, created_by_id=user.id)
        db.session.add(experiment)
    (
        experiment.question,
        experiment.tried,
        experiment.organisation_id,
        experiment.result,
        experiment.decision,
        experiment.decided_on,
    ) = values
    db.session.flush()
    audit.record("rooms.experiment_saved", experiment, actor=user, decision=experiment.decision)
    return experiment


def experiments_select(room):
    """The room's experiment log, newest first."""
    return (
        sa.select(RoomExperiment)
        .where(RoomExperiment.room_id == room.id)
        .order_by(RoomExperiment.id.desc())
    )
