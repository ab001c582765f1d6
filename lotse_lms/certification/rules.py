"""What the certificate requires, read from the qualification path (``lotse_lms.qualification``).

The state of each prerequisite is computed there, from the areas' records; config
``CERT_RULES`` chooses which steps the certificate requires. This module adds what only
certification needs: the evidence stored with a certificate and the time budget shown beside it.
"""

from flask import current_app
from flask_babel import force_locale

from ..modules.q1.progress import module_titles
from ..modules.q2.common import topic_label
from ..modules.q2.progress import q2_progress
from ..qualification import state as qualification
from ..qualification.state import hours


def checklist(user, now=None):
    """Every required prerequisite for ``user``, met or not, in order."""
    return qualification.checklist(user, now)


def unmet(user, now=None):
    """The prerequisites ``user`` does not meet yet (empty: eligible)."""
    return [result for result in checklist(user, now) if not result.met]


def is_eligible(user, now=None):
    """True if every required prerequisite is met."""
    return not unmet(user, now)


def budget(user, progress=None):
    """Whether the whole plan stayed within the time budget (shown, never enforced)."""
    progress = progress or q2_progress(user)
    return {
        "total_hours": progress["total_hours"],
        "budget_hours": progress["budget_hours"],
        "within": not progress["over_budget"],
        "text": hours(progress["total_hours"]),
        "budget_text": hours(progress["budget_hours"]),
    }


def _content(user, progress):
    """What the person covered in Q1 and Q2, for the certificate's text."""
    return {
        "q1_modules": module_titles(),
        "q2_topics": sorted(topic_label(t) for t in progress["attended_topics"]),
        "q2_hours": float(progress["attended_hours"]),
    }


def checklists(user_ids, now=None):
    """``{user_id: checklist}`` for many people at once (the same queries as for one person)."""
    keys = qualification.required_keys()
    found = qualification.states(list(user_ids), keys=keys, now=now)
    return {uid: [s for s in steps if s.key in keys] for uid, steps in found.items()}


def evidence_snapshot(user, now=None, results=None):
    """The checklist as stored in a certificate (German, JSON-ready), and the checklist itself.

    ``results``: the person's checklist if already computed (bulk issuing computes a chunk's
    checklists at once, after locking the chunk's people)."""
    with force_locale("de"):
        if results is None:
            results = checklist(user, now)
        progress = q2_progress(user)
        plan = budget(user, progress)
        return {
            "rules": [r.snapshot() for r in results],
            "content": _content(user, progress),
            "budget": {k: v for k, v in plan.items() if k not in ("text", "budget_text")},
            "config": {
                "rules": qualification.required_keys(),
                "q2_min_hours": current_app.config["CERT_Q2_MIN_HOURS"],
                "q2_topics": list(current_app.config["CERT_Q2_TOPICS"]),
            },
        }, results
