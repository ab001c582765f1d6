"""Roll-up: from SCO attempts to a learner's result per package, Q1 progress and reports.

Per item the best attempt counts (a passed one, else a completed one, else the newest),
so starting a new attempt never takes away a result already reached. A package is
completed when every launchable item of its default organization is completed (an asset
once launched). It is passed when every item with a mastery score / scaled passing score
passed (failed if one failed); without such a criterion the success of the scored SCO(s)
decides. The score is the scored SCO's score in percent, or the average of several.
"""

from flask import current_app

from ...core.timeutil import utcnow
from ...extensions import db
from ...scorm import datamodel
from .lifecycle import certificate_packages
from .models import PackageVersion, ScoAttempt, ScormRegistration
from .packages import Q1_TITLES

SCORE_KEYS = {
    "1.2": ("cmi.core.score.raw", "cmi.core.score.min", "cmi.core.score.max"),
    "2004": ("cmi.score.raw", "cmi.score.min", "cmi.score.max"),
}
SUCCESS = {True: "passed", False: "failed", None: "unknown"}


def _number(text):
    """A float from a data model string, None when missing or blank."""
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def score_percent(version, values, scaled):
    """Score in percent: scaled × 100, else raw within min..max, else raw."""
    if scaled is not None:
        return round(scaled * 100, 2)
    raw_key, min_key, max_key = SCORE_KEYS[version]
    raw, low, high = (_number(values.get(k)) for k in (raw_key, min_key, max_key))
    if raw is None:
        return None
    if high is not None and high > (low or 0):
        return round((raw - (low or 0)) / (high - (low or 0)) * 100, 2)
    return round(raw, 2)


def attempt_summary(state):
    """The summary columns of a ScoAttempt computed from its data model state."""
    summary = datamodel.summary(state)
    version = state["version"]
    if version == "1.2":
        status = summary["lesson_status"]
        completion = "completed" if summary["completed"] else status
    else:
        completion = summary["completion_status"]
    return {
        "completion": completion,
        "success": SUCCESS[summary["passed"]],
        "score_raw": summary["score_raw"],
        "score_scaled": summary["score_scaled"],
        "score_percent": score_percent(version, state["values"], summary["score_scaled"]),
        "total_time_seconds": summary["total_time_seconds"],
        "sessions": state["session"],
    }


def _best(attempts):
    """The attempt that counts for an item: passed, else completed, else the newest."""
    return max(
        attempts,
        key=lambda a: (
            a.success == "passed",
            a.completion == "completed",
            a.score_percent is not None,
            a.attempt,
        ),
    )


def _has_criterion(entry):
    """True if the item defines a mastery score (1.2) or a scaled passing score (2004)."""
    settings = entry.get("settings") or {}
    return (
        settings.get("mastery_score") is not None
        or settings.get("scaled_passing_score") is not None
    )


def compute(version, attempts):
    """Roll ``attempts`` of one registration up; returns completed, passed, score, time."""
    by_item = {}
    for attempt in attempts:
        by_item.setdefault(attempt.item_id, []).append(attempt)
    entries = version.entries()
    best = {item: _best(rows) for item, rows in by_item.items()}
    completed = bool(entries) and all(
        e["id"] in best and best[e["id"]].completion == "completed" for e in entries
    )
    judged = [e for e in entries if _has_criterion(e)]
    if not judged:
        judged = [
            e
            for e in entries
            if e["id"] in best
            and (best[e["id"]].score_percent is not None or best[e["id"]].success != "unknown")
        ]
    outcomes = [best[e["id"]].success if e["id"] in best else "unknown" for e in judged]
    if any(o == "failed" for o in outcomes):
        passed = False
    elif outcomes and all(o == "passed" for o in outcomes):
        passed = True
    else:
        passed = None
    scores = [
        best[e["id"]].score_percent
        for e in entries
        if e["id"] in best and best[e["id"]].score_percent is not None
    ]
    score = round(sum(scores) / len(scores), 2) if scores else None
    total = sum(a.total_time_seconds or 0 for a in attempts)
    return {"completed": completed, "passed": passed, "score": score, "total_time_seconds": total}


def recompute_result(registration, session=None):
    """Recompute a registration's result from its attempts (flushed, not committed).

    ``session`` defaults to the request's session; the commit path passes its own.
    """
    session = session or db.session
    attempts = session.scalars(
        db.select(ScoAttempt).where(ScoAttempt.registration_id == registration.id)
    ).all()
    result = compute(registration.version, attempts)
    now = utcnow()
    registration.completed = result["completed"]
    registration.passed = result["passed"]
    registration.score = result["score"]
    registration.total_time_seconds = result["total_time_seconds"]
    if result["completed"] and registration.completed_at is None:
        registration.completed_at = now
    if result["passed"] and registration.passed_at is None:
        registration.passed_at = now
    session.flush()
    return result


def registrations_of(user, package):
    """The learner's registrations for every version of a package, newest version first."""
    return db.session.scalars(
        db.select(ScormRegistration)
        .join(PackageVersion, ScormRegistration.version_id == PackageVersion.id)
        .where(ScormRegistration.user_id == user.id, PackageVersion.package_id == package.id)
        .order_by(PackageVersion.number.desc())
    ).all()


def best_registration(registrations):
    """The registration that counts: passed, else completed, else the newest version's."""
    if not registrations:
        return None
    return max(registrations, key=lambda r: (bool(r.passed), r.completed, r.version.number))


def module_titles():
    """The titles of the Q1 modules counting for the certificate, in order (one query; the
    same as the titles of q1_progress, without reading anyone's registrations)."""
    return [
        package.title if package else Q1_TITLES.get(key, key)
        for key, package in certificate_packages().items()
    ]


def q1_progress(user):
    """The learner's state in each Q1 module (config Q1_MODULES), for the dashboard and
    certification: list of dict(module_key, title, package_id, completed, passed, score,
    completed_at). passed is None when the module has no pass criterion or no result yet.
    The packages are those the foundation set to count (lifecycle.certificate_packages)."""
    result = []
    for key, package in certificate_packages().items():
        best = best_registration(registrations_of(user, package)) if package else None
        seconds = best.total_time_seconds if best else None
        result.append(
            {
                "module_key": key,
                "title": package.title if package else Q1_TITLES.get(key, key),
                "package_id": package.id if package else None,
                "completed": bool(best and best.completed),
                "passed": best.passed if best else None,
                "score": best.score if best else None,
                "completed_at": best.completed_at if best else None,
                "learning_seconds": seconds,
                "estimated_minutes": estimated_minutes(key),
                "implausible": implausibly_fast(key, best),
            }
        )
    return result


def estimated_minutes(module_key):
    """The estimated learning time of a Q1 module in minutes, or None."""
    return current_app.config["Q1_MODULE_MINUTES"].get(module_key)


def implausibly_fast(module_key, registration):
    """True when a registration completed or passed a Q1 module in far less learning time
    than its estimate (below Q1_PLAUSIBLE_SHARE of it): worth a look, not a refusal."""
    estimate = estimated_minutes(module_key)
    if not estimate or registration is None:
        return False
    if not (registration.completed or registration.passed):
        return False
    seconds = registration.total_time_seconds or 0
    return seconds < estimate * 60 * current_app.config["Q1_PLAUSIBLE_SHARE"]


def q1_module_passed(user, module_key):
    """True if the learner completed the Q1 module and did not fail it (passed, or no
    pass criterion); the certificate needs this for every module of Q1_MODULES."""
    for module in q1_progress(user):
        if module["module_key"] == module_key:
            return module["completed"] and module["passed"] is not False
    return False
