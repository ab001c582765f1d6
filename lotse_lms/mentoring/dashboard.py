"""Mentoring on the dashboard: the participant's step, panels for mentors and for staff."""

from flask import url_for
from flask_babel import gettext as _

from ..core.dashboard import Step
from .feedback import entry_counts
from .queries import current_recommendations, unassigned

STEP_ORDER = 70


def mentoring_step(user):
    """The step "Mentoring und Empfehlung": is a mentor assigned, has the mentor recommended?"""
    from .operations import current_mentor, current_recommendation

    title = _("Mentoring und Empfehlung")
    url = url_for("mentoring.my_mentoring")
    mentor = current_mentor(user)
    rec = current_recommendation(user)
    if rec is not None and rec.is_recommended:
        return [
            Step(
                title,
                "done",
                _("%(mentor)s hat Sie zur Zertifizierung empfohlen.", mentor=rec.mentor.name),
                url,
                None,
                STEP_ORDER,
            )
        ]
    if mentor is None:
        return [
            Step(
                title,
                "open",
                _(
                    "Noch keine Mentorin / kein Mentor zugeordnet. "
                    "Die Stiftung ordnet Ihnen eine erfahrene Lotsin / einen erfahrenen Lotsen zu."
                ),
                url,
                None,
                STEP_ORDER,
            )
        ]
    if rec is not None:
        return [
            Step(
                title,
                "open",
                _(
                    "Ihre Mentorin / Ihr Mentor %(mentor)s empfiehlt Sie noch nicht; "
                    "die Begründung finden Sie auf Ihrer Mentoring-Seite.",
                    mentor=rec.mentor.name,
                ),
                url,
                _("Begründung lesen"),
                STEP_ORDER,
            )
        ]
    return [
        Step(
            title,
            "pending",
            _(
                "Sie werden von %(mentor)s begleitet. Die Empfehlung steht noch aus.",
                mentor=mentor.name,
            ),
            url,
            _("Mentoring ansehen"),
            STEP_ORDER,
        )
    ]


def mentor_panel_context(user):
    """A mentor's current mentees with their entry count, newest entry and recommendation."""
    from .operations import mentees_of

    current, _former = mentees_of(user)
    ids = [a.mentee_id for a in current]
    counts, recommendations = entry_counts(user, ids), current_recommendations(ids)
    rows = []
    for assignment in current:
        entries, last = counts.get(assignment.mentee_id, (0, None))
        rows.append(
            {
                "assignment": assignment,
                "entries": entries,
                "last": last,
                "recommendation": recommendations.get(assignment.mentee_id),
            }
        )
    return {"rows": rows}


def unassigned_panel_context(user):
    """How many participants wait for a mentor, and the first eight of them."""
    count, first = unassigned(8)
    return {"count": count, "people": first}
