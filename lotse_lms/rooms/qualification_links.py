"""The rooms in the qualification: leading (or co-moderating) a room as a step of the path.

The step is registered with ``qualification.state.register_requirement``, so it shows where
every step shows: the participant's dashboard, the mentor's view of a mentee (the room's
phase, meetings held and open actions), the foundation's overview and ``lotse-lms
qualification show``. It is evidence, not a prerequisite, unless ``CERT_RULES`` names
``"rooms"`` (then the certificate's stored evidence holds it too).

A room counts once it has held ``ROOMS_EVIDENCE_MEETINGS`` meetings (INQA: at least four
meetings in six months); before that the step is "begonnen".
"""

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.timeutil import utcnow
from ..extensions import db
from ..qualification.state import DONE, PROGRESS_STATES, STARTED, Requirement, StepState
from .meeting_models import Meeting
from .models import CO_LEAD, LEAD, PHASES, Room, RoomMember
from .work_models import ACTION_OPEN, RoomAction

KEY = "rooms"
LABEL = _l("Experimentierraum leiten")
#: How many of a person's rooms the progress text names.
SHOWN_ROOMS = 3


def _led(scope):
    """A select of (user id, role, room) for rooms people of ``scope`` lead or co-moderate."""
    return (
        sa.select(
            RoomMember.user_id,
            RoomMember.role,
            Room.id.label("room_id"),
            Room.title,
            Room.phase,
        )
        .join(Room, Room.id == RoomMember.room_id)
        .where(RoomMember.role.in_((LEAD, CO_LEAD)), scope.where(RoomMember.user_id))
    )


def room_progress(room_ids, now=None):
    """``{room_id: (held meeting starts (oldest first), open actions)}``: two queries."""
    now = now or utcnow()
    held = {rid: [] for rid in room_ids}
    if not room_ids:
        return {}
    for rid, start in db.session.execute(
        sa.select(Meeting.room_id, Meeting.starts_at)
        .where(
            Meeting.room_id.in_(room_ids),
            Meeting.cancelled_at.is_(None),
            Meeting.starts_at <= now,
        )
        .order_by(Meeting.room_id, Meeting.starts_at)
    ):
        held[rid].append(start)
    open_actions = dict(
        db.session.execute(
            sa.select(RoomAction.room_id, sa.func.count())
            .where(RoomAction.room_id.in_(room_ids), RoomAction.status.in_(ACTION_OPEN))
            .group_by(RoomAction.room_id)
        ).all()
    )
    return {rid: (held[rid], open_actions.get(rid, 0)) for rid in room_ids}


def load(scope):
    """The step of everyone in ``scope``: three queries, whatever the number of people."""
    rows = db.session.execute(_led(scope).order_by(Room.id)).all()
    progress = room_progress(sorted({r.room_id for r in rows}), scope.now)
    needed = current_app.config["ROOMS_EVIDENCE_MEETINGS"]
    per_user = {}
    for row in rows:
        held, open_actions = progress[row.room_id]
        per_user.setdefault(row.user_id, []).append((row, held, open_actions))
    label = str(LABEL)
    return {uid: _state(label, rooms, needed) for uid, rooms in per_user.items()}


def _state(label, rooms, needed):
    """One person's step from their rooms (most meetings first in the texts)."""
    rooms = sorted(rooms, key=lambda r: (-len(r[1]), r[0].room_id))
    counted = [held[needed - 1] for _row, held, _open in rooms if len(held) >= needed]
    describe = lambda: _texts(rooms, needed, bool(counted))  # noqa: E731
    extra = {"rooms": [row.room_id for row, _held, _open in rooms]}
    if counted:
        return StepState(KEY, label, DONE, min(counted), extra=extra, describe=describe)
    return StepState(KEY, label, STARTED, extra=extra, describe=describe)


def room_line(title, role, phase, held, open_actions):
    """A room's progress in words: „Titel“ (Leitung): läuft · 2 Treffen gehalten · 1 Aufgabe offen."""
    role_text = _("Leitung") if role == LEAD else _("Co-Moderation")
    return _(
        "„%(title)s“ (%(role)s): %(phase)s · %(held)s · %(open)s",
        title=title,
        role=role_text,
        phase=PHASES.get(phase, phase),
        held=_("%(n)s Treffen gehalten", n=held),
        open=_("%(n)s Aufgaben offen", n=open_actions)
        if open_actions != 1
        else _("1 Aufgabe offen"),
    )


def _texts(rooms, needed, done):
    """(source, progress, missing) of the step, in words."""
    lines = [
        room_line(row.title, row.role, row.phase, len(held), open_actions)
        for row, held, open_actions in rooms[:SHOWN_ROOMS]
    ]
    if len(rooms) > SHOWN_ROOMS:
        lines.append(_("und %(n)s weitere", n=len(rooms) - SHOWN_ROOMS))
    source = ""
    if done:
        best = rooms[0]
        source = _(
            "„%(title)s“: %(n)s. Treffen am %(day)s",
            title=best[0].title,
            n=needed,
            day=format_date(best[1][needed - 1]),
        )
    missing = (
        ""
        if done
        else _("Ein Raum zählt als Nachweis, sobald er %(n)s Treffen gehalten hat.", n=needed)
    )
    return source, "; ".join(lines), missing


REQUIREMENT = Requirement(
    KEY,
    LABEL,
    load,
    75,
    "rooms.index",
    _l("Experimentierräume ansehen"),
    open_text=_l("Noch keinen Experimentierraum geleitet oder co-moderiert."),
    states=PROGRESS_STATES,
)
