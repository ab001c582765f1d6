"""The rooms' personal data: memberships, interest requests, and what a person recorded about
organisations. Rooms themselves belong to the network and stay."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.privacy import Part, register_privacy, register_retention, row
from ..extensions import db
from . import join_requests
from .models import JoinRequest, Organisation, Room, RoomMember


def export_rooms(user):
    """Memberships (room, role, firm), rooms led, and interest requests under the address."""
    members = db.session.scalars(
        sa.select(RoomMember).where(RoomMember.user_id == user.id).order_by(RoomMember.id)
    ).all()
    requests = db.session.scalars(
        sa.select(JoinRequest)
        .where(sa.or_(JoinRequest.user_id == user.id, JoinRequest.email == user.email))
        .order_by(JoinRequest.id)
    ).all()
    return Part(
        {
            "memberships": [
                {
                    "room": m.room.title,
                    "role": m.role,
                    "organisation": m.organisation.name if m.organisation else None,
                    "public_consent": m.organisation.public_consent if m.organisation else None,
                    "joined_at": m.joined_at.isoformat(),
                }
                for m in members
            ],
            "interest_requests": [
                {
                    **row(r, exclude=("room_id", "decided_by_id", "user_id", "organisation_id")),
                    "room": r.room.title,
                }
                for r in requests
            ],
        }
    )


def erase_rooms(user):
    """Take the person out of every room; delete their interest requests; forget who created
    or changed organisations. Rooms they led keep the anonymous placeholder as lead until the
    foundation names a new one."""
    db.session.execute(sa.delete(RoomMember).where(RoomMember.user_id == user.id))
    db.session.execute(
        sa.delete(JoinRequest).where(
            sa.or_(JoinRequest.user_id == user.id, JoinRequest.email == user.email)
        )
    )
    db.session.execute(
        sa.update(JoinRequest)
        .where(JoinRequest.decided_by_id == user.id)
        .values(decided_by_id=None)
    )
    for column in (Organisation.created_by_id, Organisation.consent_changed_by_id):
        db.session.execute(
            sa.update(Organisation).where(column == user.id).values({column.key: None})
        )
    for column in (Room.created_by_id, Room.mentor_id):
        db.session.execute(sa.update(Room).where(column == user.id).values({column.key: None}))
    db.session.execute(
        sa.update(RoomMember).where(RoomMember.added_by_id == user.id).values(added_by_id=None)
    )
    return []


def register(app):
    """Declare the rooms' personal data and the clean-up of old interest requests."""
    register_privacy(
        app,
        "rooms",
        _l("Experimentierräume"),
        export=export_rooms,
        erase=erase_rooms,
        kept=_l(
            "Räume, die die Person geleitet hat, bleiben bestehen (ohne Namen); "
            "Unternehmen bleiben als Teilnehmende der Räume erhalten."
        ),
        order=70,
    )
    register_retention(app, "rooms.interest_requests", join_requests.expire_requests)
