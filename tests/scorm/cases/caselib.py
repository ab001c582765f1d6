"""Load the JSON case tables of tests/scorm/cases/ and replay them on the Python model."""

import json
from pathlib import Path

from lotse_lms.scorm.datamodel import Runtime, begin_session, client_state, new_state

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
            state = begin_session(new_state(data["version"], config))
            yield f"{filename}:{case['name']}", data["version"], client_state(state), case["calls"]


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
