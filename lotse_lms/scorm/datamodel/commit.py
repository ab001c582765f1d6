"""The commit protocol between runtime-api.js and the server.

The browser validates every API call itself, so the SCO gets synchronous answers. What it
sends on Commit, Terminate/LMSFinish, auto-commit and page close is a JSON payload:

    {"protocol": 1,
     "version": "1.2" | "2004",
     "attempt": 3,          # state["attempt"] the page was launched with
     "session": 2,          # state["session"] the page was launched with
     "sequence": 17,        # increases with every commit the page sends
     "calls": [["cmi.core.lesson_location", "p5"], ...],  # successful SetValues, in order
     "terminated": false,   # Terminate/LMSFinish succeeded
     "unload": false,       # sent while the page closes (fetch keepalive); informative
     "base": "..."}         # optional: the stored state as the last answer gave it (JSON
                            # text); the LMS may replay on it after checking it against
                            # what it stored (lotse_lms.modules.q1.commits). Ignored here.

"calls" holds every SetValue not yet acknowledged by the server; a payload may repeat
calls of an earlier one whose answer was lost, which is harmless because replaying the
same ordered calls onto a state that already has them gives the same values.

apply_commit() replays the calls through the Python model (the browser is not trusted)
and accepts the commit only as a whole. It refuses a payload of another version or
attempt, of a session that is not the current one (a stale tab after a relaunch), with a
sequence number not greater than the stored one, after the session was closed, or with
any call the model refuses. "terminated" ends the session (end_session()). A page that
closes without Terminate leaves the session open on purpose: the SCO's own unload
handler may still call Terminate after the LMS page's pagehide commit, and that later
commit must be accepted. begin_session() ends a session left open (finished=False).

The result is {"ok": True, "sequence": n, "applied": k, "session_ended": bool} or
{"ok": False, "error": <reason>, "detail": str, ...}; for "invalid_call" also "index",
"element" and "code" (the SCORM error code of the refused call). Reasons: bad_payload,
wrong_version, wrong_attempt, stale_session, session_closed, stale_sequence,
too_many_calls, invalid_call.
"""

import copy

from .model import DataModel, ModelError
from .session import end_session
from .tables import table_for

PROTOCOL = 1
DEFAULT_MAX_CALLS = 20000


def payload_for(state, calls, terminated=True, unload=False):
    """The payload a page launched with ``state`` sends with its next commit of ``calls``."""
    return {
        "protocol": 1,
        "version": state["version"],
        "attempt": state["attempt"],
        "session": state["session"],
        "sequence": state["sequence"] + 1,
        "calls": calls,
        "terminated": terminated,
        "unload": unload,
    }


def refuse(state, error, detail, **extra):
    """Return the unchanged state with a failure result."""
    return copy.deepcopy(state), {"ok": False, "error": error, "detail": detail, **extra}


def payload_problem(payload):
    """Return a description of what is wrong with the payload's shape, or None."""
    if not isinstance(payload, dict):
        return "the payload must be a JSON object"
    if payload.get("protocol") != PROTOCOL:
        return f"protocol must be {PROTOCOL}"
    for key in ("attempt", "session", "sequence"):
        if not isinstance(payload.get(key), int) or isinstance(payload.get(key), bool):
            return f"{key} must be an integer"
    for key in ("terminated", "unload"):
        if not isinstance(payload.get(key, False), bool):
            return f"{key} must be a boolean"
    calls = payload.get("calls")
    if not isinstance(calls, list):
        return "calls must be a list"
    for call in calls:
        if (
            not isinstance(call, list)
            or len(call) != 2
            or not all(isinstance(part, str) for part in call)
        ):
            return "each call must be a [name, value] pair of strings"
    return None


def copy_state(state):
    """A copy of a state that shares nothing mutable with it (the state is two levels
    deep: scalars and flat dicts of strings and numbers), much cheaper than deepcopy."""
    return {key: dict(value) if isinstance(value, dict) else value for key, value in state.items()}


def apply_commit(state_dict, payload, config=None):
    """Replay a commit payload onto a state; return (new_state_dict, result)."""
    config = config or {}
    problem = payload_problem(payload)
    if problem:
        return refuse(state_dict, "bad_payload", problem)
    if payload.get("version") != state_dict["version"]:
        return refuse(state_dict, "wrong_version", "the payload is for another SCORM version")
    if payload["attempt"] != state_dict["attempt"]:
        return refuse(state_dict, "wrong_attempt", "the payload is for another attempt")
    if payload["session"] != state_dict["session"]:
        return refuse(state_dict, "stale_session", "a newer launch of this SCO exists")
    if not state_dict["session_open"]:
        return refuse(state_dict, "session_closed", "this session has already ended")
    if payload["sequence"] <= state_dict["sequence"]:
        return refuse(
            state_dict,
            "stale_sequence",
            f"sequence {payload['sequence']} is not newer than {state_dict['sequence']}",
        )
    max_calls = int(config.get("max_calls", DEFAULT_MAX_CALLS))
    if len(payload["calls"]) > max_calls:
        return refuse(state_dict, "too_many_calls", f"more than {max_calls} calls")
    new = copy_state(state_dict)
    model = DataModel(
        table_for(new["version"]), new["values"], new.get("limits"), new.get("shared_access")
    )
    for index, (name, value) in enumerate(payload["calls"]):
        try:
            model.set_value(name, value)
        except ModelError as exc:
            return refuse(
                state_dict, "invalid_call", exc.diagnostic, index=index, element=name, code=exc.code
            )
    new["sequence"] = payload["sequence"]
    ended = bool(payload.get("terminated"))
    if ended:
        new = end_session(new, finished=True)
    return new, {
        "ok": True,
        "sequence": new["sequence"],
        "applied": len(payload["calls"]),
        "session_ended": ended,
    }
