"""The state of each step of a Lotse's path, for one person or many at once.

Areas describe their step as a :class:`Requirement` and register it in their ``init_app``
with :func:`register_requirement`. A requirement's ``load(scope)`` reads the area's records
for every person of ``scope`` in a fixed number of queries (never one per person) and
returns ``{user_id: StepState}``. Everything that shows or decides a step (dashboard,
mentor view, checklist, foundation overview, bulk issuing, CLI, evidence) reads
:func:`states`; no page computes "done" on its own.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..core.timeutil import utcnow
from ..extensions import db

OPEN, STARTED, PENDING, REJECTED, DONE = "open", "started", "pending", "rejected", "done"
#: The states in the order a filter offers them, with their German names.
STATE_LABELS = {
    OPEN: _l("offen"),
    STARTED: _l("begonnen"),
    PENDING: _l("wartet auf Prüfung"),
    REJECTED: _l("abgelehnt"),
    DONE: _l("erfüllt"),
}
#: Every state (for a requirement whose prefilter is exact for all of them).
ALL_STATES = frozenset(STATE_LABELS)
#: The states of a step learners work through themselves (nothing to check or refuse).
PROGRESS_STATES = frozenset({OPEN, STARTED, DONE})
#: The states of a record the foundation checks (submitted, then verified or refused).
CHECKED_STATES = frozenset({OPEN, PENDING, REJECTED, DONE})


class StepState:
    """One step of one person's path: its state, since when, from which record, what is missing.

    The texts (``source``, ``progress``, ``missing``) may be given, or computed on first use
    by ``describe() -> (source, progress, missing)``: a list of 10,000 people decides states
    without formatting 70,000 German sentences nobody reads.
    """

    __slots__ = ("key", "label", "state", "since", "extra", "_texts", "_describe")

    def __init__(
        self,
        key,
        label,
        state=OPEN,
        since=None,
        source="",
        progress="",
        missing="",
        extra=None,
        *,
        describe=None,
    ):
        """A step's state; ``since`` only when done."""
        self.key, self.label, self.state, self.since = key, label, state, since
        self.extra = extra if extra is not None else {}
        self._describe = describe
        self._texts = None if describe is not None else (source, progress, missing)

    def _text(self, index):
        """One of the texts, computed once."""
        if self._texts is None:
            self._texts = tuple(str(t) for t in self._describe())
        return self._texts[index]

    @property
    def source(self):
        """The record(s) the state was read from, in words."""
        return self._text(0)

    @property
    def progress(self):
        """What is done so far, in words ("6 von 12 Stunden")."""
        return self._text(1)

    @property
    def missing(self):
        """What is still missing or why it was refused, in words ("" when done)."""
        return self._text(2)

    @property
    def met(self):
        """True once the step is done."""
        return self.state == DONE

    @property
    def state_label(self):
        """The state in the reader's language."""
        return str(STATE_LABELS[self.state])

    def snapshot(self):
        """A JSON-ready copy for a certificate's evidence."""
        return {
            "key": self.key,
            "label": str(self.label),
            "state": self.state,
            "met": self.met,
            "since": self.since.isoformat() if self.since else None,
            "source": self.source,
            "progress": self.progress,
            "missing": self.missing,
        }

    def __repr__(self):
        return f"<StepState {self.key} {self.state}>"


@dataclass(frozen=True)
class Requirement:
    """A step of the path as an area describes it."""

    key: str
    label: object
    #: callable(scope) -> {user_id: StepState}, a fixed number of queries for any scope.
    load: object
    order: int = 100
    #: Endpoint of the participant's page for this step, and the action's text when not done.
    endpoint: str | None = None
    action: object = None
    #: True for a step computed from the others (the certificate); it gets ``scope.states``.
    final: bool = False
    #: What is missing while nothing is recorded (the open state's text).
    open_text: object = ""
    #: Optional callable(state, user_id_column) -> SQL condition every person in ``state``
    #: meets (or None): lets a list narrow thousands of people down in SQL before the exact
    #: states are computed for the few left.
    prefilter: object = None
    #: The states for which ``prefilter`` is exact: exactly the people in that state meet it,
    #: so a list counts and pages them in SQL and computes the states of one page only.
    #: A set, or a callable() returning one (when exactness depends on the configuration).
    exact: object = frozenset()
    #: Optional callable(state, user_id_column) -> a cheaper condition that only narrows (a
    #: superset) or None (then ``prefilter``), used where conditions of several steps are
    #: combined (the certificate's): an exact one may cost too much there, e.g. a window
    #: function whose row estimate misleads the planner of the combined query.
    narrow: object = None
    #: The states ``load`` can give: the overview offers a filter for these only.
    states: frozenset = ALL_STATES


def register_requirement(app, requirement):
    """Add an area's step to the path (called from the area's ``init_app``)."""
    app.extensions.setdefault("lotse_qualification", {})[requirement.key] = requirement


def requirements(app=None):
    """Every registered step, in path order."""
    found = (app or current_app).extensions.get("lotse_qualification", {})
    return sorted(found.values(), key=lambda r: (r.final, r.order))


def required_keys(app=None):
    """The step keys the certificate requires (config CERT_RULES), in order."""
    return list((app or current_app).config["CERT_RULES"])


def check_config(app):
    """Refuse unknown step keys in CERT_RULES at start-up instead of skipping a prerequisite."""
    known = app.extensions.get("lotse_qualification", {})
    unknown = [key for key in app.config["CERT_RULES"] if key not in known]
    if unknown:
        from ..config import ConfigError  # config imports every area: a cycle at the top

        raise ConfigError(
            f"CERT_RULES: unknown rule(s) {', '.join(unknown)}; known: {', '.join(known)}"
        )


#: Up to this many people, loaders filter by the list of ids instead of the scope's query.
LIST_LIMIT = 2000


class Scope:
    """The people a computation covers: a list of ids, or a SQL select of ids (all participants)."""

    def __init__(self, ids, now=None):
        """``ids`` is a list of user ids or a select of one id column."""
        self.query = ids if isinstance(ids, sa.Select) else None
        self.ids = list(db.session.scalars(ids)) if self.query is not None else list(ids)
        if len(self.ids) <= LIST_LIMIT:
            # A short list is cheaper than running a narrowing query again in every loader.
            self.query = None
        self.now = now or utcnow()
        #: The states computed so far ({key: {user_id: StepState}}), for final steps.
        self.states = {}

    def where(self, column):
        """A condition restricting ``column`` (a user id column) to the scope."""
        return column.in_(self.query if self.query is not None else self.ids)


def states(ids, *, keys=None, now=None):
    """``{user_id: [StepState, ...]}`` for every person of ``ids`` (list or select), in path order.

    ``keys`` limits the result to some steps; a final step (the certificate) still has the
    required steps computed, since its state depends on them.
    """
    scope = Scope(ids, now)
    by_key = requirements_by_key()
    wanted = [r for r in requirements() if keys is None or r.key in keys]
    needed = {r.key: r for r in wanted}
    if any(r.final for r in wanted):
        needed.update({key: by_key[key] for key in required_keys()})
    for req in sorted(needed.values(), key=lambda r: (r.final, r.order)):
        scope.states[req.key] = _load(req, scope)
    return {uid: [scope.states[r.key][uid] for r in wanted] for uid in scope.ids}


def requirements_by_key(app=None):
    """The registered steps by key."""
    return dict((app or current_app).extensions.get("lotse_qualification", {}))


def _load(req, scope):
    """One requirement's states for the scope; people without records get the open state."""
    found = req.load(scope)
    label, missing = str(req.label), str(req.open_text)
    return {uid: found.get(uid) or StepState(req.key, label, missing=missing) for uid in scope.ids}


def path_of(user, now=None):
    """Every step of ``user``'s path, in order."""
    return states([user.id], now=now)[user.id]


def checklist(user, now=None):
    """The steps the certificate requires, for ``user``, in CERT_RULES order."""
    by_key = {s.key: s for s in path_of(user, now)}
    return [by_key[key] for key in required_keys()]


def prerequisites_met(steps):
    """True if every required step among ``steps`` is done."""
    required = set(required_keys())
    return all(s.met for s in steps if s.key in required)


def as_datetime(value):
    """Dates become midnight UTC so every ``since`` has one type."""
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=UTC)
    return None


def hours(value):
    """Hours with at most one decimal and a decimal comma."""
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def prefilter(key, state, user_id_column):
    """A SQL condition every person whose step ``key`` is in ``state`` meets, or None."""
    req = requirements_by_key().get(key)
    if req is None or req.prefilter is None:
        return None
    return req.prefilter(state, user_id_column)


def narrowing(key, state, user_id_column):
    """The condition to combine with other steps' (``narrow``'s if it gives one, else
    ``prefilter``'s) and whether it is exact: ``(condition or None, exact)``."""
    req = requirements_by_key().get(key)
    if req is None:
        return None, False
    condition = req.narrow(state, user_id_column) if req.narrow is not None else None
    if condition is not None:
        return condition, False
    return prefilter(key, state, user_id_column), exact_prefilter(
        key, state, user_id_column
    ) is not None


def exact_prefilter(key, state, user_id_column):
    """The SQL condition met by exactly the people whose step ``key`` is in ``state``, or
    None when the requirement has no exact one for that state (then SQL only narrows)."""
    req = requirements_by_key().get(key)
    if req is None or req.prefilter is None:
        return None
    exact = req.exact() if callable(req.exact) else req.exact
    if state not in exact:
        return None
    return req.prefilter(state, user_id_column)
