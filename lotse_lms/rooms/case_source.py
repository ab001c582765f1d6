"""A room's situation as a reflecting-team case (registered with ``register_case_source``).

The lead or a co-moderator of a room may take it as the case of a session they bring a case
to: the situation is the room's private description and its newest experiment; the firms are
described by sector and size, named only if they agreed to be named publicly; the question
stays the case owner's to ask.
"""

import sqlalchemy as sa
from flask_babel import gettext as _

from ..extensions import db
from .models import CO_LEAD, FIRM_CONTACT, LEAD, SECTORS, Organisation, Room, RoomMember
from .work_models import DECISIONS, RoomExperiment

PREFIX = "raum-"
#: How many rooms the case form offers (newest first).
OFFERED = 20


def _rooms_led(user):
    """A select of the rooms ``user`` leads or co-moderates."""
    return sa.select(Room).where(
        Room.id.in_(
            sa.select(RoomMember.room_id).where(
                RoomMember.user_id == user.id, RoomMember.role.in_((LEAD, CO_LEAD))
            )
        )
    )


def options(user):
    """``[(key, label)]`` of the rooms ``user`` leads or co-moderates (newest first)."""
    rows = db.session.execute(
        _rooms_led(user)
        .with_only_columns(Room.id, Room.title)
        .order_by(Room.created_at.desc(), Room.id.desc())
        .limit(OFFERED)
    ).all()
    return [(f"{PREFIX}{rid}", _("Experimentierraum „%(t)s“", t=title)) for rid, title in rows]


def _firm_text(org):
    """A firm without personal data: its name only with consent, else sector and size."""
    parts = [str(SECTORS.get(org.sector, org.sector))]
    if org.staff_count is not None:
        parts.append(_("%(n)s Beschäftigte", n=org.staff_count))
    described = ", ".join(parts)
    return f"{org.name} ({described})" if org.public_consent else described


def prefill(user, key):
    """The case fields for room ``key`` if ``user`` leads or co-moderates it, else None."""
    if not key.startswith(PREFIX) or not key[len(PREFIX) :].isdigit():
        return None
    room_id = int(key[len(PREFIX) :])
    room = db.session.scalar(_rooms_led(user).where(Room.id == room_id))
    if room is None:
        return None
    firms = {
        org.id: org
        for org in db.session.scalars(
            sa.select(Organisation).where(
                Organisation.id.in_(
                    sa.select(RoomMember.organisation_id).where(
                        RoomMember.room_id == room.id, RoomMember.role == FIRM_CONTACT
                    )
                )
            )
        )
    }
    experiment = db.session.scalar(
        sa.select(RoomExperiment)
        .where(RoomExperiment.room_id == room.id)
        .order_by(RoomExperiment.created_at.desc(), RoomExperiment.id.desc())
        .limit(1)
    )
    situation = [room.private_description or room.public_description]
    if experiment is not None:
        where = firms.get(experiment.organisation_id)
        lines = [
            "**" + _("Neuestes Experiment") + "**",
            "",
            "- " + _("Frage/Annahme: %(t)s", t=experiment.question),
            "- " + _("Erprobt: %(t)s", t=experiment.tried),
        ]
        if where is not None:
            lines.append("- " + _("Im Betrieb: %(t)s", t=_firm_text(where)))
        if experiment.result:
            lines.append("- " + _("Ergebnis: %(t)s", t=experiment.result))
        lines.append(
            "- "
            + _(
                "Entscheidung: %(t)s",
                t=DECISIONS[experiment.decision] if experiment.decision else _("noch offen"),
            )
        )
        situation.append("\n".join(lines))
    return {
        "situation": "\n\n".join(part for part in situation if part),
        "firms": "\n".join(
            "- " + _firm_text(org) for org in sorted(firms.values(), key=lambda o: o.id)
        ),
        "question": "",
    }
