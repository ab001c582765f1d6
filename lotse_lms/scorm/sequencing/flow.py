"""Walking the activity tree: flow (SB.2.1-SB.2.3) and choice traversal (SB.2.4, SB.2.9.1-2).

Flow functions return the identified activity, or None when the walk ran forward off the
end of the tree, which ends the sequencing session (4th edition); refusals raise
:class:`SequencingError` with the SN exception code.
"""

from __future__ import annotations

from .attempts import end_attempt, terminate_descendent_attempts
from .rules import check_activity, rules_check
from .state import Run, SequencingError

FORWARD = "forward"
BACKWARD = "backward"


def tree_traversal(
    run: Run, ident: str, direction: str, consider_children: bool, previous: str | None = None
) -> tuple[str | None, str]:
    """Flow Tree Traversal Subprocess (SB.2.1): the next activity and the direction taken."""
    tree = run.tree
    reversed_direction = False
    parent = tree.parent[ident]
    if previous == BACKWARD and parent is not None and tree.children(parent)[-1] == ident:
        # leaving a forward-only cluster that was entered backwards: turn around at its start
        direction = BACKWARD
        ident = tree.children(parent)[0]
        reversed_direction = True
    if direction == FORWARD:
        if ident == tree.last_leaf() or (ident == tree.root and not consider_children):
            terminate_descendent_attempts(run, tree.root)
            end_attempt(run, tree.root)
            return None, direction
        if tree.is_leaf(ident) or not consider_children:
            siblings = tree.siblings(ident)
            if siblings[-1] == ident:
                return tree_traversal(run, tree.parent_of(ident), FORWARD, False)
            return siblings[siblings.index(ident) + 1], FORWARD
        kids = tree.children(ident)
        if kids:
            return kids[0], FORWARD
        raise SequencingError("SB.2.1-2", f"cluster {ident} has no available children")
    if ident == tree.root:
        raise SequencingError("SB.2.1-3", "reached the beginning of the course")
    parent = tree.parent_of(ident)
    if tree.is_leaf(ident) or not consider_children:
        if not reversed_direction and tree.seq(parent)["controlMode"]["forwardOnly"]:
            raise SequencingError("SB.2.1-4", f"{parent} allows forward traversal only")
        siblings = tree.siblings(ident)
        if siblings[0] == ident:
            return tree_traversal(run, parent, BACKWARD, False)
        return siblings[siblings.index(ident) - 1], BACKWARD
    kids = tree.children(ident)
    if not kids:
        raise SequencingError("SB.2.1-2", f"cluster {ident} has no available children")
    if tree.seq(ident)["controlMode"]["forwardOnly"]:
        return kids[0], FORWARD
    return kids[-1], BACKWARD


def activity_traversal(
    run: Run, ident: str, direction: str, previous: str | None = None
) -> str | None:
    """Flow Activity Traversal Subprocess (SB.2.2): skip, check and descend to a leaf."""
    tree = run.tree
    parent = tree.parent[ident]
    if parent is not None and not tree.seq(parent)["controlMode"]["flow"]:
        raise SequencingError("SB.2.2-1", f"flow is not allowed in {parent}")
    if rules_check(run, ident, "pre", ("skip",)) is not None:
        following, taken = tree_traversal(run, ident, direction, False, previous)
        if following is None:
            return None
        if previous == BACKWARD and taken == BACKWARD:
            return activity_traversal(run, following, taken, None)
        return activity_traversal(run, following, direction, previous)
    if check_activity(run, ident):
        raise SequencingError("SB.2.2-2", f"activity {ident} is disabled or over its limits")
    if not tree.is_leaf(ident):
        following, taken = tree_traversal(run, ident, direction, True)
        if following is None:
            return None
        if direction == BACKWARD and taken == FORWARD:
            return activity_traversal(run, following, FORWARD, BACKWARD)
        return activity_traversal(run, following, direction, None)
    return ident


def flow(run: Run, ident: str, direction: str, consider_children: bool) -> str | None:
    """Flow Subprocess (SB.2.3): the deliverable leaf in that direction, or None at the end."""
    following, _taken = tree_traversal(run, ident, direction, consider_children)
    if following is None:
        return None
    return activity_traversal(run, following, direction)


def choice_traversal(run: Run, ident: str, direction: str) -> None:
    """Choice Activity Traversal Subprocess (SB.2.4): refuse what control modes forbid."""
    if direction == FORWARD:
        if rules_check(run, ident, "pre", ("stopForwardTraversal",)) is not None:
            raise SequencingError("SB.2.4-1", f"{ident} stops forward traversal")
        return
    parent = run.tree.parent[ident]
    if parent is None:
        raise SequencingError("SB.2.4-3", "cannot walk backward from the root")
    if run.tree.seq(parent)["controlMode"]["forwardOnly"]:
        raise SequencingError("SB.2.4-2", f"{parent} allows forward traversal only")


def _choice_flow_tree(run: Run, ident: str, direction: str) -> str | None:
    """Choice Flow Tree Traversal Subprocess (SB.2.9.2): the next/previous sibling activity,
    going up a level at the end of a cluster."""
    tree = run.tree
    if ident == tree.root or (direction == FORWARD and ident == tree.last_leaf()):
        return None
    siblings = tree.siblings(ident)
    index = siblings.index(ident)
    if direction == FORWARD:
        if index == len(siblings) - 1:
            return _choice_flow_tree(run, tree.parent_of(ident), FORWARD)
        return siblings[index + 1]
    if index == 0:
        return _choice_flow_tree(run, tree.parent_of(ident), BACKWARD)
    return siblings[index - 1]


def choice_flow(run: Run, ident: str, direction: str) -> str:
    """Choice Flow Subprocess (SB.2.9.1): the activity a constrained choice may reach."""
    found = _choice_flow_tree(run, ident, direction)
    return ident if found is None else found
