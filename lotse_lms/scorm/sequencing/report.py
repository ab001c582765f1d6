"""Copying a SCO's run-time data into the activity's tracking information.

The mapping follows the SN book's run-time data to tracking data table:
cmi.completion_status sets the attempt progress and completion status,
cmi.progress_measure the attempt completion amount, cmi.success_status the primary
objective's satisfied status, cmi.score.scaled its normalized measure, and each
cmi.objectives.n entry the activity objective with the same ID. A key absent from the
data leaves the tracking value as it is; a key present with an unknown value clears it.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import tracking
from .attempts import end_attempt, lms_defaults
from .rollup import overall_rollup
from .state import Run

_COMPLETION = {"completed": True, "incomplete": False, "not attempted": False}
_SUCCESS = {"passed": True, "failed": False}


def _number(value: object) -> float | None:
    """A finite number from the data, or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if number == number and abs(number) != float("inf") else None


def _success(record: dict, data: Mapping) -> None:
    """Copy success_status and score_scaled into an objective record."""
    if "success_status" in data:
        value = _SUCCESS.get(data["success_status"])
        record.update(known=value is not None, satisfied=bool(value))
    if "score_scaled" in data:
        number = _number(data["score_scaled"])
        record.update(measure_known=number is not None, measure=number or 0.0)


def _objective_entry(record: dict, data: Mapping) -> None:
    """Copy one cmi.objectives entry into the objective record with its ID."""
    _success(record, data)
    if "completion_status" in data:
        value = _COMPLETION.get(data["completion_status"])
        record["completion"] = None if value is None else ("completed" if value else "incomplete")
    if "progress_measure" in data:
        record["progress"] = _number(data["progress_measure"])


def _copy(run: Run, ident: str, data: Mapping) -> None:
    """Copy the run-time data of a SCO into its activity's tracking information."""
    act = run.act(ident)
    seq = run.tree.seq(ident)
    for entry in data.get("objectives") or []:
        objective_id = entry.get("id") if isinstance(entry, Mapping) else None
        if objective_id is not None and objective_id in act["objectives"]:
            _objective_entry(act["objectives"][objective_id], entry)
    _success(act["objectives"][seq["primary"]], data)
    if "completion_status" in data:
        value = _COMPLETION.get(data["completion_status"])
        act.update(a_progress=value is not None, a_completed=bool(value))
    if "progress_measure" in data:
        number = _number(data["progress_measure"])
        act.update(amount_known=number is not None, amount=number or 0.0)
    seconds = _number(data.get("attempt_seconds"))
    if seconds is not None:
        act["seconds"] = seconds


def apply_report(run: Run, ident: str, data: Mapping) -> bool:
    """Record a SCO's run-time data, end its attempt when the session ended, roll up.

    Returns False (and changes nothing) for an unknown item, a cluster, or an activity
    that was never delivered.
    """
    tree = run.tree
    if ident not in tree.nodes or not tree.is_leaf(ident):
        return False
    act = run.act(ident)
    if act["attempts"] == 0 and not act["active"]:
        return False
    if tree.seq(ident)["deliveryControls"]["tracked"]:
        _copy(run, ident, data)
    # cmi.exit = "suspend" suspends the attempt when it ends, also when the LMS ends it
    # (the learner left the page without Terminate, then chose another activity)
    act["exit_suspend"] = data.get("exit") == "suspend"
    tracking.write_maps(run, ident)
    if data.get("session_ended") and act["active"]:
        act["suspended"] = data.get("exit") == "suspend"
        end_attempt(run, ident)
        if ident == run.current:
            run.ended = True
        return True
    if not act["active"]:
        # a commit arriving after the attempt ended keeps the LMS's defaults for what it
        # leaves unknown, as if the attempt had ended with this data
        lms_defaults(run, ident)
    overall_rollup(run, ident)
    return True
