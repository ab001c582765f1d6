"""Handlers for the people of one session: list, attendance per date, moving people by hand."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ...accounts.operations import find_user
from ...accounts.roles import Role
from ...core.access import roles_required
from ...core.errors import collect
from ...core.forms import show_refusal as _fail
from ...extensions import db
from . import attendance as att
from . import moves, queries, registrations
from .common import Q2Error, now_utc, topic_label
from .controllers import STAFF, session_or_404
from .forms import AddPersonForm, ConfirmForm, RemoveForm, read_attendance
from .models import ATTENDANCE_LABELS, RegStatus, SessionRegistration
from .progress import budget_by_user


def may_view(session):
    """Trainers of the session and staff see its participants; others get 403."""
    if not (session.has_trainer(current_user) or current_user.has_role(*STAFF)):
        abort(403)


def own_or_403(session):
    """Only the session's own trainers may change it."""
    if not session.has_trainer(current_user):
        abort(403)


def _registration_or_404(session, registration_id):
    """A registration of ``session``, or 404."""
    reg = db.session.get(SessionRegistration, registration_id)
    if reg is None or reg.session_id != session.id:
        abort(404)
    return reg


def _page(session, typed=None, errors=None, add_form=None):
    """The participants page; ``typed`` and ``errors`` redisplay a refused attendance form."""
    regs = queries.registrations_for(session)
    enrolled = [r for r in regs if r.status == RegStatus.ENROLLED]
    now = now_utc()
    return render_template(
        "q2/participants.html",
        session=session,
        regs=regs,
        enrolled=enrolled,
        budget=budget_by_user([r.user_id for r in regs], extra_session=session),
        form=ConfirmForm(),
        add_form=add_form or AddPersonForm(formdata=None),
        can_edit=session.has_trainer(current_user),
        now=now,
        begun=[d for d in session.dates if d.starts_at <= now],
        recorded=att.by_date(enrolled),
        typed=typed,
        errors=errors or {},
        field_name=att.field_name,
        hours_text=att.hours_text,
        labels=ATTENDANCE_LABELS,
        count=queries.counts([session.id])[session.id],
        topic_label=topic_label,
        waiting=[r for r in regs if r.status == RegStatus.WAITING],
    )


@roles_required(Role.TRAINER, *STAFF)
def manage_session(session_id):
    """Participants with status, waiting list, attendance per date and budget warnings."""
    session = session_or_404(session_id)
    may_view(session)
    return _page(session)


@roles_required(Role.TRAINER)
def attendance(session_id):
    """Record attendance per date; on any error nothing is saved and everything typed stays."""
    session = session_or_404(session_id)
    own_or_403(session)
    if not ConfirmForm().validate_on_submit():
        flash(_("Das Formular war abgelaufen. Bitte senden Sie es erneut."), "error")
        return redirect(url_for("q2.manage_session", session_id=session.id))
    enrolled = [r for r in queries.registrations_for(session) if r.status == RegStatus.ENROLLED]
    begun = [d for d in session.dates if d.starts_at <= now_utc()]
    entries, refusals = read_attendance(request.form, enrolled, begun)
    try:
        with collect(Q2Error) as refuse:
            for field, message in refusals:
                refuse(message, field)
            if refusals:  # the other rows' errors show in the same answer
                refuse.check(att.check_dates, session, current_user, entries)
        changed = att.record_dates(session, current_user, entries)
        db.session.commit()
    except Q2Error as exc:
        db.session.rollback()
        errors = {}
        for field, message in exc.errors:
            if field:
                errors.setdefault(field, []).append(message)
            else:
                flash(message, "error")
        flash(_("Nichts gespeichert: bitte prüfen Sie die markierten Felder."), "error")
        return _page(session, typed=request.form, errors=errors), 422
    flash(
        ngettext("%(num)s Änderung gespeichert.", "%(num)s Änderungen gespeichert.", changed),
        "success",
    )
    return redirect(url_for("q2.manage_session", session_id=session.id))


@roles_required(Role.TRAINER)
def remove_participant(session_id, registration_id):
    """Take a participant (or a waiting person) off the session, with a reason they read."""
    session = session_or_404(session_id)
    own_or_403(session)
    reg = _registration_or_404(session, registration_id)
    form = RemoveForm()
    if form.validate_on_submit():
        try:
            registrations.cancel(reg.user, session.id, actor=current_user, reason=form.reason.data)
            db.session.commit()
        except Q2Error as exc:
            _fail(form, exc)
        else:
            flash(
                _("%(name)s ist entfernt und wurde benachrichtigt.", name=reg.user.name),
                "success",
            )
            return redirect(url_for("q2.manage_session", session_id=session.id))
    return render_template("q2/remove.html", session=session, reg=reg, form=form)


@roles_required(Role.TRAINER)
def admit(session_id, registration_id):
    """Give a waiting person a place by hand."""
    session = session_or_404(session_id)
    own_or_403(session)
    reg = _registration_or_404(session, registration_id)
    if ConfirmForm().validate_on_submit():
        try:
            moves.admit(reg, current_user)
            db.session.commit()
        except Q2Error as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            flash(
                _("%(name)s ist aufgenommen und wurde benachrichtigt.", name=reg.user.name),
                "success",
            )
    return redirect(url_for("q2.manage_session", session_id=session.id))


@roles_required(Role.TRAINER)
def add_person(session_id):
    """Enrol a participant directly by e-mail address."""
    session = session_or_404(session_id)
    own_or_403(session)
    form = AddPersonForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        try:
            moves.add_person(session.id, user, current_user)
            db.session.commit()
        except Q2Error as exc:
            _fail(form, exc)
        else:
            flash(_("%(name)s ist angemeldet und wurde benachrichtigt.", name=user.name), "success")
            return redirect(url_for("q2.manage_session", session_id=session.id))
    return _page(session, add_form=form), 422


@roles_required(Role.TRAINER)
def clashes(session_id):
    """After a move: who now clashes elsewhere, and a button to tell them."""
    session = session_or_404(session_id)
    own_or_403(session)
    form = ConfirmForm()
    found = registrations.clashes(session)
    if form.validate_on_submit():
        chosen = {int(v) for v in request.form.getlist("user_id") if v.isdigit()}
        try:
            told = moves.notify_clashes(session, current_user, chosen)
            db.session.commit()
        except Q2Error as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            flash(
                ngettext(
                    "%(num)s Person benachrichtigt.", "%(num)s Personen benachrichtigt.", told
                ),
                "success",
            )
            return redirect(url_for("q2.manage_session", session_id=session.id))
    return render_template("q2/clashes.html", session=session, clashes=found, form=form)
