"""Attempt state life cycle, SCORM 1.2 status rules, roll-up and the JSON export."""

import json

import pytest

from lotse_lms.scorm.datamodel import (
    Runtime,
    apply_commit,
    begin_session,
    client_state,
    end_session,
    new_state,
    next_attempt,
    should_start_new_attempt,
    summary,
)
from lotse_lms.scorm.datamodel.commit import payload_for
from lotse_lms.scorm.datamodel.export import stale_files, table_json, write_files
from lotse_lms.scorm.datamodel.timefmt import (
    format_duration,
    format_timespan,
    parse_duration,
    parse_timespan,
)


def run_session(state, calls, terminate=True):
    """Launch state, run SetValue calls through Runtime and commit them like the JS does."""
    state = begin_session(state)
    runtime = Runtime(client_state(state))
    method = "LMSSetValue" if state["version"] == "1.2" else "SetValue"
    runtime.call("LMSInitialize" if state["version"] == "1.2" else "Initialize", "")
    for name, value in calls:
        assert runtime.call(method, name, value) == "true", (name, runtime.error)
    payload = payload_for(state, runtime.calls, terminate, unload=not terminate)
    new, result = apply_commit(state, payload)
    assert result["ok"], result
    return new


def test_state_is_json_and_entry_follows_exit():
    """ab-initio first, resume after suspend, "" after another exit of the same attempt."""
    state = new_state("1.2", {"learner_id": "u1"})
    assert json.loads(json.dumps(state)) == state
    assert begin_session(state)["values"]["cmi.core.entry"] == "ab-initio"
    state = run_session(
        state, [("cmi.core.exit", "suspend"), ("cmi.core.lesson_status", "incomplete")]
    )
    assert begin_session(state)["values"]["cmi.core.entry"] == "resume"
    state = run_session(state, [("cmi.core.exit", "")])
    launched = begin_session(state)
    assert launched["values"]["cmi.core.entry"] == ""
    assert "cmi.core.exit" not in launched["values"]


def test_total_time_accumulates_both_versions():
    """Session times add up at the end of each session, in each version's format."""
    state = new_state("1.2")
    state = run_session(state, [("cmi.core.session_time", "0000:30:00.5")])
    state = run_session(state, [("cmi.core.session_time", "01:45:00")])
    assert state["values"]["cmi.core.total_time"] == "0002:15:00.50"
    assert summary(state)["total_time_seconds"] == 8100.5
    state = new_state("2004")
    state = run_session(state, [("cmi.session_time", "PT59M59.99S")])
    state = run_session(state, [("cmi.session_time", "P1DT0.01S")])
    assert state["values"]["cmi.total_time"] == "PT25H0M0S"


def test_time_formats_round_trip():
    """CMITimespan and ISO durations convert to centiseconds and back."""
    assert parse_timespan("0001:02:03.4") == 372340
    assert format_timespan(372340) == "0001:02:03.40"
    assert parse_duration("P1Y2M3DT4H5M6.07S") == ((428 * 24 + 4) * 3600 + 306) * 100 + 7
    assert format_duration(372340) == "PT1H2M3.4S"
    with pytest.raises(ValueError):
        parse_duration("PT")


@pytest.mark.parametrize(
    "calls,status,completed,passed",
    [
        (
            [("cmi.core.lesson_status", "completed"), ("cmi.core.score.raw", "85")],
            "passed",
            True,
            True,
        ),
        (
            [("cmi.core.score.raw", "85"), ("cmi.core.lesson_status", "completed")],
            "passed",
            True,
            True,
        ),
        (
            [("cmi.core.lesson_status", "passed"), ("cmi.core.score.raw", "79.9")],
            "failed",
            True,
            False,
        ),
        (
            [("cmi.core.lesson_status", "incomplete"), ("cmi.core.score.raw", "95")],
            "incomplete",
            False,
            None,
        ),
        ([], "completed", True, None),
        ([("cmi.core.score.raw", "80")], "passed", True, True),
    ],
)
def test_scorm12_status_rules(calls, status, completed, passed):
    """Mastery score decides passed/failed from score.raw whatever the order of calls."""
    state = run_session(new_state("1.2", {"mastery_score": 80}), calls)
    assert state["values"]["cmi.core.lesson_status"] == status
    roll = summary(state)
    assert (roll["completed"], roll["passed"]) == (completed, passed)


def test_scorm12_no_credit_and_browse():
    """No-credit keeps the SCO's status; browse mode turns an unset status into browsed."""
    state = run_session(
        new_state("1.2", {"mastery_score": 80, "credit": "no-credit"}),
        [("cmi.core.lesson_status", "completed"), ("cmi.core.score.raw", "10")],
    )
    assert summary(state)["lesson_status"] == "completed"
    state = run_session(new_state("1.2", {"mode": "browse", "credit": "no-credit"}), [])
    assert summary(state)["lesson_status"] == "browsed"
    state = run_session(new_state("1.2"), [], terminate=False)
    assert summary(state)["lesson_status"] == "not attempted"


def test_summary_2004_and_new_attempt():
    """The roll-up evaluates thresholds; a completed attempt left normally starts anew."""
    config = {"completion_threshold": 0.5, "scaled_passing_score": 0.7}
    state = new_state("2004", config)
    state = run_session(
        state,
        [
            ("cmi.progress_measure", "0.6"),
            ("cmi.score.scaled", "0.9"),
            ("cmi.score.raw", "90"),
            ("cmi.location", "end"),
            ("cmi.exit", "suspend"),
        ],
    )
    roll = summary(state)
    assert (roll["completed"], roll["passed"], roll["score_scaled"]) == (True, True, 0.9)
    assert (roll["score_raw"], roll["location"], roll["exit"]) == (90.0, "end", "suspend")
    assert not should_start_new_attempt(state)
    state = run_session(state, [("cmi.exit", "normal")])
    assert should_start_new_attempt(state)
    fresh = next_attempt(state, config)
    assert fresh["attempt"] == 2 and fresh["sequence"] == state["sequence"]
    assert begin_session(fresh)["values"]["cmi.entry"] == "ab-initio"
    assert not should_start_new_attempt(new_state("2004"))


def test_open_session_is_closed_by_next_launch():
    """A session left open (tab closed) is ended by begin_session without status change."""
    state = run_session(new_state("2004"), [("cmi.session_time", "PT10S")], terminate=False)
    assert state["session_open"] and summary(state)["total_time_seconds"] == 10
    relaunched = begin_session(state)
    assert relaunched["session"] == 2 and relaunched["values"]["cmi.total_time"] == "PT0H0M10S"
    assert end_session(relaunched)["total_time_cs"] == 1000


def test_invalid_lms_setting_is_refused():
    """Launch settings are validated against the element table."""
    with pytest.raises(ValueError):
        new_state("2004", {"scaled_passing_score": 2})
    with pytest.raises(ValueError):
        new_state("3.0")


def test_exported_json_is_current(tmp_path):
    """The JSON tables in static/ match the Python tables (regenerate with export)."""
    assert stale_files() == [], "run: python -m lotse_lms.scorm.datamodel.export"
    write_files(tmp_path)
    assert json.loads((tmp_path / "datamodel-2004.json").read_text()) == json.loads(
        table_json("2004")
    )
    (tmp_path / "datamodel-12.json").write_text("{}")
    assert stale_files(tmp_path) == [tmp_path / "datamodel-12.json"]


@pytest.mark.parametrize("exit_value", ["normal", "", "time-out", "logout"])
def test_2004_attempt_ends_with_a_session_without_suspend(exit_value):
    """2004: a terminated session without suspend ends the learner attempt, even incomplete."""
    state = run_session(
        new_state("2004"),
        [("cmi.completion_status", "incomplete"), ("cmi.exit", exit_value)],
    )
    assert should_start_new_attempt(state)
    fresh = begin_session(next_attempt(state))
    assert fresh["values"]["cmi.entry"] == "ab-initio" and fresh["total_time_cs"] == 0


def test_2004_suspend_or_open_session_keeps_the_attempt():
    """2004: suspend keeps the attempt, and so does a session the SCO never terminated."""
    suspended = run_session(new_state("2004"), [("cmi.exit", "suspend")])
    assert not should_start_new_attempt(suspended)
    left_open = run_session(new_state("2004"), [("cmi.location", "p2")], terminate=False)
    assert not should_start_new_attempt(left_open)
