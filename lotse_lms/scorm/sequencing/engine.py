"""The Sequencer: the Overall Sequencing Process (OP.1) over a JSON state.

Every call works on a deep copy of the state and of the global objectives written so far,
and the copy replaces them only when the call succeeds, so a refused navigation request
changes nothing. available() and toc() run the same processes as dry runs, on drafts of
the state (see :func:`_draft`) and without the delivery's changes, which cannot refuse.
"""

from __future__ import annotations

import marshal
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from . import tracking
from .attempts import check_delivery_environment, content_delivery, delivery_request
from .navigation import NAV_REQUESTS, navigation_request, termination_request
from .report import apply_report
from .requests import sequencing_request
from .rules import check_activity, hidden_from_choice
from .state import Run, SequencingError, Tree, initial_state

#: What a process run on the state returns (Engine._run).
T = TypeVar("T")

_SIMPLE: tuple[str, ...] = (
    "start",
    "resumeAll",
    "continue",
    "previous",
    "exit",
    "exitAll",
    "suspendAll",
)
_SIMPLE += ("abandon", "abandonAll")


@dataclass(frozen=True)
class NavResult:
    """The outcome of a navigation request."""

    ok: bool
    deliver: str | None = None
    ended: bool = False
    error: str | None = None
    reason: str | None = None


def _clone(value):
    """A deep copy of JSON-shaped data (dicts, lists, strings, numbers, None).

    The state is copied for every navigate() and report(), and a dry run copies each
    activity record it touches (see _Drafts); marshal copies such data in C, about ten
    times faster than copy.deepcopy.
    """
    return marshal.loads(marshal.dumps(value))  # noqa: S302 - our own bytes, made just now


class _Drafts(dict):
    """The activity records of a draft state: a record is copied from the base state the
    first time a process asks for it (Run.act), so writes never reach the base state and
    a dry run pays only for the records it touches."""

    def __init__(self, base: Mapping[str, dict]) -> None:
        """Start with no copies, over the base state's activity records."""
        super().__init__()
        self.base = base

    def __missing__(self, ident: str) -> dict:
        """Copy the base record on first use."""
        record = self[ident] = _clone(self.base[ident])
        return record


def _draft(run: Run) -> Run:
    """A Run for a dry run on top of `run`: the processes may write to it freely, `run`
    keeps its state. Besides the activity records (see _Drafts) the processes only
    replace values in the state, its globals and the written system globals, never
    change them in place (Run.current, Run.write_global), so shallow copies suffice."""
    state = dict(run.state)
    state["globals"] = dict(state["globals"])
    state["activities"] = _Drafts(state["activities"])
    return Run(run.tree, state, run.shared, dict(run.changes))


def _terminate(run: Run, termination: str | None, sequencing: str | None) -> str | None:
    """Process the termination request, if any (TB.2.3): the sequencing request to
    process then, which termination may replace."""
    if termination is not None:
        replacement = termination_request(run, termination)
        if replacement is not None:
            return replacement
    return sequencing


def _sequence(run: Run, sequencing: str | None, target: str | None, dry_run: bool) -> NavResult:
    """The sequencing request (SB.2.12) and the delivery (DB.1.1, DB.2) of OP.1.

    A dry run stops once it knows the result: ending the session cannot fail, and of the
    Content Delivery Environment Process only its first check can refuse.
    """
    if sequencing is None:
        return NavResult(ok=True, reason="terminated")
    outcome = sequencing_request(run, sequencing, target)
    if outcome.end:
        if not dry_run:
            _end_session(run)
        return NavResult(ok=True, ended=True, reason="sequencing session ended")
    if outcome.deliver is None:
        return NavResult(ok=True, reason="nothing to deliver")
    delivery_request(run, outcome.deliver)
    if dry_run:
        check_delivery_environment(run)
    else:
        content_delivery(run, outcome.deliver)
    return NavResult(ok=True, deliver=outcome.deliver, reason="delivered")


def overall_sequencing(run: Run, request: str, target: str | None) -> NavResult:
    """Overall Sequencing Process (OP.1) for one navigation request."""
    termination, sequencing = navigation_request(run, request, target)
    sequencing = _terminate(run, termination, sequencing)
    return _sequence(run, sequencing, target, dry_run=False)


def _dry_run(view: Run, request: str, target: str | None, ended: dict) -> bool:
    """True if navigate() would accept the request now; `view` is never written.

    The Navigation Request Process only reads the state, and the termination request it
    yields depends on the state alone ("exit" for continue, choice, jump, ... while the
    current activity is live), so each termination request is processed once, on a draft
    kept in `ended` for all the requests that share it, and every request's sequencing
    runs on a draft of that outcome.
    """
    try:
        termination, sequencing = navigation_request(view, request, target)
        if termination not in ended:
            run = _draft(view)
            try:
                ended[termination] = (run, _terminate(run, termination, None))
            except SequencingError as exc:
                ended[termination] = exc
        outcome = ended[termination]
        if isinstance(outcome, SequencingError):
            return False
        run, replacement = outcome
        if replacement is not None:
            sequencing = replacement
        return _sequence(_draft(run), sequencing, target, dry_run=True).ok
    except SequencingError:
        return False


def _end_session(run: Run) -> None:
    """Close the sequencing session: the next session starts with no current activity."""
    for ident in run.tree.order:
        run.act(ident)["active"] = False
    run.current = None
    run.ended = False


class Sequencer:
    """SCORM 2004 sequencing for one learner on one activity tree (see the contract)."""

    def __init__(
        self,
        tree: dict,
        state: dict | None = None,
        shared: Mapping[str, Mapping] | None = None,
    ) -> None:
        """Bind the tree, the stored state (None = never started) and the system globals."""
        self._tree = Tree(tree)
        self._state = initial_state(self._tree, _clone(state))
        self._shared = {key: dict(value) for key, value in (shared or {}).items()}
        self._changes: dict[str, dict] = {}
        self._available: dict | None = None

    @property
    def state(self) -> dict:
        """The JSON state to store."""
        return _clone(self._state)

    @property
    def shared_changes(self) -> dict:
        """The system-wide global objectives this Sequencer wrote (shape of `shared`)."""
        return _clone(self._changes)

    def _run(self, work: Callable[[Run], T], keep: bool) -> T:
        """Run a process on copies of the state; keep the result only if asked and no
        SequencingError ended it."""
        state = _clone(self._state)
        changes = _clone(self._changes)
        result = work(Run(self._tree, state, self._shared, changes))
        if keep:
            self._state, self._changes = state, changes
            self._available = None
        return result

    def _try(self, request: str, target: str | None, keep: bool) -> NavResult:
        """Run a navigation request, turning an SN exception into a refused NavResult."""
        try:
            return self._run(lambda run: overall_sequencing(run, request, target), keep)
        except SequencingError as exc:
            return NavResult(ok=False, error=exc.code, reason=exc.reason)

    def navigate(self, request: str, target: str | None = None) -> NavResult:
        """Process a navigation request (start, continue, choice + target, ...)."""
        return self._try(request, target, keep=True)

    def report(self, item_id: str, data: Mapping) -> bool:
        """Record the run-time data of the SCO of `item_id` (see the contract)."""
        return bool(self._run(lambda run: apply_report(run, item_id, data), keep=True))

    def _items(self) -> list[str]:
        """The item activities in preorder (the root, the organization, is no item)."""
        return [ident for ident in self._tree.order if ident != self._tree.root]

    def available(self) -> dict:
        """What navigate() would accept now, for every request (and target).

        Each answer is a dry run of navigate() (see _dry_run); the state is only read.
        """
        if self._available is None:  # kept until navigate() or report() changes the state
            view = self._view()
            ended: dict = {}
            result: dict = {name: _dry_run(view, name, None, ended) for name in _SIMPLE}
            items = self._items()
            for name in ("choice", "jump"):
                result[name] = {item: _dry_run(view, name, item, ended) for item in items}
            self._available = {name: result[name] for name in NAV_REQUESTS}
        return _clone(self._available)

    def _view(self) -> Run:
        """A Run for questions about the state: a draft (see _draft), so the state stays
        as it is and only the activity records the answer touches are copied."""
        return _draft(Run(self._tree, self._state, self._shared, self._changes))

    def toc(self) -> dict:
        """The table of contents state of every item activity."""
        run = self._view()
        choice = self.available()["choice"]
        entries = {}
        for item in self._items():
            hidden = not self._tree.nodes[item]["visible"] or any(
                hidden_from_choice(run, step) for step in self._tree.path_up(item)
            )
            entries[item] = {
                "hidden": hidden,
                "disabled": check_activity(run, item),
                "selectable": choice[item],
                "completed": tracking.completed(run, item),
                "satisfied": tracking.satisfied(run, item),
            }
        return entries

    def objective_status(self, item_id: str) -> list[dict]:
        """The named objectives of an item with their current status (see
        tracking.objective_status); empty for an unknown item."""
        if item_id not in self._tree.nodes:
            return []
        return tracking.objective_status(self._view(), item_id)

    def attempts(self, item_id: str) -> int:
        """How many attempts on the activity of an item have begun (0 if none)."""
        if item_id not in self._tree.nodes:
            return 0
        return int(self._state["activities"][item_id]["attempts"])

    def hidden_ui(self, item_id: str) -> list[str]:
        """The adlnav:hideLMSUI values of an activity, sorted."""
        node = self._tree.nodes.get(item_id)
        return sorted(node["hideLMSUI"]) if node else []

    def _item(self, ident: str | None) -> str | None:
        """An activity identifier as an item id (the root is no item)."""
        return None if ident is None or ident == self._tree.root else ident

    @property
    def current(self) -> str | None:
        """The item id of the current activity, or None."""
        return self._item(self._state["current"])

    @property
    def suspended(self) -> str | None:
        """The item id of the suspended activity, or None."""
        return self._item(self._state["suspended"])

    def root_status(self) -> dict:
        """Completion, satisfaction and measure of the whole course (the root activity)."""
        run = self._view()
        root = self._tree.root
        return {
            "completed": tracking.completed(run, root),
            "satisfied": tracking.satisfied(run, root),
            "measure": tracking.measure(run, root),
        }
