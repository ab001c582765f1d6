"""The activity tree index and the learner's tracking state the processes work on.

`Tree` indexes the JSON tree from :func:`build_tree` (parents, preorder, paths).
`Run` holds one learner's tracking state (a JSON dict) plus the global objectives, and
is what every sequencing process receives. The state dict looks like::

    {"version": 1, "current": id|None, "suspended": id|None, "ended": bool,
     "activities": {id: {"attempts": int, "progress": bool, "active": bool,
                         "suspended": bool, "a_progress": bool, "a_completed": bool,
                         "amount_known": bool, "amount": float, "seconds": float,
                         "objectives": {objective id: {"known": bool, "satisfied": bool,
                                                       "measure_known": bool,
                                                       "measure": float,
                                                       "completion": str|None,
                                                       "progress": float|None}}}},
     "globals": {target id: {"satisfied", "measure", "completion", "progress"}}}

"ended" is True when the content ended the current activity's attempt (Terminate) and
the termination request (exit and post condition rules) is still to be processed.
"""

from __future__ import annotations

from collections.abc import Mapping

STATE_VERSION = 1
GLOBAL_FIELDS = ("satisfied", "measure", "completion", "progress")


class SequencingError(Exception):
    """A sequencing process ended with an SN exception code."""

    def __init__(self, code: str, reason: str) -> None:
        """Keep the SN code and a short English reason."""
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


class Tree:
    """Read-only index over the activity tree dict."""

    def __init__(self, data: dict) -> None:
        """Index every activity by identifier, with parents and preorder positions."""
        self.data = data
        self.nodes: dict[str, dict] = {}
        self.parent: dict[str, str | None] = {}
        self.order: list[str] = []
        stack: list[tuple[dict, str | None]] = [(data["root"], None)]
        while stack:
            node, parent = stack.pop()
            self.nodes[node["id"]] = node
            self.parent[node["id"]] = parent
            self.order.append(node["id"])
            stack.extend((sub, node["id"]) for sub in reversed(node["children"]))
        self.root: str = data["root"]["id"]
        self.pos = {ident: index for index, ident in enumerate(self.order)}
        #: global objective id -> the activities that read it through a map info
        self.readers: dict[str, list[str]] = {}
        for ident in self.order:
            for objective in self.nodes[ident]["seq"]["objectives"]:
                for mapping in objective["maps"]:
                    if any(v for k, v in mapping.items() if k.startswith("read")):
                        found = self.readers.setdefault(mapping["target"], [])
                        if ident not in found:
                            found.append(ident)

    def seq(self, ident: str) -> dict:
        """The sequencing definition of an activity."""
        return self.nodes[ident]["seq"]

    def children(self, ident: str) -> list[str]:
        """The available children of an activity (selection/randomization not applied)."""
        return [sub["id"] for sub in self.nodes[ident]["children"]]

    def is_leaf(self, ident: str) -> bool:
        """True if the activity has no children."""
        return not self.nodes[ident]["children"]

    def path_up(self, ident: str) -> list[str]:
        """The activity, its parent, ... up to the root."""
        path = [ident]
        up = self.parent[ident]
        while up is not None:
            path.append(up)
            up = self.parent[up]
        return path

    def parent_of(self, ident: str) -> str:
        """The parent of an activity that is not the root (callers have checked)."""
        parent = self.parent[ident]
        if parent is None:
            raise ValueError(f"{ident} is the root and has no parent")
        return parent

    def common_ancestor(self, one: str, two: str) -> str:
        """The deepest activity that is an ancestor of (or equal to) both activities."""
        above = set(self.path_up(one))
        return next(ident for ident in self.path_up(two) if ident in above)

    def is_descendant(self, ident: str, ancestor: str) -> bool:
        """True if the activity lies strictly below the ancestor."""
        return ident != ancestor and ancestor in self.path_up(ident)

    def last_leaf(self) -> str:
        """The last activity of a forward preorder traversal of the tree."""
        return self.order[-1]

    def siblings(self, ident: str) -> list[str]:
        """The available children of the activity's parent (the activity alone for the root)."""
        parent = self.parent[ident]
        return [ident] if parent is None else self.children(parent)

    def objective(self, ident: str, objective_id: str | None) -> dict | None:
        """The objective definition by ID (the primary objective for None)."""
        seq = self.seq(ident)
        wanted = seq["primary"] if objective_id is None else objective_id
        return next((o for o in seq["objectives"] if o["id"] == wanted), None)

    def primary(self, ident: str) -> dict:
        """The primary objective definition (every activity has one)."""
        seq = self.seq(ident)
        return next(o for o in seq["objectives"] if o["id"] == seq["primary"])


def new_objective() -> dict:
    """The tracking record of an objective nobody has reported on."""
    return {
        "known": False,
        "satisfied": False,
        "measure_known": False,
        "measure": 0.0,
        "completion": None,
        "progress": None,
    }


def new_activity(tree: Tree, ident: str) -> dict:
    """The tracking record of an activity that was never attempted."""
    return {
        "attempts": 0,
        "progress": False,
        "active": False,
        "suspended": False,
        "a_progress": False,
        "a_completed": False,
        "amount_known": False,
        "amount": 0.0,
        "seconds": 0.0,
        "objectives": {o["id"]: new_objective() for o in tree.seq(ident)["objectives"]},
    }


def initial_state(tree: Tree, state: dict | None) -> dict:
    """Return a state dict for the tree, completing (or starting) the stored one."""
    state = dict(state or {})
    state.setdefault("version", STATE_VERSION)
    state.setdefault("current", None)
    state.setdefault("suspended", None)
    state.setdefault("ended", False)
    state.setdefault("globals", {})
    activities = state.setdefault("activities", {})
    for ident in tree.order:
        record = activities.setdefault(ident, new_activity(tree, ident))
        for objective in tree.seq(ident)["objectives"]:
            record["objectives"].setdefault(objective["id"], new_objective())
    # a stored current or suspended activity the (re-imported) tree lacks is forgotten
    for key in ("current", "suspended"):
        if state[key] is not None and state[key] not in tree.nodes:
            state[key] = None
    return state


class Run:
    """One learner's tracking state and global objectives, as the processes see them."""

    def __init__(
        self,
        tree: Tree,
        state: dict,
        shared: Mapping[str, Mapping] | None,
        changes: dict,
    ) -> None:
        """Bind the tree, the state dict and the system-wide objectives (read / written)."""
        self.tree = tree
        self.state = state
        self.shared = shared or {}
        self.changes = changes
        self.to_system = bool(tree.data.get("objectives_global_to_system", True))
        #: global objectives written since the last rollup looked (see rollup.overall_rollup)
        self.dirty: set[str] = set()

    def act(self, ident: str) -> dict:
        """The tracking record of an activity."""
        return self.state["activities"][ident]

    @property
    def current(self) -> str | None:
        """The current activity."""
        return self.state["current"]

    @current.setter
    def current(self, ident: str | None) -> None:
        """Set the current activity."""
        self.state["current"] = ident

    @property
    def here(self) -> str:
        """The current activity of a begun sequencing session."""
        current = self.state["current"]
        if current is None:
            raise SequencingError("NB.2.1-2", "the sequencing session has not begun")
        return current

    @property
    def suspended(self) -> str | None:
        """The suspended activity."""
        return self.state["suspended"]

    @suspended.setter
    def suspended(self, ident: str | None) -> None:
        """Set the suspended activity."""
        self.state["suspended"] = ident

    @property
    def ended(self) -> bool:
        """True if the content already ended the current activity's attempt."""
        return bool(self.state.get("ended"))

    @ended.setter
    def ended(self, value: bool) -> None:
        """Record that the current attempt was (or was not) ended by the content."""
        self.state["ended"] = value

    def live(self, ident: str) -> bool:
        """True if the activity is active, counting an attempt the content ended while the
        termination request for it is still pending (it is still "current" in SN terms)."""
        return self.act(ident)["active"] or (self.ended and ident == self.current)

    def global_objective(self, target: str) -> Mapping | None:
        """The global objective record of a map target, or None."""
        if self.to_system:
            return self.changes.get(target, self.shared.get(target))
        return self.state["globals"].get(target)

    def write_global(self, target: str, field: str, value: object) -> None:
        """Write one field of a global objective (registration or system scope)."""
        existing = self.global_objective(target) or {}
        record = {name: existing.get(name) for name in GLOBAL_FIELDS}
        if record[field] == value:
            return
        record[field] = value
        self.dirty.add(target)
        if self.to_system:
            self.changes[target] = record
        else:
            self.state["globals"][target] = record
