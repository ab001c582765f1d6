"""Handlers for trainers (schedule, change, cancel, attendance) and staff (view, export)."""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts.models import User
from ...accounts.roles import Role
from ...cohorts.filters import selected_cohort_id
from ...core.access import roles_required
from ...core.csvexport import csv_response
from ...core.errors import collect
from ...core.forms import choices, validate_all
from ...core.forms import show_refusal as _fail
from ...core.paging import Listing
from ...core.timeutil import berlin_text, to_berlin
from ...extensions import db
from . import operations, prerequisites, queries, registrations
from .common import Q2Error, now_utc, topic_label, topics
from .controllers import STAFF, session_or_404
from .forms import CancelSessionForm, SessionForm
from .models import (
    ATTENDANCE_LABELS,
    FORMAT_LABELS,
    REG_LABELS,
    Attendance,
    RegStatus,
    SessionStatus,
)
from .people_controllers import may_view, own_or_403


def _session_form(data=None):
    """The session form with its choices; ``data`` prefills it (edit, duplicate)."""
    form = SessionForm(data=_form_values(data) if data and request.method == "GET" else None)
    form.topic.choices = choices([("", _("– bitte wählen –"))] + list(topics().items()))
    form.format.choices = choices([(k, v) for k, v in FORMAT_LABELS.items()])
    form.region.choices = choices(
        [("", _("– keine (virtuell) –"))] + [(r, r) for r in current_app.config["REGIONS"]]
    )
    form.prerequisites.choices = choices(
        [(k, p.label) for k, p in prerequisites.available().items()]
    )
    if request.method == "GET" and not data:
        form.trainer_ids.data = current_user.email
    return form


def _local(value):
    """Aware UTC -> naive Berlin (what the form shows); naive values are Berlin already."""
    return to_berlin(value).replace(tzinfo=None) if value and value.tzinfo else value


def _form_values(data):
    """Operation data (or a session's copy data) -> form field values."""
    rows = [
        {"day": _local(s).date(), "start": _local(s).time(), "end": _local(e).time()}
        for s, e in data["dates"]
    ]
    rows.append({})  # room for one more; "add a date" gives further rows
    values = dict(data, dates=rows)
    values["enrol_deadline"] = _local(data.get("enrol_deadline"))
    values["cancel_deadline"] = _local(data.get("cancel_deadline"))
    ids = list(data.get("trainer_ids") or [])
    emails = dict(db.session.execute(sa.select(User.id, User.email).where(User.id.in_(ids))).all())
    values["trainer_ids"] = ", ".join(emails[i] for i in ids if i in emails)
    return values


def _refuse_all(form, session=None):
    """Raise one Q2Error with every refusal of the form's data: incomplete rows and the checks."""
    with collect(Q2Error) as refuse:
        for message in form.incomplete_rows():
            refuse(message, "dates")
        refuse.check(operations.check_session, form.to_data(), session)


def _save(form, verb, template, session=None, **context):
    """Validate the form, run ``verb(data)``, commit and go to the session; else show errors.

    Every error appears at once on its field; "add a date" shows one more row and keeps
    everything typed.
    """
    context["session"] = session
    if request.method == "POST" and "add_date" in request.form:
        form.dates.append_entry()
        return render_template(template, form=form, **context), 200
    if validate_all(form, lambda: _refuse_all(form, session)):
        try:
            if form.incomplete_rows():
                _refuse_all(form, session)
            saved = verb(form.to_data())
            db.session.commit()
        except Q2Error as exc:
            _fail(form, exc)
        else:
            flash(_("Der Termin „%(t)s“ ist gespeichert.", t=saved.title), "success")
            return redirect(url_for("q2.manage_session", session_id=saved.id))
    return render_template(template, form=form, **context), 200 if request.method == "GET" else 422


@roles_required(Role.TRAINER, *STAFF)
def manage():
    """Sessions a trainer runs (staff: all sessions), with numbers."""
    staff = current_user.has_role(*STAFF)
    listing = Listing.from_request(
        "q2.manage", queries.MANAGED_SORTS, filters=["cohort"], not_null=["starts"]
    )
    if "sort" not in request.args:  # newest first unless the person sorts
        listing.desc = True
    sessions = queries.managed_page(
        current_user, listing, staff=staff, cohort_id=selected_cohort_id()
    )
    return render_template(
        "q2/manage.html",
        sessions=sessions,
        listing=listing,
        staff=staff,
        now=now_utc(),
        counts=queries.counts([s.id for s in sessions]),
        topic_label=topic_label,
    )


@roles_required(Role.TRAINER)
def new_session():
    """Schedule a new session."""
    form = _session_form()
    return _save(
        form,
        lambda data: operations.create_session(current_user, data),
        "q2/edit.html",
    )


@roles_required(Role.TRAINER)
def duplicate_session(session_id):
    """A new session prefilled from an existing one, a week later."""
    source = session_or_404(session_id)
    may_view(source)
    form = _session_form(operations.copy_data(source))
    return _save(
        form,
        lambda data: operations.create_session(current_user, data),
        "q2/edit.html",
        source=source,
    )


@roles_required(Role.TRAINER)
def edit_session(session_id):
    """Change a session one trains."""
    session = session_or_404(session_id)
    own_or_403(session)
    data = operations.copy_data(session, shift=timedelta(0))
    form = _session_form(data)
    response = _save(
        form,
        lambda values: operations.update_session(session, current_user, values),
        "q2/edit.html",
        session=session,
    )
    if not isinstance(response, tuple) and registrations.clashes(session):
        # saved, and people now clash elsewhere: name them and offer to tell them
        return redirect(url_for("q2.clashes", session_id=session.id))
    return response


@roles_required(Role.TRAINER)
def cancel_session(session_id):
    """Cancel a session one trains; everyone registered is told."""
    session = session_or_404(session_id)
    own_or_403(session)
    form = CancelSessionForm()
    if form.validate_on_submit():
        try:
            operations.cancel_session(session, current_user, form.reason.data)
            db.session.commit()
        except Q2Error as exc:
            _fail(form, exc)
        else:
            flash(_("Der Termin ist abgesagt; alle Angemeldeten werden benachrichtigt."), "success")
            return redirect(url_for("q2.manage_session", session_id=session.id))
    return render_template("q2/cancel.html", session=session, form=form)


HEADER = [
    "Termin-ID",
    "Titel",
    "Thema",
    "Beginn",
    "Name",
    "E-Mail",
    "Organisation",
    "Region",
    "Status",
    "Wartelistenplatz",
    "Anwesenheit",
    "Stunden",
]


def _rows(session, registrations):
    """CSV rows of one session's ``registrations``."""
    waiting = 0
    for reg in registrations:
        waiting += reg.status == RegStatus.WAITING
        status = reg.status_label
        if session.is_cancelled and reg.status != RegStatus.CANCELLED:
            status = _("Termin abgesagt (war %(status)s)", status=reg.status_label)
        yield [
            session.id,
            session.title,
            topic_label(session.topic),
            berlin_text(session.starts_at),
            reg.user.name,
            reg.user.email,
            reg.user.organisation,
            reg.user.region,
            str(status),
            waiting if reg.status == RegStatus.WAITING and not session.is_cancelled else "",
            str(reg.attendance_label),
            f"{reg.attended_minutes / 60:.2f}".replace(".", ","),
        ]


@roles_required(Role.TRAINER, *STAFF)
def export_session(session_id):
    """Participants of one session as CSV."""
    session = session_or_404(session_id)
    may_view(session)
    rows = _rows(session, queries.registrations_for(session))
    return csv_response(HEADER, rows, f"q2-termin-{session.id}.csv")


@roles_required(Role.TRAINER, *STAFF)
def export_all():
    """Registrations of all sessions one may see (or of one cohort's people), as CSV: streamed
    from one narrow query while it is read, so the file starts at once and memory stays flat."""
    rows = queries.export_rows(
        current_user, staff=current_user.has_role(*STAFF), cohort_id=selected_cohort_id()
    )
    return csv_response(HEADER, _export_lines(rows), "q2-anmeldungen.csv")


def _export_lines(rows):
    """CSV rows of :func:`queries.export_rows`, as :func:`_rows` writes them per session."""
    session_id = None
    for row in rows:
        if row.id != session_id:
            session_id, waiting = row.id, 0
            cancelled = row.session_status == SessionStatus.CANCELLED
            head = [row.id, row.title, topic_label(row.topic), berlin_text(row.first_start)]
        status = str(REG_LABELS[RegStatus(row.status)])
        is_waiting = row.status == RegStatus.WAITING
        waiting += is_waiting
        if cancelled and row.status != RegStatus.CANCELLED:
            status = _("Termin abgesagt (war %(status)s)", status=status)
        attendance = ATTENDANCE_LABELS[Attendance(row.attendance)] if row.attendance else ""
        yield [
            *head,
            row.name,
            row.email,
            row.organisation,
            row.region,
            str(status),
            waiting if is_waiting and not cancelled else "",
            str(attendance),
            f"{row.attended_minutes / 60:.2f}".replace(".", ","),
        ]
