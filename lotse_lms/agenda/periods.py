"""Month, week and list pages of the calendar: which days a page shows, and its neighbours."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import format_date

VIEWS = ("month", "week", "list")


@dataclass(frozen=True)
class Period:
    """The days one calendar page shows."""

    view: str
    #: The first and last day shown (inclusive); a month grid fills up to whole weeks.
    first: date
    last: date
    #: The first and last day that belong to the period (the month, or the week).
    inner_first: date
    inner_last: date
    previous: date
    next: date

    @property
    def label(self):
        """Heading: ``Dezember 2026`` or ``30.11.2026 – 06.12.2026``."""
        if self.view == "week":
            return f"{format_date(self.inner_first, 'dd.MM.yyyy')} – {format_date(self.inner_last, 'dd.MM.yyyy')}"
        return format_date(self.inner_first, "LLLL yyyy")

    def weeks(self):
        """The days shown, in rows of seven (Monday first)."""
        days = [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]
        return [days[i : i + 7] for i in range(0, len(days), 7)]


def _month_end(day):
    """The last day of ``day``'s month."""
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def period(view, day):
    """The page of ``view`` that contains ``day``."""
    if view == "week":
        monday = day - timedelta(days=day.weekday())
        sunday = monday + timedelta(days=6)
        return Period(
            view,
            monday,
            sunday,
            monday,
            sunday,
            monday - timedelta(days=7),
            monday + timedelta(days=7),
        )
    first, last = day.replace(day=1), _month_end(day)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = last + timedelta(days=1)
    if view == "list":
        return Period(view, first, last, first, last, previous, following)
    grid_first = first - timedelta(days=first.weekday())
    grid_last = last + timedelta(days=6 - last.weekday())
    return Period(view, grid_first, grid_last, first, last, previous, following)
