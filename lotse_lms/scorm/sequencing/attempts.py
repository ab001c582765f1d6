"""Ending attempts (UP.3, UP.4) and delivering activities (DB.1.1, DB.2, DB.2.1)."""

from __future__ import annotations

from . import tracking
from .rollup import overall_rollup
from .rules import check_activity
from .state import Run, SequencingError


def lms_defaults(run: Run, ident: str) -> None:
    """Set what the content left unset when a tracked leaf's attempt ends (UP.4 step 1):
    completed unless completionSetByContent, and the primary objective satisfied unless
    objectiveSetByContent. A suspended attempt has not ended and gets nothing."""
    act = run.act(ident)
    controls = run.tree.seq(ident)["deliveryControls"]
    if not controls["tracked"] or act["suspended"]:
        return
    if not controls["completionSetByContent"] and not act["a_progress"]:
        act.update(a_progress=True, a_completed=True)
    if not controls["objectiveSetByContent"]:
        record = act["objectives"][run.tree.seq(ident)["primary"]]
        if not record["known"]:
            record.update(known=True, satisfied=True)


def end_attempt(run: Run, ident: str) -> None:
    """End Attempt Process (UP.4): LMS defaults for a leaf, a cluster is suspended while a
    child is; the activity is no longer active and the tree rolls up."""
    tree = run.tree
    act = run.act(ident)
    if tree.is_leaf(ident):
        if act["active"] and act.get("exit_suspend"):
            act["suspended"] = True
        lms_defaults(run, ident)
    else:
        act["suspended"] = any(run.act(sub)["suspended"] for sub in tree.children(ident))
    act["active"] = False
    overall_rollup(run, ident)


def terminate_descendent_attempts(run: Run, ident: str) -> None:
    """Terminate Descendent Attempts Process (UP.3): end the attempts between the current
    activity and its common ancestor with the given activity (both left out)."""
    if run.current is None:
        return
    path = run.tree.path_up(run.current)
    ancestor = run.tree.common_ancestor(run.current, ident)
    for step in path[1 : path.index(ancestor)]:
        end_attempt(run, step)


def delivery_request(run: Run, ident: str) -> None:
    """Delivery Request Process (DB.1.1): refuse clusters, disabled or exhausted activities."""
    if not run.tree.is_leaf(ident):
        raise SequencingError("DB.1.1-1", "cannot deliver a cluster")
    for step in reversed(run.tree.path_up(ident)):
        if check_activity(run, step):
            raise SequencingError("DB.1.1-3", f"activity {step} is disabled or over its limits")


def clear_suspended_activity(run: Run, ident: str) -> None:
    """Clear Suspended Activity Subprocess (DB.2.1)."""
    if run.suspended is None:
        return
    ancestor = run.tree.common_ancestor(ident, run.suspended)
    for step in run.tree.path_up(run.suspended):
        if run.tree.is_leaf(step):
            run.act(step)["suspended"] = False
        elif not any(run.act(sub)["suspended"] for sub in run.tree.children(step)):
            run.act(step)["suspended"] = False
        if step == ancestor:
            break
    run.suspended = None


def check_delivery_environment(run: Run) -> None:
    """Step 1 of DB.2, its only refusal: the current activity's attempt must have ended.

    Everything else content_delivery does always succeeds, so a dry run that passed the
    Delivery Request Process needs only this check to know the delivery would succeed.
    """
    if run.current is not None and run.act(run.current)["active"]:
        raise SequencingError("DB.2-1", "the current activity is still active")


def content_delivery(run: Run, ident: str) -> None:
    """Content Delivery Environment Process (DB.2): begin or resume the attempts from the
    root down to the activity and make it the current activity."""
    check_delivery_environment(run)
    if ident != run.suspended:
        clear_suspended_activity(run, ident)
    terminate_descendent_attempts(run, ident)
    for step in reversed(run.tree.path_up(ident)):
        act = run.act(step)
        if act["active"]:
            continue
        if run.tree.seq(step)["deliveryControls"]["tracked"]:
            if act["suspended"]:
                act["suspended"] = False
            else:
                tracking.begin_attempt(run, step)
        act["active"] = True
    run.current = ident
    run.suspended = None
    run.ended = False
