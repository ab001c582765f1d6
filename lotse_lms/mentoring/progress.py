"""What mentors see of a mentee's progress: the qualification path's steps, as everyone sees them.

The states come from ``lotse_lms.qualification``; mentoring adds nothing of its own, so a
mentor never reads a state that differs from the mentee's checklist.
"""

from ..qualification.views import progress_lines


def progress_of(user):
    """Every step of ``user``'s path with its state and what is done or missing."""
    return progress_lines(user)
