"""The foundation's report on the Experimentierräume: what the network achieves, in figures.

Every figure is one grouped SQL query, whatever the number of rooms, firms or meetings
(``figures`` runs a fixed number of queries); the per-room table and its CSV are one select
with correlated counts, paged or streamed.

The filter (``ReportFilter``) narrows by Bundesland and by a period (a year, optionally one
quarter). What "in the period" means per figure:

- rooms: created before the period's end (they existed in it);
- firms reached: organisations whose contact joined one of these rooms before the end;
- meetings held: not cancelled, begun within the period (and before now);
- actions: due within the period, by status ("erledigt" = done);
- experiments: entered within the period, by decision (none yet: "offen").
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..core.timeutil import utcnow
from ..extensions import db
from .meeting_models import Meeting
from .models import BUNDESLAENDER, FIRM_CONTACT, PHASES, SECTORS, Organisation, Room, RoomMember
from .work_models import ACTION_STATES, DECISIONS, RoomAction, RoomExperiment

#: Size classes of firms (staff), as the EU's SME definition draws them.
SIZE_CLASSES = {
    "0-9": (0, 9),
    "10-49": (10, 49),
    "50-249": (50, 249),
    "250+": (250, None),
}
UNKNOWN_SIZE = "unknown"
#: Quarters of a year: (first month, label).
PERIODS = {
    "q1": (1, _l("1. Quartal")),
    "q2": (4, _l("2. Quartal")),
    "q3": (7, _l("3. Quartal")),
    "q4": (10, _l("4. Quartal")),
}
UNDECIDED = "undecided"


@dataclass(frozen=True)
class ReportFilter:
    """Which rooms and which time the report covers (all empty: everything so far)."""

    year: int | None = None
    period: str = ""
    bundesland: str = ""

    @classmethod
    def from_args(cls, args):
        """The filter a query string asks for; unknown values are ignored."""
        try:
            year = int(args.get("jahr", ""))
        except ValueError:
            year = None
        if year is not None and not 2000 <= year <= 2100:
            year = None
        period = args.get("zeitraum", "")
        land = args.get("land", "")
        return cls(
            year=year,
            period=period if year and period in PERIODS else "",
            bundesland=land if land in BUNDESLAENDER else "",
        )

    @property
    def bounds(self):
        """(start, end) as UTC datetimes of the period, or (None, None) without a year."""
        if self.year is None:
            return None, None
        if self.period:
            month = PERIODS[self.period][0]
            start = datetime(self.year, month, 1, tzinfo=UTC)
            end = (
                datetime(self.year + 1, 1, 1, tzinfo=UTC)
                if month == 10
                else datetime(self.year, month + 3, 1, tzinfo=UTC)
            )
            return start, end
        return datetime(self.year, 1, 1, tzinfo=UTC), datetime(self.year + 1, 1, 1, tzinfo=UTC)

    def args(self):
        """The filter as query-string arguments (for links and the CSV downloads)."""
        found = {"jahr": self.year, "zeitraum": self.period, "land": self.bundesland}
        return {k: v for k, v in found.items() if v}

    def describe(self):
        """The filter in words, for the page and the CSV file names."""
        parts = []
        if self.year:
            parts.append(
                f"{PERIODS[self.period][1]} {self.year}" if self.period else str(self.year)
            )
        if self.bundesland:
            parts.append(BUNDESLAENDER[self.bundesland])
        return ", ".join(str(p) for p in parts) or _("alle Räume, gesamter Zeitraum")


def _rooms_condition(flt):
    """Rooms the filter covers."""
    start, end = flt.bounds
    conditions = []
    if flt.bundesland:
        conditions.append(Room.bundesland == flt.bundesland)
    if end is not None:
        conditions.append(Room.created_at < end)
    return sa.and_(sa.true(), *conditions)


def _room_ids(flt):
    """A select of the ids of the rooms the filter covers."""
    return sa.select(Room.id).where(_rooms_condition(flt))


def _in_period(column, flt, *, dates=False):
    """A condition: ``column`` lies in the filter's period (true without a year)."""
    start, end = flt.bounds
    if start is None:
        return sa.true()
    if dates:
        start, end = start.date(), end.date()
    return sa.and_(column >= start, column < end)


def _held(flt, now):
    """Conditions of a meeting held in the period (not cancelled, begun before now)."""
    return sa.and_(
        Meeting.cancelled_at.is_(None), Meeting.starts_at <= now, _in_period(Meeting.starts_at, flt)
    )


def _size_class():
    """SQL: the size class key of an organisation's staff count."""
    whens = []
    for key, (low, high) in SIZE_CLASSES.items():
        cond = Organisation.staff_count >= low
        if high is not None:
            cond = sa.and_(cond, Organisation.staff_count <= high)
        whens.append((cond, key))
    return sa.case(*whens, else_=UNKNOWN_SIZE)


def _counted(rows, labels, extra=None):
    """``[(key, label, count)]`` in the order of ``labels`` (every key, zeros included), then
    the keys the data has beyond them (e.g. an unknown sector)."""
    found = dict(rows)
    table = dict(labels)
    if extra:
        table.update(extra)
    out = [(key, str(label), int(found.pop(key, 0) or 0)) for key, label in table.items()]
    out += [(key, str(key), int(n)) for key, n in found.items()]
    return out


def _firm_ids(flt):
    """A select of the organisations reached: firm contacts of the covered rooms, joined before
    the period's end."""
    _start, end = flt.bounds
    query = sa.select(RoomMember.organisation_id).where(
        RoomMember.role == FIRM_CONTACT,
        RoomMember.organisation_id.is_not(None),
        RoomMember.room_id.in_(_room_ids(flt)),
    )
    if end is not None:
        query = query.where(RoomMember.joined_at < end)
    return query


def figures(flt, now=None):
    """Every figure of the report for the filter ``flt`` (nine queries, whatever the data)."""
    now = now or utcnow()
    covered = _rooms_condition(flt)
    by_land = db.session.execute(
        sa.select(Room.bundesland, sa.func.count()).where(covered).group_by(Room.bundesland)
    ).all()
    by_phase = db.session.execute(
        sa.select(Room.phase, sa.func.count()).where(covered).group_by(Room.phase)
    ).all()
    firms = Organisation.id.in_(_firm_ids(flt))
    size = _size_class()
    by_size = db.session.execute(sa.select(size, sa.func.count()).where(firms).group_by(size)).all()
    by_sector = db.session.execute(
        sa.select(Organisation.sector, sa.func.count()).where(firms).group_by(Organisation.sector)
    ).all()
    meetings = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Meeting)
        .where(Meeting.room_id.in_(_room_ids(flt)), _held(flt, now))
    )
    by_status = db.session.execute(
        sa.select(RoomAction.status, sa.func.count())
        .where(
            RoomAction.room_id.in_(_room_ids(flt)),
            _in_period(RoomAction.due_on, flt, dates=True),
        )
        .group_by(RoomAction.status)
    ).all()
    decision = sa.func.coalesce(RoomExperiment.decision, UNDECIDED)
    by_decision = db.session.execute(
        sa.select(decision, sa.func.count())
        .where(
            RoomExperiment.room_id.in_(_room_ids(flt)),
            _in_period(RoomExperiment.created_at, flt),
        )
        .group_by(decision)
    ).all()
    lands = [(k, BUNDESLAENDER[k], n) for k, _l2, n in _counted(by_land, BUNDESLAENDER)]
    sizes = {k: _("%(a)s–%(b)s Beschäftigte", a=lo, b=hi) for k, (lo, hi) in SIZE_CLASSES.items()}
    sizes["250+"] = _("250 und mehr Beschäftigte")
    return {
        "rooms_by_land": [row for row in lands if row[2]],
        "rooms_by_phase": _counted(by_phase, PHASES),
        "firms_by_size": _counted(by_size, sizes, {UNKNOWN_SIZE: _("Größe unbekannt")}),
        "firms_by_sector": [row for row in _counted(by_sector, SECTORS) if row[2]],
        "meetings_held": int(meetings or 0),
        "actions_by_status": _counted(by_status, ACTION_STATES),
        "experiments_by_decision": _counted(
            by_decision, DECISIONS, {UNDECIDED: _("noch nicht entschieden")}
        ),
    }


def totals(data):
    """Headline numbers from ``figures``: rooms, firms, meetings, actions done, experiments."""

    def total(rows):
        return sum(n for _k, _label, n in rows)

    return {
        "rooms": total(data["rooms_by_phase"]),
        "firms": total(data["firms_by_size"]),
        "meetings": data["meetings_held"],
        "actions_done": dict((k, n) for k, _label, n in data["actions_by_status"]).get("done", 0),
        "experiments": total(data["experiments_by_decision"]),
    }


#: The figures as the CSV lists them: key of ``figures`` and the heading in the file.
FIGURE_HEADINGS = (
    ("rooms_by_land", _l("Räume nach Bundesland")),
    ("rooms_by_phase", _l("Räume nach Phase")),
    ("firms_by_size", _l("Erreichte Unternehmen nach Größe")),
    ("firms_by_sector", _l("Erreichte Unternehmen nach Branche")),
    ("actions_by_status", _l("Aufgaben nach Stand")),
    ("experiments_by_decision", _l("Experimente nach Entscheidung")),
)


def figure_rows(data):
    """The figures as CSV rows: (figure, category, count)."""
    for key, heading in FIGURE_HEADINGS:
        for _key, label, count in data[key]:
            yield (str(heading), label, count)
    yield (_("Treffen"), _("gehalten"), data["meetings_held"])


def room_select(flt, now=None):
    """One row per covered room with its counts (correlated subqueries: one query per page)."""
    now = now or utcnow()
    firm_count = (
        sa.select(sa.func.count(sa.distinct(RoomMember.organisation_id)))
        .where(RoomMember.room_id == Room.id, RoomMember.role == FIRM_CONTACT)
        .scalar_subquery()
    )
    meeting_count = (
        sa.select(sa.func.count())
        .select_from(Meeting)
        .where(Meeting.room_id == Room.id, _held(flt, now))
        .scalar_subquery()
    )

    def actions(*states):
        return (
            sa.select(sa.func.count())
            .select_from(RoomAction)
            .where(
                RoomAction.room_id == Room.id,
                RoomAction.status.in_(states),
                _in_period(RoomAction.due_on, flt, dates=True),
            )
            .scalar_subquery()
        )

    def experiments(decision):
        cond = (
            RoomExperiment.decision.is_(None)
            if decision is None
            else RoomExperiment.decision == decision
        )
        return (
            sa.select(sa.func.count())
            .select_from(RoomExperiment)
            .where(
                RoomExperiment.room_id == Room.id,
                cond,
                _in_period(RoomExperiment.created_at, flt),
            )
            .scalar_subquery()
        )

    return (
        sa.select(
            Room.id,
            Room.title,
            Room.bundesland,
            Room.postcode_area,
            Room.sector,
            Room.phase,
            User.name.label("lead_name"),
            Room.created_at,
            firm_count.label("firms"),
            meeting_count.label("meetings"),
            actions("done").label("actions_done"),
            actions("open", "in_progress").label("actions_open"),
            experiments("continue").label("continued"),
            experiments("change").label("changed"),
            experiments("drop").label("dropped"),
            experiments(None).label("undecided"),
        )
        .join(User, User.id == Room.lead_id)
        .where(_rooms_condition(flt))
    )


#: Sort keys of the per-room table.
ROOM_SORTS = {
    "title": sa.func.lower(Room.title),
    "land": Room.bundesland,
    "phase": Room.phase,
    "created": Room.created_at,
}

ROOM_CSV_HEADER = (
    _l("Raum"),
    _l("Bundesland"),
    _l("PLZ-Gebiet"),
    _l("Branche"),
    _l("Phase"),
    _l("Leitung"),
    _l("Angelegt am"),
    _l("Unternehmen"),
    _l("Treffen gehalten"),
    _l("Aufgaben erledigt"),
    _l("Aufgaben offen"),
    _l("Experimente: weitermachen"),
    _l("Experimente: ändern"),
    _l("Experimente: verwerfen"),
    _l("Experimente: offen"),
)


def room_csv_rows(flt, now=None):
    """Every covered room as a CSV row, streamed from the database in batches."""
    query = room_select(flt, now).order_by(Room.bundesland, sa.func.lower(Room.title), Room.id)
    result = db.session.execute(query.execution_options(yield_per=500))
    for row in result:
        yield (
            row.title,
            BUNDESLAENDER.get(row.bundesland, row.bundesland),
            row.postcode_area,
            str(SECTORS.get(row.sector, row.sector)),
            str(PHASES.get(row.phase, row.phase)),
            row.lead_name,
            row.created_at.date().isoformat() if row.created_at else "",
            row.firms,
            row.meetings,
            row.actions_done,
            row.actions_open,
            row.continued,
            row.changed,
            row.dropped,
            row.undecided,
        )


def first_year():
    """The year the first room was created (this year while there is none)."""
    first = db.session.scalar(sa.select(sa.func.min(Room.created_at)))
    return first.year if first else date.today().year


#: Width of the longest bar in a chart's coordinates (the viewBox is 400 wide).
BAR_WIDTH = 330


def chart(key, title, rows):
    """A bar chart's data: its rows (label, count, bar width) and a description in words."""
    top = max((n for _k, _label, n in rows), default=0)
    bars = [
        {"label": label, "count": n, "width": round(n / top * BAR_WIDTH, 1) if top else 0}
        for _k, label, n in rows
    ]
    words = "; ".join(f"{b['label']}: {b['count']}" for b in bars) or _("keine Daten")
    return {"key": key, "title": str(title), "desc": f"{title}. {words}.", "bars": bars}


def charts(data):
    """The report's charts, in the page's order."""
    return [chart(key, heading, data[key]) for key, heading in FIGURE_HEADINGS]
