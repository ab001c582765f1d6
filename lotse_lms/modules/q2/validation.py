"""Checks of a session's fields: every refusal of one submission is collected, none lost."""

from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from ...core.errors import collect
from ...core.timeutil import berlin_text, to_utc
from . import prerequisites
from .common import Q2Error, now_utc, topics
from .models import Format
from .queries import enrolled_count

MAX_CAPACITY = 500


def aware(value, field):
    """Accept aware datetimes; read naive ones as Europe/Berlin wall-clock time."""
    if not isinstance(value, datetime):
        raise Q2Error(_("Bitte geben Sie Datum und Uhrzeit an."), field)
    if value.tzinfo is not None:
        return value
    converted = to_utc(value)
    if converted is None:
        raise Q2Error(
            _(
                "%(t)s gibt es wegen der Umstellung auf Sommerzeit nicht.",
                t=value.strftime("%d.%m.%Y %H:%M"),
            ),
            field,
        )
    return converted


def _url_ok(url):
    """A meeting link must be a complete https address."""
    parts = urlsplit(url)
    return (
        parts.scheme == "https"
        and bool(parts.hostname)
        and not any(c.isspace() for c in url)
        and len(url) <= 500
    )


def _clean_place(data, refuse):
    """Format, venue, region and link; what the format does not use is emptied."""
    try:
        fmt = Format(data.get("format"))
    except ValueError:
        refuse(_("Bitte wählen Sie ein Format."), "format")
        return None, "", "", ""
    venue = (data.get("venue") or "").strip() if fmt != Format.VIRTUAL else ""
    region = (data.get("region") or "").strip() if fmt != Format.VIRTUAL else ""
    url = (data.get("meeting_url") or "").strip() if fmt != Format.IN_PERSON else ""
    if fmt != Format.VIRTUAL:
        if not venue:
            refuse(_("Bitte geben Sie die Adresse des Veranstaltungsorts an."), "venue")
        if region not in current_app.config["REGIONS"]:
            refuse(_("Bitte wählen Sie die Region des Veranstaltungsorts."), "region")
    if fmt != Format.IN_PERSON:
        if not url:
            refuse(_("Bitte geben Sie den Link zum Online-Raum an."), "meeting_url")
        elif not _url_ok(url):
            refuse(
                _("Bitte geben Sie einen gültigen Link beginnend mit https:// an."), "meeting_url"
            )
    return fmt, venue, region, url


def _clean_dates(data, session, refuse):
    """The dates, sorted: each ends after it starts, new ones lie ahead, none overlap."""
    now = now_utc()
    old_dates = {(d.starts_at, d.ends_at) for d in session.dates} if session else set()
    dates = []
    for start, end in data.get("dates") or []:
        start, end = refuse.check(aware, start, "dates"), refuse.check(aware, end, "dates")
        if start is None or end is None:
            continue
        if end <= start:
            refuse(
                _(
                    "Das Ende (%(e)s) muss nach dem Beginn (%(s)s) liegen.",
                    s=berlin_text(start),
                    e=berlin_text(end),
                ),
                "dates",
            )
            continue
        if start < now and (start, end) not in old_dates:
            refuse(
                _("Der Termin am %(s)s liegt in der Vergangenheit.", s=berlin_text(start)), "dates"
            )
        dates.append((start, end))
    if not dates and not any(name == "dates" for name, _text in refuse.pairs):
        refuse(_("Bitte geben Sie mindestens einen Termin an."), "dates")
    dates.sort()
    for (s1, e1), (s2, _e2) in zip(dates, dates[1:], strict=False):
        if s2 < e1:
            refuse(
                _(
                    "Die Termine am %(a)s und am %(b)s überschneiden sich.",
                    a=berlin_text(s1),
                    b=berlin_text(s2),
                ),
                "dates",
            )
    return dates


def _clean_deadline(data, key, first, refuse, message):
    """A deadline typed, or the start of the first date; it may not lie after that start."""
    if not data.get(key):
        return first
    value = refuse.check(aware, data[key], key)
    if value is not None and first is not None and value > first:
        refuse(message, key)
    return value


def clean_session(data, session=None):
    """Check every field; return the cleaned values or raise one Q2Error naming every bad field."""
    with collect(Q2Error) as refuse:
        title = (data.get("title") or "").strip()
        if not title:
            refuse(_("Bitte geben Sie einen Titel an."), "title")
        elif len(title) > 200:
            refuse(_("Der Titel darf höchstens 200 Zeichen haben."), "title")
        if data.get("topic") not in topics():
            refuse(_("Bitte wählen Sie ein Thema aus der Liste."), "topic")
        fmt, venue, region, url = _clean_place(data, refuse)
        capacity = data.get("capacity")
        if not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
            refuse(
                _("Die Zahl der Plätze muss zwischen 1 und %(n)s liegen.", n=MAX_CAPACITY),
                "capacity",
            )
        elif session is not None:  # checked again under the session lock when saving
            refuse.check(check_capacity, session, capacity)
        dates = _clean_dates(data, session, refuse)
        first = dates[0][0] if dates else None
        enrol_deadline = _clean_deadline(
            data,
            "enrol_deadline",
            first,
            refuse,
            _("Die Anmeldefrist muss vor dem ersten Termin enden."),
        )
        cancel_deadline = _clean_deadline(
            data,
            "cancel_deadline",
            first,
            refuse,
            _("Die Abmeldefrist muss vor dem ersten Termin enden."),
        )
        prereqs = list(dict.fromkeys(data.get("prerequisites") or []))
        unknown = [k for k in prereqs if k not in prerequisites.available()]
        if unknown:
            refuse(_("Unbekannte Voraussetzung: %(k)s", k=", ".join(unknown)), "prerequisites")
    return {
        "title": title,
        "topic": data["topic"],
        "description": (data.get("description") or "").strip(),
        "format": str(fmt),
        "venue": venue,
        "region": region,
        "meeting_url": url,
        "capacity": capacity,
        "dates": dates,
        "enrol_deadline": enrol_deadline,
        "cancel_deadline": cancel_deadline,
        "prerequisites": prereqs,
    }


def check_capacity(session, capacity):
    """The places may not drop below the people already enrolled."""
    taken = enrolled_count(session)
    if capacity < taken:
        raise Q2Error(
            _(
                "Es sind bereits %(n)s Personen angemeldet; die Zahl der Plätze kann nicht "
                "darunter liegen.",
                n=taken,
            ),
            "capacity",
        )
