"""Sequencing request processes (SB.2.5-SB.2.13) and the Sequencing Request Process (SB.2.12)."""

from __future__ import annotations

from typing import NamedTuple

from .flow import BACKWARD, FORWARD, choice_flow, choice_traversal, flow
from .rules import hidden_from_choice
from .state import Run, SequencingError


class Outcome(NamedTuple):
    """What a sequencing request identified: an activity to deliver, or the session's end."""

    deliver: str | None = None
    end: bool = False


def _flowed(found: str | None) -> Outcome:
    """Turn a flow result into an outcome (None means the walk ended the session)."""
    return Outcome(deliver=found) if found is not None else Outcome(end=True)


def start(run: Run, target: str | None) -> Outcome:
    """Start Sequencing Request Process (SB.2.5)."""
    if run.current is not None:
        raise SequencingError("SB.2.5-1", "the sequencing session has already begun")
    if run.tree.is_leaf(run.tree.root):
        return Outcome(deliver=run.tree.root)
    return _flowed(flow(run, run.tree.root, FORWARD, True))


def resume_all(run: Run, target: str | None) -> Outcome:
    """Resume All Sequencing Request Process (SB.2.6)."""
    if run.current is not None:
        raise SequencingError("SB.2.6-1", "the sequencing session has already begun")
    if run.suspended is None:
        raise SequencingError("SB.2.6-2", "there is no suspended activity")
    return Outcome(deliver=run.suspended)


def _flow_allowed(run: Run, code: str) -> None:
    """Refuse flow navigation when the current activity's parent does not allow flow."""
    parent = run.tree.parent[run.here]
    if parent is not None and not run.tree.seq(parent)["controlMode"]["flow"]:
        raise SequencingError(code, f"flow is not allowed in {parent}")


def continue_(run: Run, target: str | None) -> Outcome:
    """Continue Sequencing Request Process (SB.2.7)."""
    if run.current is None:
        raise SequencingError("SB.2.7-1", "the sequencing session has not begun")
    _flow_allowed(run, "SB.2.7-2")
    return _flowed(flow(run, run.current, FORWARD, False))


def previous(run: Run, target: str | None) -> Outcome:
    """Previous Sequencing Request Process (SB.2.8)."""
    if run.current is None:
        raise SequencingError("SB.2.8-1", "the sequencing session has not begun")
    _flow_allowed(run, "SB.2.8-2")
    return _flowed(flow(run, run.current, BACKWARD, False))


def exit_(run: Run, target: str | None) -> Outcome:
    """Exit Sequencing Request Process (SB.2.11): leaving the root ends the session."""
    if run.current is None:
        raise SequencingError("SB.2.11-1", "the sequencing session has not begun")
    if run.act(run.current)["active"]:
        raise SequencingError("SB.2.11-2", "the current activity has not been terminated")
    return Outcome(end=run.current == run.tree.root)


def retry(run: Run, target: str | None) -> Outcome:
    """Retry Sequencing Request Process (SB.2.10)."""
    if run.current is None:
        raise SequencingError("SB.2.10-1", "the sequencing session has not begun")
    act = run.act(run.current)
    if act["active"] or act["suspended"]:
        raise SequencingError("SB.2.10-2", "the current activity is active or suspended")
    if run.tree.is_leaf(run.current):
        return Outcome(deliver=run.current)
    try:
        found = flow(run, run.current, FORWARD, True)
    except SequencingError:
        found = None
    if found is None:
        raise SequencingError("SB.2.10-3", "nothing to deliver in the retried cluster")
    return Outcome(deliver=found)


def jump(run: Run, target: str | None) -> Outcome:
    """Jump Sequencing Request Process (SB.2.13): control modes do not apply; delivery
    still checks the target (a cluster is refused with DB.1.1-1)."""
    if run.current is None:
        raise SequencingError("SB.2.13-1", "the sequencing session has not begun")
    return Outcome(deliver=target)


def _prevented(run: Run, ident: str, ancestor: str) -> bool:
    """True if choosing would activate an activity whose preventActivation forbids it."""
    considerations = run.tree.seq(ident)["constrainedChoiceConsiderations"]
    return (
        ident != ancestor and not run.act(ident)["active"] and considerations["preventActivation"]
    )


def _check_siblings(run: Run, current: str, target: str) -> None:
    """Choice between siblings: every activity passed on the way must allow it."""
    siblings = run.tree.siblings(current)
    here, there = siblings.index(current), siblings.index(target)
    if there > here:
        between, direction = siblings[here:there], FORWARD
    else:
        between, direction = list(reversed(siblings[there + 1 : here + 1])), BACKWARD
    if not between:
        raise SequencingError("SB.2.9-5", "nothing to choose between")
    for step in between:
        choice_traversal(run, step, direction)


def _check_constrained(run: Run, up: list[str], target: str) -> None:
    """choiceExit and adlseq:constrainChoice on the way from the current activity up."""
    tree = run.tree
    constrained = None
    for step in up:
        if not tree.seq(step)["controlMode"]["choiceExit"]:
            raise SequencingError("SB.2.9-7", f"{step} does not allow choice exit")
        considerations = tree.seq(step)["constrainedChoiceConsiderations"]
        if constrained is None and considerations["constrainChoice"]:
            constrained = step
    if constrained is None:
        return
    direction = FORWARD if tree.pos[target] > tree.pos[constrained] else BACKWARD
    reachable = choice_flow(run, constrained, direction)
    if target not in (reachable, constrained) and not tree.is_descendant(target, reachable):
        raise SequencingError("SB.2.9-8", f"{constrained} constrains choice to its neighbours")


def choice(run: Run, target: str | None) -> Outcome:
    """Choice Sequencing Request Process (SB.2.9) with constrained choice (4th edition)."""
    tree = run.tree
    if target is None or target not in tree.nodes:
        raise SequencingError("SB.2.9-1", "the choice target does not exist")
    path = list(reversed(tree.path_up(target)))
    for step in path:
        if hidden_from_choice(run, step):
            raise SequencingError("SB.2.9-3", f"{step} is hidden from choice")
    parent = tree.parent[target]
    if parent is not None and not tree.seq(parent)["controlMode"]["choice"]:
        raise SequencingError("SB.2.9-4", f"{parent} does not allow choice")
    current = run.current
    ancestor = tree.common_ancestor(current, target) if current is not None else tree.root
    if current == target:
        pass
    elif current is not None and tree.parent[current] == parent:
        _check_siblings(run, current, target)
    elif current is None or ancestor == current:
        down = path[path.index(ancestor) + 1 :]
        if not down:
            raise SequencingError("SB.2.9-5", "nothing to choose")
        for step in down:
            choice_traversal(run, step, FORWARD)
            if _prevented(run, step, ancestor):
                raise SequencingError("SB.2.9-6", f"{step} prevents activation by choice")
    elif target == ancestor:
        up = tree.path_up(current)
        for step in up[: up.index(target)]:
            if not tree.seq(step)["controlMode"]["choiceExit"]:
                raise SequencingError("SB.2.9-7", f"{step} does not allow choice exit")
    else:
        up = tree.path_up(current)
        _check_constrained(run, up[: up.index(ancestor)], target)
        down = path[path.index(ancestor) : -1]
        forward = tree.pos[target] > tree.pos[current]
        for step in down if forward else [*down, target]:
            if forward:
                choice_traversal(run, step, FORWARD)
            if _prevented(run, step, ancestor):
                raise SequencingError("SB.2.9-6", f"{step} prevents activation by choice")
    if tree.is_leaf(target):
        return Outcome(deliver=target)
    try:
        found = flow(run, target, FORWARD, True)
    except SequencingError:
        found = None
    if found is None:
        raise SequencingError("SB.2.9-9", f"nothing to deliver in {target}")
    return Outcome(deliver=found)


PROCESSES = {
    "start": start,
    "resumeAll": resume_all,
    "continue": continue_,
    "previous": previous,
    "choice": choice,
    "jump": jump,
    "exit": exit_,
    "retry": retry,
}


def sequencing_request(run: Run, request: str, target: str | None) -> Outcome:
    """Sequencing Request Process (SB.2.12): dispatch to the request's process."""
    process = PROCESSES.get(request)
    if process is None:
        raise SequencingError("SB.2.12-1", f"unknown sequencing request {request!r}")
    return process(run, target)
