"""The public directory of rooms and the "Interesse melden" requests (double opt-in).

Everyone, without an account, finds rooms open for sign-up and running rooms, filtered by
Bundesland, postcode area, sector and topic. A firm asks to join with name, firm, e-mail and
message; the request counts only after the link mailed to that address was followed
(double opt-in), then the room's Lotse is told; accepting and declining are in
``join_requests.py``. Spam is held off without third parties: a honeypot field, a minimum
fill time signed into the form, a rate limit per client (``blueprint.py``), and at most one
request per address and room a day.
"""

import re
from datetime import timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..accounts.operations import normalise_email
from ..core import mail
from ..core.errors import Refusal, collect
from ..core.text import check_single_line
from ..core.timeutil import utcnow
from ..core.urls import external_url
from ..extensions import db
from .models import (
    BUNDESLAENDER,
    CO_LEAD,
    CONFIRMED,
    LEAD,
    PUBLIC_PHASES,
    SECTORS,
    TOPICS,
    UNCONFIRMED,
    JoinRequest,
    Room,
    RoomMember,
    RoomTopic,
)

MAX_MESSAGE = 2000


class InterestError(Refusal):
    """An interest request that cannot be taken."""


# --- the directory ---------------------------------------------------------------------------


def clean_filters(args):
    """The directory's filters from the query string, unknown values dropped."""
    land = args.get("land", "")
    plz = re.sub(r"\D", "", args.get("plz", ""))[:5]
    sector = args.get("branche", "")
    topic = args.get("thema", "")
    return {
        "land": land if land in BUNDESLAENDER else "",
        "plz": plz,
        "branche": sector if sector in SECTORS else "",
        "thema": topic if topic in TOPICS else "",
    }


def directory_select(filters):
    """SELECT of the public rooms matching ``filters`` (see :func:`clean_filters`).

    A postcode matches a room whose postcode area starts with it or that it starts with
    ("44137" finds area "44", "4" finds "44" and "45").
    """
    query = sa.select(Room).where(Room.phase.in_(PUBLIC_PHASES))
    if filters.get("land"):
        query = query.where(Room.bundesland == filters["land"])
    if filters.get("plz"):
        plz = filters["plz"]
        query = query.where(
            Room.postcode_area != "",
            sa.or_(
                Room.postcode_area.like(plz + "%"),
                sa.literal(plz).like(Room.postcode_area + "%"),
            ),
        )
    if filters.get("branche"):
        query = query.where(Room.sector == filters["branche"])
    if filters.get("thema"):
        query = query.where(
            sa.exists().where(RoomTopic.room_id == Room.id, RoomTopic.topic == filters["thema"])
        )
    return query


def public_room(room_id):
    """The room if the directory shows it, else None."""
    room = db.session.get(Room, room_id)
    return room if room is not None and room.is_public else None


# --- the form's signed start time ------------------------------------------------------------


def _serializer(salt):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def form_stamp():
    """A signed stamp of now, put into the form when it is shown."""
    return _serializer("rooms-interest-form").dumps("form")


def check_stamp(stamp):
    """Refuse a form sent faster than a person can fill it in, or with a broken stamp."""
    minimum = current_app.config["ROOMS_INTEREST_MIN_SECONDS"]
    try:
        _value, signed_at = _serializer("rooms-interest-form").loads(
            stamp or "", max_age=24 * 3600, return_timestamp=True
        )
    except SignatureExpired:
        raise InterestError(_("Das Formular war abgelaufen. Bitte senden Sie es erneut.")) from None
    except BadSignature:
        raise InterestError(
            _("Das Formular war unvollständig. Bitte senden Sie es erneut.")
        ) from None
    if (utcnow() - signed_at).total_seconds() < minimum:
        raise InterestError(
            _("Das ging sehr schnell. Bitte prüfen Sie Ihre Angaben und senden Sie erneut.")
        )


# --- requests --------------------------------------------------------------------------------


def check_interest(room, data):
    """Raise InterestError with every problem of an interest request."""
    with collect(InterestError) as refuse:
        if room is None or not room.is_public:
            refuse(_("Dieser Raum nimmt keine Anfragen an."))
        for field, label_max in (("name", 120), ("firm", 200)):
            value = (data.get(field) or "").strip()
            refuse.check(check_single_line, value, field, InterestError)
            if not value:
                refuse(_("Bitte füllen Sie dieses Feld aus."), field)
            elif len(value) > label_max:
                refuse(_("Höchstens %(max)d Zeichen.", max=label_max), field)
        try:
            validate_email(data.get("email") or "", check_deliverability=False)
        except EmailNotValidError:
            refuse(_("Bitte geben Sie eine gültige E-Mail-Adresse an."), "email")
        if len(data.get("message") or "") > MAX_MESSAGE:
            refuse(_("Höchstens %(max)d Zeichen.", max=MAX_MESSAGE), "message")


def register_interest(room, data):
    """Take an interest request (unconfirmed) and mail the confirmation link (flushed).

    Returns the request, or None when the same address asked for this room within a day
    (no second mail: the form cannot be used to flood someone's mailbox).
    """
    check_interest(room, data)
    email = normalise_email(data["email"])
    recent = db.session.scalar(
        sa.select(JoinRequest.id).where(
            JoinRequest.room_id == room.id,
            JoinRequest.email == email,
            JoinRequest.created_at >= utcnow() - timedelta(days=1),
        )
    )
    if recent is not None:
        return None
    request = JoinRequest(
        room_id=room.id,
        name=data["name"].strip(),
        firm=data["firm"].strip(),
        email=email,
        message=(data.get("message") or "").strip(),
        state=UNCONFIRMED,
    )
    db.session.add(request)
    db.session.flush()
    link = external_url(
        "rooms.confirm_interest", token=_serializer("rooms-interest-confirm").dumps(request.id)
    )
    hours = current_app.config["ROOMS_INTEREST_CONFIRM_HOURS"]
    mail.queue(
        email,
        _("Bitte bestätigen Sie Ihr Interesse: %(room)s", room=room.title),
        _(
            "Guten Tag %(name)s,\n\nSie haben Interesse am Experimentierraum „%(room)s“ "
            "gemeldet. Bitte bestätigen Sie Ihre Anfrage innerhalb von %(hours)s Stunden über "
            "diesen Link; erst dann geht sie an die Lotsin oder den Lotsen des Raums:\n\n"
            "%(link)s\n\nHaben Sie nichts angefragt, können Sie diese Nachricht ignorieren; "
            "die Angaben werden dann gelöscht.",
            name=request.name,
            room=room.title,
            hours=hours,
            link=link,
        ),
    )
    return request


def request_from_token(token):
    """The request a confirmation link names, or raise InterestError."""
    max_age = current_app.config["ROOMS_INTEREST_CONFIRM_HOURS"] * 3600
    try:
        request_id = _serializer("rooms-interest-confirm").loads(token, max_age=max_age)
    except SignatureExpired:
        raise InterestError(
            _("Der Bestätigungslink ist abgelaufen. Bitte melden Sie Ihr Interesse erneut.")
        ) from None
    except BadSignature:
        raise InterestError(_("Der Bestätigungslink ist ungültig.")) from None
    request = db.session.get(JoinRequest, request_id)
    if request is None:
        raise InterestError(
            _("Die Anfrage gibt es nicht mehr. Bitte melden Sie Ihr Interesse erneut.")
        )
    return request


def managers(room):
    """The people told about requests: the room's lead and co-moderators."""
    return db.session.scalars(
        sa.select(RoomMember).where(
            RoomMember.room_id == room.id, RoomMember.role.in_((LEAD, CO_LEAD))
        )
    ).all()


def confirm_interest(request):
    """Confirm a request (double opt-in) and tell the room's Lotse (flushed); idempotent."""
    if request.state != UNCONFIRMED:
        return False
    request.state, request.confirmed_at = CONFIRMED, utcnow()
    db.session.flush()
    room = request.room
    link = external_url("rooms.requests", room_id=room.id)
    for member in managers(room):
        mail.queue(
            member.user.email,
            _("Neue Interessensbekundung: %(room)s", room=room.title),
            _(
                "Guten Tag %(name)s,\n\n%(requester)s (%(firm)s) möchte im Experimentierraum "
                "„%(room)s“ mitmachen und hat die Anfrage bestätigt. Bitte nehmen Sie sie an "
                "oder lehnen Sie sie ab:\n\n%(link)s",
                name=member.user.name,
                requester=request.name,
                firm=request.firm,
                room=room.title,
                link=link,
            ),
        )
    return True
