"""Helpers of the meeting tests: firms joining a room, meeting fields, the outbox."""

from datetime import datetime, timedelta

import sqlalchemy as sa

from lotse_lms.core.mail import OutboxMail
from lotse_lms.core.timeutil import BERLIN
from lotse_lms.extensions import db

from .joining import join_firm


def add_firm(room, make_user, name, firm):
    """A firm contact of ``firm`` who joined ``room`` by the lead's invitation (``make_user``
    is kept for the callers; the invitation creates the account)."""
    return join_firm(room, name, firm)[0]


def berlin_day(days, hour):
    """A naive Berlin wall-clock time ``days`` from today at ``hour``:00."""
    base = datetime.now(BERLIN).replace(tzinfo=None, minute=0, second=0, microsecond=0)
    return base.replace(hour=hour) + timedelta(days=days)


def meeting_fields(**changes):
    """Valid fields of a meeting in a week (17–19 Uhr, in person and online)."""
    fields = {
        "title": "Zweites Treffen: Reparaturaufträge",
        "starts_at": berlin_day(7, 17),
        "ends_at": berlin_day(7, 19),
        "place": "Werkstatt Becker, Hauptstr. 1, 44135 Dortmund",
        "video_url": "https://meet.example.org/raum-1",
        "agenda": "Begrüßung\nBericht aus den Betrieben\nNächste Schritte",
    }
    return {**fields, **changes}


def mark():
    """The newest outbox id (0 when empty)."""
    return db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(OutboxMail.id), 0)))


def mails_since(since, recipient=None):
    """Outbox mails queued after ``since`` (to ``recipient`` if given), oldest first."""
    query = sa.select(OutboxMail).where(OutboxMail.id > since).order_by(OutboxMail.id)
    if recipient:
        query = query.where(OutboxMail.recipient == recipient)
    return db.session.scalars(query).all()
