"""Reminders of due actions (a periodic job) and the owner's open actions on the dashboard.

The job tells an action's owner once the day before it is due and once when it is overdue.
Each reminder is claimed by one UPDATE (the reminder's column set where it was empty) in
the transaction that queues its mail, so a rerun or a second worker never sends it twice.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..core import mail
from ..core.timeutil import utcnow
from ..core.urls import external_url
from ..extensions import db
from .models import Room
from .work import today
from .work_models import ACTION_OPEN, RoomAction

#: How many open actions the dashboard panel lists.
PANEL_SIZE = 8


def _claim(column, condition, now):
    """Set ``column`` to ``now`` on the open actions matching ``condition`` where it was empty;
    the ids claimed."""
    return set(
        db.session.scalars(
            sa.update(RoomAction)
            .where(
                condition,
                RoomAction.status.in_(ACTION_OPEN),
                RoomAction.owner_id.is_not(None),
                column.is_(None),
            )
            .values({column: now})
            .returning(RoomAction.id)
        )
    )


def send_reminders():
    """Queue the due-tomorrow and overdue mails not sent yet; returns how many."""
    now, day = utcnow(), today()
    before = _claim(
        RoomAction.reminded_before_at,
        sa.and_(RoomAction.due_on >= day, RoomAction.due_on <= day + timedelta(days=1)),
        now,
    )
    overdue = _claim(RoomAction.reminded_overdue_at, RoomAction.due_on < day, now)
    ids = before | overdue
    if not ids:
        db.session.commit()
        return 0
    actions = db.session.scalars(
        sa.select(RoomAction)
        .where(RoomAction.id.in_(ids))
        .options(selectinload(RoomAction.owner))
        .order_by(RoomAction.id)
    ).all()
    rooms = {
        r.id: r
        for r in db.session.scalars(
            sa.select(Room).where(Room.id.in_({a.room_id for a in actions}))
        )
    }
    for action in actions:
        with force_locale(action.owner.locale or current_app.config["DEFAULT_LOCALE"]):
            _remind(action, rooms[action.room_id], overdue=action.id in overdue)
    db.session.commit()
    return len(actions)


def _remind(action, room, overdue):
    """Queue the owner's reminder of ``action`` (in the owner's language)."""
    link = external_url("rooms.work_action", room_id=room.id, action_id=action.id)
    if overdue:
        subject = _("Überfällig: %(title)s", title=action.title)
        lead = _("Die Aufgabe war am %(day)s fällig und ist noch offen.", day=_day(action))
    else:
        subject = _("Fällig am %(day)s: %(title)s", day=_day(action), title=action.title)
        lead = _("Erinnerung: Die Aufgabe ist am %(day)s fällig.", day=_day(action))
    mail.queue(
        action.owner.email,
        subject,
        "\n\n".join(
            [
                _("Guten Tag %(name)s,", name=action.owner.name),
                lead,
                _("Experimentierraum: %(room)s", room=room.title) + "\n" + action.title,
                _("Zur Aufgabe: %(url)s", url=link),
            ]
        )
        + "\n",
    )


def _day(action):
    """The due date as people read it."""
    return action.due_on.strftime("%d.%m.%Y")


def open_actions_panel(user):
    """Dashboard data: the person's open actions of all rooms, soonest due first."""
    base = (
        sa.select(RoomAction, Room.title)
        .join(Room, Room.id == RoomAction.room_id)
        .where(RoomAction.owner_id == user.id, RoomAction.status.in_(ACTION_OPEN))
    )
    rows = db.session.execute(
        base.order_by(RoomAction.due_on, RoomAction.id).limit(PANEL_SIZE)
    ).all()
    total = (
        len(rows)
        if len(rows) < PANEL_SIZE
        else db.session.scalar(sa.select(sa.func.count()).select_from(base.subquery()))
    )
    return {"rows": rows, "total": total, "today": today()}
