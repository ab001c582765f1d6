"""Sequencing rule conditions (UP.2, UP.2.1), limit conditions (UP.1), Check Activity (UP.5).

Conditions evaluate to True, False or None (unknown), as the SN book asks: "not" of an
unknown condition stays unknown, and a rule fires only when its combined value is True.
Time based conditions (timeLimitExceeded, outsideAvailableTimeRange) always evaluate to
False because the engine enforces no time limits.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import tracking
from .state import Run

Ternary = bool | None


def combine(values: Iterable[Ternary], how: str) -> Ternary:
    """Combine condition values with "all" (and) or "any" (or) in three-valued logic."""
    values = list(values)
    if how == "any":
        if True in values:
            return True
        return None if None in values else False
    if False in values:
        return False
    return None if None in values else True


def negate(value: Ternary, operator: str) -> Ternary:
    """Apply a condition operator ("not" flips a known value; unknown stays unknown)."""
    if operator == "not" and value is not None:
        return not value
    return value


def attempt_limit_exceeded(run: Run, ident: str) -> bool:
    """True if the activity used up its attempt limit (0 or absent means no limit)."""
    limit = run.tree.seq(ident)["limitConditions"]["attemptLimit"]
    act = run.act(ident)
    return bool(limit) and act["progress"] and act["attempts"] >= limit


def condition(run: Run, ident: str, name: str, objective: str | None, threshold: float):
    """Evaluate one condition of a sequencing or rollup rule for an activity."""
    if name == "always":
        return True
    if name == "satisfied":
        return tracking.satisfied(run, ident, objective)
    if name == "objectiveStatusKnown":
        return tracking.satisfied(run, ident, objective) is not None
    if name == "objectiveMeasureKnown":
        return tracking.measure(run, ident, objective) is not None
    if name in ("objectiveMeasureGreaterThan", "objectiveMeasureLessThan"):
        value = tracking.measure(run, ident, objective)
        if value is None:
            return None
        return value > threshold if name == "objectiveMeasureGreaterThan" else value < threshold
    act = run.act(ident)
    if name in ("completed", "activityProgressKnown"):
        # attempt based (4th edition): the current attempt's completion status, or the
        # referenced objective's completion status when the rule names one
        if objective is None:
            done = tracking.completed(run, ident)
        else:
            done = tracking.objective_completed(run, ident, objective)
        return done if name == "completed" else done is not None
    if name == "attempted":
        return act["progress"] and act["attempts"] > 0
    if name == "attemptLimitExceeded":
        return attempt_limit_exceeded(run, ident)
    if name in ("timeLimitExceeded", "outsideAvailableTimeRange"):
        return False
    return None


def _objective_ref(run: Run, ident: str, ref: str | None) -> str | None:
    """The objective a condition refers to; an unknown ID refers to no objective at all."""
    if ref is None:
        return None
    return ref if run.tree.objective(ident, ref) is not None else "\0missing"


def rule_fires(run: Run, ident: str, rule: dict) -> bool:
    """Sequencing Rule Check Subprocess (UP.2.1): True if the rule's conditions hold."""
    values = [
        negate(
            condition(
                run,
                ident,
                cond["condition"],
                _objective_ref(run, ident, cond["objective"]),
                cond["threshold"],
            ),
            cond["operator"],
        )
        for cond in rule["conditions"]
    ]
    if not values:
        return False
    return combine(values, rule["combination"]) is True


def rules_check(run: Run, ident: str, kind: str, actions: Iterable[str]) -> str | None:
    """Sequencing Rules Check Process (UP.2): the action of the first firing rule, or None."""
    wanted = set(actions)
    for rule in run.tree.seq(ident)["sequencingRules"][kind]:
        if rule["action"] in wanted and rule_fires(run, ident, rule):
            return rule["action"]
    return None


def limit_conditions_violated(run: Run, ident: str) -> bool:
    """Limit Conditions Check Process (UP.1): only the attempt limit is enforced."""
    if not run.tree.seq(ident)["deliveryControls"]["tracked"]:
        return False
    act = run.act(ident)
    if act["active"] or act["suspended"]:
        return False
    return attempt_limit_exceeded(run, ident)


def check_activity(run: Run, ident: str) -> bool:
    """Check Activity Process (UP.5): True if the activity is disabled or over its limits."""
    if rules_check(run, ident, "pre", ("disabled",)) is not None:
        return True
    return limit_conditions_violated(run, ident)


def hidden_from_choice(run: Run, ident: str) -> bool:
    """True if a hiddenFromChoice precondition rule of the activity fires now."""
    return rules_check(run, ident, "pre", ("hiddenFromChoice",)) is not None
