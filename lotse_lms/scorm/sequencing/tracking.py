"""Reading and writing an activity's tracking information, with objective maps applied.

Reads resolve read maps (a global objective wins when its value is known), satisfied by
measure (RB.1.2.a) and completed by measure (RB.1.3.a) at the moment a rule or rollup
looks at an objective. An activity with tracked="false" has no tracking information:
every read is unknown, and its maps are not read either. Writes copy the activity's own
values into the global objectives of its write maps; unknown values are never written, so
a new attempt does not erase what a global objective already holds.
"""

from __future__ import annotations

from typing import Any

from .state import Run, new_objective


def _read(run: Run, objective: dict, flag: str, field: str) -> Any:
    """The value of the first known global objective mapped for reading, or None."""
    for mapping in objective["maps"]:
        if mapping[flag]:
            record = run.global_objective(mapping["target"])
            if record is not None and record.get(field) is not None:
                return record[field]
    return None


def _tracked(run: Run, ident: str) -> bool:
    """True if the activity keeps tracking information (deliveryControls tracked)."""
    return run.tree.seq(ident)["deliveryControls"]["tracked"]


def measure(run: Run, ident: str, objective_id: str | None = None, reads: bool = True):
    """The objective's normalized measure (primary objective for None), or None if unknown."""
    objective = run.tree.objective(ident, objective_id)
    if objective is None or not _tracked(run, ident):
        return None
    if reads:
        value = _read(run, objective, "readNormalizedMeasure", "measure")
        if value is not None:
            return float(value)
    record = run.act(ident)["objectives"].get(objective["id"])
    return record["measure"] if record and record["measure_known"] else None


def satisfied(run: Run, ident: str, objective_id: str | None = None, reads: bool = True):
    """The objective's satisfied status (True/False), or None while it is unknown."""
    objective = run.tree.objective(ident, objective_id)
    if objective is None or not _tracked(run, ident):
        return None
    if objective["satisfiedByMeasure"]:
        considerations = run.tree.seq(ident)["rollupConsiderations"]
        if run.act(ident)["active"] and not considerations["measureSatisfactionIfActive"]:
            return None
        value = measure(run, ident, objective["id"], reads)
        return None if value is None else value >= objective["minNormalizedMeasure"]
    if reads:
        value = _read(run, objective, "readSatisfiedStatus", "satisfied")
        if value is not None:
            return bool(value)
    record = run.act(ident)["objectives"].get(objective["id"])
    return record["satisfied"] if record and record["known"] else None


def amount(run: Run, ident: str, reads: bool = True):
    """The attempt completion amount (progress measure), or None if unknown."""
    if not _tracked(run, ident):
        return None
    if reads:
        value = _read(run, run.tree.primary(ident), "readProgressMeasure", "progress")
        if value is not None:
            return float(value)
    act = run.act(ident)
    return act["amount"] if act["amount_known"] else None


def completed(run: Run, ident: str, reads: bool = True):
    """The attempt completion status (True/False), or None while it is unknown.

    With completedByMeasure the progress measure decides, also when the content wrote a
    completion status too; an unknown measure leaves completion unknown (RB.1.3.a).
    """
    if not _tracked(run, ident):
        return None
    if reads:
        value = _read(run, run.tree.primary(ident), "readCompletionStatus", "completion")
        if value is not None:
            return value == "completed"
    settings = run.tree.nodes[ident]["completion"]
    if settings["byMeasure"]:
        value = amount(run, ident, reads)
        return None if value is None else value >= settings["threshold"]
    act = run.act(ident)
    return act["a_completed"] if act["a_progress"] else None


def write_maps(run: Run, ident: str) -> None:
    """Copy the activity's known objective values into the globals its write maps name."""
    tree = run.tree
    for objective in tree.seq(ident)["objectives"]:
        if not any(k.startswith("write") and v for m in objective["maps"] for k, v in m.items()):
            continue
        values = {
            "satisfied": satisfied(run, ident, objective["id"], reads=False),
            "measure": measure(run, ident, objective["id"], reads=False),
        }
        if objective["primary"]:
            done = completed(run, ident, reads=False)
            values["completion"] = None if done is None else _completion_word(done)
            values["progress"] = amount(run, ident, reads=False)
        else:
            record = run.act(ident)["objectives"][objective["id"]]
            values["completion"] = record["completion"]
            values["progress"] = record["progress"]
        flags = {
            "satisfied": "writeSatisfiedStatus",
            "measure": "writeNormalizedMeasure",
            "completion": "writeCompletionStatus",
            "progress": "writeProgressMeasure",
        }
        for mapping in objective["maps"]:
            for field, flag in flags.items():
                if mapping[flag] and values[field] is not None:
                    run.write_global(mapping["target"], field, values[field])


def _completion_word(done: bool) -> str:
    """The global objective's completion value for a completion status."""
    return "completed" if done else "incomplete"


def reset_attempt(run: Run, ident: str) -> None:
    """Forget the attempt progress information of an activity (a new attempt begins)."""
    act = run.act(ident)
    act.update(a_progress=False, a_completed=False, amount_known=False, amount=0.0, seconds=0.0)
    act["exit_suspend"] = False


def reset_objectives(run: Run, ident: str) -> None:
    """Forget the local objective progress information of an activity."""
    act = run.act(ident)
    for key in act["objectives"]:
        act["objectives"][key] = new_objective()


def begin_attempt(run: Run, ident: str) -> None:
    """Start a new attempt on an activity (DB.2 step 5 for an activity not resumed).

    With useCurrentAttemptObjectiveInfo / useCurrentAttemptProgressInfo (both true by
    default) the children's information from an earlier attempt of this cluster no longer
    counts in rollup, so it is cleared when the cluster begins another attempt.
    """
    act = run.act(ident)
    act["attempts"] += 1
    if act["attempts"] == 1:
        act["progress"] = True
    elif ident == run.tree.root and not run.to_system:
        # objectivesGlobalToSystem="false": the global objectives belong to one attempt
        # on the course and start unknown with the next one
        run.state["globals"] = {}
    reset_attempt(run, ident)
    reset_objectives(run, ident)
    if act["attempts"] > 1:
        control = run.tree.seq(ident)["controlMode"]
        for sub in run.tree.children(ident):
            if control["useCurrentAttemptObjectiveInfo"]:
                reset_objectives(run, sub)
            if control["useCurrentAttemptProgressInfo"]:
                reset_attempt(run, sub)


_SUCCESS_WORD = {True: "passed", False: "failed", None: "unknown"}


def _objective_completion(run: Run, ident: str, objective: dict) -> tuple[str | None, float | None]:
    """The completion status word and progress measure of a non-primary objective: the
    first known global read through its (adlseq) maps, else the activity's own record."""
    record = run.act(ident)["objectives"][objective["id"]]
    word = _read(run, objective, "readCompletionStatus", "completion")
    progress = _read(run, objective, "readProgressMeasure", "progress")
    word = record["completion"] if word is None else word
    progress = record["progress"] if progress is None else float(progress)
    return word, progress


def objective_completed(run: Run, ident: str, objective_id: str):
    """The completion status (True/False/None) of a named objective: the activity's
    attempt completion for its primary objective, else the objective's own completion
    status (4th edition objective completion, read through adlseq map infos)."""
    objective = run.tree.objective(ident, objective_id)
    if objective is None or not _tracked(run, ident):
        return None
    if objective["primary"]:
        return completed(run, ident)
    word, _progress = _objective_completion(run, ident, objective)
    return None if word is None else word == "completed"


def objective_status(run: Run, ident: str) -> list[dict]:
    """The activity's named objectives in manifest order (primary first) with their
    current tracking status, global objectives read through the read maps: what
    cmi.objectives holds when the SCO of the activity is launched (RTE book, cmi.objectives)."""
    found = []
    for objective in run.tree.seq(ident)["objectives"]:
        if not objective["id"]:
            continue  # the stand-in primary objective of an activity that names none
        if objective["primary"]:
            done = completed(run, ident)
            word = None if done is None else _completion_word(done)
            progress = amount(run, ident)
        else:
            word, progress = _objective_completion(run, ident, objective)
        found.append(
            {
                "id": objective["id"],
                "success_status": _SUCCESS_WORD[satisfied(run, ident, objective["id"])],
                "completion_status": word or "unknown",
                "score_scaled": measure(run, ident, objective["id"]),
                "progress_measure": progress,
            }
        )
    return found
