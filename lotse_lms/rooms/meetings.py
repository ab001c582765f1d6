"""Verbs of a room's meetings: schedule, change, cancel, protocol, approvals and comments.

Every member of the room gets the calendar message of each change (iTIP REQUEST with a
higher SEQUENCE, CANCEL when it is called off). The protocol is written by those who manage
the room once the meeting has begun; each firm contact approves it once, and a protocol
changed after approvals asks them again (approvals count for the version they saw).
"""

import uuid
from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..accounts.models import User
from ..core import audit, mail
from ..core.errors import Refusal, collect
from ..core.text import check_single_line
from ..core.timeutil import berlin_text, to_utc, utcnow
from ..extensions import db
from . import meeting_ical, policy
from .meeting_models import AgendaItem, Meeting, ProtocolApproval, ProtocolComment
from .models import FIRM_CONTACT, RoomMember

MAX_TITLE, MAX_PLACE, MAX_URL, MAX_ITEM, MAX_ITEMS = 200, 300, 500, 300, 30
MAX_PROTOCOL, MAX_COMMENT, MAX_REASON = 50000, 5000, 500


class MeetingError(Refusal):
    """A request about a meeting that cannot be carried out."""


def _aware(value, field, refuse):
    """An aware UTC time from a naive Berlin one; refuses a missing or non-existing time."""
    if not isinstance(value, datetime):
        refuse(_("Bitte geben Sie Datum und Uhrzeit an."), field)
        return None
    if value.tzinfo is not None:
        return value
    converted = to_utc(value)
    if converted is None:
        refuse(
            _(
                "%(t)s gibt es wegen der Umstellung auf Sommerzeit nicht.",
                t=value.strftime("%d.%m.%Y %H:%M"),
            ),
            field,
        )
    return converted


def _url_ok(url):
    """A video link must be a complete https address without spaces."""
    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.hostname) and not any(c.isspace() for c in url)


def check_meeting(title, starts_at, ends_at, place, video_url, agenda):
    """Clean a meeting's fields, every refusal at once; returns them as a dict.

    ``agenda``: the agenda items, one per line (empty lines are dropped).
    """
    title, place, video_url = (
        (title or "").strip(),
        (place or "").strip(),
        (video_url or "").strip(),
    )
    items = [line.strip() for line in (agenda or "").splitlines() if line.strip()]
    with collect(MeetingError) as refuse:
        refuse.check(check_single_line, title, "title", MeetingError)
        if not title:
            refuse(_("Bitte geben Sie einen Titel an."), "title")
        elif len(title) > MAX_TITLE:
            refuse(_("Der Titel ist zu lang (höchstens %(n)s Zeichen).", n=MAX_TITLE), "title")
        start = _aware(starts_at, "starts_at", refuse)
        end = _aware(ends_at, "ends_at", refuse)
        if start and end and end <= start:
            refuse(_("Das Ende muss nach dem Beginn liegen."), "ends_at")
        if not place and not video_url:
            refuse(_("Bitte geben Sie einen Ort oder einen Video-Link an."), "place")
        if len(place) > MAX_PLACE:
            refuse(_("Der Ort ist zu lang (höchstens %(n)s Zeichen).", n=MAX_PLACE), "place")
        if video_url and (len(video_url) > MAX_URL or not _url_ok(video_url)):
            refuse(_("Bitte geben Sie einen gültigen Link beginnend mit https:// an."), "video_url")
        if len(items) > MAX_ITEMS:
            refuse(_("Höchstens %(n)s Tagesordnungspunkte.", n=MAX_ITEMS), "agenda")
        if any(len(item) > MAX_ITEM for item in items):
            refuse(_("Ein Tagesordnungspunkt hat höchstens %(n)s Zeichen.", n=MAX_ITEM), "agenda")
    return {
        "title": title,
        "starts_at": start,
        "ends_at": end,
        "place": place,
        "video_url": video_url,
        "agenda": items,
    }


def members_of(room):
    """The users of the room's members (lead, co-leads, mentor, firm contacts), by name."""
    return db.session.scalars(
        sa.select(User)
        .join(RoomMember, RoomMember.user_id == User.id)
        .where(RoomMember.room_id == room.id)
        .order_by(User.name, User.id)
        .distinct()
    ).all()


def firm_contacts(room):
    """The users who represent a firm in the room, by name."""
    return db.session.scalars(
        sa.select(User)
        .join(RoomMember, RoomMember.user_id == User.id)
        .where(RoomMember.room_id == room.id, RoomMember.role == FIRM_CONTACT)
        .order_by(User.name, User.id)
    ).all()


def is_firm_contact(user, room):
    """True if ``user`` represents a firm in ``room``."""
    return bool(
        db.session.scalar(
            sa.select(RoomMember.id).where(
                RoomMember.room_id == room.id,
                RoomMember.user_id == user.id,
                RoomMember.role == FIRM_CONTACT,
            )
        )
    )


def _notify(meeting, method, subject, intro):
    """Queue one mail per member with the meeting's facts and its iTIP message."""
    now = utcnow()
    for user in members_of(meeting.room):
        with force_locale(user.locale or current_app.config["DEFAULT_LOCALE"]):
            body = _(
                "Guten Tag %(name)s,\n\n%(intro)s\n\n„%(title)s“\n%(start)s – %(end)s Uhr\n"
                "%(where)s\n\nDetails: %(link)s\n\nIhre OM-Lotsen-Plattform",
                name=user.name,
                intro=intro(),
                title=meeting_ical.summary(meeting),
                start=berlin_text(meeting.starts_at),
                end=berlin_text(meeting.ends_at, "HH:mm"),
                where=meeting_ical.location(meeting),
                link=meeting_ical.meeting_url(meeting),
            )
            itip = meeting_ical.message(meeting, method, user, now)
            mail.queue(user.email, subject(), body, calendar=itip)


def _apply(meeting, data):
    """Write cleaned fields and the agenda onto ``meeting``."""
    for key in ("title", "starts_at", "ends_at", "place", "video_url"):
        setattr(meeting, key, data[key])
    meeting.agenda = [
        AgendaItem(position=number, title=item) for number, item in enumerate(data["agenda"], 1)
    ]


def schedule_meeting(room, actor, **fields):
    """Schedule a meeting of ``room``; every member gets a calendar invitation (REQUEST)."""
    policy.refuse_if_closed(room, MeetingError)
    data = check_meeting(**fields)
    meeting = Meeting(room_id=room.id, uid=f"room-meeting-{uuid.uuid4().hex}@lotse-lms")
    meeting.room = room
    _apply(meeting, data)
    db.session.add(meeting)
    db.session.flush()
    audit.record("rooms.meeting_scheduled", meeting, actor=actor, room=room.id)
    _notify(
        meeting,
        "REQUEST",
        lambda: _("Neues Treffen: %(t)s", t=meeting.title),
        lambda: _("Für Ihren Experimentierraum ist ein Treffen geplant."),
    )
    return meeting


def update_meeting(meeting, actor, **fields):
    """Change a meeting; a change of time, place, link, title or agenda goes out as REQUEST
    with a higher SEQUENCE, so calendars move the entry."""
    policy.refuse_if_closed(meeting.room, MeetingError)
    if meeting.is_cancelled:
        raise MeetingError(_("Das Treffen ist abgesagt und kann nicht mehr geändert werden."))
    data = check_meeting(**fields)
    before = (
        meeting.title,
        meeting.starts_at,
        meeting.ends_at,
        meeting.place,
        meeting.video_url,
        [item.title for item in meeting.agenda],
    )
    after = tuple(data[k] for k in ("title", "starts_at", "ends_at", "place", "video_url"))
    if before == (*after, data["agenda"]):
        return False
    _apply(meeting, data)
    meeting.sequence += 1
    meeting.updated_at = utcnow()
    db.session.flush()
    audit.record("rooms.meeting_changed", meeting, actor=actor, sequence=meeting.sequence)
    _notify(
        meeting,
        "REQUEST",
        lambda: _("Treffen geändert: %(t)s", t=meeting.title),
        lambda: _("Das folgende Treffen wurde geändert. Bitte prüfen Sie die neuen Angaben."),
    )
    return True


def cancel_meeting(meeting, actor, reason=""):
    """Call a meeting off; every member gets a CANCEL that takes it out of the calendar."""
    policy.refuse_if_closed(meeting.room, MeetingError)
    reason = (reason or "").strip()
    if meeting.is_cancelled:
        raise MeetingError(_("Das Treffen ist bereits abgesagt."))
    if len(reason) > MAX_REASON:
        raise MeetingError(
            _("Der Grund ist zu lang (höchstens %(n)s Zeichen).", n=MAX_REASON), "reason"
        )
    meeting.cancelled_at = meeting.updated_at = utcnow()
    meeting.cancel_reason = reason
    meeting.sequence += 1
    db.session.flush()
    audit.record("rooms.meeting_cancelled", meeting, actor=actor, reason=reason)

    def intro():
        text = _("Das folgende Treffen wurde abgesagt.")
        return text + ("\n" + _("Grund: %(reason)s", reason=reason) if reason else "")

    _notify(meeting, "CANCEL", lambda: _("Treffen abgesagt: %(t)s", t=meeting.title), intro)


def save_protocol(meeting, actor, text):
    """Write or change the protocol (Markdown) once the meeting has begun.

    A changed text is a new version: earlier approvals no longer count, and the firm contacts
    are asked by mail to approve it (again).
    """
    policy.refuse_if_closed(meeting.room, MeetingError)
    text = (text or "").strip()
    with collect(MeetingError) as refuse:
        if meeting.is_cancelled:
            refuse(_("Für ein abgesagtes Treffen gibt es kein Protokoll."))
        elif meeting.starts_at > utcnow():
            refuse(_("Das Protokoll kann erst nach Beginn des Treffens geschrieben werden."))
        if not text:
            refuse(_("Bitte schreiben Sie das Protokoll."), "protocol")
        elif len(text) > MAX_PROTOCOL:
            refuse(
                _("Das Protokoll ist zu lang (höchstens %(n)s Zeichen).", n=MAX_PROTOCOL),
                "protocol",
            )
    if text == meeting.protocol:
        return False
    again = bool(current_approvals(meeting))
    meeting.protocol = text
    meeting.protocol_version += 1
    meeting.protocol_at = utcnow()
    db.session.flush()
    audit.record("rooms.protocol_saved", meeting, actor=actor, version=meeting.protocol_version)
    link = meeting_ical.meeting_url(meeting)
    for user in firm_contacts(meeting.room):
        with force_locale(user.locale or current_app.config["DEFAULT_LOCALE"]):
            intro = (
                _("Das Protokoll wurde nach Ihrer Freigabe geändert. Bitte prüfen Sie es erneut.")
                if again
                else _("Das Protokoll des Treffens liegt vor. Bitte prüfen und geben Sie es frei.")
            )
            mail.queue(
                user.email,
                _("Protokoll zur Freigabe: %(t)s", t=meeting_ical.summary(meeting)),
                _(
                    "Guten Tag %(name)s,\n\n%(intro)s\n\n%(link)s\n\nIhre OM-Lotsen-Plattform",
                    name=user.name,
                    intro=intro,
                    link=link,
                ),
            )
    return True


def current_approvals(meeting):
    """Approvals of the protocol's current version, oldest first (users joined)."""
    return db.session.scalars(
        sa.select(ProtocolApproval)
        .where(
            ProtocolApproval.meeting_id == meeting.id,
            ProtocolApproval.version == meeting.protocol_version,
        )
        .order_by(ProtocolApproval.approved_at, ProtocolApproval.id)
    ).all()


def approve_protocol(meeting, user):
    """A firm contact approves the protocol's current version (once)."""
    if not is_firm_contact(user, meeting.room):
        raise MeetingError(_("Nur Vertreterinnen und Vertreter der Unternehmen geben frei."))
    if not meeting.protocol:
        raise MeetingError(_("Es gibt noch kein Protokoll."))
    if any(a.user_id == user.id for a in current_approvals(meeting)):
        raise MeetingError(_("Sie haben dieses Protokoll bereits freigegeben."))
    approval = ProtocolApproval(
        meeting_id=meeting.id, user_id=user.id, version=meeting.protocol_version
    )
    db.session.add(approval)
    db.session.flush()
    audit.record("rooms.protocol_approved", meeting, actor=user, version=approval.version)
    return approval


def comment_protocol(meeting, user, body):
    """A member comments on the protocol (Markdown, shown safely)."""
    policy.refuse_if_closed(meeting.room, MeetingError)
    body = (body or "").strip()
    with collect(MeetingError) as refuse:
        if not meeting.protocol:
            refuse(_("Es gibt noch kein Protokoll."))
        if not body:
            refuse(_("Bitte schreiben Sie einen Kommentar."), "body")
        elif len(body) > MAX_COMMENT:
            refuse(_("Der Kommentar ist zu lang (höchstens %(n)s Zeichen).", n=MAX_COMMENT), "body")
    comment = ProtocolComment(meeting_id=meeting.id, author_id=user.id, body=body)
    db.session.add(comment)
    db.session.flush()
    return comment


def comments_select(meeting):
    """Select of the protocol's comments (authors joined); the caller orders and pages."""
    return sa.select(ProtocolComment).where(ProtocolComment.meeting_id == meeting.id)


def comments_of(meeting):
    """The protocol's comments, oldest first (authors joined)."""
    return db.session.scalars(comments_select(meeting).order_by(ProtocolComment.id)).all()


def page_of(model, parent_column, parent_id, item_id, size):
    """The page (oldest first, ``size`` per page) on which the row ``item_id`` of ``model``
    whose ``parent_column`` is ``parent_id`` appears: one COUNT."""
    before = db.session.scalar(
        sa.select(sa.func.count(model.id)).where(parent_column == parent_id, model.id <= item_id)
    )
    return max(1, -(-before // size))


def next_meeting(room, now=None):
    """The room's next meeting that is not over and not cancelled, or None."""
    return db.session.scalar(
        sa.select(Meeting)
        .where(
            Meeting.room_id == room.id,
            Meeting.cancelled_at.is_(None),
            Meeting.ends_at > (now or utcnow()),
        )
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(1)
    )


def next_meetings_of(user, now=None, limit=3):
    """The next meetings of the rooms ``user`` belongs to (for the dashboard)."""
    rooms = sa.select(RoomMember.room_id).where(RoomMember.user_id == user.id)
    return db.session.scalars(
        sa.select(Meeting)
        .where(
            Meeting.room_id.in_(rooms),
            Meeting.cancelled_at.is_(None),
            Meeting.ends_at > (now or utcnow()),
        )
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(limit)
    ).all()
