"""Rollup (RB.1.x): measure, completion measure, objective and activity progress rollup.

When an activity defines no rollup rule for either action of a pair (satisfied / not
satisfied, completed / incomplete), the SN default rules of that pair apply (4th edition,
as ADL's sample RTE reads them): not satisfied once every contributing child's objective
status is known, satisfied if all of them are satisfied; incomplete once every
contributing child's attempt progress is known, completed if all are completed. Rules are
checked "not satisfied" before "satisfied" and "incomplete" before "completed", so the
positive result wins when both fire: a cluster is not satisfied (incomplete) only when
every child's status is known and not all are satisfied (completed).

A child whose tracking is off (tracked="false") contributes unknown values (see
tracking.py). The child activity sets follow RB.1.4's bag rules: "all" holds when the bag
holds no False and no Unknown, "none" when it holds no True and no Unknown, so both hold
for an empty bag (no contributing child); "any", "atLeastCount" and "atLeastPercent" need
a contributing child.
"""

from __future__ import annotations

from . import tracking
from .rules import Ternary, combine, condition, negate, rules_check
from .state import Run

DEFAULT_RULES = {
    "satisfied": [("satisfied", "noOp")],
    "notSatisfied": [("objectiveStatusKnown", "noOp")],
    "completed": [("completed", "noOp")],
    "incomplete": [("activityProgressKnown", "noOp")],
}
_PAIRS = {
    "satisfied": ("satisfied", "notSatisfied"),
    "notSatisfied": ("satisfied", "notSatisfied"),
    "completed": ("completed", "incomplete"),
    "incomplete": ("completed", "incomplete"),
}
_REQUIRED = {
    "satisfied": "requiredForSatisfied",
    "notSatisfied": "requiredForNotSatisfied",
    "completed": "requiredForCompleted",
    "incomplete": "requiredForIncomplete",
}


def _default_rule(action: str) -> dict:
    """The SN default rollup rule for an action."""
    return {
        "childActivitySet": "all",
        "minimumCount": 0,
        "minimumPercent": 0.0,
        "combination": "any",
        "conditions": [{"condition": c, "operator": o} for c, o in DEFAULT_RULES[action]],
        "action": action,
    }


def _rules_for(run: Run, ident: str, action: str) -> list[dict]:
    """The activity's rollup rules with that action; the default rule when the activity
    has no rule for either action of the pair."""
    rules = run.tree.seq(ident)["rollupRules"]["rules"]
    if any(rule["action"] in _PAIRS[action] for rule in rules):
        return [rule for rule in rules if rule["action"] == action]
    return [_default_rule(action)]


def contributes(run: Run, child: str, action: str) -> bool:
    """Check Child for Rollup Subprocess (RB.1.4.2), with adlseq:rollupConsiderations."""
    seq = run.tree.seq(child)
    if action in ("satisfied", "notSatisfied"):
        if not seq["rollupRules"]["rollupObjectiveSatisfied"]:
            return False
    elif not seq["rollupRules"]["rollupProgressCompletion"]:
        return False
    required = seq["rollupConsiderations"][_REQUIRED[action]]
    act = run.act(child)
    if required == "ifNotSuspended":
        return act["progress"] and not (act["attempts"] > 0 and act["suspended"])
    if required == "ifAttempted":
        return act["progress"] and act["attempts"] > 0
    if required == "ifNotSkipped":
        return rules_check(run, child, "pre", ("skip",)) is None
    return True


def _child_value(run: Run, child: str, rule: dict) -> Ternary:
    """Evaluate a rollup rule's conditions for one child (RB.1.4.1)."""
    values = [
        negate(condition(run, child, c["condition"], None, 0.0), c["operator"])
        for c in rule["conditions"]
    ]
    return combine(values, rule["combination"]) if values else None


def _set_holds(bag: list[Ternary], rule: dict) -> bool:
    """Apply the rule's child activity set to the contributing children's values."""
    kind = rule["childActivitySet"]
    if kind == "all":
        return False not in bag and None not in bag
    if kind == "none":
        return True not in bag and None not in bag
    if not bag:
        return False
    trues = bag.count(True)
    if kind == "any":
        return trues > 0
    if kind == "atLeastCount":
        return trues >= rule["minimumCount"]
    if kind == "atLeastPercent":
        return trues / len(bag) >= rule["minimumPercent"]
    return False


def _tracked_children(run: Run, ident: str) -> list[str]:
    """The children of an activity whose tracking information is kept."""
    return [c for c in run.tree.children(ident) if run.tree.seq(c)["deliveryControls"]["tracked"]]


def rollup_rule_check(run: Run, ident: str, action: str) -> bool:
    """Rollup Rule Check Subprocess (RB.1.4): True if a rule with that action holds."""
    for rule in _rules_for(run, ident, action):
        bag = [
            _child_value(run, child, rule)
            for child in run.tree.children(ident)
            if contributes(run, child, action)
        ]
        if _set_holds(bag, rule):
            return True
    return False


def _weighted_mean(pairs) -> float | None:
    """The mean of the known values of (weight, value) pairs, weighted; every weight counts,
    unknown values (None) add nothing. None if no value is known or the weights sum to 0."""
    total = counted = 0.0
    valid = False
    for weight, value in pairs:
        counted += weight
        if value is not None:
            total += value * weight
            valid = True
    return total / counted if valid and counted > 0 else None


def measure_rollup(run: Run, ident: str) -> None:
    """Measure Rollup Process (RB.1.1): the weighted mean of the children's measures."""
    mean = _weighted_mean(
        (run.tree.seq(child)["rollupRules"]["objectiveMeasureWeight"], tracking.measure(run, child))
        for child in _tracked_children(run, ident)
    )
    record = run.act(ident)["objectives"][run.tree.seq(ident)["primary"]]
    record.update(measure_known=mean is not None, measure=mean or 0.0)


def completion_measure_rollup(run: Run, ident: str) -> None:
    """Completion Measure Rollup (4th edition): the children's progress by progressWeight."""
    mean = _weighted_mean(
        (run.tree.nodes[child]["completion"]["progressWeight"], tracking.amount(run, child))
        for child in _tracked_children(run, ident)
        if run.tree.seq(child)["rollupRules"]["rollupProgressCompletion"]
    )
    run.act(ident).update(amount_known=mean is not None, amount=mean or 0.0)


def objective_rollup(run: Run, ident: str) -> None:
    """Objective Rollup Process (RB.1.2) for the primary objective, by rules.

    An objective satisfied by measure needs no rule rollup: reading it compares the
    rolled-up measure with minNormalizedMeasure (RB.1.2.a).
    """
    primary = run.tree.primary(ident)
    if primary["satisfiedByMeasure"]:
        return
    record = run.act(ident)["objectives"][primary["id"]]
    if rollup_rule_check(run, ident, "notSatisfied"):
        record.update(known=True, satisfied=False)
    if rollup_rule_check(run, ident, "satisfied"):
        record.update(known=True, satisfied=True)


def progress_rollup(run: Run, ident: str) -> None:
    """Activity Progress Rollup Process (RB.1.3) by rules (completed-by-measure is read
    from the rolled-up completion amount instead, RB.1.3.a)."""
    if run.tree.nodes[ident]["completion"]["byMeasure"]:
        return
    act = run.act(ident)
    if rollup_rule_check(run, ident, "incomplete"):
        act.update(a_progress=True, a_completed=False)
    if rollup_rule_check(run, ident, "completed"):
        act.update(a_progress=True, a_completed=True)


def _rollup_path(run: Run, ident: str) -> None:
    """Overall Rollup Process (RB.1.5) proper: roll up from the activity to the root."""
    for step in run.tree.path_up(ident):
        if not run.tree.is_leaf(step) and run.tree.seq(step)["deliveryControls"]["tracked"]:
            measure_rollup(run, step)
            completion_measure_rollup(run, step)
            objective_rollup(run, step)
            progress_rollup(run, step)
        tracking.write_maps(run, step)


def overall_rollup(run: Run, ident: str) -> None:
    """Roll up from the activity to the root, then from every activity that reads a global
    objective the rollup (or the report before it) changed: the clusters above a reader
    depend on what it reads, not only those on the path of the activity that wrote it.

    A reader whose parent was rolled up on this path after the change already counted
    the new value, so only readers elsewhere (or changes the rollup itself made) roll up
    again. Each reader rolls up once per call, so maps that read what they write end.
    """
    seen_before = set(run.dirty)
    run.dirty.clear()
    rolled = set(run.tree.path_up(ident))
    _rollup_path(run, ident)
    pending = {target: False for target in seen_before}
    pending.update(dict.fromkeys(run.dirty, True))
    run.dirty.clear()
    done = {ident}
    while pending:
        target, after = pending.popitem()
        for reader in run.tree.readers.get(target, ()):
            parent = run.tree.parent[reader]
            if reader in done or (not after and (parent is None or parent in rolled)):
                continue
            done.add(reader)
            _rollup_path(run, reader)
            pending.update(dict.fromkeys(run.dirty, True))
            run.dirty.clear()
