"""The Lotse's side of "Interesse melden": confirmed requests, accepting (the firm is invited,
see ``firms.py``) or declining (the requester gets a mail), and the clean-up of old requests."""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..core import audit, mail
from ..core.timeutil import utcnow
from ..core.urls import external_url
from ..extensions import db
from . import firms, policy
from .directory import MAX_MESSAGE, InterestError
from .models import (
    ACCEPTED,
    CO_LEAD,
    CONFIRMED,
    DECLINED,
    LEAD,
    UNCONFIRMED,
    JoinRequest,
    RoomMember,
)


def open_requests_count(room):
    """Confirmed requests awaiting a decision (one query)."""
    return db.session.scalar(
        sa.select(sa.func.count(JoinRequest.id)).where(
            JoinRequest.room_id == room.id, JoinRequest.state == CONFIRMED
        )
    )


def requests_select(room):
    """SELECT of the room's confirmed and decided requests (unconfirmed ones stay hidden)."""
    return sa.select(JoinRequest).where(
        JoinRequest.room_id == room.id, JoinRequest.state != UNCONFIRMED
    )


def _check_open(request, room, actor):
    if request.room_id != room.id or not policy.can_manage(actor, room):
        raise InterestError(_("Sie können diese Anfrage nicht bearbeiten."))
    if request.state != CONFIRMED:
        raise InterestError(_("Über diese Anfrage ist schon entschieden."))


def check_accept(request, room, org_data, actor):
    """Raise with every problem of accepting ``request`` with ``org_data`` (nothing written)."""
    _check_open(request, room, actor)
    firms.check_invitation(room, request.name, request.email, org_data, actor)


def accept(request, room, org_data, actor):
    """Accept a request: the firm's organisation and contact are created and invited (flushed)."""
    check_accept(request, room, org_data, actor)
    member = firms.invite_firm_contact(room, request.name, request.email, org_data, actor)
    request.state, request.decided_at, request.decided_by_id = ACCEPTED, utcnow(), actor.id
    request.user_id, request.organisation_id = member.user_id, member.organisation_id
    db.session.flush()
    audit.record("rooms.request_accepted", room, actor=actor, request=request.id)
    return member


def decline(request, room, reason, actor):
    """Decline a request and tell the requester, with the reason if one is given (flushed)."""
    _check_open(request, room, actor)
    reason = (reason or "").strip()
    if len(reason) > MAX_MESSAGE:
        raise InterestError(_("Höchstens %(max)d Zeichen.", max=MAX_MESSAGE), "reason")
    request.state, request.decided_at, request.decided_by_id = DECLINED, utcnow(), actor.id
    db.session.flush()
    body = _(
        "Guten Tag %(name)s,\n\nvielen Dank für Ihr Interesse am Experimentierraum „%(room)s“. "
        "Leider kann %(firm)s diesmal nicht teilnehmen.",
        name=request.name,
        room=room.title,
        firm=request.firm,
    )
    if reason:
        body += "\n\n" + reason
    body += "\n\n" + _(
        "Weitere Experimentierräume finden Sie im Verzeichnis:\n\n%(link)s",
        link=external_url("rooms.directory"),
    )
    mail.queue(request.email, _("Ihre Anfrage: %(room)s", room=room.title), body)
    audit.record("rooms.request_declined", room, actor=actor, request=request.id)
    return request


def expire_requests(now):
    """Retention: delete unconfirmed requests past their link's life and decided ones after
    ROOMS_REQUEST_KEEP_DAYS; returns how many."""
    config = current_app.config
    unconfirmed_before = now - timedelta(hours=config["ROOMS_INTEREST_CONFIRM_HOURS"])
    decided_before = now - timedelta(days=config["ROOMS_REQUEST_KEEP_DAYS"])
    result = db.session.execute(
        sa.delete(JoinRequest).where(
            sa.or_(
                sa.and_(
                    JoinRequest.state == UNCONFIRMED, JoinRequest.created_at < unconfirmed_before
                ),
                sa.and_(
                    JoinRequest.state.in_((ACCEPTED, DECLINED)),
                    JoinRequest.decided_at < decided_before,
                ),
            )
        )
    )
    return result.rowcount


def open_requests_for(user):
    """Confirmed requests awaiting ``user``'s decision in the rooms they lead or co-moderate
    (one query; "Meine Experimentierräume" says how many wait)."""
    led = sa.select(RoomMember.room_id).where(
        RoomMember.user_id == user.id, RoomMember.role.in_((LEAD, CO_LEAD))
    )
    return db.session.scalar(
        sa.select(sa.func.count(JoinRequest.id)).where(
            JoinRequest.room_id.in_(led), JoinRequest.state == CONFIRMED
        )
    )
