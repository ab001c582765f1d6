"""A Lotse with a mentor (and the mentor's recommendation), built through the area's verbs.

The demo data and the tests need Lotsen whose mentoring is done; the one builder here
assigns and recommends as the foundation and the mentor would, skipping what exists.
"""

from .operations import assign_mentor, current_assignment, current_recommendation, recommend


def mentored(mentee, mentor, staff, reason, recommendation=None):
    """Assign ``mentor`` (``staff`` decides, for ``reason``) unless ``mentee`` has a mentor;
    with ``recommendation`` = (status, text) the mentor recommends unless it is done."""
    if current_assignment(mentee) is None:
        assign_mentor(mentee, mentor, staff, reason)
    if recommendation is not None and current_recommendation(mentee) is None:
        status, text = recommendation
        recommend(mentee, mentor, status, text)
