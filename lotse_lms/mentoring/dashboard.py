"""Mentoring on the dashboard: panels for mentors and for staff (the step is in qualification)."""

from .feedback import entry_counts
from .operations import mentees_of
from .queries import current_recommendations, unassigned


def mentor_panel_context(user):
    """A mentor's current mentees with their entry count, newest entry and recommendation."""
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
