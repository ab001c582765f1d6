"""Attempt state of one learner x package x SCO x attempt, and its session life cycle.

A state is a JSON-able dict:
  {"format": 1, "version": "1.2"|"2004", "attempt": 1, "session": 0, "sequence": 0,
   "session_open": False, "session_finished": False, "last_exit": None,
   "total_time_cs": 0, "values": {element name: str}, "limits": {"suspend_data": int},
   "shared_access": {store id: "r"|"w"|"rw"}}
new_state() creates it from LMS launch settings, begin_session() prepares a launch
(cmi.entry, per-session elements), end_session() adds the session time to the total and
applies the SCORM 1.2 status rules; should_start_new_attempt() and summary() read it.
"""

import copy

from .datatypes import validate
from .summary import KEYS, lesson_status_12, summary
from .tables import table_for
from .timefmt import format_span, parse_span

LMS_SETTINGS = {
    "1.2": {
        "learner_id": "cmi.core.student_id",
        "learner_name": "cmi.core.student_name",
        "credit": "cmi.core.credit",
        "mode": "cmi.core.lesson_mode",
        "launch_data": "cmi.launch_data",
        "comments_from_lms": "cmi.comments_from_lms",
        "mastery_score": "cmi.student_data.mastery_score",
        "max_time_allowed": "cmi.student_data.max_time_allowed",
        "time_limit_action": "cmi.student_data.time_limit_action",
    },
    "2004": {
        "learner_id": "cmi.learner_id",
        "learner_name": "cmi.learner_name",
        "credit": "cmi.credit",
        "mode": "cmi.mode",
        "launch_data": "cmi.launch_data",
        "completion_threshold": "cmi.completion_threshold",
        "scaled_passing_score": "cmi.scaled_passing_score",
        "max_time_allowed": "cmi.max_time_allowed",
        "time_limit_action": "cmi.time_limit_action",
    },
}
PER_SESSION = {
    "1.2": ("cmi.core.exit", "cmi.core.session_time"),
    "2004": ("cmi.exit", "cmi.session_time", "adl.nav.request"),
}


def setting_value(version, key, raw):
    """Normalise one LMS setting to its data model string (numbers, seconds for times)."""
    if key == "max_time_allowed" and isinstance(raw, (int, float)):
        return format_span(version, round(raw * 100))
    if isinstance(raw, bool):
        raise ValueError(f"{key} must not be a bool")
    if isinstance(raw, (int, float)):
        return format(raw, "g") if isinstance(raw, float) else str(raw)
    return str(raw)


def apply_settings(state, config):
    """Write the LMS-provided read-only values of config into state["values"]."""
    version, values = state["version"], state["values"]
    elements = table_for(version)["elements"]
    for key, element in LMS_SETTINGS[version].items():
        raw = config.get(key)
        if raw is None or raw == "":
            continue
        value = setting_value(version, key, raw)
        if validate(value, elements[element]):
            raise ValueError(f"invalid LMS setting {key}={raw!r} for {element}")
        values[element] = value
    if version == "2004":
        apply_settings_2004(state, config)


def apply_settings_2004(state, config):
    """Write comments_from_lms, adl.data stores and navigation validity (2004 only)."""
    values = state["values"]
    comments = config.get("comments_from_lms") or []
    for index, comment in enumerate(comments):
        for field in ("comment", "location", "timestamp"):
            if comment.get(field) not in (None, ""):
                values[f"cmi.comments_from_lms.{index}.{field}"] = str(comment[field])
    values["cmi.comments_from_lms._count"] = str(len(comments))
    stores = config.get("shared_data") or []
    state["shared_access"] = {}
    for index, store in enumerate(stores):
        values[f"adl.data.{index}.id"] = store["id"]
        if store.get("store") is not None:
            values[f"adl.data.{index}.store"] = store["store"]
        access = ("r" if store.get("read", True) else "") + (
            "w" if store.get("write", True) else ""
        )
        state["shared_access"][store["id"]] = access
    values["adl.data._count"] = str(len(stores))
    for key, valid in (config.get("nav_valid") or {}).items():
        values[f"adl.nav.request_valid.{key}"] = valid


def new_state(version, config=None, attempt=1, sequence=0):
    """Create the state of a fresh attempt from LMS launch settings (see module docs)."""
    if version not in ("1.2", "2004"):
        raise ValueError(f"unknown SCORM version {version!r}")
    config = config or {}
    table = table_for(version)
    limit = int(config.get("suspend_data_limit") or table["limits"]["suspend_data"])
    state = {
        "format": 1,
        "version": version,
        "attempt": attempt,
        "session": 0,
        "sequence": sequence,
        "session_open": False,
        "session_finished": False,
        "last_exit": None,
        "total_time_cs": 0,
        "values": {},
        "limits": {"suspend_data": limit},
        "shared_access": {},
    }
    if version == "1.2" and config.get("comments_from_lms") is not None:
        config = dict(config, comments_from_lms=str(config["comments_from_lms"]))
    apply_settings(state, config)
    return state


def next_attempt(state, config=None):
    """Create the state of the attempt after state's (the sequence number continues)."""
    return new_state(state["version"], config, state["attempt"] + 1, state["sequence"])


def begin_session(state, config=None):
    """Return a copy of state prepared for a new launch of the SCO (cmi.entry etc.)."""
    new = copy.deepcopy(state)
    if new["session_open"]:
        new = end_session(new, finished=False)
    version, values = new["version"], new["values"]
    if config:
        apply_settings(new, config)
    if new["session"] == 0:
        entry = "ab-initio"
    else:
        entry = "resume" if new["last_exit"] == "suspend" else ""
    values[KEYS[version]["entry"]] = entry
    for name in PER_SESSION[version]:
        values.pop(name, None)
    new["session"] += 1
    new["session_open"] = True
    new["session_finished"] = False
    return new


def end_session(state, finished=True):
    """Return a copy of state with the open session ended.

    The session time is added to the total time, the exit is remembered for cmi.entry,
    and for SCORM 1.2 the LMS status rules apply: a status never set becomes "completed"
    ("browsed" in browse mode) when the SCO called LMSFinish (finished=True), and with a
    mastery score and credit the status follows score.raw.
    """
    new = copy.deepcopy(state)
    if not new["session_open"]:
        return new
    version, values = new["version"], new["values"]
    keys = KEYS[version]
    spent = values.get(keys["session_time"])
    if spent:
        new["total_time_cs"] += parse_span(version, spent)
    values[keys["total_time"]] = format_span(version, new["total_time_cs"])
    new["last_exit"] = values.get(keys["exit"], "")
    if version == "2004" and values.get("adl.nav.request") == "suspendAll":
        new["last_exit"] = "suspend"  # RTE book: suspendAll suspends whatever cmi.exit said
    if version == "1.2":
        status = values.get("cmi.core.lesson_status", "not attempted")
        if status == "not attempted" and finished:
            browse = values.get("cmi.core.lesson_mode") == "browse"
            values["cmi.core.lesson_status"] = "browsed" if browse else "completed"
        values["cmi.core.lesson_status"] = lesson_status_12(values)
    new["session_open"] = False
    new["session_finished"] = finished
    return new


def should_start_new_attempt(state):
    """True when the next launch must start a new attempt.

    SCORM 2004 (RTE book, cmi.exit and cmi.entry): a learner attempt ends when a session
    ends without suspend, whatever the completion status: after Terminate with cmi.exit
    "normal", "", "time-out" or "logout" (adl.nav.request = suspendAll counts as suspend).
    SCORM 1.2 after a session that ended with a normal exit of a completed attempt
    (completed, passed or failed).

    A session left open (page closed without Terminate) counts as ended by begin_session()
    for 1.2; for 2004 it did not end the attempt: the SCO never said it was left, so the
    next launch continues it (a sequenced package follows the sequencer's attempts).
    """
    if state["session"] == 0:
        return False
    if state["version"] == "2004":
        return not state["session_open"] and state["last_exit"] != "suspend"
    if state["session_open"]:
        state = end_session(state, finished=False)
    if state["last_exit"] == "suspend":
        return False
    return summary(state)["completed"]


def client_state(state):
    """The part of state the JavaScript runtime needs (runtime-api.js option "state")."""
    keys = ("version", "attempt", "session", "sequence", "values", "limits", "shared_access")
    return {key: copy.deepcopy(state[key]) for key in keys}
