"""What a learner sees of one module: state, progress bar, check result, time, next step.

Read by the catalogue, the player and the end page after a module's last activity.
"""

from flask_babel import gettext as _

from ...extensions import db
from .lifecycle import certificate_packages
from .models import ScoAttempt
from .progress import _best, _has_criterion, best_registration, registrations_of

#: Catalogue states: (badge class, label) in STATE_LABELS' words.
STATES = ("passed", "failed", "completed", "started", "open")


def _percent(value):
    """A score in the one German format: one decimal, decimal comma (91,7 %)."""
    return f"{value:.1f}".replace(".", ",") + " %"


def _check_label(entries, best):
    """The knowledge check's result in words, None without a check or an attempt at it."""
    judged = [e for e in entries if _has_criterion(e) and e["id"] in best]
    if not judged:
        return None
    attempt = best[judged[-1]["id"]]
    if attempt.success == "passed":
        word = _("bestanden")
    elif attempt.success == "failed":
        word = _("nicht bestanden")
    else:
        return _("begonnen")
    return (
        f"{word} ({_percent(attempt.score_percent)})" if attempt.score_percent is not None else word
    )


def module_overview(user, package):
    """dict(package, registration, state, done, total, check, score, minutes) of a learner.

    The registration that counts is the best of every version (a passed one first); done
    counts its launchable items whose best attempt is completed or passed.
    """
    registrations = registrations_of(user, package)
    reg = best_registration(registrations)
    version = reg.version if reg is not None else package.current_version
    entries = version.entries() if version is not None else []
    best = {}
    if reg is not None:
        attempts = db.session.scalars(
            db.select(ScoAttempt).where(ScoAttempt.registration_id == reg.id)
        ).all()
        by_item = {}
        for attempt in attempts:
            by_item.setdefault(attempt.item_id, []).append(attempt)
        best = {item: _best(rows) for item, rows in by_item.items()}
    done = sum(
        1
        for e in entries
        if e["id"] in best
        and (best[e["id"]].completion == "completed" or best[e["id"]].success == "passed")
    )
    if reg is None:
        state = "open"
    elif reg.passed is True or (reg.completed and reg.passed is None):
        state = "passed" if reg.passed else "completed"
    elif reg.passed is False:
        state = "failed"
    else:
        state = "started"
    seconds = sum(r.total_time_seconds or 0 for r in registrations)
    return {
        "package": package,
        "registration": reg,
        "state": state,
        "done": done,
        "total": len(entries),
        "check": _check_label(entries, best),
        "score": _percent(reg.score) if reg is not None and reg.score is not None else None,
        "minutes": round(seconds / 60),
    }


def certificate_standing(user, package):
    """What the module counts for: whether it is one of the certificate's Q1 modules, how
    many of them the learner has finished, and the next one still to do (or None)."""
    counted = certificate_packages()
    modules = [p for p in counted.values() if p is not None]
    overviews = [(p, module_overview(user, p)) for p in modules]
    finished = [p for p, o in overviews if o["state"] in ("passed", "completed")]
    todo = [p for p, o in overviews if p.id != package.id and p not in finished]
    after = (
        [p for p in todo if modules.index(p) > modules.index(package)] if package in modules else []
    )
    return {
        "counts": package in modules,
        "modules": len(counted),
        "finished": len(finished),
        "next": (after or todo or [None])[0],
    }
