"""Calendar output of Q2 (RFC 5545): downloads, feeds and iTIP messages.

The calendar frame, the VEVENT and the iTIP wrapping are shared with other areas
(``core/ical.py``); this module says what a Q2 session puts into them.

Each date of a session is one VEVENT with its own UID that never changes; SEQUENCE is the
session's, which rises with every change, so calendar clients update or remove the entries
instead of duplicating them.

- Downloads and the subscription feed are METHOD:PUBLISH; a cancelled session keeps its
  events with STATUS:CANCELLED, and a session one only waits for (or has not booked) says
  STATUS:TENTATIVE.
- Mails carry iTIP messages (RFC 5546): METHOD:REQUEST to invite or update, METHOD:CANCEL to
  take a date out of the calendar. An iTIP message holds components of one UID only
  (§3.2.2, §3.2.5), so each is about one date: ``messages`` gives one per date.
"""

from datetime import datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _

from ...core import ical as shared
from ...core.urls import external_url
from ...extensions import db
from .models import Format, LiveSession, Registration, RegStatus, session_trainers

PRODUCT = "Q2"


class DateStub(NamedTuple):
    """What a message about a date needs after the date's row is gone (removed in an edit)."""

    id: int
    uid: str
    starts_at: datetime
    ends_at: datetime


def stub(date):
    """Keep the identity and times of a date row."""
    return DateStub(date.id, date.uid, date.starts_at, date.ends_at)


def event_uid(session, date):
    """The stable UID of one date of a session (stored with the date, see SessionDate.uid)."""
    return date.uid


def _calendar(name, method):
    """An empty VCALENDAR of Q2 with METHOD and the Berlin time zone."""
    return shared.calendar(name, method, PRODUCT)


def _session_url(session):
    """Absolute address of the session page."""
    return external_url("q2.detail", session_id=session.id)


def _location(session):
    """Venue and/or meeting link as calendar LOCATION."""
    parts = []
    if session.format != Format.VIRTUAL and session.venue:
        parts.append(" ".join(session.venue.split()))
    if session.format != Format.IN_PERSON and session.meeting_url:
        parts.append(session.meeting_url)
    return " | ".join(parts)


def _event(session, date, summary, now, with_access, status):
    """One VEVENT for one date of ``session``."""
    text = [session.description] if session.description else []
    if with_access and session.meeting_url:
        text.append(_("Online-Zugang: %(url)s", url=session.meeting_url))
    text.append(_session_url(session))
    return shared.event(
        uid=event_uid(session, date),
        sequence=session.sequence,
        now=now,
        created=session.created_at,
        modified=session.updated_at,
        starts_at=date.starts_at,
        ends_at=date.ends_at,
        summary=summary,
        description="\n\n".join(text),
        url=_session_url(session),
        location=_location(session) if with_access else "",
        status=status,
    )


def _summary(session, number, total):
    """``Q2: title``, with ``(n/N)`` when the session has several dates."""
    summary = f"Q2: {session.title}"
    return summary + f" ({number}/{total})" if total > 1 else summary


def _events(session, with_access, now, status):
    """One VEVENT per date of ``session``, all with ``status``."""
    total = len(session.dates)
    for number, date in enumerate(session.dates, 1):
        yield _event(session, date, _summary(session, number, total), now, with_access, status)


def viewer_status(session, user):
    """STATUS of the session's events as ``user`` sees them.

    CONFIRMED for the trainers and staff and for those holding a place; TENTATIVE for
    people on the waiting list or not booked; CANCELLED once it is cancelled.
    """
    if session.is_cancelled:
        return "CANCELLED"
    if session.has_trainer(user) or user.has_role("foundation", "admin"):
        return "CONFIRMED"
    enrolled = db.session.scalar(
        sa.select(Registration.id).where(
            Registration.session_id == session.id,
            Registration.user_id == user.id,
            Registration.status == RegStatus.ENROLLED,
        )
    )
    return "CONFIRMED" if enrolled else "TENTATIVE"


def session_calendar(session, with_access, now, user):
    """The .ics download of one session for ``user`` (METHOD:PUBLISH, no attendees)."""
    cal = _calendar(session.title, "PUBLISH")
    for event in _events(session, with_access, now, viewer_status(session, user)):
        cal.add_component(event)
    return cal.to_ical()


def message(session, date, method, attendee, now, with_access=True):
    """One iTIP message (RFC 5546) about one date of ``session`` to ``attendee``.

    REQUEST invites or updates (the attendee holds a confirmed place: PARTSTAT=ACCEPTED,
    no reply asked); CANCEL takes the date out of the attendee's calendar.
    """
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(method)
    dates = [d.id for d in session.dates]
    number = dates.index(date.id) + 1 if date.id in dates else 0
    summary = _summary(session, number, len(dates)) if number else f"Q2: {session.title}"
    if method not in shared.METHODS:
        raise ValueError(method)
    status = "CANCELLED" if method == "CANCEL" else "CONFIRMED"
    event = _event(session, date, summary, now, with_access and method == "REQUEST", status)
    return shared.itip_message(session.title, PRODUCT, event, method, attendee)


def feed_sessions(user):
    """Sessions in a person's feed: where they hold a place, and those they train."""
    enrolled = sa.select(Registration.session_id).where(
        Registration.user_id == user.id, Registration.status == RegStatus.ENROLLED
    )
    trained = sa.select(session_trainers.c.session_id).where(session_trainers.c.user_id == user.id)
    return db.session.scalars(
        sa.select(LiveSession)
        .where(sa.or_(LiveSession.id.in_(enrolled), LiveSession.id.in_(trained)))
        .order_by(LiveSession.id)
    ).all()


def feed_calendar(user, now):
    """A person's subscription feed (METHOD:PUBLISH); cancelled sessions stay, marked CANCELLED."""
    cal = _calendar(_("OM-Lotsen: meine Q2-Termine"), "PUBLISH")
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    for session in feed_sessions(user):
        status = "CANCELLED" if session.is_cancelled else "CONFIRMED"
        for event in _events(session, True, now, status):
            cal.add_component(event)
    return cal.to_ical()
