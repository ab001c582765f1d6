"""Thin handlers of the reflecting team: parse, check access, call an operation, commit."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.roles import Role
from ..cohorts.filters import selected_cohort_id
from ..core.access import roles_required
from ..core.forms import choices
from ..core.forms import show_refusal as _fail
from ..core.paging import Listing
from ..extensions import db
from . import case_sources, operations, policy, q2link, queries
from .forms import (
    AmendmentForm,
    CaseForm,
    ConfirmForm,
    ReflectionForm,
    SelfReflectionForm,
    SessionForm,
)
from .models import RTSession
from .operations import ReflectingTeamError


def _readable_session(session_id):
    """Load a session the current user may read: 404 if unknown, 403 if not theirs."""
    session = db.get_or_404(RTSession, session_id)
    if not policy.can_read(current_user, session):
        abort(403)
    return session


def _back(session, anchor=None):
    """Redirect to the session page (at the section just written)."""
    return redirect(url_for("reflecting_team.show_session", session_id=session.id, _anchor=anchor))


@login_required
def index():
    """The sessions the person takes part in (foundation staff: all), their to-dos and counts."""
    user = current_user._get_current_object()
    listing = Listing.from_request(
        "reflecting_team.index", queries.SESSION_SORTS, ("state", "cohort"), not_null=["held_on"]
    )
    if "sort" not in request.args:  # newest first unless the person sorts
        listing.desc = True
    state = listing.filters.get("state", "")
    return render_template(
        "reflecting_team/index.html",
        sessions=queries.sessions_page(user, listing, state, selected_cohort_id()),
        listing=listing,
        state=state,
        todo=queries.todo(user),
        participation=queries.participation(user) if user.has_role(Role.PARTICIPANT) else None,
    )


def _prepare_session_form(form, session=None):
    """Fill the choices of the session form from the method library and Q2 sessions."""
    form.method_slug.choices = choices(
        [("", _("– bitte wählen –"))] + [(m.slug, m.title) for m in operations.library()]
    )
    q2 = q2link.choices()
    if (
        session is not None
        and session.q2_session_id
        and session.q2_session_id not in {i for i, _name in q2}
    ):
        q2.append((session.q2_session_id, _("Nr. %(n)d", n=session.q2_session_id)))
    form.q2_session_id.choices = choices([("", _("– keine –"))] + q2)


def _session_data(form):
    """Turn the session form into the keyword arguments of the operations."""
    return {
        "held_on": form.held_on.data,
        "case_owner": form.case_owner.person,
        "members": form.members.people,
        "method_slug": form.method_slug.data,
        "title": form.title.data or "",
        "q2_session_id": int(form.q2_session_id.data) if form.q2_session_id.data else None,
    }


@roles_required(Role.TRAINER)
def new_session():
    """A trainer sets up a reflecting-team session."""
    form = SessionForm()
    _prepare_session_form(form)
    if form.validate_on_submit():
        try:
            session = operations.create_session(
                current_user._get_current_object(), **_session_data(form)
            )
            db.session.commit()
        except ReflectingTeamError as exc:
            _fail(form, exc)
        else:
            flash(
                _(
                    "Die Sitzung ist angelegt. Die fallgebende Person und das Team sind benachrichtigt."
                ),
                "success",
            )
            return _back(session)
    return render_template(
        "reflecting_team/session_form.html", form=form, session=None, limits=_limits()
    ), 200 if request.method == "GET" else 422


def _limits():
    """Team size limits for the form's hint."""
    return current_app.config["RT_MIN_MEMBERS"], current_app.config["RT_MAX_MEMBERS"]


@login_required
def edit_session(session_id):
    """The session's trainer changes its frame while it is open."""
    session = _readable_session(session_id)
    if not policy.can_manage(current_user, session):
        abort(403)
    if session.closed:
        flash(_("Die Sitzung ist abgeschlossen und kann nicht mehr geändert werden."), "error")
        return _back(session)
    form = SessionForm(
        data=None
        if request.method == "POST"
        else {
            "title": session.title,
            "held_on": session.held_on,
            "method_slug": session.method_slug,
            "case_owner": session.case_owner.email,
            "members": ", ".join(u.email for u in session.member_users),
            "q2_session_id": str(session.q2_session_id or ""),
        }
    )
    _prepare_session_form(form, session)
    if form.validate_on_submit():
        try:
            operations.update_session(
                session, current_user._get_current_object(), **_session_data(form)
            )
            db.session.commit()
        except ReflectingTeamError as exc:
            _fail(form, exc)
        else:
            flash(_("Die Sitzung ist gespeichert."), "success")
            return _back(session)
    return render_template(
        "reflecting_team/session_form.html", form=form, session=session, limits=_limits()
    ), 200 if request.method == "GET" else 422


@login_required
def show_session(session_id):
    """A session with its case, reflections, self-reflection and amendments."""
    session = _readable_session(session_id)
    user = current_user._get_current_object()
    return render_template(
        "reflecting_team/session.html",
        session=session,
        policy=policy,
        user=user,
        amendments=queries.amendments_of(session),
        method=operations.find_method(session.method_slug),
        confirm_form=ConfirmForm(),
        q2_session=q2link.find(session.q2_session_id),
    )


def _text_page(session, form, template, save, success, anchor, **context):
    """Shared handler of the case, reflection and self-reflection forms."""
    if form.validate_on_submit():
        try:
            save(
                session,
                current_user._get_current_object(),
                **{
                    name: field.data for name, field in form._fields.items() if name != "csrf_token"
                },
            )
            db.session.commit()
        except ReflectingTeamError as exc:
            _fail(form, exc)
        else:
            flash(success, "success")
            return _back(session, anchor)
    status = 200 if request.method == "GET" else 422
    return render_template(
        template,
        form=form,
        session=session,
        method=operations.find_method(session.method_slug),
        **context,
    ), status


@login_required
def edit_case(session_id):
    """The case owner describes the case from their Experimentierraum."""
    session = _readable_session(session_id)
    if not policy.is_case_owner(current_user, session):
        abort(403)
    if not policy.may_write_case(current_user, session):
        flash(
            _("Die Sitzung ist abgeschlossen. Korrekturen fügen Sie als Nachtrag hinzu."), "error"
        )
        return _back(session)
    form = CaseForm(obj=session.case)
    chosen = request.args.get("vorlage", "") if request.method == "GET" else ""
    if chosen:
        filled = case_sources.prefill(current_user, chosen)
        if filled is None:
            abort(404)
        for name, value in filled.items():
            form[name].data = value
        flash(_("Die Vorlage ist eingesetzt. Prüfen und ergänzen Sie sie, dann speichern Sie."))
    return _text_page(
        session,
        form,
        "reflecting_team/case_form.html",
        operations.submit_case,
        _("Ihr Fall ist gespeichert. Das Team kann ihn jetzt lesen."),
        "case-title",
        case_templates=case_sources.options(current_user),
        chosen=chosen,
    )


@login_required
def edit_reflection(session_id):
    """A team member records their reflection on the case."""
    session = _readable_session(session_id)
    if not policy.is_member(current_user, session):
        abort(403)
    if not policy.may_reflect(current_user, session):
        flash(
            _("Die Sitzung ist abgeschlossen. Korrekturen fügen Sie als Nachtrag hinzu.")
            if session.closed
            else _("Der Fall ist noch nicht beschrieben."),
            "error",
        )
        return _back(session)
    form = ReflectionForm(obj=session.reflection_of(current_user))
    return _text_page(
        session,
        form,
        "reflecting_team/reflection_form.html",
        operations.record_reflection,
        _("Ihre Reflexion ist gespeichert."),
        "reflections-title",
    )


@login_required
def edit_self_reflection(session_id):
    """The case owner writes the closing self-reflection."""
    session = _readable_session(session_id)
    if not policy.is_case_owner(current_user, session):
        abort(403)
    if not policy.may_self_reflect(current_user, session):
        flash(
            _(
                "Die Selbstreflexion ist jetzt nicht möglich: Sie folgt nach der Sitzung, einmal abgeschlossen ergänzen Sie sie mit Nachträgen."
            ),
            "error",
        )
        return _back(session)
    form = SelfReflectionForm(obj=session.self_reflection)
    return _text_page(
        session,
        form,
        "reflecting_team/self_reflection_form.html",
        operations.record_self_reflection,
        _("Ihre Selbstreflexion ist gespeichert."),
        "self-title",
    )


@login_required
def close_session(session_id):
    """The trainer closes the session; its texts are locked from then on."""
    session = _readable_session(session_id)
    if not policy.can_manage(current_user, session):
        abort(403)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            operations.close_session(session, current_user._get_current_object())
            db.session.commit()
        except ReflectingTeamError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            flash(
                _("Die Sitzung ist abgeschlossen. Die Texte sind jetzt festgeschrieben."), "success"
            )
    return _back(session)


@login_required
def amend(session_id, kind, record_id):
    """The author adds an amendment to a locked text."""
    session = _readable_session(session_id)
    record = operations.find_text(session, kind, record_id)
    if record is None:
        abort(404)
    if record.author_id != current_user.id:
        abort(403)
    if not policy.locked(record):
        flash(_("Solange die Sitzung offen ist, ändern Sie den Text direkt."), "info")
        return _back(session)
    form = AmendmentForm()
    if form.validate_on_submit():
        try:
            operations.add_amendment(record, current_user._get_current_object(), form.body.data)
            db.session.commit()
        except ReflectingTeamError as exc:
            _fail(form, exc)
        else:
            flash(_("Ihr Nachtrag ist gespeichert."), "success")
            return _back(session)
    return render_template(
        "reflecting_team/amend_form.html", form=form, session=session, record=record
    ), 200 if request.method == "GET" else 422
