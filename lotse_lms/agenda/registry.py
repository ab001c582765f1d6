"""What each area puts into a person's calendar: providers registered in the area's init_app.

A provider is ``callable(user, first_day, last_day) -> list[Entry]``: the entries of ``user``
on the Berlin days ``first_day``..``last_day`` (dates, inclusive). It runs a fixed number of
queries whatever the number of entries.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app

from ..core.timeutil import BERLIN


@dataclass(frozen=True)
class Entry:
    """One thing in the calendar: an appointment (with times) or a deadline / whole day."""

    #: An aware datetime (appointment, deadline at a time) or a date (whole day).
    start: datetime | date
    #: End of an appointment; None for deadlines and whole days.
    end: datetime | None
    title: str
    #: The page about it (relative URL from url_for).
    url: str
    #: Area label shown beside it, e.g. "Q2", "Reflecting Team".
    area: str
    #: "event" or "deadline".
    kind: str = "event"
    #: A short state such as "Warteliste" or "abgesagt"; "" when there is none.
    note: str = ""

    @property
    def day(self):
        """The Berlin day the entry falls on."""
        if isinstance(self.start, datetime):
            return self.start.astimezone(BERLIN).date()
        return self.start

    @property
    def sort_key(self):
        """Whole-day entries first, then by time; a deadline before an appointment at its time."""
        later = self.kind != "deadline"
        if isinstance(self.start, datetime):
            return (self.day, 1, self.start.astimezone(BERLIN).time(), later)
        return (self.day, 0, time(), later)


def register_agenda(app, provider):
    """Add an area's calendar entries (called from the area's ``init_app``)."""
    app.extensions.setdefault("lotse_agenda", []).append(provider)


def utc_bounds(first_day, last_day):
    """The UTC instants from the start of ``first_day`` to the end of ``last_day`` in Berlin."""
    start = datetime.combine(first_day, time(), BERLIN)
    end = datetime.combine(last_day + timedelta(days=1), time(), BERLIN)
    return start, end


def entries_for(user, first_day, last_day):
    """Every registered area's entries for ``user`` in the days, in order."""
    found = []
    for provider in current_app.extensions.get("lotse_agenda", []):
        found.extend(provider(user, first_day, last_day))
    found = [e for e in found if first_day <= e.day <= last_day]
    return sorted(found, key=lambda e: e.sort_key)
