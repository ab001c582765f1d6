"""Commits built on the base the page sends back (PostgreSQL): one statement, never trusted.

Every accepted commit's answer carries the stored state as JSON text ("base"); the page's
next commit sends it back and the server replays on it instead of reading the row. These
tests check that this shortcut stores exactly what the read path would, and that a base
that is stale, made up or someone else's changes nothing.
"""

import json
import re
import time

import pytest
from q1_helpers import payload

from lotse_lms.extensions import db
from lotse_lms.modules.q1 import attempt_rows, tracking
from lotse_lms.modules.q1.models import ScoAttempt

G2004 = "RuntimeBasicCalls_SCORM20043rdEdition"


def commit(content, token, body):
    """POST a commit to the content origin; return (status, JSON answer)."""
    response = content.post(f"/scorm-content/commit/{token}", json=body)
    return response.status_code, response.json


def fresh(attempt):
    """Reload an attempt row."""
    db.session.expire_all()
    return db.session.get(ScoAttempt, attempt.id)


def on_postgres():
    """True when the suite runs on PostgreSQL (bases are a PostgreSQL shortcut)."""
    return db.engine.dialect.name == "postgresql"


@pytest.fixture
def learner(make_user):
    """A participant."""
    return make_user("participant", name="Lena Lotsin")


@pytest.fixture
def reads(monkeypatch):
    """Counts the reads of attempt rows (the statement a base saves)."""
    calls = []
    real = attempt_rows.read

    def counting(driver, attempt_id):
        calls.append(attempt_id)
        return real(driver, attempt_id)

    monkeypatch.setattr(attempt_rows, "read", counting)
    return calls


def test_answer_carries_the_stored_state(content, learner, import_fixture, launch):
    attempt, token = launch(learner, import_fixture(G2004))
    status, answer = commit(content, token, payload(attempt, [("cmi.location", "seite-2")]))
    assert status == 200
    row = fresh(attempt)
    if on_postgres():
        assert json.loads(answer["base"]) == row.state
    else:  # SQLite reads the row in-process: no base
        assert answer["base"] is None


def test_commit_on_base_is_stored_without_a_read(content, learner, import_fixture, launch, reads):
    attempt, token = launch(learner, import_fixture(G2004))
    first = payload(attempt, [("cmi.location", "seite-2")])
    _status, answer = commit(content, token, first)
    reads.clear()
    second = {
        **first,
        "sequence": first["sequence"] + 1,
        "calls": [["cmi.location", "seite-3"], ["cmi.suspend_data", "a" * 500]],
        "base": answer["base"],
    }
    status, answer = commit(content, token, second)
    assert status == 200 and answer["ok"] is True
    row = fresh(attempt)
    assert row.state["values"]["cmi.location"] == "seite-3"
    assert row.state["values"]["cmi.suspend_data"] == "a" * 500
    assert row.sequence == second["sequence"]
    assert reads == ([] if on_postgres() else [attempt.id])


def test_first_commit_on_the_launch_pages_base_needs_no_read(
    content, learner, import_fixture, launch, reads
):
    """The launch page's base is the text the row holds, so even the first commit of a
    session skips the read."""
    attempt, token = launch(learner, import_fixture(G2004))
    page = content.get(f"/scorm-content/launch/{token}").get_data(as_text=True)
    script = re.search(r'<script type="application/json" id="lotse-launch">(.*?)</script>', page)
    base = json.loads(script.group(1))["base"]
    if not on_postgres():
        assert base is None
        return
    stored = db.session.execute(
        db.text("SELECT state::text FROM q1_sco_attempts WHERE id = :id"), {"id": attempt.id}
    ).scalar_one()
    assert base == stored
    body = {**payload(attempt, [("cmi.location", "seite-2")]), "base": base}
    status, answer = commit(content, token, body)
    assert status == 200 and reads == []
    assert fresh(attempt).state["values"]["cmi.location"] == "seite-2"


def test_stale_base_falls_back_to_the_row(content, learner, import_fixture, launch, reads):
    """Commit and Terminate in flight together: the second was built on the older base."""
    attempt, token = launch(learner, import_fixture(G2004))
    start = payload(attempt, [("cmi.location", "seite-1")])
    _status, answer = commit(content, token, start)
    old_base = answer["base"]
    one = {**start, "sequence": start["sequence"] + 1, "calls": [["cmi.location", "seite-2"]]}
    assert commit(content, token, {**one, "base": old_base})[0] == 200
    two = {
        **one,
        "sequence": one["sequence"] + 1,
        "calls": [["cmi.location", "seite-2"], ["cmi.suspend_data", "weiter"]],
        "base": old_base,
    }
    reads.clear()
    status, answer = commit(content, token, two)
    assert status == 200
    row = fresh(attempt)
    assert row.sequence == two["sequence"]
    assert row.state["values"]["cmi.suspend_data"] == "weiter"
    assert reads == [attempt.id]  # the row decided
    if on_postgres():
        assert json.loads(answer["base"]) == row.state


def test_made_up_base_changes_nothing(content, learner, import_fixture, launch):
    """A page that forges its base (a score it never reached, a session still open) gets
    exactly what the stored state allows."""
    attempt, token = launch(learner, import_fixture(G2004))
    body = payload(attempt, [("cmi.location", "seite-1")])
    _status, answer = commit(content, token, body)
    stored = fresh(attempt).state
    forged = json.loads(json.dumps(stored))
    forged["values"]["cmi.score.raw"] = "100"
    forged["values"]["cmi.success_status"] = "passed"
    status, _answer = commit(
        content,
        token,
        {
            **body,
            "sequence": body["sequence"] + 1,
            "calls": [["cmi.location", "seite-2"]],
            "base": json.dumps(forged),
        },
    )
    assert status == 200
    row = fresh(attempt)
    assert row.state["values"]["cmi.location"] == "seite-2"
    assert "cmi.score.raw" not in row.state["values"]
    assert (row.success, row.score_raw) == ("unknown", None)

    # After Terminate, a base claiming the session is still open does not reopen it.
    ended = {**body, "sequence": body["sequence"] + 2, "calls": [], "terminated": True}
    assert commit(content, token, ended)[0] == 200
    reopened = fresh(attempt).state
    reopened = {**reopened, "session_open": True}
    late = {
        **body,
        "sequence": body["sequence"] + 3,
        "calls": [["cmi.location", "seite-9"]],
        "base": json.dumps(reopened),
    }
    status, answer = commit(content, token, late)
    assert (status, answer["error"]) == (409, "session_closed")
    assert fresh(attempt).state["values"]["cmi.location"] == "seite-2"


@pytest.mark.parametrize("base", ["", "not json", "[1, 2]", '{"version": "2004"}', 17, {}])
def test_malformed_bases_are_ignored(content, learner, import_fixture, launch, base):
    attempt, token = launch(learner, import_fixture(G2004))
    body = {**payload(attempt, [("cmi.location", "seite-4")]), "base": base}
    status, answer = commit(content, token, body)
    assert (status, answer["ok"]) == (200, True)
    assert fresh(attempt).state["values"]["cmi.location"] == "seite-4"


def test_base_of_another_learner_is_not_used(content, learner, make_user, import_fixture, launch):
    version = import_fixture(G2004)
    other = make_user("participant", name="Otto Anders")
    mine, my_token = launch(learner, version)
    theirs, their_token = launch(other, version)
    body = payload(theirs, [("cmi.suspend_data", "geheim")])
    _status, answer = commit(content, their_token, body)
    their_base = answer["base"] or json.dumps(fresh(theirs).state)
    status, _answer = commit(
        content, my_token, {**payload(mine, [("cmi.location", "seite-5")]), "base": their_base}
    )
    assert status == 200
    row = fresh(mine)
    assert row.state["values"]["cmi.location"] == "seite-5"
    assert "cmi.suspend_data" not in row.state["values"]
    assert row.state["values"]["cmi.learner_name"] == "Lena Lotsin"
    assert fresh(theirs).state["values"]["cmi.suspend_data"] == "geheim"


def test_status_change_on_base_rolls_up_the_registration(content, learner, import_fixture, launch):
    version = import_fixture(G2004)
    attempt, token = launch(learner, version)
    body = payload(attempt, [("cmi.location", "seite-1")])
    _status, answer = commit(content, token, body)
    assert tracking.registration_for(learner, version, create=False).completed is False
    done = {
        **body,
        "sequence": body["sequence"] + 1,
        "calls": [["cmi.completion_status", "completed"], ["cmi.success_status", "passed"]],
        "base": answer["base"],
    }
    status, answer = commit(content, token, done)
    assert status == 200
    row = fresh(attempt)
    assert (row.completion, row.success) == ("completed", "passed")
    registration = tracking.registration_for(learner, version, create=False)
    db.session.refresh(registration)
    assert (registration.completed, registration.passed) == (True, True)


@pytest.mark.config(SCORM_COMMIT_BASE_MAX_BYTES=200)
def test_large_states_get_no_base(content, learner, import_fixture, launch):
    attempt, token = launch(learner, import_fixture(G2004))
    status, answer = commit(content, token, payload(attempt, [("cmi.suspend_data", "x" * 300)]))
    assert status == 200 and answer["base"] is None


def test_token_expires_between_commits(content, learner, import_fixture, launch, monkeypatch, app):
    attempt, token = launch(learner, import_fixture(G2004))
    body = payload(attempt, [("cmi.location", "seite-1")])
    assert commit(content, token, body)[0] == 200
    later = time.time() + app.config["SCORM_TOKEN_MAX_AGE"] + 60
    monkeypatch.setattr("lotse_lms.modules.q1.tokens.time.time", lambda: later)
    status, answer = commit(content, token, {**body, "sequence": body["sequence"] + 1})
    assert (status, answer["error"]) == (401, "token_expired")
