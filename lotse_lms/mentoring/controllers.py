"""Handlers for mentors and mentees: mentee pages, feedback entries, replies, recommendations."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.models import User
from ..accounts.roles import Role
from ..core.access import roles_required
from ..core.forms import choices, validate_all
from ..core.forms import show_refusal as fail
from ..core.timeutil import BERLIN, utcnow
from ..extensions import db
from . import feedback, operations, policy, queries, replies
from .feedback import checked_fields, get_entry, occasion_keys
from .forms import EntryForm, RecommendationForm, ReplyForm
from .models import FeedbackReply, occasion_label
from .progress import progress_of
from .validation import MentoringError

ENTRY_FIELDS = (
    "occurred_on",
    "occasion",
    "occasion_other",
    "observations",
    "next_steps",
    "visibility",
)


def _person_or_404(user_id):
    """Load a person or answer 404."""
    user = db.get_or_404(User, user_id)
    return user


def _entry_or_404(entry_id):
    """Load a feedback entry or answer 404."""
    entry = get_entry(entry_id)
    if entry is None:
        abort(404)
    return entry


def _visible_recommendations(mentee):
    """The mentee's recommendations the signed-in person may read, newest first."""
    return [
        r
        for r in operations.recommendations_of(mentee)
        if policy.can_read_recommendation(current_user, r)
    ]


@login_required
def my_mentees():
    """A mentor's current and former mentees with their state."""
    current, former = operations.mentees_of(current_user)
    if not current_user.has_role(Role.MENTOR) and not (current or former):
        abort(403)
    recommendations = queries.current_recommendations([a.mentee_id for a in current])
    rows = [(a, recommendations.get(a.mentee_id)) for a in current]
    fresh = replies.new_replies(current_user, [a.mentee_id for a in current])
    return render_template("mentoring/mentees.html", rows=rows, former=former, fresh=fresh)


@login_required
def mentee(mentee_id):
    """One mentee for their mentor or the foundation: progress, feedback, recommendation."""
    person = _person_or_404(mentee_id)
    if person.id == current_user.id:
        return redirect(url_for("mentoring.my_mentoring"))
    if not policy.can_view_mentee(current_user, person):
        abort(403)
    entries = feedback.entries_visible_to(current_user, person)
    fresh = {}
    assignment = operations.current_assignment(person)
    if assignment is not None and assignment.mentor_id == current_user.id:
        fresh = replies.fresh_per_entry(entries, person, replies.last_visit(current_user, person))
        replies.record_visit(current_user, person)
        db.session.commit()
    return render_template(
        "mentoring/mentee.html",
        fresh=fresh,
        mentee=person,
        assignment=operations.current_assignment(person),
        history=operations.assignment_history(person) if policy.is_staff(current_user) else [],
        can_write=policy.can_write_feedback(current_user, person),
        entries=entries,
        recommendations=_visible_recommendations(person),
        progress=progress_of(person),
    )


def _entry_form(entry=None):
    """The entry form with the instance's occasions; today's date for a new entry."""
    form = EntryForm(obj=entry)
    form.occasion.choices = choices(
        [("", _("– bitte wählen –"))] + [(key, occasion_label(key)) for key in occasion_keys()]
    )
    if entry is None and form.occurred_on.data is None and not form.is_submitted():
        form.occurred_on.data = utcnow().astimezone(BERLIN).date()
    return form


def _entry_values(form):
    """The entry fields from a submitted form, as keyword arguments of the operations."""
    return {name: getattr(form, name).data for name in ENTRY_FIELDS}


@login_required
def new_entry(mentee_id):
    """The current mentor records a feedback entry."""
    person = _person_or_404(mentee_id)
    if not policy.can_write_feedback(current_user, person):
        abort(403)
    form = _entry_form()
    if validate_all(form, lambda: checked_fields(**_entry_values(form))):
        try:
            entry = feedback.create_entry(person, current_user, **_entry_values(form))
            db.session.commit()
        except MentoringError as exc:
            fail(form, exc)
        else:
            flash(
                _("Der Eintrag ist gespeichert.")
                + " "
                + (
                    _("%(name)s kann ihn lesen.", name=person.name)
                    if entry.is_shared
                    else _("Er ist nur für Sie und die Stiftung sichtbar.")
                ),
                "success",
            )
            return redirect(url_for("mentoring.mentee", mentee_id=person.id))
    return render_template("mentoring/entry_form.html", form=form, mentee=person, entry=None)


@login_required
def edit_entry(entry_id):
    """The entry's mentor revises it; the earlier version is kept."""
    entry = _entry_or_404(entry_id)
    if not policy.can_revise_entry(current_user, entry):
        abort(403)
    form = _entry_form(entry)
    if validate_all(form, lambda: checked_fields(**_entry_values(form))):
        try:
            changed = feedback.revise_entry(entry, current_user, **_entry_values(form))
            db.session.commit()
        except MentoringError as exc:
            fail(form, exc)
        else:
            flash(
                _("Der Eintrag ist geändert; die vorige Fassung bleibt im Verlauf.")
                if changed
                else _("Es gab keine Änderungen."),
                "success" if changed else "info",
            )
            return redirect(url_for("mentoring.entry", entry_id=entry.id))
    return render_template("mentoring/entry_form.html", form=form, mentee=entry.mentee, entry=entry)


@login_required
def entry(entry_id):
    """One entry with its replies and earlier versions; the mentee answers here."""
    item = _entry_or_404(entry_id)
    if not policy.can_read_entry(current_user, item):
        abort(403)
    form = ReplyForm()
    may_reply = policy.can_reply(current_user, item)
    if form.is_submitted() and not may_reply:
        abort(403)
    if form.validate_on_submit():
        try:
            feedback.add_reply(item, current_user, form.body.data)
            db.session.commit()
        except MentoringError as exc:
            fail(form, exc)
        else:
            flash(_("Ihre Antwort ist gespeichert."), "success")
            return redirect(url_for("mentoring.entry", entry_id=item.id, _anchor="replies"))
    revisions = [r for r in item.revisions if policy.can_see_revision(current_user, item, r)]
    return render_template(
        "mentoring/entry.html",
        correctable={r.id for r in item.replies if replies.can_correct(current_user, r)},
        correction_minutes=current_app.config["MENTORING_REPLY_CORRECTION_MINUTES"],
        entry=item,
        form=form,
        may_reply=may_reply,
        revisions=revisions,
        may_revise=policy.can_revise_entry(current_user, item),
        is_mentee=current_user.id == item.mentee_id,
    )


@login_required
def recommendation(mentee_id):
    """The current mentor recommends the mentee for certification, or not yet."""
    person = _person_or_404(mentee_id)
    if not policy.can_write_feedback(current_user, person):
        abort(403)
    form = RecommendationForm()
    if form.validate_on_submit():
        try:
            rec = operations.recommend(person, current_user, form.status.data, form.reason.data)
            db.session.commit()
        except MentoringError as exc:
            fail(form, exc)
        else:
            flash(
                _("Ihre Empfehlung „%(status)s“ ist gespeichert.", status=rec.status_label),
                "success",
            )
            return redirect(url_for("mentoring.mentee", mentee_id=person.id))
    return render_template(
        "mentoring/recommendation.html",
        form=form,
        mentee=person,
        recommendations=_visible_recommendations(person),
    )


@roles_required(Role.PARTICIPANT)
def my_mentoring():
    """The participant's own mentoring: mentor, shared feedback, replies, recommendation."""
    me = current_user._get_current_object()
    return render_template(
        "mentoring/me.html",
        assignment=operations.current_assignment(me),
        entries=feedback.entries_visible_to(me, me),
        recommendations=operations.recommendations_of(me),
        progress=progress_of(me),
    )


@login_required
def correct_reply(reply_id):
    """The participant corrects their reply within the correction window."""
    reply = db.get_or_404(FeedbackReply, reply_id)
    if not policy.can_read_entry(current_user, reply.entry) or reply.author_id != current_user.id:
        abort(403)
    form = ReplyForm(obj=reply)
    if form.validate_on_submit():
        try:
            replies.correct_reply(reply, current_user, form.body.data)
            db.session.commit()
        except MentoringError as exc:
            db.session.rollback()
            fail(form, exc)
        else:
            flash(_("Ihre Antwort ist korrigiert; die frühere Fassung bleibt sichtbar."), "success")
            return redirect(url_for("mentoring.entry", entry_id=reply.entry_id, _anchor="replies"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "mentoring/correct_reply.html",
        form=form,
        reply=reply,
        open=replies.can_correct(current_user, reply),
    ), status
