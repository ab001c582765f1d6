"""What the LMS reads from an attempt state: completion, success, score, time (its summary)."""

from .model import DataModel
from .tables import table_for
from .timefmt import parse_span

KEYS = {
    "1.2": {
        "entry": "cmi.core.entry",
        "exit": "cmi.core.exit",
        "session_time": "cmi.core.session_time",
        "total_time": "cmi.core.total_time",
        "location": "cmi.core.lesson_location",
        "raw": "cmi.core.score.raw",
    },
    "2004": {
        "entry": "cmi.entry",
        "exit": "cmi.exit",
        "session_time": "cmi.session_time",
        "total_time": "cmi.total_time",
        "location": "cmi.location",
        "raw": "cmi.score.raw",
    },
}
COMPLETED_12 = ("completed", "passed", "failed")


def number(text):
    """Return text as a float, or None when it is missing or blank."""
    return float(text) if text not in (None, "") else None


def lesson_status_12(values):
    """The SCORM 1.2 lesson_status after the LMS's mastery score rule.

    With credit "credit", a mastery score and a score.raw, any status but "incomplete"
    becomes "passed" (raw >= mastery score) or "failed", whatever order the SCO set
    status and score in.
    """
    status = values.get("cmi.core.lesson_status", "not attempted")
    mastery = number(values.get("cmi.student_data.mastery_score"))
    raw = number(values.get("cmi.core.score.raw"))
    credit = values.get("cmi.core.credit", "credit") == "credit"
    if credit and mastery is not None and raw is not None and status != "incomplete":
        return "passed" if raw >= mastery else "failed"
    return status


def summary(state):
    """Return the roll-up of state: completed, passed, scores, time, location, exit."""
    version, values = state["version"], state["values"]
    keys = KEYS[version]
    total = state["total_time_cs"]
    if state["session_open"] and values.get(keys["session_time"]):
        total += parse_span(version, values[keys["session_time"]])
    result = {
        "version": version,
        "attempt": state["attempt"],
        "score_raw": number(values.get(keys["raw"])),
        "total_time_seconds": total / 100,
        "location": values.get(keys["location"], ""),
        "exit": values.get(keys["exit"], state["last_exit"] or ""),
    }
    if version == "1.2":
        status = lesson_status_12(values)
        result.update(
            completed=status in COMPLETED_12,
            passed={"passed": True, "failed": False}.get(status),
            score_scaled=None,
            lesson_status=status,
        )
        return result
    model = DataModel(table_for(version), values)
    completion = model.get_value("cmi.completion_status")
    success = model.get_value("cmi.success_status")
    result.update(
        completed=completion == "completed",
        passed={"passed": True, "failed": False}.get(success),
        score_scaled=number(values.get("cmi.score.scaled")),
        completion_status=completion,
        success_status=success,
        progress_measure=number(values.get("cmi.progress_measure")),
        nav_request=values.get("adl.nav.request", "_none_"),
    )
    return result
