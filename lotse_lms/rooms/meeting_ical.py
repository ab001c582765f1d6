"""A room's meetings in calendars: the .ics download and the iTIP messages of the mails.

Built on the calendar code Q2 uses too (``core/ical.py``): each meeting is one VEVENT with its
own fixed UID; its SEQUENCE rises with every change, so a REQUEST moves the entry and a CANCEL
removes it instead of adding a second one.
"""

from flask_babel import gettext as _

from ..core import ical as shared
from ..core.urls import external_url

PRODUCT = "Experimentierraum"


def meeting_url(meeting):
    """Absolute address of the meeting page."""
    return external_url("rooms.meeting", room_id=meeting.room_id, meeting_id=meeting.id)


def summary(meeting):
    """``Room: meeting title`` as calendars show it."""
    return f"{meeting.room.title}: {meeting.title}"


def location(meeting):
    """Place and/or video link as calendar LOCATION."""
    return " | ".join(part for part in (" ".join(meeting.place.split()), meeting.video_url) if part)


def _description(meeting):
    """The agenda, the video link and the page's address."""
    text = []
    if meeting.agenda:
        lines = [f"{n}. {item.title}" for n, item in enumerate(meeting.agenda, 1)]
        text.append(_("Tagesordnung:") + "\n" + "\n".join(lines))
    if meeting.video_url:
        text.append(_("Online-Zugang: %(url)s", url=meeting.video_url))
    text.append(meeting_url(meeting))
    return "\n\n".join(text)


def _event(meeting, now, status):
    """The VEVENT of ``meeting``."""
    return shared.event(
        uid=meeting.uid,
        sequence=meeting.sequence,
        now=now,
        created=meeting.created_at,
        modified=meeting.updated_at,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=summary(meeting),
        description=_description(meeting),
        url=meeting_url(meeting),
        location=location(meeting),
        status=status,
    )


def meeting_calendar(meeting, now):
    """The .ics download of one meeting (METHOD:PUBLISH; a cancelled one says CANCELLED)."""
    cal = shared.calendar(summary(meeting), "PUBLISH", PRODUCT)
    cal.add_component(_event(meeting, now, "CANCELLED" if meeting.is_cancelled else "CONFIRMED"))
    return cal.to_ical()


def message(meeting, method, attendee, now):
    """The iTIP message of ``meeting`` to ``attendee``: REQUEST (invite/update) or CANCEL."""
    status = "CANCELLED" if method == "CANCEL" else "CONFIRMED"
    return shared.itip_message(
        summary(meeting), PRODUCT, _event(meeting, now, status), method, attendee
    )
