"""The two steps accounts feeds into the qualification path: authorisation and workshop."""

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..qualification.state import (
    ALL_STATES,
    CHECKED_STATES,
    DONE,
    OPEN,
    PENDING,
    REJECTED,
    Requirement,
    StepState,
)
from .models import ConsultantAuthorisation, VerificationStatus, WorkshopAttendance

AUTHORISATION = _l("Autorisierung als OM-Beraterin / OM-Berater")
WORKSHOP = _l("Workshop „Gemeinsames Beratungsverständnis“")
NOT_SUBMITTED = _l("Noch nicht eingereicht.")


def _state(key, label, row, source):
    """The step's state from a verified record's status; ``source()`` names the record."""
    if row.status == VerificationStatus.VERIFIED:
        return StepState(
            key,
            label,
            DONE,
            row.reviewed_at,
            describe=lambda: (
                _(
                    "%(what)s, bestätigt am %(date)s",
                    what=source(),
                    date=format_date(row.reviewed_at),
                ),
                "",
                "",
            ),
        )
    if row.status == VerificationStatus.REJECTED:
        return StepState(
            key,
            label,
            REJECTED,
            describe=lambda: (
                source(),
                "",
                _("Von der Stiftung abgelehnt: %(reason)s", reason=row.reason or "–"),
            ),
        )
    return StepState(
        key,
        label,
        PENDING,
        describe=lambda: (
            source(),
            _("Eingereicht am %(date)s", date=format_date(row.submitted_at)),
            _("Eingereicht, die Stiftung prüft noch."),
        ),
    )


def load_authorisation(scope):
    """The authorisation step of everyone in ``scope`` (one query)."""
    rows = db.session.execute(
        sa.select(
            ConsultantAuthorisation.user_id,
            ConsultantAuthorisation.status,
            ConsultantAuthorisation.reason,
            ConsultantAuthorisation.submitted_at,
            ConsultantAuthorisation.reviewed_at,
            ConsultantAuthorisation.number,
        ).where(scope.where(ConsultantAuthorisation.user_id))
    ).all()
    label = str(AUTHORISATION)
    return {
        row.user_id: _state(
            "authorisation",
            label,
            row,
            lambda row=row: _("Autorisierung Nr. %(number)s", number=row.number),
        )
        for row in rows
    }


def load_workshop(scope):
    """The workshop step of everyone in ``scope`` (one query)."""
    rows = db.session.execute(
        sa.select(
            WorkshopAttendance.user_id,
            WorkshopAttendance.status,
            WorkshopAttendance.reason,
            WorkshopAttendance.submitted_at,
            WorkshopAttendance.reviewed_at,
            WorkshopAttendance.attended_on,
            WorkshopAttendance.place,
        ).where(scope.where(WorkshopAttendance.user_id))
    ).all()
    label = str(WORKSHOP)
    return {
        row.user_id: _state(
            "workshop",
            label,
            row,
            lambda row=row: _(
                "Workshop am %(date)s in %(place)s",
                date=format_date(row.attended_on),
                place=row.place,
            ),
        )
        for row in rows
    }


STATUS_OF = {
    DONE: VerificationStatus.VERIFIED,
    PENDING: VerificationStatus.SUBMITTED,
    REJECTED: VerificationStatus.REJECTED,
}


def _prefilter(model):
    """Exact SQL for each state of a verified record's step."""

    def condition(state, user_id_column):
        """People whose record of ``model`` puts the step in ``state``."""
        if state == OPEN:
            return ~sa.select(model.id).where(model.user_id == user_id_column).exists()
        if state not in STATUS_OF:
            return sa.false()
        return (
            sa.select(model.id)
            .where(model.user_id == user_id_column, model.status == STATUS_OF[state])
            .exists()
        )

    return condition


REQUIREMENTS = [
    Requirement(
        "authorisation",
        AUTHORISATION,
        load_authorisation,
        10,
        "accounts.edit_authorisation",
        _l("Jetzt eintragen"),
        open_text=NOT_SUBMITTED,
        prefilter=_prefilter(ConsultantAuthorisation),
        exact=ALL_STATES,
        states=CHECKED_STATES,
    ),
    Requirement(
        "workshop",
        WORKSHOP,
        load_workshop,
        20,
        "accounts.edit_workshop",
        _l("Jetzt eintragen"),
        open_text=NOT_SUBMITTED,
        prefilter=_prefilter(WorkshopAttendance),
        exact=ALL_STATES,
        states=CHECKED_STATES,
    ),
]
