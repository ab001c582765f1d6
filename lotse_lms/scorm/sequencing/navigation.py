"""The Navigation Request Process (NB.2.1) and termination (TB.2.1, TB.2.2, TB.2.3).

An attempt the content already ended (report with session_ended) still counts as the
live current activity here: the termination request then skips the End Attempt Process
but still applies the exit action and post condition rules.
"""

from __future__ import annotations

from .attempts import end_attempt, terminate_descendent_attempts
from .rollup import overall_rollup
from .rules import rules_check
from .state import Run, SequencingError

NAV_REQUESTS = (
    "start",
    "resumeAll",
    "continue",
    "previous",
    "choice",
    "jump",
    "exit",
    "exitAll",
    "suspendAll",
    "abandon",
    "abandonAll",
)
_POST_ACTIONS = ("exitParent", "exitAll", "retry", "retryAll", "continue", "previous")


def _not_begun() -> SequencingError:
    """The exception for a request that needs a begun sequencing session."""
    return SequencingError("NB.2.1-2", "the sequencing session has not begun")


def _flow_request(run: Run, request: str) -> None:
    """Refuse continue / previous where the parent's control modes forbid them."""
    parent = run.tree.parent[run.here]
    if request == "continue":
        if parent is None or not run.tree.seq(parent)["controlMode"]["flow"]:
            raise SequencingError("NB.2.1-4", "flow navigation is not allowed here")
        return
    if parent is None:
        raise SequencingError("NB.2.1-6", "nothing comes before the root")
    control = run.tree.seq(parent)["controlMode"]
    if not control["flow"] or control["forwardOnly"]:
        raise SequencingError("NB.2.1-5", "backward flow navigation is not allowed here")


def _choice_request(run: Run, target: str | None) -> None:
    """Refuse a choice the target's parent or an active ancestor (choiceExit) forbids."""
    tree = run.tree
    if target is None or target not in tree.nodes:
        raise SequencingError("NB.2.1-11", "the target activity does not exist")
    parent = tree.parent[target]
    if parent is not None and not tree.seq(parent)["controlMode"]["choice"]:
        raise SequencingError("NB.2.1-10", f"{parent} does not allow choice")
    if run.current is None:
        return
    ancestor = tree.common_ancestor(run.current, target)
    for step in tree.path_up(run.current):
        if step == ancestor:
            break
        if run.live(step) and not tree.seq(step)["controlMode"]["choiceExit"]:
            raise SequencingError("NB.2.1-8", f"{step} does not allow choice exit")


def navigation_request(run: Run, request: str, target: str | None) -> tuple[str | None, str | None]:
    """Navigation Request Process (NB.2.1): the termination and sequencing requests."""
    current = run.current
    live = current is not None and run.live(current)
    exit_first = "exit" if live else None
    if request == "start":
        if current is not None:
            raise SequencingError("NB.2.1-1", "the sequencing session has already begun")
        return None, "start"
    if request == "resumeAll":
        if current is not None:
            raise SequencingError("NB.2.1-1", "the sequencing session has already begun")
        if run.suspended is None:
            raise SequencingError("NB.2.1-3", "there is no suspended activity")
        return None, "resumeAll"
    if request in ("continue", "previous"):
        if current is None:
            raise _not_begun()
        _flow_request(run, request)
        return exit_first, request
    if request == "choice":
        _choice_request(run, target)
        return exit_first, "choice"
    if request == "jump":
        if target is None or target not in run.tree.nodes:
            raise SequencingError("NB.2.1-11", "the target activity does not exist")
        if current is None:
            raise _not_begun()
        return exit_first, "jump"
    if request in ("exit", "abandon"):
        if current is None:
            raise _not_begun()
        if not live:
            raise SequencingError("NB.2.1-12", "the current activity has already terminated")
        return request, "exit"
    if request in ("exitAll", "suspendAll", "abandonAll"):
        if current is None:
            raise _not_begun()
        return request, "exit"
    raise SequencingError("NB.2.1-13", f"undefined navigation request {request!r}")


def exit_action_rules(run: Run) -> None:
    """Sequencing Exit Action Rules Subprocess (TB.2.1): the outermost ancestor of the
    current activity whose exit rule fires is exited, with everything below it."""
    for step in reversed(run.tree.path_up(run.here)[1:]):
        if rules_check(run, step, "exit", ("exit",)) is not None:
            terminate_descendent_attempts(run, step)
            end_attempt(run, step)
            run.current = step
            return


def post_condition_rules(run: Run) -> tuple[str | None, str | None]:
    """Sequencing Post Condition Rules Subprocess (TB.2.2): (termination, sequencing)."""
    if run.act(run.here)["suspended"]:
        return None, None
    action = rules_check(run, run.here, "post", _POST_ACTIONS)
    if action in ("retry", "continue", "previous"):
        return None, action
    if action in ("exitParent", "exitAll"):
        return action, None
    if action == "retryAll":
        return "exitAll", "retry"
    return None, None


def _exit_all(run: Run, follow_up: str | None) -> str:
    """The Exit All case of TB.2.3: end every attempt up to the root."""
    if run.act(run.here)["active"]:
        end_attempt(run, run.here)
    run.ended = False
    terminate_descendent_attempts(run, run.tree.root)
    end_attempt(run, run.tree.root)
    run.current = run.tree.root
    return follow_up or "exit"


def _exit(run: Run) -> str | None:
    """The Exit case of TB.2.3: end the attempt, then apply exit and post condition rules."""
    if run.ended:
        run.ended = False
    else:
        end_attempt(run, run.here)
    exit_action_rules(run)
    while True:
        termination, follow_up = post_condition_rules(run)
        if termination == "exitAll":
            return _exit_all(run, follow_up)
        if termination == "exitParent":
            parent = run.tree.parent[run.here]
            if parent is None:
                raise SequencingError("TB.2.3-4", "cannot exit the parent of the root")
            run.current = parent
            end_attempt(run, parent)
            continue
        if run.current == run.tree.root and follow_up != "retry":
            return "exit"
        return follow_up


def _suspend_all(run: Run) -> str:
    """The Suspend All case of TB.2.3: remember where the learner was and leave."""
    tree = run.tree
    current = run.here
    if run.live(current) or run.act(current)["suspended"]:
        overall_rollup(run, current)
        suspended = current
    else:
        if current == tree.root:
            raise SequencingError("TB.2.3-3", "nothing to suspend")
        suspended = tree.parent_of(current)
    run.suspended = suspended
    for step in tree.path_up(suspended):
        run.act(step).update(active=False, suspended=True)
    run.current = tree.root
    run.ended = False
    return "exit"


def termination_request(run: Run, request: str) -> str | None:
    """Termination Request Process (TB.2.3): a sequencing request replacing the pending
    one, or None to keep it."""
    current = run.current
    if current is None:
        raise SequencingError("TB.2.3-1", "the sequencing session has not begun")
    if request in ("exit", "abandon") and not run.live(current):
        raise SequencingError("TB.2.3-2", "the current activity has already terminated")
    if request == "exit":
        return _exit(run)
    if request == "exitAll":
        return _exit_all(run, None)
    if request == "suspendAll":
        return _suspend_all(run)
    if request == "abandon":
        run.act(current)["active"] = False
        run.ended = False
        return None
    if request == "abandonAll":
        for step in run.tree.path_up(current):
            run.act(step)["active"] = False
        run.current = run.tree.root
        run.ended = False
        return "exit"
    raise SequencingError("TB.2.3-7", f"undefined termination request {request!r}")
