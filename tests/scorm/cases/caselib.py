"""Load the JSON case tables of tests/scorm/cases/ and replay them on the Python model."""

import json
from pathlib import Path

from lotse_lms.scorm.datamodel import (
    Runtime,
    apply_commit,
    begin_session,
    client_state,
    new_state,
    next_attempt,
    should_start_new_attempt,
)
from lotse_lms.scorm.datamodel.objectives import seed_objectives

CASES = Path(__file__).resolve().parent
API_FILES = ("api_12.json", "api_2004.json")


def load(filename):
    """Return the parsed case file."""
    return json.loads((CASES / filename).read_text(encoding="utf-8"))


def api_cases():
    """Yield (id, version, launch state, calls) for every API case of every file."""
    for filename in API_FILES:
        data = load(filename)
        for case in data["cases"]:
            config = dict(data.get("config", {}), **case.get("config", {}))
            state = launch_state(data["version"], config, case)
            yield f"{filename}:{case['name']}", data["version"], client_state(state), case["calls"]


def launch_state(version, config, case):
    """The state a case's SCO is launched with: a first launch, or the launch after a
    terminated session of the SetValue pairs in case["before"] (a new attempt when that
    session ended the attempt); case["objectives"] as the sequencer gives them to
    seed_objectives (cmi.objectives from the manifest)."""
    state = begin_session(new_state(version, config))
    if "before" in case:
        payload = {
            "protocol": 1,
            "version": version,
            "attempt": state["attempt"],
            "session": state["session"],
            "sequence": 1,
            "calls": case["before"],
            "terminated": True,
        }
        state, result = apply_commit(state, payload)
        assert result["ok"], result
        if should_start_new_attempt(state):
            state = next_attempt(state, config)
        state = begin_session(state, config)
    return seed_objectives(state, case.get("objectives") or [])


def replay(runtime, calls):
    """Run calls on a Python Runtime; return [(return value, last error)] per call."""
    results = []
    for method, args, _ret, _err in calls:
        results.append([runtime.call(method, *args), runtime.get_last_error()])
    return results


def expected(calls):
    """The expected [(return value, last error)] of calls."""
    return [[ret, err] for _m, _a, ret, err in calls]


def run_python(state, calls):
    """Replay calls on a fresh Runtime of state."""
    return replay(Runtime(state), calls)


def count_limit_cases():
    """(id, version, launch state, calls) filling each collection to its SPM and one more:
    the extra entry is refused with General Set Failure (351; 201 in SCORM 1.2)."""
    for version, fail in (("2004", "351"), ("1.2", "201")):
        init, setv = (
            ("Initialize", "SetValue")
            if version == "2004"
            else (
                "LMSInitialize",
                "LMSSetValue",
            )
        )
        limits = {"cmi.interactions": 250, "cmi.objectives": 100}
        for collection, spm in limits.items():
            state = begin_session(new_state(version, {"learner_id": "u1", "learner_name": "Ada"}))
            calls = [[init, [""], "true", "0"]]
            calls += [[setv, [f"{collection}.{n}.id", f"id{n}"], "true", "0"] for n in range(spm)]
            calls.append([setv, [f"{collection}.{spm}.id", "zu-viel"], "false", fail])
            yield f"{version}:{collection}", version, client_state(state), calls
        state = begin_session(new_state(version, {"learner_id": "u1", "learner_name": "Ada"}))
        nested = "cmi.interactions.0.objectives"
        calls = [[init, [""], "true", "0"], [setv, ["cmi.interactions.0.id", "q"], "true", "0"]]
        calls += [[setv, [f"{nested}.{n}.id", f"o{n}"], "true", "0"] for n in range(10)]
        calls.append([setv, [f"{nested}.10.id", "o10"], "false", fail])
        yield f"{version}:{nested}", version, client_state(state), calls
