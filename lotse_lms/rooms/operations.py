"""Verbs of the Experimentierräume: rooms, phases, members, organisations.

Every function checks its rules, writes (flushed, not committed: the caller commits) and
records membership and phase changes in the audit log.
"""

import re

import sqlalchemy as sa
from flask_babel import gettext as _

from ..accounts.models import User
from ..core import audit
from ..core.errors import Refusal, collect
from ..core.text import check_single_line
from ..extensions import db
from ..mentoring.operations import current_mentor
from . import policy
from .models import (
    BUNDESLAENDER,
    CO_LEAD,
    FIRM_CONTACT,
    FORMATS,
    LEAD,
    MEMBER_ROLES,
    MENTOR,
    PHASES,
    PLANNED,
    SECTORS,
    TOPICS,
    TRANSITIONS,
    Organisation,
    Room,
    RoomMember,
    RoomTopic,
)

MAX_TITLE, MAX_DESCRIPTION = 200, 10000
MAX_STAFF = 100000


class RoomError(Refusal):
    """A request about a room that cannot be carried out."""


def _int_or_none(value):
    if value in (None, ""):
        return None
    return int(value)


def check_room(data, lead, mentor, actor, room=None):
    """Raise RoomError with every problem of the room's ``data`` (a dict of the form's fields)."""
    with collect(RoomError) as refuse:
        title = (data.get("title") or "").strip()
        refuse.check(check_single_line, title, "title", RoomError)
        if not title:
            refuse(_("Bitte geben Sie einen Titel an."), "title")
        elif len(title) > MAX_TITLE:
            refuse(_("Der Titel ist zu lang (höchstens 200 Zeichen)."), "title")
        topics = data.get("topics") or []
        if not topics:
            refuse(_("Bitte wählen Sie mindestens ein Thema."), "topics")
        elif any(t not in TOPICS for t in topics):
            refuse(_("Unbekanntes Thema."), "topics")
        if data.get("bundesland") not in BUNDESLAENDER:
            refuse(_("Bitte wählen Sie ein Bundesland."), "bundesland")
        postcode = (data.get("postcode_area") or "").strip()
        if postcode and not re.fullmatch(r"\d{1,5}", postcode):
            refuse(
                _("Das PLZ-Gebiet besteht aus ein bis fünf Ziffern (z. B. 44 oder 235)."),
                "postcode_area",
            )
        if data.get("sector") not in SECTORS:
            refuse(_("Bitte wählen Sie eine Branche."), "sector")
        if data.get("format") not in FORMATS:
            refuse(_("Bitte wählen Sie ein Format."), "format")
        size_min, size_max = data.get("size_min"), data.get("size_max")
        for name, value in (("size_min", size_min), ("size_max", size_max)):
            if value is not None and not 0 <= value <= MAX_STAFF:
                refuse(_("Bitte eine Zahl zwischen 0 und 100000 angeben."), name)
        if size_min is not None and size_max is not None and size_min > size_max:
            refuse(_("Die kleinste Betriebsgröße ist größer als die größte."), "size_max")
        capacity = data.get("capacity")
        if capacity is None or not 1 <= capacity <= 50:
            refuse(
                _("Bitte geben Sie an, wie viele Unternehmen teilnehmen können (1 bis 50)."),
                "capacity",
            )
        for name in ("public_description", "private_description"):
            if len(data.get(name) or "") > MAX_DESCRIPTION:
                refuse(_("Der Text ist zu lang (höchstens 10000 Zeichen)."), name)
        if lead is None:
            refuse(_("Bitte wählen Sie die Lotsin oder den Lotsen, die den Raum leiten."), "lead")
        elif not policy.may_lead(lead):
            refuse(
                _(
                    "%(name)s kann keinen Raum leiten: nötig ist ein gültiges Zertifikat oder, "
                    "in der Qualifizierung, eine Mentorin oder ein Mentor.",
                    name=lead.name,
                ),
                "lead",
            )
        if mentor is not None and lead is not None and mentor.id == lead.id:
            refuse(_("Leitung und Mentorin / Mentor müssen verschiedene Personen sein."), "mentor")
        if lead is not None and mentor is None and not policy.is_certified(lead):
            refuse(
                _(
                    "Wer noch in der Qualifizierung ist, leitet einen Raum mit Mentorin oder Mentor."
                ),
                "mentor",
            )
        if room is None and not policy.may_create(actor):
            refuse(_("Sie können keinen Experimentierraum anlegen."))
        if room is not None and not policy.can_manage(actor, room):
            refuse(_("Sie können diesen Raum nicht bearbeiten."))
        if (
            room is None
            and actor is not None
            and not policy.is_staff(actor)
            and lead is not None
            and lead.id != actor.id
        ):
            refuse(_("Sie können nur Räume anlegen, die Sie selbst leiten."), "lead")


def _apply(room, data):
    room.title = data["title"].strip()
    room.bundesland = data["bundesland"]
    room.postcode_area = (data.get("postcode_area") or "").strip()
    room.sector = data["sector"]
    room.size_min, room.size_max = data.get("size_min"), data.get("size_max")
    room.format = data["format"]
    room.capacity = data["capacity"]
    room.public_description = (data.get("public_description") or "").strip()
    room.private_description = (data.get("private_description") or "").strip()
    wanted = set(data["topics"])
    room.topic_rows = [r for r in room.topic_rows if r.topic in wanted] + [
        RoomTopic(topic=t) for t in sorted(wanted - set(room.topics))
    ]


def create_room(data, lead, actor, mentor=None):
    """Open a room in phase "geplant" led by ``lead`` (flushed); returns it."""
    if mentor is None and lead is not None and not policy.is_certified(lead):
        mentor = current_mentor(lead)
    check_room(data, lead, mentor, actor)
    room = Room(lead_id=lead.id, mentor_id=mentor.id if mentor else None, phase=PLANNED)
    room.created_by_id = actor.id if actor else None
    _apply(room, data)
    db.session.add(room)
    db.session.flush()
    set_member(room, lead, LEAD, actor)
    if mentor is not None:
        set_member(room, mentor, MENTOR, actor)
    audit.record("rooms.created", room, actor=actor, title=room.title, lead=lead.id)
    return room


def update_room(room, data, actor, lead=None, mentor=None):
    """Change a room's fields (and lead/mentor, given) (flushed)."""
    lead = lead or room.lead
    check_room(data, lead, mentor, actor, room=room)
    _apply(room, data)
    if lead.id != room.lead_id:
        _drop_role(room, room.lead_id, LEAD, actor)
        room.lead_id = lead.id
        set_member(room, lead, LEAD, actor)
    new_mentor_id = mentor.id if mentor else None
    if new_mentor_id != room.mentor_id:
        if room.mentor_id:
            _drop_role(room, room.mentor_id, MENTOR, actor)
        room.mentor_id = new_mentor_id
        if mentor is not None:
            set_member(room, mentor, MENTOR, actor)
    db.session.flush()
    audit.record("rooms.updated", room, actor=actor)
    return room


def allowed_phases(room):
    """The phases ``room`` may move to next."""
    return TRANSITIONS[room.phase]


def change_phase(room, phase, actor):
    """Move ``room`` to ``phase`` if that step is allowed (flushed)."""
    if not policy.can_manage(actor, room):
        raise RoomError(_("Sie können diesen Raum nicht bearbeiten."))
    if phase not in PHASES:
        raise RoomError(_("Unbekannte Phase."), "phase")
    if phase not in TRANSITIONS[room.phase]:
        raise RoomError(
            _(
                "Von „%(old)s“ geht es nicht zu „%(new)s“.",
                old=PHASES[room.phase],
                new=PHASES[phase],
            ),
            "phase",
        )
    old, room.phase = room.phase, phase
    db.session.flush()
    audit.record("rooms.phase_changed", room, actor=actor, old=old, new=phase)
    return room


def members(room, role=None):
    """The room's members (with users and organisations), optionally of one role."""
    query = sa.select(RoomMember).where(RoomMember.room_id == room.id)
    if role:
        query = query.where(RoomMember.role == role)
    return db.session.scalars(query.order_by(RoomMember.role, RoomMember.joined_at)).all()


def set_member(room, user, role, actor, organisation=None):
    """Make ``user`` a member of ``room`` in ``role`` (or change their role); audited."""
    member = db.session.scalar(
        sa.select(RoomMember).where(RoomMember.room_id == room.id, RoomMember.user_id == user.id)
    )
    if member is None:
        member = RoomMember(
            room_id=room.id,
            user_id=user.id,
            role=role,
            organisation_id=organisation.id if organisation else None,
            added_by_id=actor.id if actor else None,
        )
        db.session.add(member)
        action = "rooms.member_added"
    else:
        member.role = role
        member.organisation_id = organisation.id if organisation else None
        action = "rooms.member_changed"
    db.session.flush()
    audit.record(action, room, actor=actor, subject=user, role=role)
    return member


def _drop_role(room, user_id, role, actor):
    member = db.session.scalar(
        sa.select(RoomMember).where(
            RoomMember.room_id == room.id, RoomMember.user_id == user_id, RoomMember.role == role
        )
    )
    if member is not None:
        db.session.delete(member)
        db.session.flush()
        audit.record(
            "rooms.member_removed",
            room,
            actor=actor,
            subject=db.session.get(User, user_id),
            role=role,
        )


def add_co_lead(room, user, actor):
    """Make ``user`` (a possible lead) a co-moderator of ``room`` (flushed)."""
    if not policy.can_manage(actor, room):
        raise RoomError(_("Sie können diesen Raum nicht bearbeiten."))
    if not policy.may_lead(user):
        raise RoomError(
            _(
                "%(name)s kann keinen Raum moderieren (kein Zertifikat, keine Mentorin, kein Mentor).",
                name=user.name,
            ),
            "user",
        )
    if policy.member_role(user, room) in (LEAD, FIRM_CONTACT):
        raise RoomError(_("%(name)s gehört dem Raum schon an.", name=user.name), "user")
    return set_member(room, user, CO_LEAD, actor)


def remove_member(room, member, actor):
    """Take a co-moderator or firm contact out of ``room`` (flushed); lead and mentor change
    by editing the room."""
    if not policy.can_manage(actor, room):
        raise RoomError(_("Sie können diesen Raum nicht bearbeiten."))
    if member.room_id != room.id or member.role not in (CO_LEAD, FIRM_CONTACT):
        raise RoomError(_("Leitung und Mentorin / Mentor ändern Sie über „Raum bearbeiten“."))
    user = member.user
    role = member.role
    db.session.delete(member)
    db.session.flush()
    audit.record("rooms.member_removed", room, actor=actor, subject=user, role=role)


def rooms_of(user):
    """Select of the rooms ``user`` belongs to (foundation: every room)."""
    query = sa.select(Room)
    if not policy.is_staff(user):
        query = query.where(
            Room.id.in_(sa.select(RoomMember.room_id).where(RoomMember.user_id == user.id))
        )
    return query


def role_label(role):
    """The German label of a room role (``foundation`` included)."""
    if role == policy.FOUNDATION:
        return _("Stiftung")
    return MEMBER_ROLES.get(role, role)


def check_organisation(data):
    """Raise RoomError with every problem of an organisation's ``data``."""
    with collect(RoomError) as refuse:
        name = (data.get("name") or "").strip()
        refuse.check(check_single_line, name, "name", RoomError)
        if not name:
            refuse(_("Bitte geben Sie den Namen des Unternehmens an."), "name")
        elif len(name) > 200:
            refuse(_("Der Name ist zu lang (höchstens 200 Zeichen)."), "name")
        if data.get("sector") not in SECTORS:
            refuse(_("Bitte wählen Sie eine Branche."), "sector")
        staff = data.get("staff_count")
        if staff is not None and not 0 <= staff <= MAX_STAFF:
            refuse(_("Bitte eine Zahl zwischen 0 und 100000 angeben."), "staff_count")
        if (data.get("bundesland") or "") not in ("", *BUNDESLAENDER):
            refuse(_("Unbekanntes Bundesland."), "bundesland")
        postcode = (data.get("postcode") or "").strip()
        if postcode and not re.fullmatch(r"\d{5}", postcode):
            refuse(_("Die Postleitzahl hat fünf Ziffern."), "postcode")


def save_organisation(organisation, data, actor):
    """Create (``organisation`` None) or change an organisation (flushed); returns it."""
    check_organisation(data)
    if organisation is None:
        organisation = Organisation(created_by_id=actor.id if actor else None)
        db.session.add(organisation)
    organisation.name = data["name"].strip()
    organisation.sector = data["sector"]
    organisation.staff_count = data.get("staff_count")
    organisation.bundesland = data.get("bundesland") or ""
    organisation.postcode = (data.get("postcode") or "").strip()
    db.session.flush()
    audit.record("rooms.organisation_saved", organisation, actor=actor)
    return organisation
