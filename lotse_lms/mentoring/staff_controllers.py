"""Handlers for foundation staff and trainers: who accompanies whom, and changes of mentor."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import User
from ..accounts.roles import Role
from ..core.access import roles_required
from ..core.paging import Listing
from ..extensions import db
from . import operations, policy, queries
from .controllers import fail
from .forms import AssignForm, EndAssignmentForm
from .validation import MentoringError

ASSIGNERS = (Role.FOUNDATION, Role.TRAINER)


@roles_required(*ASSIGNERS)
def assignments():
    """All participants with their mentor; the foundation also sees the recommendation."""
    listing = Listing.from_request(
        "mentoring.assignments", queries.assignment_sorts(), filters=("ohne", "cohort")
    )
    only_open = listing.filters.get("ohne") == "1"
    return render_template(
        "mentoring/assignments.html",
        rows=queries.assignments_page(listing, only_open),
        listing=listing,
        only_open=only_open,
        show_recommendation=policy.is_staff(current_user),
    )


@roles_required(*ASSIGNERS)
def assign(mentee_id):
    """Assign, change or end a participant's mentor; shows the history of assignments."""
    mentee = db.session.get(User, mentee_id)
    if mentee is None or not mentee.has_role(Role.PARTICIPANT):
        abort(404)
    form = AssignForm()
    end_form = EndAssignmentForm(prefix="end")
    action = request.form.get("action")
    if action == "assign" and form.validate_on_submit():
        try:
            assignment = operations.assign_mentor(
                mentee, form.mentor.person, current_user, form.reason.data
            )
            db.session.commit()
        except MentoringError as exc:
            fail(form, exc)
        else:
            flash(
                _(
                    "%(mentor)s begleitet jetzt %(mentee)s.",
                    mentor=assignment.mentor.name,
                    mentee=mentee.name,
                ),
                "success",
            )
            return redirect(url_for("mentoring.assignments"))
    elif action == "end" and end_form.validate_on_submit():
        try:
            operations.end_assignment(mentee, current_user, end_form.reason.data)
            db.session.commit()
        except MentoringError as exc:
            fail(end_form, exc)
        else:
            flash(_("Das Mentoring für %(mentee)s ist beendet.", mentee=mentee.name), "success")
            return redirect(url_for("mentoring.assign", mentee_id=mentee.id))
    elif request.method == "POST" and action not in ("assign", "end"):
        abort(400)
    return render_template(
        "mentoring/assign.html",
        mentee=mentee,
        form=form,
        end_form=end_form,
        assignment=operations.current_assignment(mentee),
        history=operations.assignment_history(mentee),
    )
