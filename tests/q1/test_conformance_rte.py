"""SCORM 2004 4th Edition run-time conformance in Q1 (issue 18, points 1-5): cmi.objectives
at launch, the primary objective's two paths, learner attempts that follow the sequencer,
suspendAll, value-equal read-back. Each test builds a small package and drives it like a
learner through navigation, the SCO's API calls and the commit path."""

import json

import pytest
from conformance import Learner, build, item

from lotse_lms.extensions import db
from lotse_lms.modules.q1 import tracking

FLOW = '<imsss:controlMode choice="true" flow="true"/>'


def objectives(primary, *others):
    """imsss:objectives: (id, map attributes) pairs, the primary first."""
    first_id, first_map = primary
    xml = f'<imsss:objectives><imsss:primaryObjective objectiveID="{first_id}">{first_map}'
    xml += "</imsss:primaryObjective>"
    for ident, mapping in others:
        xml += f'<imsss:objective objectiveID="{ident}">{mapping}</imsss:objective>'
    return xml + "</imsss:objectives>"


def map_info(target, **flags):
    """An imsss:mapInfo with the given read/write flags set to true."""
    attrs = "".join(f' {flag}="true"' for flag in flags)
    return f'<imsss:mapInfo targetObjectiveID="{target}"{attrs}/>'


@pytest.fixture
def learner(make_user):
    """A participant."""
    return make_user("participant", name="Lena Lotsin")


@pytest.fixture
def shared(tmp_path, learner):
    """w writes (and reads) the global objective g1 through its primary objective; r reads
    g1 through its second objective and has a third with no map."""
    writer = objectives(
        ("pw", map_info("urn:g1", readSatisfiedStatus=1, writeSatisfiedStatus=1,
                        writeNormalizedMeasure=1, readNormalizedMeasure=1)),
    )  # fmt: skip
    reader = objectives(
        ("pr", ""),
        ("o1", map_info("urn:g1", readSatisfiedStatus=1, readNormalizedMeasure=1)),
        ("o2", ""),
    )
    body = item("w", writer) + item("r", reader)
    return Learner(learner, build(tmp_path, "shared", body, FLOW))


def test_objectives_are_in_cmi_objectives_at_launch_with_their_status(shared):
    assert shared.nav("start") == "w"
    assert shared.objectives() == [("pw", "unknown", "unknown", None)]
    shared.terminate(("cmi.success_status", "passed"), ("cmi.score.scaled", "0.8"))
    assert shared.global_objective("urn:g1") == (True, 0.8)
    assert shared.nav("continue") == "r"
    # manifest order; o1 reads what w wrote into the global objective
    assert shared.objectives() == [
        ("pr", "unknown", "unknown", None),
        ("o1", "passed", "unknown", "0.8"),
        ("o2", "unknown", "unknown", None),
    ]
    # the SCO can now write its objectives' status: o2 failed, o1 untouched
    shared.terminate(("cmi.objectives.2.success_status", "failed"))
    assert shared.sequencer().objective_status("r")[2]["success_status"] == "failed"
    # a new attempt of w reads its own global objective back
    assert shared.nav("choice", "w") == "w"
    assert shared.objectives() == [("pw", "passed", "unknown", "0.8")]


def test_primary_objective_through_cmi_objectives_is_not_overwritten(tmp_path, learner):
    body = item("a", objectives(("pa", ""))) + item("b", objectives(("pb", "")))
    lea = Learner(learner, build(tmp_path, "primary", body, FLOW))
    assert lea.nav("start") == "a"
    # the SCO writes its primary objective only through cmi.objectives.0 (id "pa")
    lea.set(("cmi.objectives.0.success_status", "failed"))
    lea.terminate(("cmi.completion_status", "completed"))
    # cmi.success_status stayed "unknown": no overwrite, and no satisfied by default
    assert lea.status("a") == (True, False)
    assert lea.nav("continue") == "b"
    # set through both paths: cmi.success_status, set by the SCO, wins
    lea.set(("cmi.objectives.0.success_status", "passed"), ("cmi.success_status", "failed"))
    lea.terminate(("cmi.completion_status", "completed"))
    assert lea.status("b") == (True, False)
    assert lea.root()["satisfied"] is False


def one_sco(tmp_path, learner, ident="single"):
    """A package of two SCOs, flow and choice, no objectives named."""
    return Learner(learner, build(tmp_path, ident, item("a") + item("b"), FLOW))


@pytest.mark.parametrize("exit_value", ["normal", ""])
def test_a_session_without_suspend_ends_the_learner_attempt(tmp_path, learner, exit_value):
    lea = one_sco(tmp_path, learner)
    assert lea.nav("start") == "a"
    assert lea.get("cmi.entry") == "ab-initio"
    lea.terminate(
        ("cmi.location", "p3"),
        ("cmi.suspend_data", "seite=3"),
        ("cmi.completion_status", "incomplete"),
        ("cmi.session_time", "PT2M"),
        ("cmi.exit", exit_value),
    )
    assert lea.nav("choice", "a") == "a"
    # a new activity attempt: fresh run-time data, and the run-time counts it too
    assert lea.attempt.attempt == 2 == lea.sequencer().attempts("a")
    assert lea.attempts("a") == [1, 2]
    assert lea.get("cmi.entry") == "ab-initio"
    assert lea.get("cmi.total_time") == "PT0H0M0S"
    assert lea.get("cmi.location") == "" and lea.get("cmi.suspend_data") == ""
    assert lea.get("cmi.completion_status") == "unknown"


def test_suspend_keeps_the_attempt_and_resumes(tmp_path, learner):
    lea = one_sco(tmp_path, learner)
    lea.nav("start")
    lea.terminate(("cmi.location", "p3"), ("cmi.session_time", "PT2M"), ("cmi.exit", "suspend"))
    assert lea.status("a") == (None, None)  # a suspended attempt gets no LMS defaults
    assert lea.nav("continue") == "b"
    assert lea.nav("choice", "a") == "a"
    assert lea.attempt.attempt == 1 == lea.sequencer().attempts("a")
    assert lea.get("cmi.entry") == "resume" and lea.get("cmi.location") == "p3"
    assert lea.get("cmi.total_time") == "PT0H2M0S"


@pytest.mark.parametrize("exit_value", ["time-out", "logout"])
def test_time_out_and_logout_end_the_course(tmp_path, learner, exit_value):
    lea = one_sco(tmp_path, learner)
    lea.nav("start")
    result = lea.terminate(("cmi.location", "p3"), ("cmi.exit", exit_value))
    assert result["ok"] and result["nav_valid"]["continue"] == "false"
    seq = lea.sequencer()
    assert seq.current is None and seq.suspended is None  # exitAll: the course attempt ended
    assert lea.nav("start") == "a"
    assert lea.attempt.attempt == 2 and lea.get("cmi.entry") == "ab-initio"
    assert lea.get("cmi.location") == ""


def test_run_time_attempts_are_the_sequencers_attempts(tmp_path, learner):
    lea = one_sco(tmp_path, learner)
    lea.nav("start")
    for _ in range(4):
        lea.terminate(("cmi.completion_status", "incomplete"))
        lea.nav("choice", "a")
    assert lea.attempts("a") == [1, 2, 3, 4, 5]
    assert lea.sequencer().attempts("a") == 5 == lea.attempt.attempt


def test_suspend_all_from_the_sco_makes_the_next_launch_a_resume(tmp_path, learner):
    lea = one_sco(tmp_path, learner)
    lea.nav("start")
    lea.terminate(
        ("cmi.location", "p7"),
        ("cmi.completion_status", "incomplete"),
        ("cmi.exit", "normal"),
        ("adl.nav.request", "suspendAll"),
    )
    assert lea.nav("suspendAll") is None  # what the player sends for the SCO's request
    seq = lea.sequencer()
    assert seq.current is None and seq.suspended == "a"
    assert lea.nav("resumeAll") == "a"
    assert lea.attempt.attempt == 1
    assert lea.get("cmi.entry") == "resume" and lea.get("cmi.location") == "p7"
    assert lea.status("a") == (False, None)  # not turned into completed by end defaults


def test_values_read_back_value_equal(tmp_path, learner):
    lea = one_sco(tmp_path, learner)
    lea.nav("start")
    lea.set(("cmi.score.scaled", "0.50"), ("cmi.progress_measure", "1"))
    lea.terminate(("cmi.session_time", "PT1M"), ("cmi.exit", "suspend"))
    lea.nav("continue")
    lea.nav("choice", "a")
    assert lea.get("cmi.entry") == "resume"
    assert lea.get("cmi.total_time") == "PT0H1M0S"  # PT1M, value-equal
    assert float(lea.get("cmi.score.scaled")) == 0.5
    assert float(lea.get("cmi.progress_measure")) == 1.0


def test_a_sequencer_ahead_of_the_run_time_still_resumes(tmp_path, learner):
    """Registrations from before the attempts followed the sequencer: the sequencer may
    count more attempts than the run-time has rows; a resume keeps the row's attempt."""
    lea = one_sco(tmp_path, learner)
    lea.nav("start")
    lea.terminate(("cmi.location", "p3"), ("cmi.exit", "suspend"))
    lea.nav("continue")
    reg = tracking.registration_for(learner, lea.version, create=False)
    state = json.loads(json.dumps(reg.sequencing))
    state["activities"]["a"]["attempts"] = 5
    reg.sequencing = state
    db.session.commit()
    assert lea.sequencer().attempts("a") == 5
    assert lea.nav("choice", "a") == "a"
    assert lea.attempt.attempt == 1 and lea.get("cmi.entry") == "resume"
    lea.terminate(("cmi.exit", "normal"))
    assert lea.nav("choice", "a") == "a"  # a new attempt: numbered after the sequencer's
    assert lea.attempts("a") == [1, 6] and lea.get("cmi.entry") == "ab-initio"


def adlseq_map(objective_id, target, *flags):
    """adlseq:objectives with one objective mapped to ``target`` (completion / progress)."""
    attrs = "".join(f' {flag}="true"' for flag in flags)
    return (
        f'<adlseq:objectives><adlseq:objective objectiveID="{objective_id}">'
        f'<adlseq:mapInfo targetObjectiveID="{target}"{attrs}/>'
        "</adlseq:objective></adlseq:objectives>"
    )


def test_objectives_at_launch_carry_completion_and_progress_of_globals(tmp_path, learner):
    """Point 1, completion and progress: o1 of y reads what x's primary objective wrote into
    the global objective urn:c through adlseq map infos."""
    writer = objectives(("px", "")) + adlseq_map(
        "px", "urn:c", "writeCompletionStatus", "writeProgressMeasure"
    )
    reader = objectives(("py", ""), ("o1", "")) + adlseq_map(
        "o1", "urn:c", "readCompletionStatus", "readProgressMeasure"
    )
    lea = Learner(learner, build(tmp_path, "progress", item("x", writer) + item("y", reader), FLOW))
    assert lea.nav("start") == "x"
    assert lea.get("cmi.objectives.0.progress_measure") == ""
    lea.terminate(("cmi.completion_status", "incomplete"), ("cmi.progress_measure", "0.6"))
    assert lea.nav("continue") == "y"
    assert lea.objectives() == [
        ("py", "unknown", "unknown", None),
        ("o1", "unknown", "incomplete", None),
    ]
    assert float(lea.get("cmi.objectives.1.progress_measure")) == 0.6
    assert lea.get("cmi.objectives.0.progress_measure") == ""


def test_primary_objective_measure_through_cmi_objectives_is_not_overwritten(tmp_path, learner):
    """Point 2, the measure path: a score written only through cmi.objectives.0.score.scaled
    reaches the primary objective (and its global); cmi.score.scaled, never set, does not
    blank it. No status was written through either path, so the End Attempt Process sets
    the default satisfied (objectiveSetByContent="false", SN book UP.4)."""
    writer = objectives(("pa", map_info("urn:m", writeNormalizedMeasure=1, writeSatisfiedStatus=1)))
    lea = Learner(learner, build(tmp_path, "measure", item("a", writer) + item("b"), FLOW))
    assert lea.nav("start") == "a"
    lea.set(("cmi.objectives.0.score.scaled", "0.7"))
    lea.terminate(("cmi.completion_status", "completed"))
    assert lea.get("cmi.score.scaled") == ""
    assert lea.global_objective("urn:m") == (True, 0.7)
    assert lea.status("a") == (True, True)
    assert lea.nav("choice", "a") == "a"
    assert lea.objectives() == [("pa", "passed", "unknown", "0.7")]
