"""Rollup, objectives, global objective scopes and the run-time data mapping."""

from __future__ import annotations

import json

import pytest

from lotse_lms.scorm.sequencing import Sequencer
from tests.scorm.sequencing_fixtures import harness as h

BASICS = "org.example.basics"


def learner(name: str, shared: dict | None = None):
    """A fresh learner on a hand-written fixture manifest."""
    return h.Learner(h.fixture_tree(name), shared)


def visit(lea, outcomes: dict) -> None:
    """Choose each item in turn and end it with the given run-time data."""
    for item, data in outcomes.items():
        assert lea.nav("choice", item).deliver == item
        lea.finish(item, data)


def test_rollup_rule_at_least_count():
    """atLeastCount: satisfied once two children are satisfied."""
    lea = learner("rollup_rules")
    visit(lea, {"a": h.PASSED})
    assert lea.root()["satisfied"] is None  # one is not enough, and "none" does not hold
    visit(lea, {"b": h.FAILED})
    assert lea.root()["satisfied"] is None
    visit(lea, {"c": h.PASSED})
    assert lea.root()["satisfied"] is True


def test_rollup_rule_none():
    """none: not satisfied once every child is known not satisfied."""
    lea = learner("rollup_rules")
    visit(lea, {"a": h.FAILED, "b": h.FAILED})
    assert lea.root()["satisfied"] is None  # c is still unknown
    visit(lea, {"c": h.FAILED})
    assert lea.root()["satisfied"] is False


def test_rollup_rule_any_completed_replaces_the_default_pair():
    """A completed rule replaces both default completion rules."""
    lea = learner("rollup_rules")
    incomplete = {"completion_status": "incomplete"}
    visit(lea, {"a": incomplete, "b": incomplete, "c": incomplete})
    # the default "incomplete" rule is left out because the pair has a "completed" rule
    assert lea.root()["completed"] is None
    visit(lea, {"b": {"completion_status": "completed"}})
    assert lea.root()["completed"] is True


def test_default_rollup_rules():
    """The default rollup rules when an activity defines none."""
    lea = learner("choice_only")
    visit(lea, {"a": h.PASSED, "b": h.FAILED})
    assert lea.root() == {"completed": None, "satisfied": None, "measure": None}
    visit(lea, {"c": {"completion_status": "incomplete", "success_status": "unknown"}})
    # every child attempted: not satisfied and incomplete until all are satisfied / completed
    assert lea.root() == {"completed": False, "satisfied": False, "measure": None}
    visit(lea, {"b": h.PASSED, "c": h.PASSED})
    assert lea.root() == {"completed": True, "satisfied": True, "measure": None}


def test_measure_rollup_by_weight():
    """The measure rolls up as the weighted mean, and satisfies the root by measure."""
    lea = learner("measure")
    visit(lea, {"heavy": {"score_scaled": 0.3}})
    # the light item's weight counts although its measure is unknown yet: 0.3 / 1.5
    assert lea.root()["measure"] == pytest.approx(0.2)
    assert lea.root()["satisfied"] is False
    visit(lea, {"light": {"score_scaled": 1.0}, "ignored": {"score_scaled": -1.0}})
    assert lea.root()["measure"] == pytest.approx((0.3 + 0.5) / 1.5)
    assert lea.root()["satisfied"] is False
    visit(lea, {"heavy": {"score_scaled": 0.9}})
    assert lea.root()["measure"] == pytest.approx((0.9 + 0.5) / 1.5)
    assert lea.root()["satisfied"] is True


def test_objectives_global_to_system_reads_shared_and_reports_changes():
    """System-wide globals are read from shared and written to shared_changes."""
    tree = h.fixture_tree("globals_system")
    assert tree["objectives_global_to_system"] is True
    fresh = h.Learner(tree)
    assert fresh.toc()["advanced"]["disabled"] is True
    # a global objective the learner satisfied in another course unlocks it at once
    known = h.Learner(tree, {BASICS: {"satisfied": True, "measure": 0.8}})
    assert known.toc()["advanced"]["disabled"] is False
    assert known.nav("choice", "advanced").deliver == "advanced"

    fresh.nav("start")
    fresh.finish("intro", {"score_scaled": 0.75, "progress_measure": 1.0})
    assert fresh.written == {
        BASICS: {"satisfied": True, "measure": 0.75, "completion": "completed", "progress": 1.0}
    }
    assert fresh.state["globals"] == {}
    assert fresh.nav("continue").deliver == "advanced"


def test_objectives_scoped_to_the_registration():
    """objectivesGlobalToSystem=false keeps globals in the state and ignores shared."""
    tree = h.fixture_tree("globals_registration")
    assert tree["objectives_global_to_system"] is False
    lea = h.Learner(tree, {BASICS: {"satisfied": True, "measure": 0.8}})
    assert lea.toc()["advanced"]["disabled"] is True  # the system-wide value is not read
    lea.nav("start")
    lea.finish("intro", {"score_scaled": 0.25})
    assert lea.written == {}
    assert lea.state["globals"][BASICS]["satisfied"] is False
    assert lea.state["globals"][BASICS]["measure"] == 0.25
    assert lea.nav("continue").error == "SB.2.2-2"
    assert lea.nav("choice", "intro").deliver == "intro"
    lea.finish("intro", {"score_scaled": 0.5})
    assert lea.state["globals"][BASICS]["satisfied"] is True
    assert lea.nav("continue").deliver == "advanced"


def test_satisfied_by_measure_overrides_the_reported_success():
    """satisfiedByMeasure decides satisfaction from the measure, not success_status."""
    lea = learner("globals_registration")
    lea.nav("start")
    lea.report("intro", success_status="passed", score_scaled=0.1)
    assert lea.toc()["intro"]["satisfied"] is False
    lea.report("intro", success_status="failed", score_scaled=0.9)
    assert lea.toc()["intro"]["satisfied"] is True
    assert lea.state["globals"][BASICS]["measure"] == 0.9
    lea.report("intro", score_scaled=None)
    # the local measure is unknown again, but the read map finds the global's value
    assert lea.activity("intro")["objectives"]["intro"]["measure_known"] is False
    assert lea.toc()["intro"]["satisfied"] is True


def test_lms_sets_completion_and_satisfaction_the_content_left_out():
    """Delivery controls false: the LMS completes and satisfies what the content left unknown."""
    lea = learner("choice_only")  # deliveryControls all default (set by the LMS)
    lea.nav("choice", "a")
    lea.report("a", completion_status="unknown")
    assert lea.toc()["a"]["completed"] is None  # the attempt is still under way
    lea.finish("a", {})
    assert (lea.toc()["a"]["completed"], lea.toc()["a"]["satisfied"]) == (True, True)
    # values the content did set are kept
    lea.nav("choice", "b")
    lea.finish("b", {"completion_status": "incomplete", "success_status": "failed"})
    assert (lea.toc()["b"]["completed"], lea.toc()["b"]["satisfied"]) == (False, False)


def test_content_set_status_stays_unknown_when_not_reported():
    """objectiveSetByContent: an unreported status stays unknown."""
    lea = learner("post_rules")  # objectiveSetByContent="true" on the quiz
    lea.nav("start")
    lea.finish("quiz", {"completion_status": "completed"})
    assert lea.toc()["quiz"]["satisfied"] is None


def test_cmi_objectives_map_to_activity_objectives():
    """cmi.objectives entries map to the activity objectives with the same ID."""
    lea = learner("skip")
    lea.nav("start")
    lea.finish(
        "pretest",
        {
            "completion_status": "completed",
            "objectives": [
                {"id": "pretest-passed", "success_status": "passed", "score_scaled": 0.8},
                {"id": "not-in-the-manifest", "success_status": "failed"},
            ],
        },
    )
    record = lea.activity("pretest")["objectives"]["pretest-passed"]
    assert (record["known"], record["satisfied"], record["measure"]) == (True, True, 0.8)
    assert set(lea.activity("pretest")["objectives"]) == {"pretest-passed"}
    assert lea.written["skip.mastered"]["satisfied"] is True


def test_report_ignores_unknown_and_undelivered_items():
    """report() ignores unknown and never delivered items."""
    seq = Sequencer(h.fixture_tree("choice_only"))
    before = seq.state
    assert seq.report("nowhere", h.PASSED) is False
    assert seq.report("b", h.PASSED) is False
    assert seq.state == before


def test_new_attempt_of_a_cluster_forgets_the_children_of_the_last_one():
    """useCurrentAttemptProgressInfo: a new cluster attempt forgets its children's progress."""
    lea = learner("cluster_no_choice")
    assert lea.nav("choice", "m").deliver == "m1"
    lea.finish("m1", h.PASSED)
    assert lea.nav("continue").deliver == "m2"
    lea.finish("m2", h.PASSED)
    assert lea.toc()["m"]["completed"] is True
    assert lea.nav("continue").deliver == "outro"
    assert lea.nav("choice", "m").deliver == "m1"
    assert lea.activity("m")["attempts"] == 2
    # useCurrentAttemptProgressInfo: m2's completion belonged to the previous attempt of m
    assert lea.toc()["m2"]["completed"] is None


def test_state_is_plain_json_between_calls():
    """The state survives JSON between calls and gives the same answers."""
    tree = h.fixture_tree("post_rules")
    seq = Sequencer(tree)
    assert seq.navigate("start").deliver == "quiz"
    text = json.dumps(seq.state)
    again = Sequencer(json.loads(json.dumps(tree)), json.loads(text))
    assert again.current == "quiz"
    assert again.report("quiz", {**h.PASSED, "session_ended": True})
    assert json.loads(json.dumps(again.state)) == again.state
    assert again.navigate("continue").deliver == "final"
    assert again.available() == Sequencer(tree, json.loads(json.dumps(again.state))).available()


def test_a_late_commit_keeps_the_lms_defaults():
    """A commit after the attempt ended keeps the LMS defaults for unknown values."""
    lea = learner("choice_only")
    lea.nav("choice", "a")
    assert lea.nav("choice", "b").deliver == "b"  # a ended by the LMS: completed, satisfied
    lea.report("a", completion_status="unknown", success_status="unknown", score_scaled=0.4)
    entry = lea.toc()["a"]
    assert (entry["completed"], entry["satisfied"]) == (True, True)
    assert lea.activity("a")["objectives"][""]["measure"] == 0.4
    lea.report("a", completion_status="incomplete", session_ended=True)
    assert lea.toc()["a"]["completed"] is False
    assert lea.current == "b" and lea.activity("b")["active"] is True


def test_completion_read_from_a_global_objective():
    """adlseq readCompletionStatus takes completion from a global objective."""
    tree = h.fixture_tree("globals_system")
    advanced = tree["root"]["children"][1]["seq"]
    advanced["objectives"][0]["maps"].append(
        {
            "target": "org.example.advanced",
            "readSatisfiedStatus": False,
            "readNormalizedMeasure": False,
            "writeSatisfiedStatus": False,
            "writeNormalizedMeasure": False,
            "readCompletionStatus": True,
            "readProgressMeasure": True,
            "writeCompletionStatus": False,
            "writeProgressMeasure": False,
        }
    )
    shared = {"org.example.advanced": {"completion": "completed", "progress": 1.0}}
    seq = Sequencer(tree, None, shared)
    assert seq.toc()["advanced"]["completed"] is True
    assert Sequencer(tree).toc()["advanced"]["completed"] is None
