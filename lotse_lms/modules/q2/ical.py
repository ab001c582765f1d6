"""Calendar output (RFC 5545, made with icalendar): one session as a file, a person's feed.

Each date of a session is one VEVENT with a UID that never changes; SEQUENCE rises with
every change of the session, and a cancelled session keeps its events with
STATUS:CANCELLED, so calendar clients update or remove the entries instead of duplicating.
"""

from datetime import datetime, timedelta
from email.utils import parseaddr

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vRecur,
)

from ...core.timeutil import BERLIN
from ...core.urls import external_url
from ...extensions import db
from .models import Format, LiveSession, Registration, RegStatus, session_trainers

PRODID = "-//Stiftung Mittelstand - Gesellschaft - Verantwortung//lotse_lms Q2//DE"


def event_uid(session, date):
    """The stable UID of one date of a session."""
    return f"q2-{session.uid}-{date.id}@lotse-lms"


def _berlin_timezone():
    """VTIMEZONE for Europe/Berlin with the EU rules (last Sunday of March / October)."""
    tz = Timezone()
    tz.add("tzid", "Europe/Berlin")
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("dtstart", datetime(1981, 3, 29, 2, 0))
    summer.add("tzoffsetfrom", BERLIN.utcoffset(datetime(2000, 1, 1)))
    summer.add("tzoffsetto", BERLIN.utcoffset(datetime(2000, 7, 1)))
    summer.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("dtstart", datetime(1996, 10, 27, 3, 0))
    winter.add("tzoffsetfrom", BERLIN.utcoffset(datetime(2000, 7, 1)))
    winter.add("tzoffsetto", BERLIN.utcoffset(datetime(2000, 1, 1)))
    winter.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def _calendar(name, method):
    """An empty VCALENDAR with our PRODID, METHOD and the Berlin time zone."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Berlin")
    cal.add_component(_berlin_timezone())
    return cal


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


def _events(session, with_access, now, attendee=None):
    """One VEVENT per date of ``session``."""
    name, address = parseaddr(current_app.config["MAIL_SENDER"])
    total = len(session.dates)
    for number, date in enumerate(session.dates, 1):
        event = Event()
        event.add("uid", event_uid(session, date))
        event.add("sequence", session.sequence)
        event.add("dtstamp", now)
        event.add("created", session.created_at)
        event.add("last-modified", session.updated_at)
        event.add("dtstart", date.starts_at.astimezone(BERLIN))
        event.add("dtend", date.ends_at.astimezone(BERLIN))
        summary = f"Q2: {session.title}"
        if total > 1:
            summary += f" ({number}/{total})"
        event.add("summary", summary)
        text = [session.description] if session.description else []
        if with_access and session.meeting_url:
            text.append(_("Online-Zugang: %(url)s", url=session.meeting_url))
        text.append(_session_url(session))
        event.add("description", "\n\n".join(text))
        event.add("url", _session_url(session))
        if with_access and _location(session):
            event.add("location", _location(session))
        event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
        event.add("transp", "OPAQUE")
        organizer = vCalAddress(f"mailto:{address or 'noreply@localhost'}")
        organizer.params["cn"] = name or "OM-Lotsen-Qualifizierung"
        event.add("organizer", organizer)
        if attendee is not None:
            person = vCalAddress(f"mailto:{attendee.email}")
            person.params["cn"] = attendee.name
            event.add("attendee", person)
        yield event


def session_calendar(session, with_access, now, user=None):
    """The .ics of one session; METHOD:CANCEL once it is cancelled, else PUBLISH.

    RFC 5546 wants a cancellation to name the attendees it removes: ``user``, if given.
    """
    cancel = session.is_cancelled
    cal = _calendar(session.title, "CANCEL" if cancel else "PUBLISH")
    for event in _events(session, with_access, now, user if cancel else None):
        cal.add_component(event)
    return cal.to_ical()


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
        for event in _events(session, True, now):
            cal.add_component(event)
    return cal.to_ical()
