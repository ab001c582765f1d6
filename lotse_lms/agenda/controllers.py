"""The person's calendar page."""

from datetime import date

from flask import render_template, request
from flask_login import current_user, login_required

from ..core.timeutil import BERLIN, utcnow
from .periods import VIEWS, period
from .registry import entries_for


def _day(text, today):
    """A yyyy-mm-dd value, or today when empty or malformed."""
    try:
        return date.fromisoformat(text) if text else today
    except ValueError:
        return today


@login_required
def calendar():
    """Month, week or list of everything dated that concerns the person."""
    today = utcnow().astimezone(BERLIN).date()
    view = request.args.get("view") if request.args.get("view") in VIEWS else "month"
    shown = period(view, _day(request.args.get("day"), today))
    entries = entries_for(current_user, shown.first, shown.last)
    by_day = {}
    for entry in entries:
        by_day.setdefault(entry.day, []).append(entry)
    return render_template(
        "agenda/calendar.html", period=shown, by_day=by_day, entries=entries, today=today
    )
