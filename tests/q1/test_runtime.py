"""The commit endpoint: tokens, validation, stale writes, resume, attempts, limits."""

import json

import pytest
from q1_helpers import origin, payload

from lotse_lms.extensions import db
from lotse_lms.modules.q1 import tracking
from lotse_lms.modules.q1.models import ScoAttempt

G12 = "RuntimeBasicCalls_SCORM12"
G2004 = "RuntimeBasicCalls_SCORM20043rdEdition"


def commit(content, token, body, **kwargs):
    """POST a commit to the content origin."""
    return content.post(f"/scorm-content/commit/{token}", json=body, **kwargs)


def fresh(attempt):
    """Reload an attempt row."""
    db.session.expire_all()
    return db.session.get(ScoAttempt, attempt.id)


@pytest.fixture
def learner(make_user):
    """A participant."""
    return make_user("participant", name="Lena Lotsin")


def test_commit_stores_values_and_summary(content, learner, import_fixture, launch):
    version = import_fixture(G12)
    attempt, token = launch(learner, version)
    assert attempt.state["values"]["cmi.core.entry"] == "ab-initio"
    assert attempt.state["values"]["cmi.core.student_name"] == "Lena Lotsin"
    body = payload(
        attempt,
        [
            ("cmi.core.lesson_location", "p3"),
            ("cmi.core.score.raw", "85"),
            ("cmi.core.lesson_status", "passed"),
            ("cmi.core.session_time", "00:01:30"),
        ],
        terminated=True,
    )
    response = commit(content, token, body)
    assert response.status_code == 200 and response.json["ok"] is True
    assert response.headers["Cache-Control"] == "no-store"
    row = fresh(attempt)
    assert row.state["values"]["cmi.core.lesson_location"] == "p3"
    assert (row.completion, row.success, row.score_raw, row.total_time_seconds) == (
        "completed",
        "passed",
        85.0,
        90.0,
    )
    assert row.sequence == body["sequence"]
    reg = tracking.registration_for(learner, version, create=False)
    assert (reg.completed, reg.passed, reg.score) == (True, True, 85.0)


def test_send_beacon_text_plain_accepted(content, learner, import_fixture, launch):
    version = import_fixture(G2004)
    attempt, token = launch(learner, version)
    body = payload(attempt, [("cmi.location", "seite-7")], unload=True)
    response = content.post(
        f"/scorm-content/commit/{token}",
        data=json.dumps(body),
        content_type="text/plain;charset=UTF-8",
    )
    assert response.status_code == 200
    row = fresh(attempt)
    assert row.state["values"]["cmi.location"] == "seite-7" and row.state["session_open"]


@pytest.mark.parametrize("token", ["", "x", "WzEsMSwxLCJpdGVtXzEiLDFd.AAAAAA.forged"])
def test_bad_tokens_refused(content, learner, import_fixture, launch, token):
    version = import_fixture(G12)
    attempt, _good = launch(learner, version)
    body = payload(attempt, [("cmi.core.lesson_location", "x")])
    response = commit(content, token or "-", body, base_url=origin(version))
    assert response.status_code == 403 and response.json["error"] == "token_invalid"
    assert response.json["message"].startswith("Der Startlink dieser Lerneinheit ist ungültig")
    assert "cmi.core.lesson_location" not in fresh(attempt).state["values"]


@pytest.mark.config(SCORM_TOKEN_MAX_AGE=-1)
def test_expired_token_refused(content, learner, import_fixture, launch):
    version = import_fixture(G12)
    attempt, token = launch(learner, version)
    response = commit(content, token, payload(attempt, [("cmi.core.lesson_location", "x")]))
    assert response.status_code == 401 and "abgelaufen" in response.json["message"]
    assert content.get(f"/scorm-content/launch/{token}").status_code == 403


def test_token_writes_only_its_own_attempt(content, learner, make_user, import_fixture, launch):
    version = import_fixture(G12)
    other = make_user("participant")
    mine, my_token = launch(learner, version)
    theirs, _their_token = launch(other, version)
    # Whatever the payload says, a token writes only into the attempt it was issued for.
    response = commit(content, my_token, payload(theirs, [("cmi.core.lesson_location", "hacked")]))
    assert response.status_code == 200
    assert "cmi.core.lesson_location" not in fresh(theirs).state["values"]
    assert fresh(mine).state["values"]["cmi.core.lesson_location"] == "hacked"


@pytest.mark.parametrize(
    ("calls", "element", "code"),
    [
        ([("cmi.core.lesson_status", "fertig")], "cmi.core.lesson_status", "405"),
        ([("cmi.core.student_id", "x")], "cmi.core.student_id", "403"),
        ([("cmi.core.score.raw", "101")], "cmi.core.score.raw", "405"),
        ([("cmi.core.lesson_location", "ok"), ("cmi.nonsense", "1")], "cmi.nonsense", "401"),
    ],
)
def test_invalid_calls_refused_as_a_whole(
    content, learner, import_fixture, launch, calls, element, code
):
    version = import_fixture(G12)
    attempt, token = launch(learner, version)
    response = commit(content, token, payload(attempt, calls))
    assert response.status_code == 422
    assert (response.json["error"], response.json["element"], response.json["code"]) == (
        "invalid_call",
        element,
        code,
    )
    assert response.json["message"].startswith("Die Lerneinheit hat ungültige Daten gesendet")
    row = fresh(attempt)
    assert (
        "cmi.core.lesson_location" not in row.state["values"] and row.sequence == attempt.sequence
    )


def test_malformed_bodies_refused(content, learner, import_fixture, launch):
    version = import_fixture(G12)
    attempt, token = launch(learner, version)
    assert (
        content.post(
            f"/scorm-content/commit/{token}", data="{kaputt", content_type="application/json"
        ).status_code
        == 400
    )
    assert commit(content, token, {"protocol": 1}).status_code == 422
    wrong = dict(payload(attempt, []), version="2004")
    assert commit(content, token, wrong).json["error"] == "wrong_version"


@pytest.mark.config(SCORM_COMMIT_MAX_BYTES=1000)
def test_oversized_commit_refused(content, learner, import_fixture, launch):
    version = import_fixture(G12)
    attempt, token = launch(learner, version)
    response = commit(content, token, payload(attempt, [("cmi.suspend_data", "x" * 2000)]))
    assert response.status_code == 413
    assert "cmi.suspend_data" not in fresh(attempt).state["values"]


def test_stale_sequence_refused(content, learner, import_fixture, launch):
    version = import_fixture(G12)
    attempt, token = launch(learner, version)
    base = attempt.sequence
    first = payload(attempt, [("cmi.core.lesson_location", "neu")], sequence=base + 2)
    older = payload(attempt, [("cmi.core.lesson_location", "alt")], sequence=base + 1)
    assert commit(content, token, first).status_code == 200
    response = commit(content, token, older)
    assert response.status_code == 409 and response.json["error"] == "stale_sequence"
    assert response.json["message"]
    assert fresh(attempt).state["values"]["cmi.core.lesson_location"] == "neu"


def test_two_tabs_older_tab_refused(content, learner, import_fixture, launch):
    version = import_fixture(G2004)
    tab1, token1 = launch(learner, version)
    tab1_state = dict(tab1.state)
    tab2, token2 = launch(learner, version)
    assert tab1.id == tab2.id and tab2.state["session"] == tab1_state["session"] + 1
    old = {
        "protocol": 1,
        "version": "2004",
        "attempt": tab1_state["attempt"],
        "session": tab1_state["session"],
        "sequence": tab1_state["sequence"] + 1,
        "calls": [["cmi.location", "tab1"]],
        "terminated": False,
    }
    response = commit(content, token1, old)
    assert response.status_code == 409 and response.json["error"] == "stale_session"
    assert "anderen Fenster" in response.json["message"]
    assert (
        commit(content, token2, payload(fresh(tab2), [("cmi.location", "tab2")])).status_code == 200
    )
    assert fresh(tab2).state["values"]["cmi.location"] == "tab2"


def test_resume_entry_and_total_time_12(content, learner, import_fixture, launch):
    version = import_fixture(G12)
    attempt, token = launch(learner, version)
    calls = [
        ("cmi.core.lesson_location", "p2"),
        ("cmi.suspend_data", "A" * 4096),
        ("cmi.core.exit", "suspend"),
        ("cmi.core.session_time", "00:10:00"),
    ]
    assert commit(content, token, payload(attempt, calls, terminated=True)).status_code == 200
    again, token2 = launch(learner, version)
    values = again.state["values"]
    assert again.attempt == 1 and values["cmi.core.entry"] == "resume"
    assert values["cmi.core.lesson_location"] == "p2" and len(values["cmi.suspend_data"]) == 4096
    assert values["cmi.core.total_time"] == "0000:10:00.00"
    body = payload(
        again,
        [
            ("cmi.core.session_time", "00:05:00"),
            ("cmi.core.lesson_status", "incomplete"),
            ("cmi.core.exit", ""),
        ],
        terminated=True,
    )
    assert commit(content, token2, body).status_code == 200
    third, _token3 = launch(learner, version)
    assert third.state["values"]["cmi.core.entry"] == "" and third.total_time_seconds == 900
    assert third.attempt == 1


def test_finish_without_status_completes_and_next_launch_starts_new_attempt_12(
    content, learner, import_fixture, launch
):
    version = import_fixture(G12)
    attempt, token = launch(learner, version)
    assert commit(content, token, payload(attempt, [], terminated=True)).status_code == 200
    assert fresh(attempt).completion == "completed"
    second, _token = launch(learner, version)
    assert second.attempt == 2 and second.state["values"]["cmi.core.entry"] == "ab-initio"


def test_suspend_data_limit_12(content, learner, import_fixture, launch):
    version = import_fixture(G12)
    attempt, token = launch(learner, version)
    response = commit(content, token, payload(attempt, [("cmi.suspend_data", "B" * 4097)]))
    assert response.status_code == 422 and response.json["element"] == "cmi.suspend_data"


@pytest.mark.config(SCORM12_SUSPEND_DATA_MAX=20000)
def test_suspend_data_limit_configurable(content, learner, import_fixture, launch):
    version = import_fixture(G12)
    attempt, token = launch(learner, version)
    assert attempt.state["limits"]["suspend_data"] == 20000
    assert (
        commit(content, token, payload(attempt, [("cmi.suspend_data", "C" * 20000)])).status_code
        == 200
    )
    assert len(fresh(attempt).state["values"]["cmi.suspend_data"]) == 20000


def test_suspend_data_2004_64000(content, learner, import_fixture, launch):
    version = import_fixture(G2004)
    attempt, token = launch(learner, version)
    assert (
        commit(content, token, payload(attempt, [("cmi.suspend_data", "D" * 64000)])).status_code
        == 200
    )
    assert len(fresh(attempt).state["values"]["cmi.suspend_data"]) == 64000


def test_new_attempt_after_normal_exit_of_completed_2004(content, learner, import_fixture, launch):
    version = import_fixture(G2004)
    attempt, token = launch(learner, version)
    calls = [
        ("cmi.completion_status", "completed"),
        ("cmi.success_status", "passed"),
        ("cmi.score.scaled", "0.9"),
        ("cmi.exit", "normal"),
        ("cmi.session_time", "PT2M"),
    ]
    assert commit(content, token, payload(attempt, calls, terminated=True)).status_code == 200
    second, token2 = launch(learner, version)
    assert second.id != attempt.id and second.attempt == 2
    assert second.state["values"]["cmi.entry"] == "ab-initio"
    assert "cmi.completion_status" not in second.state["values"]
    # the old token now names an older attempt: refused
    late = payload(fresh(attempt), [("cmi.location", "x")])
    assert commit(content, token, late).status_code == 409
    reg = tracking.registration_for(learner, version, create=False)
    assert (reg.completed, reg.passed, reg.score) == (True, True, 90.0)  # best attempt counts


def test_suspended_completed_attempt_resumes(content, learner, import_fixture, launch):
    version = import_fixture(G2004)
    attempt, token = launch(learner, version)
    calls = [("cmi.completion_status", "completed"), ("cmi.exit", "suspend")]
    assert commit(content, token, payload(attempt, calls, terminated=True)).status_code == 200
    again, _token = launch(learner, version)
    assert again.id == attempt.id and again.state["values"]["cmi.entry"] == "resume"


def test_unload_without_finish_keeps_data_and_session_time(
    content, learner, import_fixture, launch
):
    version = import_fixture(G12)
    attempt, token = launch(learner, version)
    body = payload(
        attempt,
        [("cmi.core.lesson_location", "p9"), ("cmi.core.session_time", "00:00:42")],
        unload=True,
    )
    assert commit(content, token, body).status_code == 200
    # the SCO's own unload handler may still call LMSFinish afterwards: accepted
    later = payload(fresh(attempt), [], terminated=True)
    assert commit(content, token, later).status_code == 200
    row = fresh(attempt)
    assert row.state["values"]["cmi.core.lesson_location"] == "p9" and row.total_time_seconds == 42
    assert row.completion == "completed"  # LMSFinish without a status: completed (1.2 rule)


def test_score_after_status_counts_12(content, learner, import_fixture, launch):
    version = import_fixture(G12)
    version.toc[0]["settings"] = {"mastery_score": 80}
    entry_id = version.entries()[0]["id"]
    from sqlalchemy.orm.attributes import flag_modified

    flag_modified(version, "toc")
    db.session.commit()
    attempt, token = launch(learner, version, entry_id)
    assert attempt.state["values"]["cmi.student_data.mastery_score"] == "80"
    calls = [("cmi.core.lesson_status", "completed"), ("cmi.core.score.raw", "75")]
    assert commit(content, token, payload(attempt, calls)).status_code == 200
    row = fresh(attempt)
    assert (row.completion, row.success) == ("completed", "failed")
    reg = tracking.registration_for(learner, version, create=False)
    assert (reg.completed, reg.passed) == (True, False)


def test_commit_and_terminate_arriving_together_both_count(app, learner, import_fixture, launch):
    """A page sends Commit and Terminate back to back; whichever the server stores first,
    the terminate's data is kept and no 'conflict' reaches the page."""
    import threading

    version = import_fixture(G2004)
    for round_ in range(12):
        attempt, token = launch(learner, version)
        base = attempt.sequence
        calls = [("cmi.location", f"r{round_}"), ("cmi.exit", "suspend")]
        bodies = [
            payload(attempt, calls[:1], sequence=base + 1),
            payload(attempt, calls, sequence=base + 2, terminated=True),
        ]
        barrier, statuses = threading.Barrier(2), {}
        threads = [
            threading.Thread(
                target=_post_at_once,
                args=(app, origin(version), token, bodies, i, barrier, statuses),
            )
            for i in (0, 1)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses[1] == (200, None), statuses
        assert statuses[0] in ((200, None), (409, "stale_sequence"), (409, "session_closed"))
        row = fresh(attempt)
        assert row.state["values"]["cmi.location"] == f"r{round_}" and not row.state["session_open"]


def _post_at_once(app, base_url, token, bodies, index, barrier, statuses):
    """Send bodies[index] to the commit endpoint as soon as the other thread is ready."""
    client = app.test_client()
    barrier.wait()
    response = client.post(f"/scorm-content/commit/{token}", json=bodies[index], base_url=base_url)
    statuses[index] = (response.status_code, response.json.get("error"))


@pytest.mark.config(SCORM_STATE_MAX_BYTES=40_000)
def test_state_cannot_grow_past_its_limit(content, learner, import_fixture, launch):
    version = import_fixture(G2004)
    attempt, token = launch(learner, version)
    first = payload(attempt, [("cmi.suspend_data", "a" * 30_000)])
    assert commit(content, token, first).status_code == 200
    row = fresh(attempt)
    calls = [(f"cmi.interactions.{n}.id", f"frage-{n:03}-" + "x" * 200) for n in range(60)]
    response = commit(content, token, payload(row, calls))
    assert response.status_code == 413 and response.json["error"] == "state_too_large"
    assert "mehr Daten gesendet" in response.json["message"]
    assert fresh(attempt).state == row.state  # nothing of the refused commit is kept
