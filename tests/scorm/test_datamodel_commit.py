"""apply_commit: the server replays a browser commit and refuses what it must not accept."""

import pytest

from lotse_lms.scorm.datamodel import apply_commit, begin_session, new_state


@pytest.fixture
def state():
    """A launched SCORM 2004 attempt (session 1, sequence 0)."""
    return begin_session(new_state("2004", {"learner_id": "u1"}))


def payload(**changes):
    """A valid commit payload for the fixture state, with changes applied."""
    base = {
        "protocol": 1,
        "version": "2004",
        "attempt": 1,
        "session": 1,
        "sequence": 1,
        "calls": [["cmi.location", "p1"]],
        "terminated": False,
        "unload": False,
    }
    return dict(base, **changes)


def test_accepts_and_advances_sequence(state):
    """A good payload is applied and its sequence stored; the session stays open."""
    new, result = apply_commit(state, payload())
    assert result == {"ok": True, "sequence": 1, "applied": 1, "session_ended": False}
    assert new["values"]["cmi.location"] == "p1" and new["session_open"]
    assert "cmi.location" not in state["values"]  # the input is not changed


@pytest.mark.parametrize(
    "changes,error",
    [
        ({"protocol": 2}, "bad_payload"),
        ({"sequence": "2"}, "bad_payload"),
        ({"calls": [["cmi.location"]]}, "bad_payload"),
        ({"calls": [["cmi.location", 5]]}, "bad_payload"),
        ({"terminated": "yes"}, "bad_payload"),
        ({"version": "1.2"}, "wrong_version"),
        ({"attempt": 2}, "wrong_attempt"),
        ({"session": 0}, "stale_session"),
        ({"sequence": 0}, "stale_sequence"),
        ({"calls": [["cmi.location", "x"]] * 3}, "too_many_calls"),
    ],
)
def test_refusals(state, changes, error):
    """Malformed, foreign, stale and oversized payloads are refused without change."""
    new, result = apply_commit(state, payload(**changes), {"max_calls": 2})
    assert result["ok"] is False and result["error"] == error and result["detail"]
    assert new == state


def test_invalid_call_refuses_the_whole_commit(state):
    """One call the model refuses rejects the commit, naming index, element and code."""
    calls = [["cmi.location", "p1"], ["cmi.credit", "no-credit"]]
    new, result = apply_commit(state, payload(calls=calls))
    assert (result["error"], result["index"], result["element"], result["code"]) == (
        "invalid_call",
        1,
        "cmi.credit",
        "404",
    )
    assert new == state


def test_replay_is_idempotent_and_terminate_closes(state):
    """Resending acknowledged calls is harmless; after terminated commits are refused."""
    calls = [
        ["cmi.objectives.0.id", "o1"],
        ["cmi.interactions.0.id", "q"],
        ["cmi.interactions.0.type", "choice"],
        ["cmi.interactions.0.correct_responses.0.pattern", "a"],
    ]
    first, _ = apply_commit(state, payload(calls=calls))
    second, result = apply_commit(first, payload(sequence=2, calls=calls, terminated=True))
    assert result["ok"] and result["session_ended"]
    assert second["values"]["cmi.objectives._count"] == "1"
    assert second["values"]["cmi.interactions.0.correct_responses._count"] == "1"
    _, closed = apply_commit(second, payload(sequence=3))
    assert closed["error"] == "session_closed"


def test_suspend_data_limit_from_config_is_enforced():
    """A configured suspend_data limit is never exceeded and never cut silently."""
    state = begin_session(new_state("1.2", {"suspend_data_limit": 5}))
    base = payload(version="1.2", calls=[["cmi.suspend_data", "123456"]])
    new, result = apply_commit(state, base)
    assert result["code"] == "405" and new == state
