"""Who sees and manages which room.

- Foundation staff and admins see and manage every room (room role ``"foundation"`` unless
  they are a member themselves).
- Members see their room: the leading Lotse, co-moderators, the mentor, the firm contacts.
- The lead and co-moderators (and the foundation) manage the room: edit it, change its phase,
  invite firms, decide join requests.
- A room is led by a certified Lotse (valid certificate) or by a participant in training who
  has a mentor (``may_lead``).
- Everyone, also without an account, sees the public directory: rooms open for sign-up and
  running rooms, with their public description only.
- A closed room (phase "abgeschlossen") is read-only: no new topics, votes, actions, status
  changes, comments, experiments, meetings, protocol changes or files, for every role. What
  stays possible: reading everything, protocol approvals of a protocol written before closing,
  the firms' consent, learning cards (drafted, approved and published after closing: that is
  when learnings are shared), the room's facts, and re-opening ("läuft") by those who manage it.
"""

import sqlalchemy as sa
from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.roles import Role
from ..certification.operations import current_certificate
from ..extensions import db
from ..mentoring.operations import current_mentor
from .models import CO_LEAD, LEAD, Room, RoomMember

#: Roles that look after every room.
STAFF = (Role.FOUNDATION, Role.ADMIN)
#: The room role of foundation staff who are not members.
FOUNDATION = "foundation"
#: Room roles that manage the room.
MANAGERS = (LEAD, CO_LEAD, FOUNDATION)


def _signed_in(user):
    return user is not None and getattr(user, "is_authenticated", False)


def is_staff(user):
    """True for foundation staff and admins."""
    return _signed_in(user) and user.has_role(*STAFF)


def member_role(user, room):
    """The role of ``user`` among the room's members, or None."""
    if not _signed_in(user):
        return None
    return db.session.scalar(
        sa.select(RoomMember.role).where(
            RoomMember.room_id == room.id, RoomMember.user_id == user.id
        )
    )


def room_role(user, room):
    """``lead``/``co_lead``/``mentor``/``firm_contact`` for members, ``foundation`` for staff
    who are not members, None for everyone else."""
    role = member_role(user, room)
    if role is None and is_staff(user):
        return FOUNDATION
    return role


def is_member(user, room):
    """True if ``user`` belongs to the room (in any role)."""
    return member_role(user, room) is not None


def can_view(user, room):
    """True if ``user`` sees the room's page (members and the foundation)."""
    return room_role(user, room) is not None


def can_manage(user, room):
    """True if ``user`` edits the room, changes its phase, invites firms, decides requests."""
    return room_role(user, room) in MANAGERS


def is_certified(user):
    """True for a certified Lotse (a valid certificate)."""
    return _signed_in(user) and current_certificate(user) is not None


def may_lead(user):
    """True if ``user`` may lead a room: a certified Lotse, or a participant with a mentor."""
    if not _signed_in(user):
        return False
    if is_certified(user):
        return True
    return user.has_role(Role.PARTICIPANT) and current_mentor(user) is not None


def may_create(user):
    """True if ``user`` may open a new room (a possible lead, or the foundation)."""
    return is_staff(user) or may_lead(user)


def closed_message():
    """What a closed room says to anyone who tries to add or change something."""
    return _(
        "Dieser Experimentierraum ist abgeschlossen: Sie können alles nachlesen, "
        "aber nichts mehr hinzufügen oder ändern."
    )


def refuse_if_closed(room, error):
    """Raise ``error`` (a Refusal class) with the closed message if ``room`` is closed."""
    if room.is_closed:
        raise error(closed_message())


def load_room(room_id, need="view", writing=False):
    """The room for a view of the signed-in person: 404 if it does not exist or they may not
    see it (its existence stays hidden), 403 if they see it but ``need="manage"`` and they
    may not manage it. ``writing=True`` (a page that only adds or changes content) sends
    the person back to the room page with the closed message if the room is closed."""
    room = db.session.get(Room, room_id)
    if room is None or not can_view(current_user, room):
        abort(404)
    if need == "manage" and not can_manage(current_user, room):
        abort(403)
    if writing and room.is_closed:
        flash(closed_message(), "error")
        abort(redirect(url_for("rooms.show", room_id=room.id)))
    return room
