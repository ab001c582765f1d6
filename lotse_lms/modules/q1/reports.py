"""Trainer reports: a package's learners (a page at a time, filtered and sorted in SQL), one
learner's attempts, and the CSV export streamed from a server-side cursor.

The report's audience is every active participant (of a package for chosen cohorts: their
participants): who never opened the package is listed as "nicht begonnen". The rows read only the columns they show; the large JSON columns of
registrations, attempts and versions (sequencing, state, toc, activity tree) stay in the
database (an attempt's sessions are counted in a column of their own).
"""

import functools
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import defer

from ...accounts.models import User, UserRole
from ...accounts.roles import Role
from ...cohorts.filters import only_cohort, selected_cohort_id
from ...cohorts.models import PARTICIPANT, CohortMember
from ...core.paging import Listing
from ...core.timeutil import BERLIN
from ...extensions import db
from .lifecycle import COHORTS
from .models import PackageVersion, ScoAttempt, ScormRegistration, package_cohorts
from .progress import estimated_minutes, implausibly_fast

#: A learner's result in a package, in the order of the path.
STATUSES = {
    "not_started": _l("nicht begonnen"),
    "started": _l("begonnen"),
    "completed": _l("abgeschlossen"),
    "failed": _l("nicht bestanden"),
    "passed": _l("bestanden"),
}
#: SCORM's completion and success values of an attempt, in plain German.
COMPLETION_LABELS = {
    "completed": _l("abgeschlossen"),
    "incomplete": _l("begonnen"),
    "not attempted": _l("nicht begonnen"),
    "unknown": _l("unbekannt"),
}
SUCCESS_LABELS = {
    "passed": _l("bestanden"),
    "failed": _l("nicht bestanden"),
    "unknown": _l("ohne Bewertung"),
}
#: Rows the CSV export reads per round trip of its server-side cursor.
CSV_CHUNK = 500


def status_label(completed, passed):
    """A short German status of a learner's result."""
    if passed is True:
        return _("bestanden")
    if passed is False:
        return _("nicht bestanden")
    return _("abgeschlossen") if completed else _("begonnen")


def _registrations(package):
    """A subquery: the registrations of the package's versions, with the version number."""
    return (
        sa.select(
            ScormRegistration.id,
            ScormRegistration.user_id,
            ScormRegistration.completed,
            ScormRegistration.passed,
            ScormRegistration.score,
            ScormRegistration.total_time_seconds,
            ScormRegistration.last_accessed,
            PackageVersion.number.label("version"),
        )
        .join(PackageVersion, ScormRegistration.version_id == PackageVersion.id)
        .where(PackageVersion.package_id == package.id)
        .subquery("reg")
    )


def _status(reg):
    """The row's status key, in SQL."""
    return sa.case(
        (reg.c.passed.is_(True), "passed"),
        (reg.c.passed.is_(False), "failed"),
        (reg.c.completed.is_(True), "completed"),
        (reg.c.id.is_not(None), "started"),
        else_="not_started",
    )


def _report_select(package, status="", search=None, cohort_id=None):
    """Every learner of the audience and every registration: (user, registration) columns."""
    reg = _registrations(package)
    status_col = _status(reg)
    participant = (
        sa.select(UserRole.user_id)
        .where(UserRole.user_id == User.id, UserRole.role == Role.PARTICIPANT.value)
        .exists()
    )
    if package.audience == COHORTS:  # the audience: the participants of the chosen cohorts
        chosen = sa.select(package_cohorts.c.cohort_id).where(
            package_cohorts.c.package_id == package.id
        )
        participant = sa.and_(
            participant,
            User.id.in_(
                sa.select(CohortMember.user_id).where(
                    CohortMember.cohort_id.in_(chosen), CohortMember.role == PARTICIPANT
                )
            ),
        )
    select = (
        sa.select(
            User.id.label("user_id"),
            User.name,
            User.email,
            reg.c.id.label("registration_id"),
            reg.c.version,
            reg.c.completed,
            reg.c.passed,
            reg.c.score,
            reg.c.total_time_seconds,
            reg.c.last_accessed,
            status_col.label("status"),
        )
        .select_from(User)
        .outerjoin(reg, reg.c.user_id == User.id)
        .where(sa.or_(reg.c.id.is_not(None), sa.and_(User.active.is_(True), participant)))
    )
    if status in STATUSES:
        select = select.where(status_col == status)
    if search is not None:
        select = select.where(search)
    return only_cohort(select, User.id, cohort_id), reg


def report_listing(endpoint, package):
    """The listing (search, sort, page, status filter) a report page asks for."""
    return Listing.from_request(
        endpoint,
        {
            "name": sa.func.lower(sa.literal_column("name")),
            "status": sa.literal_column("status"),
            "score": sa.literal_column("score"),
            "last": sa.literal_column("last_accessed"),
        },
        filters=("status", "cohort"),
        package_id=package.id,
    )


def package_report(package, listing):
    """One page of the report: rows (dicts) for the learners ``listing`` selects."""
    select, _reg = _report_select(
        package,
        listing.filters.get("status", ""),
        listing.matches(User.name, User.email),
        selected_cohort_id(listing.filters),
    )
    page = listing.fetch(select.subquery().select(), sa.literal_column("user_id"))
    counts = attempt_counts(package, [r.registration_id for r in page if r.registration_id])
    return [
        {**_row(r, counts), "implausible": implausibly_fast(package.module_key, r)} for r in page
    ]


def _row(r, counts):
    """A report row as the page and the CSV show it."""
    sessions, checks = counts.get(r.registration_id, (0, 0))
    return {
        "user_id": r.user_id,
        "name": r.name,
        "email": r.email,
        "registration_id": r.registration_id,
        "version": r.version,
        "status": r.status,
        "status_label": STATUSES[r.status],
        "completed": r.completed,
        "passed": r.passed,
        "score": r.score,
        "total_time_seconds": r.total_time_seconds or 0,
        "sessions": sessions,
        "check_attempts": checks,
        "last_accessed": r.last_accessed,
    }


def _scored_items(package):
    """{version id: item ids with a passing score (the knowledge checks)}."""
    scored = {}
    for version_id, toc in db.session.execute(
        sa.select(PackageVersion.id, PackageVersion.toc).where(
            PackageVersion.package_id == package.id
        )
    ):
        scored[version_id] = {
            entry["id"]
            for entry in toc or []
            if (entry.get("settings") or {}).get("scaled_passing_score") is not None
        }
    return scored


def attempt_counts(package, registration_ids, scored=None):
    """{registration id: (lesson sessions, knowledge-check sessions)} for the ids given.

    A session is one launch of a SCO (counted in ScoAttempt.sessions, so no state is read);
    a knowledge check is an item with a passing score."""
    if not registration_ids:
        return {}
    scored = _scored_items(package) if scored is None else scored
    rows = db.session.execute(
        sa.select(
            ScoAttempt.registration_id,
            ScoAttempt.version_id,
            ScoAttempt.item_id,
            sa.func.sum(ScoAttempt.sessions),
        )
        .where(
            ScoAttempt.registration_id.in_(registration_ids),
            ScoAttempt.is_asset.is_(False),
        )
        .group_by(ScoAttempt.registration_id, ScoAttempt.version_id, ScoAttempt.item_id)
    )
    counts = {}
    for registration_id, version_id, item_id, sessions in rows:
        lessons, checks = counts.get(registration_id, (0, 0))
        if item_id in scored.get(version_id, ()):
            checks += sessions or 0
        else:
            lessons += sessions or 0
        counts[registration_id] = (lessons, checks)
    return counts


def learner_report(package, user):
    """Per version the learner played: the registration and every attempt per item."""
    result = []
    regs = db.session.scalars(
        sa.select(ScormRegistration)
        .join(PackageVersion, ScormRegistration.version_id == PackageVersion.id)
        .where(PackageVersion.package_id == package.id, ScormRegistration.user_id == user.id)
        .order_by(PackageVersion.number.desc())
        .options(defer(ScormRegistration.sequencing))
    ).all()
    for reg in regs:
        attempts = db.session.scalars(
            sa.select(ScoAttempt)
            .where(ScoAttempt.registration_id == reg.id)
            .order_by(ScoAttempt.id)
            .options(defer(ScoAttempt.state))
        ).all()
        items = [
            (entry, [a for a in attempts if a.item_id == entry["id"]])
            for entry in reg.version.entries()
        ]
        result.append({"registration": reg, "items": items})
    return result


def _hours(seconds):
    """Seconds as h:mm:ss text."""
    seconds = int(round(seconds or 0))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def berlin(moment):
    """A UTC time as Berlin local time in a form spreadsheets read as a date and time."""
    if moment is None:
        return ""
    if isinstance(moment, str):  # SQLite through a raw column
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(BERLIN).strftime("%d.%m.%Y %H:%M")


CSV_HEADER = (
    _l("Name"),
    _l("E-Mail"),
    _l("Version"),
    _l("Status"),
    _l("Abgeschlossen"),
    _l("Bestanden"),
    _l("Punktzahl (%)"),
    _l("Lernzeit"),
    _l("Sitzungen in Lektionen"),
    _l("Versuche im Wissenscheck"),
    _l("Zuletzt geöffnet"),
    _l("Plausibilität"),
)


def _attempt_totals(package, scored):
    """A subquery: per registration of the package, its lesson and knowledge-check sessions.

    The same split as ``attempt_counts``, summed in SQL (from the counts index alone) so the
    export joins it instead of asking again for every chunk of rows."""
    check = sa.or_(
        sa.false(),
        *(
            sa.and_(ScoAttempt.version_id == version_id, ScoAttempt.item_id.in_(sorted(items)))
            for version_id, items in scored.items()
            if items
        ),
    )
    sessions = sa.func.coalesce(ScoAttempt.sessions, 0)
    versions = sa.select(PackageVersion.id).where(PackageVersion.package_id == package.id)
    return (
        sa.select(
            ScoAttempt.registration_id,
            sa.func.sum(sa.case((check, 0), else_=sessions)).label("sessions"),
            sa.func.sum(sa.case((check, sessions), else_=0)).label("check_attempts"),
        )
        .where(ScoAttempt.version_id.in_(versions), ScoAttempt.is_asset.is_(False))
        .group_by(ScoAttempt.registration_id)
        .subquery("totals")
    )


def report_csv_rows(package, cohort_id=None):
    """The CSV rows of the whole report (or of one cohort): one statement, its rows read in
    chunks from a server-side cursor, so neither the queries nor the memory grow with them."""
    select, reg = _report_select(package, cohort_id=cohort_id)
    totals = _attempt_totals(package, _scored_items(package))
    select = (
        select.add_columns(
            sa.func.coalesce(totals.c.sessions, 0).label("sessions"),
            sa.func.coalesce(totals.c.check_attempts, 0).label("check_attempts"),
        )
        .outerjoin(totals, totals.c.registration_id == reg.c.id)
        .order_by(sa.func.lower(User.name), User.id)
    )
    yes_no = {True: _("ja"), False: _("nein"), None: ""}
    fast = _("auffällig schnell")
    # Per export, not per row: the labels in the reader's language, the score format and the
    # plausibility threshold (seconds below which a finished module looks too fast).
    labels = {key: str(label) for key, label in STATUSES.items()}
    score_text = functools.lru_cache(maxsize=1024)(
        lambda score: format_decimal(score, format="0.0")
    )
    estimate = estimated_minutes(package.module_key)
    too_fast = estimate * 60 * current_app.config["Q1_PLAUSIBLE_SHARE"] if estimate else None
    result = db.session.execute(select.execution_options(yield_per=CSV_CHUNK))
    for r in result:
        if r.registration_id is None:
            yield (r.name, r.email, "", labels[r.status], "", "", "", "", "", "", "", "")
            continue
        hasty = too_fast is not None and (r.completed or r.passed)
        yield (
            r.name,
            r.email,
            r.version or "",
            labels[r.status],
            yes_no[r.completed],
            yes_no[r.passed],
            "" if r.score is None else score_text(r.score),
            _hours(r.total_time_seconds),
            r.sessions,
            r.check_attempts,
            berlin(r.last_accessed),
            fast if hasty and (r.total_time_seconds or 0) < too_fast else "",
        )
