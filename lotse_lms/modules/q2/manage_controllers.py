"""Handlers for trainers (schedule, change, cancel, attendance) and staff (view, export)."""

from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts.operations import list_users
from ...core.access import roles_required
from ...core.csvexport import csv_response
from ...core.forms import choices
from ...core.forms import show_refusal as _fail
from ...core.paging import Listing
from ...extensions import db
from . import operations, prerequisites, queries, registrations
from .common import Q2Error, berlin_text, now_utc, to_berlin, topic_label, topics
from .controllers import STAFF, session_or_404
from .forms import DATE_ROWS, CancelSessionForm, ConfirmForm, SessionForm, parse_hours
from .models import ATTENDANCE_LABELS, FORMAT_LABELS, Registration, RegStatus
from .progress import budget_by_user


def _may_view(session):
    """Trainers of the session and staff see its participants; others get 403."""
    if not (session.has_trainer(current_user) or current_user.has_role(*STAFF)):
        abort(403)


def _own_or_403(session):
    """Only the session's own trainers may change it."""
    if not session.has_trainer(current_user):
        abort(403)


def _session_form(data=None):
    """The session form with its choices; ``data`` prefills it (edit, duplicate)."""
    form = SessionForm(data=_form_values(data) if data and request.method == "GET" else None)
    form.topic.choices = choices([("", _("– bitte wählen –"))] + list(topics().items()))
    form.format.choices = choices([(k, v) for k, v in FORMAT_LABELS.items()])
    form.region.choices = choices(
        [("", _("– keine (virtuell) –"))] + [(r, r) for r in current_app.config["REGIONS"]]
    )
    form.trainer_ids.choices = choices([(u.id, u.name) for u in list_users(role="trainer")])
    form.prerequisites.choices = choices(
        [(k, p.label) for k, p in prerequisites.available().items()]
    )
    if request.method == "GET" and not data:
        form.trainer_ids.data = [current_user.id]
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
    rows += [{}] * max(DATE_ROWS - len(rows), 2 if len(rows) >= DATE_ROWS else 0)
    values = dict(data, dates=rows)
    values["enrol_deadline"] = _local(data.get("enrol_deadline"))
    values["cancel_deadline"] = _local(data.get("cancel_deadline"))
    return values


def _save(form, verb, template, **context):
    """Validate the form, run ``verb(data)``, commit and go to the session; else show errors."""
    if form.validate_on_submit():
        try:
            session = verb(form.to_data())
            db.session.commit()
        except Q2Error as exc:
            _fail(form, exc)
        else:
            flash(_("Der Termin „%(t)s“ ist gespeichert.", t=session.title), "success")
            return redirect(url_for("q2.manage_session", session_id=session.id))
    return render_template(template, form=form, **context), 200 if request.method == "GET" else 422


@roles_required("trainer", *STAFF)
def manage():
    """Sessions a trainer runs (staff: all sessions), with numbers."""
    staff = current_user.has_role(*STAFF)
    listing = Listing.from_request("q2.manage", queries.MANAGED_SORTS, not_null=["starts"])
    if "sort" not in request.args:  # newest first unless the person sorts
        listing.desc = True
    sessions = queries.managed_page(current_user, listing, staff=staff)
    return render_template(
        "q2/manage.html",
        sessions=sessions,
        listing=listing,
        staff=staff,
        now=now_utc(),
        counts=queries.counts([s.id for s in sessions]),
        topic_label=topic_label,
    )


@roles_required("trainer")
def new_session():
    """Schedule a new session."""
    form = _session_form()
    return _save(
        form,
        lambda data: operations.create_session(current_user, data),
        "q2/edit.html",
        session=None,
    )


@roles_required("trainer")
def duplicate_session(session_id):
    """A new session prefilled from an existing one, a week later."""
    source = session_or_404(session_id)
    _may_view(source)
    form = _session_form(operations.copy_data(source))
    return _save(
        form,
        lambda data: operations.create_session(current_user, data),
        "q2/edit.html",
        session=None,
        source=source,
    )


@roles_required("trainer")
def edit_session(session_id):
    """Change a session one trains."""
    session = session_or_404(session_id)
    _own_or_403(session)
    data = operations.copy_data(session, shift=timedelta(0))
    form = _session_form(data)
    response = _save(
        form,
        lambda values: operations.update_session(session, current_user, values),
        "q2/edit.html",
        session=session,
    )
    if not isinstance(response, tuple):  # saved: warn about people who now clash elsewhere
        for user, other, date in registrations.clashes(session):
            flash(
                _(
                    "Achtung: %(name)s hat zur neuen Zeit bereits „%(title)s“ (%(when)s).",
                    name=user.name,
                    title=other.title,
                    when=berlin_text(date.starts_at),
                ),
                "info",
            )
    return response


@roles_required("trainer")
def cancel_session(session_id):
    """Cancel a session one trains; everyone registered is told."""
    session = session_or_404(session_id)
    _own_or_403(session)
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


@roles_required("trainer", *STAFF)
def manage_session(session_id):
    """Participants with status, waiting list, attendance and budget warnings."""
    session = session_or_404(session_id)
    _may_view(session)
    regs = queries.registrations_for(session)
    budget = budget_by_user([r.user_id for r in regs], extra_session=session)
    return render_template(
        "q2/participants.html",
        session=session,
        regs=regs,
        budget=budget,
        form=ConfirmForm(),
        can_edit=session.has_trainer(current_user),
        now=now_utc(),
        labels=ATTENDANCE_LABELS,
        count=queries.counts([session.id])[session.id],
        topic_label=topic_label,
        waiting=[r for r in regs if r.status == RegStatus.WAITING],
    )


@roles_required("trainer")
def attendance(session_id):
    """Record attendance for the session's enrolled participants."""
    session = session_or_404(session_id)
    _own_or_403(session)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            entries = {}
            for reg in queries.registrations_for(session):
                if reg.status == RegStatus.ENROLLED:
                    status = request.form.get(f"status-{reg.id}") or None
                    entries[reg.id] = (
                        status,
                        parse_hours(request.form.get(f"hours-{reg.id}"), reg.user.name),
                    )
            changed = registrations.record_attendance_list(session, current_user, entries)
            db.session.commit()
        except Q2Error as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            flash(_("Anwesenheit gespeichert (%(n)s Änderungen).", n=changed), "success")
    return redirect(url_for("q2.manage_session", session_id=session.id))


@roles_required("trainer")
def remove_participant(session_id, registration_id):
    """Take a participant off the session (e.g. after a call after the deadline)."""
    session = session_or_404(session_id)
    _own_or_403(session)
    reg = db.session.get(Registration, registration_id)
    if reg is None or reg.session_id != session.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            registrations.cancel(reg.user, session.id, actor=current_user)
            db.session.commit()
        except Q2Error as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            flash(
                _("%(name)s ist abgemeldet und wurde benachrichtigt.", name=reg.user.name),
                "success",
            )
    return redirect(url_for("q2.manage_session", session_id=session.id))


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


def _rows(session):
    """CSV rows of one session's registrations."""
    waiting = 0
    for reg in queries.registrations_for(session):
        waiting += reg.status == RegStatus.WAITING
        yield [
            session.id,
            session.title,
            topic_label(session.topic),
            berlin_text(session.starts_at),
            reg.user.name,
            reg.user.email,
            reg.user.organisation,
            reg.user.region,
            str(reg.status_label),
            waiting if reg.status == RegStatus.WAITING else "",
            str(reg.attendance_label),
            f"{reg.attended_minutes / 60:.2f}".replace(".", ","),
        ]


@roles_required("trainer", *STAFF)
def export_session(session_id):
    """Participants of one session as CSV."""
    session = session_or_404(session_id)
    _may_view(session)
    return csv_response(HEADER, _rows(session), f"q2-termin-{session.id}.csv")


@roles_required("trainer", *STAFF)
def export_all():
    """Registrations of all sessions one may see, as CSV."""
    sessions = queries.managed_sessions(current_user, staff=current_user.has_role(*STAFF))
    rows = (row for session in sessions for row in _rows(session))
    return csv_response(HEADER, rows, "q2-anmeldungen.csv")
