"""SCORM 2004 sequencing in Q1: the learner's Sequencer, navigation requests, tracking.

A 2004 package version carries its activity tree (PackageVersion.activity_tree, built at
import; versions imported before compute it on first use). A learner's sequencer state
lives in ScormRegistration.sequencing, the global objectives shared by all packages
(objectivesGlobalToSystem) in q1_global_objectives. navigate() runs one navigation
request with the registration row locked and launches the delivered item through
tracking.launch_item; record_commit() feeds an accepted commit into the sequencer inside
the commit's own transaction. SCORM 1.2 versions have no tree: the player stays free.
"""

import hashlib
import logging
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.attributes import flag_modified

from ...core.locks import begin_write_lock
from ...core.timeutil import utcnow
from ...extensions import db
from ...scorm.datamodel.objectives import seed_objectives
from ...scorm.datamodel.summary import summary
from ...scorm.datamodel.timefmt import parse_span
from ...scorm.manifest import parse_manifest
from ...scorm.sequencing import NAV_REQUESTS, Sequencer, build_tree
from . import navigation, tracking
from .errors import Q1Error
from .models import GlobalObjective, ScormRegistration
from .packages import version_root

log = logging.getLogger(__name__)

#: Requests that name an item.
TARGETED = ("choice", "jump")
#: The columns of a global objective the sequencer reads and writes.
GLOBAL_FIELDS = ("satisfied", "measure", "completion", "progress")


@dataclass
class Navigation:
    """The outcome of a navigation request: a launch, an end without one, or a refusal."""

    ok: bool
    launch: "tracking.Launch | None" = None
    ended: bool = False
    message: str = ""
    error: str | None = None


def activity_tree(version):
    """The version's activity tree (None for SCORM 1.2); computed and stored if missing."""
    if version.standard != "2004":
        return None
    if version.activity_tree is None:
        try:
            manifest = parse_manifest((version_root(version) / "imsmanifest.xml").read_bytes())
            version.activity_tree = build_tree(manifest)
        except Exception:  # noqa: BLE001 - an unreadable old version plays unsequenced
            log.exception("no activity tree for package version %s", version.id)
            return None
    return version.activity_tree


def is_sequenced(version):
    """True if the player follows the package's sequencing (SCORM 2004 with a tree)."""
    return activity_tree(version) is not None


def _key(objective_id):
    """The stored form of a global objective id (long ids as their sha256)."""
    if len(objective_id) <= 255:
        return objective_id
    return "sha256:" + hashlib.sha256(objective_id.encode("utf-8")).hexdigest()


def _targets(node, found=None):
    """Every global objective id the tree's map infos name."""
    found = set() if found is None else found
    for objective in node.get("seq", {}).get("objectives", []):
        found.update(m["target"] for m in objective.get("maps", []))
    for child in node.get("children", []):
        _targets(child, found)
    return found


def shared_objectives(session, user_id, tree):
    """The learner's system-wide global objectives the tree maps to (None if not shared)."""
    if not tree.get("objectives_global_to_system"):
        return None
    keys = {_key(target): target for target in _targets(tree["root"])}
    if not keys:
        return {}
    rows = session.scalars(
        sa.select(GlobalObjective).where(
            GlobalObjective.user_id == user_id, GlobalObjective.objective_id.in_(keys)
        )
    ).all()
    return {
        keys[row.objective_id]: {field: getattr(row, field) for field in GLOBAL_FIELDS}
        for row in rows
    }


def load(registration, session=None):
    """The Sequencer of a registration (tree, stored state and the learner's globals)."""
    session = session or db.session
    tree = activity_tree(registration.version)
    shared = shared_objectives(session, registration.user_id, tree)
    return Sequencer(tree, registration.sequencing, shared)


def sequencer_for(user, version):
    """The learner's Sequencer, for reading only (no registration is created)."""
    reg = tracking.registration_for(user, version, create=False)
    tree = activity_tree(version)
    shared = shared_objectives(db.session, user.id, tree)
    return Sequencer(tree, reg.sequencing if reg else None, shared)


def save(registration, seq, session=None):
    """Store the sequencer's state and upsert the global objectives it changed."""
    session = session or db.session
    registration.sequencing = seq.state
    flag_modified(registration, "sequencing")
    if registration.version.activity_tree.get("objectives_global_to_system"):
        for objective_id, values in (seq.shared_changes or {}).items():
            _upsert_global(session, registration.user_id, objective_id, values)
    session.flush()


def _upsert_global(session, user_id, objective_id, values):
    """Insert or update one global objective of a learner (only the fields given)."""
    fields = {f: values[f] for f in GLOBAL_FIELDS if f in values}
    row = {"user_id": user_id, "objective_id": _key(objective_id), "updated_at": utcnow()}
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    insert = module.insert(GlobalObjective.__table__).values(**row, **fields)
    update = {name: insert.excluded[name] for name in (*fields, "updated_at")}
    session.execute(
        insert.on_conflict_do_update(index_elements=["user_id", "objective_id"], set_=update)
    )


def _node(node, ident):
    """The activity ``ident`` of a tree (below ``node``), or None."""
    if node.get("id") == ident:
        return node
    return next((n for c in node.get("children", []) if (n := _node(c, ident))), None)


def _stored_attempts(registration, item_id):
    """The attempt count of an activity in the stored sequencing state (before a request)."""
    activities = (registration.sequencing or {}).get("activities") or {}
    return int((activities.get(item_id) or {}).get("attempts") or 0)


def _attempt_limited(tree, target):
    """True if only an attempt limit (no disabling rule) can keep ``target`` closed."""
    node = _node(tree["root"], target) if target else None
    if node is None or node["seq"]["limitConditions"].get("attemptLimit") is None:
        return False
    return all(rule["action"] != "disabled" for rule in node["seq"]["sequencingRules"]["pre"])


def _locked_registration(user, version):
    """The learner's registration, its row locked until the transaction ends (on SQLite
    the database's write lock is taken before the state is read, so two navigations never
    build on the same state)."""
    reg = tracking.registration_for(user, version)
    begin_write_lock()
    return db.session.scalars(
        sa.select(ScormRegistration)
        .where(ScormRegistration.id == reg.id)
        .with_for_update(of=ScormRegistration)
        .execution_options(populate_existing=True)
    ).one()


def navigate(user, version, request, target=None):
    """Run a navigation request of ``user`` in ``version`` and launch what it delivers.

    Returns a Navigation; the caller commits. A refusal rolls the session back, so it
    writes nothing (not even a first registration).
    """
    if request not in NAV_REQUESTS or (request in TARGETED and not target):
        return Navigation(False, message=navigation.refusal_message(None, request), error="bad")
    tree = activity_tree(version)
    reg = _locked_registration(user, version)
    seq = load(reg)
    result = seq.navigate(request, target if request in TARGETED else None)
    if not result.ok:
        db.session.rollback()
        log.info("navigation %s %s refused: %s %s", request, target, result.error, result.reason)
        exhausted = result.error in navigation.LOCKED and _attempt_limited(tree, target)
        message = navigation.refusal_message(result.error, request, exhausted)
        return Navigation(False, message=message, error=result.error)
    launch = None
    if result.deliver:
        try:
            count = seq.attempts(result.deliver)
            began = count > _stored_attempts(reg, result.deliver)
            launch = tracking.launch_item(user, version, result.deliver, (count, began))
        except Q1Error as exc:
            db.session.rollback()
            return Navigation(False, message=exc.message, error=exc.code)
        state = launch.attempt.state
        if state:
            state = seed_objectives(state, seq.objective_status(result.deliver))
        seq.report(result.deliver, report_data(state, False) if state else ASSET_REPORT)
        if state:
            launch.attempt.state = navigation.with_nav_valid(state, seq)
    save(reg, seq)
    return Navigation(
        True,
        launch=launch,
        ended=bool(result.ended),
        message="" if launch else navigation.info_message(request, result.ended),
    )


#: What an asset reports when it is launched: it counts as completed once shown.
ASSET_REPORT = {
    "completion_status": "completed",
    "success_status": "unknown",
    "score_scaled": None,
    "progress_measure": None,
    "objectives": [],
    "exit": "",
    "session_ended": False,
    "attempt_seconds": 0.0,
    "session_seconds": 0.0,
}


def _number(text):
    """A float of a data model string, None when missing or not a number."""
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def _set(values, name, value):
    """``value`` if the SCO set ``name`` or the data model evaluates it to something known;
    None ("leave the tracking value as it is") for an element nobody set."""
    return value if name in values or value not in (None, "unknown") else None


def _entry(values, n):
    """cmi.objectives.n as Sequencer.report() takes it: only the fields that are set."""
    prefix = f"cmi.objectives.{n}."
    entry = {"id": values[prefix + "id"]}
    for key, element in (("success_status", "success_status"), ("completion_status",) * 2):
        if prefix + element in values:
            entry[key] = values[prefix + element]
    for key, element in (("score_scaled", "score.scaled"), ("progress_measure",) * 2):
        if prefix + element in values:
            entry[key] = _number(values[prefix + element])
    return entry


def report_data(state, session_ended):
    """The run-time tracking of a SCORM 2004 attempt state as Sequencer.report() takes it.

    The primary objective can be written through cmi.success_status / cmi.score.scaled and
    through its cmi.objectives entry: an element the SCO never set is left out, so it
    does not overwrite what the entry says (RTE book, cmi.objectives; ADL sample RTE). With
    adl.nav.request = suspendAll the attempt is suspended whatever cmi.exit said.
    """
    values = state["values"]
    rolled = summary(state)
    objectives = [
        _entry(values, n)
        for n in range(int(values.get("cmi.objectives._count") or 0))
        if values.get(f"cmi.objectives.{n}.id")
    ]
    data = {"objectives": objectives}
    for key, name in (
        ("completion_status", "cmi.completion_status"),
        ("success_status", "cmi.success_status"),
        ("score_scaled", "cmi.score.scaled"),
        ("progress_measure", "cmi.progress_measure"),
    ):
        value = _set(values, name, rolled[key])
        if value is not None:
            data[key] = value
    spent = values.get("cmi.session_time")
    suspend_all = rolled["nav_request"] == "suspendAll"
    return {
        **data,
        "exit": "suspend" if suspend_all else values.get("cmi.exit", ""),
        "session_ended": bool(session_ended),
        "attempt_seconds": rolled["total_time_seconds"],
        "session_seconds": parse_span("2004", spent) / 100 if spent else 0.0,
    }


def _abandons(state):
    """True if the SCO terminated with adl.nav.request abandon or abandonAll (SN book,
    the attempt is abandoned, what it wrote is not rolled up nor written to globals)."""
    return state["values"].get("adl.nav.request") in ("abandon", "abandonAll")


def _ends_course(state):
    """True if the SCO left with cmi.exit "time-out" or "logout" and no navigation request
    of its own: the LMS then processes an exitAll navigation request (RTE book, cmi.exit)."""
    values = state["values"]
    exit_value = values.get("cmi.exit", "")
    return exit_value in ("time-out", "logout") and values.get("adl.nav.request", "_none_") == (
        "_none_"
    )


def record_commit(session, registration, item_id, state, result):
    """Report an accepted commit that changed the summary or ended the session.

    Runs in the commit's transaction (``session``, registration row locked). Only for a
    registration that sequences and only for the item it delivered last; a late commit of
    an item the learner has left is tracked on its attempt but no longer sequenced. Adds
    the new adl.nav.request_valid values to ``result`` for the run-time page. A failure
    of the sequencer is logged and leaves its state as it was: the commit is stored.
    """
    if registration.sequencing is None or state.get("version") != "2004":
        return
    try:
        seq = load(registration, session)
        if seq.current != item_id:
            return
        data = report_data(state, result.get("session_ended"))
        if data["session_ended"] and _abandons(state):
            return  # abandon runs no end-of-attempt processing: the data stays unreported
        seq.report(item_id, data)
        if data["session_ended"] and _ends_course(state):
            seq.navigate("exitAll")
        nav_valid = navigation.nav_valid(seq)
    except Exception:  # noqa: BLE001 - the learner's tracking data must not be lost
        log.exception("sequencing of a commit failed (registration %s)", registration.id)
        return
    save(registration, seq, session)
    result["nav_valid"] = nav_valid
