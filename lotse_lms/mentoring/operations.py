"""Verbs of mentoring: assign mentors, recommend; the functions other areas rely on.

Who may mentor is decided in ``mentors.py``; feedback entries and replies live in
``feedback.py``. Callers import each function from the module it lives in.
"""

from flask_babel import gettext as _

from ..accounts.models import User, UserRole
from ..accounts.roles import Role
from ..core import audit, mail
from ..core.timeutil import utcnow
from ..core.urls import external_url
from ..extensions import db
from . import policy
from .mentors import is_eligible_mentor
from .models import MentorAssignment, Recommendation, RecommendationStatus
from .validation import REASON_MAX, MentoringError, clean_text

# --- assignments ------------------------------------------------------------------------


def current_assignment(mentee):
    """The mentee's open assignment, or None."""
    return db.session.scalar(
        db.select(MentorAssignment).where(
            MentorAssignment.mentee_id == mentee.id, MentorAssignment.ended_at.is_(None)
        )
    )


def current_mentor(mentee):
    """The mentee's mentor now, or None."""
    assignment = current_assignment(mentee)
    return assignment.mentor if assignment else None


def assignment_history(mentee):
    """Every assignment of the mentee, newest first."""
    return db.session.scalars(
        db.select(MentorAssignment)
        .where(MentorAssignment.mentee_id == mentee.id)
        .order_by(MentorAssignment.started_at.desc(), MentorAssignment.id.desc())
    ).all()


def mentees_of(mentor):
    """(current, former) assignments of a mentor; former ones once per mentee, newest kept."""
    rows = db.session.scalars(
        db.select(MentorAssignment)
        .where(MentorAssignment.mentor_id == mentor.id)
        .order_by(MentorAssignment.started_at.desc(), MentorAssignment.id.desc())
    ).all()
    current = [a for a in rows if a.is_current]
    seen = {a.mentee_id for a in current}
    former = []
    for assignment in rows:
        if assignment.mentee_id not in seen:
            seen.add(assignment.mentee_id)
            former.append(assignment)
    return sorted(current, key=lambda a: a.mentee.name.lower()), former


def participants_without_mentor():
    """Active participants who have no mentor now, by name."""
    has_mentor = (
        db.select(MentorAssignment.id)
        .where(MentorAssignment.mentee_id == User.id, MentorAssignment.ended_at.is_(None))
        .exists()
    )
    return db.session.scalars(
        db.select(User)
        .join(UserRole)
        .where(UserRole.role == str(Role.PARTICIPANT), User.active.is_(True), ~has_mentor)
        .order_by(User.name)
    ).all()


def participant_overview():
    """(participant, open assignment or None, current recommendation or None) for everyone."""
    people = db.session.scalars(
        db.select(User)
        .join(UserRole)
        .where(UserRole.role == str(Role.PARTICIPANT))
        .order_by(User.name)
    ).all()
    open_rows = db.session.scalars(
        db.select(MentorAssignment).where(MentorAssignment.ended_at.is_(None))
    ).all()
    assignments = {a.mentee_id: a for a in open_rows}
    newest = {}
    for rec in db.session.scalars(
        db.select(Recommendation).order_by(Recommendation.created_at, Recommendation.id)
    ):
        newest[rec.mentee_id] = rec
    return [(p, assignments.get(p.id), newest.get(p.id)) for p in people]


def _check_assignment(mentee, mentor, actor):
    """Refuse assignments that break the rules, with a message on the right field."""
    if actor is not None and not policy.can_assign(actor):
        raise MentoringError(
            _("Nur die Stiftung und Trainerinnen und Trainer ordnen Mentorinnen und Mentoren zu.")
        )
    if not mentee.has_role(Role.PARTICIPANT) or not mentee.active:
        raise MentoringError(
            _("Mentorinnen und Mentoren werden nur aktiven Teilnehmenden zugeordnet.")
        )
    if actor is not None and actor.id == mentee.id:
        raise MentoringError(
            _("Sie können sich nicht selbst eine Mentorin / einen Mentor zuordnen.")
        )
    if mentor is None or not is_eligible_mentor(mentor):
        raise MentoringError(
            _("Bitte wählen Sie eine Mentorin / einen Mentor aus der Liste."), "mentor"
        )
    if mentor.id == mentee.id:
        raise MentoringError(
            _("Niemand kann sich selbst als Mentorin / Mentor begleiten."), "mentor"
        )


def assign_mentor(mentee, mentor, actor, reason):
    """Make ``mentor`` the mentee's mentor; an earlier assignment ends and stays in the history."""
    _check_assignment(mentee, mentor, actor)
    reason = clean_text(
        reason,
        "reason",
        REASON_MAX,
        _("Bitte geben Sie an, warum diese Person als Mentorin / Mentor passt."),
    )
    previous = current_assignment(mentee)
    if previous is not None and previous.mentor_id == mentor.id:
        raise MentoringError(
            _("%(name)s ist bereits als Mentorin / Mentor zugeordnet.", name=mentor.name), "mentor"
        )
    now = utcnow()
    if previous is not None:
        previous.ended_at = now
        previous.ended_by_id = actor.id if actor else None
        previous.end_reason = reason
        db.session.flush()  # the open-assignment index must see the old one closed first
    assignment = MentorAssignment(
        mentee_id=mentee.id,
        mentor_id=mentor.id,
        reason=reason,
        assigned_by_id=actor.id if actor else None,
        started_at=now,
    )
    db.session.add(assignment)
    db.session.flush()
    audit.record(
        "mentoring.mentor_assigned",
        assignment,
        actor=actor,
        subject=mentee,
        mentor_id=mentor.id,
        previous_mentor_id=previous.mentor_id if previous else None,
    )
    mail.queue(
        mentee.email,
        _("Ihre Mentorin / Ihr Mentor"),
        _(
            "Guten Tag %(name)s,\n\n%(mentor)s begleitet Sie ab jetzt als Mentorin / Mentor in der "
            "OM-Lotsen-Qualifizierung.\n\nIhre Mentoring-Seite: %(link)s",
            name=mentee.name,
            mentor=mentor.name,
            link=external_url("mentoring.my_mentoring"),
        ),
    )
    mail.queue(
        mentor.email,
        _("Neue Mentee: %(name)s", name=mentee.name),
        _(
            "Guten Tag %(mentor)s,\n\nSie begleiten ab jetzt %(name)s als Mentorin / Mentor.\n\n%(link)s",
            mentor=mentor.name,
            name=mentee.name,
            link=external_url("mentoring.mentee", mentee_id=mentee.id),
        ),
    )
    if previous is not None:
        mail.queue(
            previous.mentor.email,
            _("Mentoring beendet: %(name)s", name=mentee.name),
            _(
                "Guten Tag %(mentor)s,\n\n%(name)s wird ab jetzt von einer anderen Person begleitet. "
                "Ihre Einträge bleiben erhalten; Sie können sie weiterhin lesen.",
                mentor=previous.mentor.name,
                name=mentee.name,
            ),
        )
    return assignment


def end_assignment(mentee, actor, reason):
    """End the mentee's current assignment without a successor (the history stays)."""
    if actor is not None and not policy.can_assign(actor):
        raise MentoringError(
            _("Nur die Stiftung und Trainerinnen und Trainer ordnen Mentorinnen und Mentoren zu.")
        )
    reason = clean_text(
        reason, "reason", REASON_MAX, _("Bitte geben Sie an, warum das Mentoring endet.")
    )
    assignment = current_assignment(mentee)
    if assignment is None:
        raise MentoringError(
            _("%(name)s hat derzeit keine Mentorin / keinen Mentor.", name=mentee.name)
        )
    assignment.ended_at = utcnow()
    assignment.ended_by_id = actor.id if actor else None
    assignment.end_reason = reason
    audit.record(
        "mentoring.assignment_ended",
        assignment,
        actor=actor,
        subject=mentee,
        mentor_id=assignment.mentor_id,
    )
    mail.queue(
        assignment.mentor.email,
        _("Mentoring beendet: %(name)s", name=mentee.name),
        _(
            "Guten Tag %(mentor)s,\n\ndie Stiftung hat Ihr Mentoring für %(name)s beendet. "
            "Ihre Einträge bleiben erhalten; Sie können sie weiterhin lesen.",
            mentor=assignment.mentor.name,
            name=mentee.name,
        ),
    )
    return assignment


# --- recommendations ------------------------------------------------------------------


def recommend(mentee, mentor, status, reason):
    """The current mentor recommends the mentee for certification (or not yet), with a reason."""
    if not policy.can_write_feedback(mentor, mentee):
        raise MentoringError(
            _("Nur die aktuelle Mentorin / der aktuelle Mentor kann eine Empfehlung abgeben.")
        )
    if status not in {str(s) for s in RecommendationStatus}:
        raise MentoringError(_("Bitte wählen Sie „empfohlen“ oder „noch nicht“."), "status")
    reason = clean_text(reason, "reason", REASON_MAX, _("Bitte begründen Sie Ihre Empfehlung."))
    previous = current_recommendation(mentee)
    rec = Recommendation(
        mentee_id=mentee.id, mentor_id=mentor.id, status=status, reason=reason, created_at=utcnow()
    )
    db.session.add(rec)
    db.session.flush()
    audit.record(
        "mentoring.recommendation_given",
        rec,
        actor=mentor,
        subject=mentee,
        status=status,
        replaces=previous.id if previous else None,
        previous_status=previous.status if previous else None,
    )
    mail.queue(
        mentee.email,
        _("Empfehlung Ihrer Mentorin / Ihres Mentors"),
        _(
            "Guten Tag %(name)s,\n\n%(mentor)s hat eine Empfehlung zu Ihrer Zertifizierung "
            "abgegeben. Sie finden sie mit Begründung auf Ihrer Mentoring-Seite:\n\n%(link)s",
            name=mentee.name,
            mentor=mentor.name,
            link=external_url("mentoring.my_mentoring"),
        ),
    )
    return rec


def recommendations_of(mentee):
    """Every recommendation for the mentee, newest first (the first one is in effect)."""
    return db.session.scalars(
        db.select(Recommendation)
        .where(Recommendation.mentee_id == mentee.id)
        .order_by(Recommendation.created_at.desc(), Recommendation.id.desc())
    ).all()


def current_recommendation(mentee):
    """The recommendation in effect (the newest), or None."""
    return db.session.scalars(
        db.select(Recommendation)
        .where(Recommendation.mentee_id == mentee.id)
        .order_by(Recommendation.created_at.desc(), Recommendation.id.desc())
        .limit(1)
    ).first()


def is_recommended(mentee):
    """True if the recommendation in effect says "recommended" (certification needs this)."""
    rec = current_recommendation(mentee)
    return rec is not None and rec.is_recommended
