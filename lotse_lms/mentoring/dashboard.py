"""Mentoring on the dashboard: panels for mentors and for staff (the step is in qualification)."""


def mentor_panel_context(user):
    """A mentor's current mentees with their latest entry and recommendation."""
    from .feedback import entries_visible_to
    from .operations import current_recommendation, mentees_of

    current, _former = mentees_of(user)
    rows = []
    for assignment in current:
        entries = entries_visible_to(user, assignment.mentee)
        rows.append(
            {
                "assignment": assignment,
                "entries": len(entries),
                "last": entries[0].occurred_on if entries else None,
                "recommendation": current_recommendation(assignment.mentee),
            }
        )
    return {"rows": rows}


def unassigned_panel_context(user):
    """Participants still waiting for a mentor."""
    from .operations import participants_without_mentor

    return {"people": participants_without_mentor()}
