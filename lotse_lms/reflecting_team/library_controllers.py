"""Handlers of the method library and of the feedback portfolio download."""

from flask import Response, abort, render_template
from flask_login import current_user, login_required

from ..accounts.models import User
from ..accounts.roles import Role
from ..cohorts.filters import selected_cohort_id
from ..core import audit
from ..core.access import roles_required
from ..extensions import db
from . import operations
from .portfolio import build_portfolio


@roles_required(Role.FOUNDATION, Role.TRAINER)
def participation_overview():
    """Every participant's counts as certification sees them, for planning and checking."""
    people = operations.eligible_case_owners(selected_cohort_id())
    counts = operations.participation_counts(person.id for person in people)
    rows = [(person, counts[person.id]) for person in people]
    return render_template("reflecting_team/participation.html", rows=rows)


@login_required
def methods_index():
    """All methods of the library, for everyone signed in."""
    return render_template("reflecting_team/methods.html", methods=operations.library())


@login_required
def method_detail(slug):
    """One method with its sections."""
    method = operations.find_method(slug)
    if method is None:
        abort(404)
    return render_template("reflecting_team/method.html", method=method)


def _pdf(user):
    """Send the portfolio of ``user`` as a PDF download."""
    filename = f"feedback-portfolio-{user.id}.pdf"
    return Response(
        build_portfolio(user),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",  # confidential: not kept in shared caches
        },
    )


@login_required
def own_portfolio():
    """A Lotse downloads their own feedback portfolio."""
    if not current_user.has_role(Role.PARTICIPANT):
        abort(403)
    return _pdf(current_user._get_current_object())


@login_required
def portfolio_of(user_id):
    """Foundation staff download a Lotse's portfolio (the Lotse may use this address too)."""
    person = db.get_or_404(User, user_id)
    is_self = person.id == current_user.id and person.has_role(Role.PARTICIPANT)
    if not (is_self or current_user.has_role(Role.FOUNDATION)):
        abort(403)
    if not is_self:
        # Reading someone's confidential feedback is itself worth a trace in the audit log.
        audit.record("reflecting_team.portfolio_downloaded", person, subject=person)
        db.session.commit()
    return _pdf(person)
