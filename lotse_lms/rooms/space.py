"""The room's private space in the community: a space of kind "room" per room.

Registered with the community's ``register_space_kind``: the room's members read and post
there, its lead and co-leads moderate (foundation staff look after every space); once the room
is closed its space is read-only. The space is created the first time a member opens it, as a
cohort's Klassenzimmer is.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..community.kinds import register_space_kind
from ..community.models import Space
from ..extensions import db
from .meeting_models import RoomSpace
from .models import CO_LEAD, LEAD, Room, RoomMember
from .policy import closed_message

KIND = "room"
MODERATOR_ROLES = (LEAD, CO_LEAD)


def space_of(room):
    """The room's community space, created the first time it is asked for."""
    space = _existing(room.id)
    if space is not None:
        return space
    try:
        with db.session.begin_nested():
            space = Space(kind=KIND, name=room.title[:120])
            db.session.add(space)
            db.session.flush()
            db.session.add(RoomSpace(room_id=room.id, space_id=space.id))
    except IntegrityError:  # another request created it at the same moment
        space = _existing(room.id)
    return space


def _existing(room_id):
    """The room's space if it exists."""
    return db.session.scalar(
        sa.select(Space)
        .join(RoomSpace, RoomSpace.space_id == Space.id)
        .where(RoomSpace.room_id == room_id)
    )


def _room_id(space):
    """The room a space of kind "room" belongs to."""
    return db.session.scalar(sa.select(RoomSpace.room_id).where(RoomSpace.space_id == space.id))


def member_ids(space, user_ids):
    """Those of ``user_ids`` who are members of the space's room (one query)."""
    return set(
        db.session.scalars(
            sa.select(RoomMember.user_id)
            .join(RoomSpace, RoomSpace.room_id == RoomMember.room_id)
            .where(RoomSpace.space_id == space.id, RoomMember.user_id.in_(list(user_ids)))
        )
    )


def spaces_of(user):
    """The spaces of the rooms ``user`` belongs to (created for rooms that have none yet)."""
    rooms = db.session.scalars(
        sa.select(Room)
        .join(RoomMember, RoomMember.room_id == Room.id)
        .where(RoomMember.user_id == user.id)
        .order_by(Room.title, Room.id)
    ).all()
    return [space_of(room) for room in rooms]


def moderates(user, space):
    """True for the lead and co-leads of the space's room."""
    return bool(
        db.session.scalar(
            sa.select(RoomMember.id).where(
                RoomMember.room_id == _room_id(space),
                RoomMember.user_id == user.id,
                RoomMember.role.in_(MODERATOR_ROLES),
            )
        )
    )


def read_only(space):
    """The closed message while the space's room is closed (nothing new in its forum)."""
    room = db.session.get(Room, _room_id(space))
    return closed_message() if room is not None and room.is_closed else None


def register(app):
    """Add the room kind to the community."""
    register_space_kind(
        app,
        KIND,
        _l("Experimentierräume"),
        member_ids=member_ids,
        spaces_of=spaces_of,
        moderates=moderates,
        read_only=read_only,
    )
