"""Views of the foundation's report on the Experimentierräume: the page and two CSV downloads."""

from flask import render_template, request
from flask_babel import lazy_gettext as _l

from ..core.access import roles_required
from ..core.csvexport import csv_response
from ..core.paging import Listing
from ..core.timeutil import utcnow
from . import policy, reports
from .blueprint import bp
from .models import BUNDESLAENDER, PHASES, SECTORS, Room

#: Rooms per page of the report's room table.
REPORT_ROOMS_PER_PAGE = 25


def _file_name(flt, stem):
    """A CSV file name that says what the filter covered."""
    parts = [stem]
    if flt.year:
        parts.append(str(flt.year) + (f"-{flt.period}" if flt.period else ""))
    if flt.bundesland:
        parts.append(flt.bundesland.lower())
    return "-".join(parts) + ".csv"


@roles_required(*policy.STAFF)
def report_page():
    """The foundation's report: charts with their numbers, filters, the rooms a page at a time."""
    flt = reports.ReportFilter.from_args(request.args)
    now = utcnow()
    data = reports.figures(flt, now)
    listing = Listing.from_request(
        "rooms.report_page",
        reports.ROOM_SORTS,
        filters=("jahr", "zeitraum", "land"),
        size=REPORT_ROOMS_PER_PAGE,
        not_null=tuple(reports.ROOM_SORTS),
    )
    rooms = listing.fetch(reports.room_select(flt, now).where(listing.matches(Room.title)), Room.id)
    return render_template(
        "rooms/report.html",
        flt=flt,
        totals=reports.totals(data),
        meetings_held=data["meetings_held"],
        charts=reports.charts(data),
        rooms=rooms,
        listing=listing,
        years=range(now.year, reports.first_year() - 1, -1),
        periods=reports.PERIODS,
        lands=BUNDESLAENDER,
        phases=PHASES,
        sectors=SECTORS,
    )


@roles_required(*policy.STAFF)
def report_csv():
    """The report's figures as a CSV download (figure; category; count)."""
    flt = reports.ReportFilter.from_args(request.args)
    data = reports.figures(flt)
    return csv_response(
        (_l("Kennzahl"), _l("Kategorie"), _l("Anzahl")),
        reports.figure_rows(data),
        _file_name(flt, "experimentierraeume-kennzahlen"),
    )


@roles_required(*policy.STAFF)
def report_rooms_csv():
    """Every covered room with its counts as a CSV download, streamed."""
    flt = reports.ReportFilter.from_args(request.args)
    return csv_response(
        reports.ROOM_CSV_HEADER,
        reports.room_csv_rows(flt),
        _file_name(flt, "experimentierraeume-raeume"),
    )


bp.add_url_rule("/berichte", view_func=report_page)
bp.add_url_rule("/berichte/kennzahlen.csv", view_func=report_csv)
bp.add_url_rule("/berichte/raeume.csv", view_func=report_rooms_csv)
