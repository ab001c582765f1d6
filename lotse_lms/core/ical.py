"""Calendar output shared by the areas that schedule (RFC 5545/5546, made with icalendar).

An area describes each appointment as one VEVENT with a UID that never changes and a
SEQUENCE that rises with every change (:func:`event`), wraps events into a download
(:func:`calendar` with METHOD:PUBLISH) or into iTIP messages to one attendee
(:func:`itip_message`: REQUEST invites or updates, CANCEL takes the entry out). An iTIP
message holds components of one UID only (RFC 5546 §3.2.2, §3.2.5).
"""

from datetime import datetime
from email.utils import parseaddr

from flask import Response, current_app
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vRecur,
)

from .timeutil import BERLIN

PRODID = "-//Stiftung Mittelstand - Gesellschaft - Verantwortung//lotse_lms %s//DE"
METHODS = ("REQUEST", "CANCEL")


def organizer_address():
    """(name, address) of the configured sender, the ORGANIZER of every event.

    The start refuses a sender without a real domain (see ``config.mail_sender_problems``),
    so there is no fallback here.
    """
    name, address = parseaddr(current_app.config["MAIL_SENDER"])
    if "@" not in address:
        raise ValueError(f"MAIL_SENDER {current_app.config['MAIL_SENDER']!r} has no address")
    return name or "OM-Lotsen-Qualifizierung", address


def berlin_timezone():
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


def calendar(name, method, product):
    """An empty VCALENDAR of ``product`` (e.g. "Q2") with METHOD and the Berlin time zone."""
    cal = Calendar()
    cal.add("prodid", PRODID % product)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Berlin")
    cal.add_component(berlin_timezone())
    return cal


def event(
    *,
    uid,
    sequence,
    now,
    created,
    modified,
    starts_at,
    ends_at,
    summary,
    description,
    url,
    location,
    status,
):
    """One VEVENT (times written in Berlin time, the organizer is the configured sender)."""
    item = Event()
    item.add("uid", uid)
    item.add("sequence", sequence)
    item.add("dtstamp", now)
    item.add("created", created)
    item.add("last-modified", modified)
    item.add("dtstart", starts_at.astimezone(BERLIN))
    item.add("dtend", ends_at.astimezone(BERLIN))
    item.add("summary", summary)
    item.add("description", description)
    item.add("url", url)
    if location:
        item.add("location", location)
    item.add("status", status)
    item.add("transp", "OPAQUE")
    name, address = organizer_address()
    item.add("organizer", vCalAddress(f"mailto:{address}"), parameters={"CN": name})
    return item


def itip_message(cal_name, product, item, method, attendee):
    """The iTIP message (RFC 5546) carrying ``item`` to ``attendee`` (a user) as bytes.

    REQUEST: the attendee is confirmed (PARTSTAT=ACCEPTED, no reply asked); CANCEL takes the
    entry out of the attendee's calendar.
    """
    if method not in METHODS:
        raise ValueError(method)
    params = {"CN": attendee.name, "ROLE": "REQ-PARTICIPANT", "CUTYPE": "INDIVIDUAL"}
    if method == "REQUEST":
        params.update(PARTSTAT="ACCEPTED", RSVP="FALSE")
    item.add("attendee", vCalAddress(f"mailto:{attendee.email}"), parameters=params)
    cal = calendar(cal_name, method, product)
    cal.add_component(item)
    return cal.to_ical()


def ics_response(data, filename):
    """Serve iCalendar data as a download."""
    return Response(
        data,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-cache",
        },
    )
