"""SCORM 2004 4th Edition sequencing conformance in Q1 (issue 18, points 6-15). Each test
builds a small package and drives it like a learner through navigation, the SCO's API
calls and the commit path, and checks delivered activities, statuses and rollup."""

import pytest
from conformance import Learner, build, item

FLOW = '<imsss:controlMode choice="true" flow="true"/>'
PASSED = (("cmi.completion_status", "completed"), ("cmi.success_status", "passed"))
FAILED = (("cmi.completion_status", "completed"), ("cmi.success_status", "failed"))


def primary(ident, maps="", others=""):
    """imsss:objectives with a primary objective (its map infos) and further objectives."""
    return (
        f'<imsss:objectives><imsss:primaryObjective objectiveID="{ident}">{maps}'
        f"</imsss:primaryObjective>{others}</imsss:objectives>"
    )


def map_info(target, *flags):
    """An imsss:mapInfo; every read/write flag off except the ones named."""
    names = (
        "readSatisfiedStatus",
        "readNormalizedMeasure",
        "writeSatisfiedStatus",
        "writeNormalizedMeasure",
    )
    attrs = "".join(f' {name}="{"true" if name in flags else "false"}"' for name in names)
    return f'<imsss:mapInfo targetObjectiveID="{target}"{attrs}/>'


@pytest.fixture
def user(make_user):
    """A participant."""
    return make_user("participant", name="Lena Lotsin")


def course(tmp_path, user, body, org_sequencing=FLOW, org_attrs="", name="kurs"):
    """A learner of a package built from ``body``."""
    return Learner(user, build(tmp_path, name, body, org_sequencing, org_attrs))


def test_6_a_global_objective_change_rolls_up_the_readers_clusters(tmp_path, user):
    writes = primary("pa", map_info("urn:g", "writeSatisfiedStatus"))
    reads = primary("pb", map_info("urn:g", "readSatisfiedStatus"))
    body = item("A", FLOW, item("a1", writes)) + item("B", FLOW, item("b1", reads))
    lea = course(tmp_path, user, body)
    assert lea.nav("start") == "a1"
    lea.terminate(*PASSED)
    # b1 reads the global a1 wrote: B (never entered) and the root roll up at once
    assert lea.status("b1") == (None, True)
    assert lea.status("B") == (None, True)
    assert lea.root()["satisfied"] is True


def test_7_default_rollup_waits_for_every_known_status(tmp_path, user):
    content_sets = (
        '<imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/>'
    )
    lea = course(tmp_path, user, item("a") + item("b", content_sets))
    assert lea.nav("start") == "a"
    lea.terminate(*FAILED)
    assert lea.nav("continue") == "b"
    lea.terminate(("cmi.exit", "normal"))  # attempted, but status and completion unknown
    assert lea.status("b") == (None, None)
    # not "not satisfied" / "incomplete" while a child's status is unknown
    assert (lea.root()["satisfied"], lea.root()["completed"]) == (None, None)
    assert lea.nav("choice", "b") == "b"
    lea.terminate(*PASSED)
    # every status known, not all satisfied: not satisfied; all completed: completed
    assert (lea.root()["satisfied"], lea.root()["completed"]) == (False, True)


def test_7_default_rollup_incomplete_once_every_completion_is_known(tmp_path, user):
    content_sets = '<imsss:deliveryControls completionSetByContent="true"/>'
    lea = course(tmp_path, user, item("a") + item("b", content_sets))
    assert lea.nav("start") == "a"
    lea.terminate(("cmi.completion_status", "completed"))
    assert lea.nav("continue") == "b"
    lea.terminate(("cmi.exit", "normal"))  # b's completion unknown
    assert lea.status("b")[0] is None and lea.root()["completed"] is None
    assert lea.nav("choice", "b") == "b"
    lea.terminate(("cmi.completion_status", "incomplete"))
    # every completion known, one incomplete: the course is incomplete
    assert lea.root()["completed"] is False


def test_8_all_with_no_contributing_child_holds(tmp_path, user):
    rules = (
        '<imsss:rollupRules><imsss:rollupRule childActivitySet="all">'
        '<imsss:rollupConditions><imsss:rollupCondition condition="satisfied"/>'
        '</imsss:rollupConditions><imsss:rollupAction action="satisfied"/>'
        "</imsss:rollupRule></imsss:rollupRules>"
    )
    silent = '<imsss:rollupRules rollupObjectiveSatisfied="false"/>'
    body = item("C", FLOW + rules, item("c1", silent) + item("c2", silent))
    lea = course(tmp_path, user, body)
    assert lea.nav("start") == "c1"
    lea.terminate(*FAILED)
    # RB.1.4: an empty bag holds no False and no Unknown, so "all" holds
    assert lea.status("C")[1] is True


def test_9_completed_by_measure_follows_the_progress_measure(tmp_path, user):
    threshold = '<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.8"/>'
    lea = course(tmp_path, user, item("a", extra=threshold) + item("b", extra=threshold))
    assert lea.nav("start") == "a"
    lea.terminate(("cmi.completion_status", "completed"), ("cmi.progress_measure", "0.5"))
    assert lea.status("a")[0] is False
    assert lea.nav("continue") == "b"
    lea.terminate(("cmi.completion_status", "incomplete"), ("cmi.progress_measure", "0.9"))
    assert lea.status("b")[0] is True
    assert lea.nav("choice", "a") == "a"
    lea.terminate(("cmi.completion_status", "completed"))  # no progress measure
    assert lea.status("a")[0] is None


def test_10_completed_condition_reads_the_referenced_objective(tmp_path, user):
    writes = primary("px") + (
        '<adlseq:objectives><adlseq:objective objectiveID="px">'
        '<adlseq:mapInfo targetObjectiveID="urn:done" writeCompletionStatus="true"/>'
        "</adlseq:objective></adlseq:objectives>"
    )
    skip_done = (
        "<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>"
        '<imsss:ruleCondition referencedObjective="o2" condition="completed"/>'
        '</imsss:ruleConditions><imsss:ruleAction action="skip"/></imsss:preConditionRule>'
        "</imsss:sequencingRules>"
    )
    reads = (
        skip_done
        + primary("py", others='<imsss:objective objectiveID="o2"/>')
        + '<adlseq:objectives><adlseq:objective objectiveID="o2">'
        '<adlseq:mapInfo targetObjectiveID="urn:done" readCompletionStatus="true"/>'
        "</adlseq:objective></adlseq:objectives>"
    )
    lea = course(tmp_path, user, item("x", writes) + item("y", reads) + item("z"))
    assert lea.nav("start") == "x"
    lea.terminate(("cmi.completion_status", "incomplete"))
    assert lea.nav("continue") == "y"  # o2 incomplete: no skip
    lea.terminate(("cmi.completion_status", "incomplete"))
    assert lea.nav("choice", "x") == "x"
    lea.terminate(("cmi.completion_status", "completed"))
    # o2 (read from x's global) completed: y is skipped, though y's own attempt is not
    assert lea.nav("continue") == "z"
    assert lea.status("y")[0] is False


def test_10_activity_progress_known_reads_the_referenced_objective(tmp_path, user):
    """activityProgressKnown on a referenced objective: known as soon as the objective's
    completion status is known, also when it is incomplete (unlike "completed")."""
    content_sets = '<imsss:deliveryControls completionSetByContent="true"/>'
    writes = (
        content_sets
        + primary("px")
        + (
            '<adlseq:objectives><adlseq:objective objectiveID="px">'
            '<adlseq:mapInfo targetObjectiveID="urn:done" writeCompletionStatus="true"/>'
            "</adlseq:objective></adlseq:objectives>"
        )
    )
    skip_known = (
        "<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>"
        '<imsss:ruleCondition referencedObjective="o2" condition="activityProgressKnown"/>'
        '</imsss:ruleConditions><imsss:ruleAction action="skip"/></imsss:preConditionRule>'
        "</imsss:sequencingRules>"
    )
    reads = (
        skip_known
        + primary("py", others='<imsss:objective objectiveID="o2"/>')
        + '<adlseq:objectives><adlseq:objective objectiveID="o2">'
        '<adlseq:mapInfo targetObjectiveID="urn:done" readCompletionStatus="true"/>'
        "</adlseq:objective></adlseq:objectives>"
    )
    lea = course(tmp_path, user, item("x", writes) + item("y", reads) + item("z"))
    assert lea.nav("start") == "x"
    lea.terminate(("cmi.exit", "normal"))  # x's completion stays unknown
    assert lea.status("x")[0] is None
    assert lea.nav("continue") == "y"  # o2's progress unknown: no skip
    lea.terminate(*PASSED)
    assert lea.nav("choice", "x") == "x"
    lea.terminate(("cmi.completion_status", "incomplete"))
    assert lea.nav("continue") == "z"  # o2 incomplete, but known: y is skipped


def test_11_untracked_activities_contribute_unknown(tmp_path, user):
    writes = primary("pa", map_info("urn:g", "writeSatisfiedStatus"))
    untracked = '<imsss:deliveryControls tracked="false"/>' + primary(
        "pb", map_info("urn:g", "readSatisfiedStatus")
    )
    lea = course(tmp_path, user, item("a", writes) + item("b", untracked))
    assert lea.nav("start") == "a"
    lea.terminate(*PASSED)
    assert lea.nav("continue") == "b"
    lea.terminate(*PASSED)
    # b reads no global and keeps no status; it leaves the root's status unknown
    assert lea.status("b") == (None, None)
    assert lea.root()["satisfied"] is None and lea.root()["completed"] is None


@pytest.mark.parametrize("request_", ["abandon", "abandonAll"])
def test_12_abandon_runs_no_end_of_attempt_processing(tmp_path, user, request_):
    """abandon (not only abandonAll): what the SCO wrote is neither rolled up nor written
    into the global objective, and the activity's next delivery is a new attempt."""
    writes = primary("pa", map_info("urn:g", "writeSatisfiedStatus"))
    lea = course(tmp_path, user, item("a", writes) + item("b"))
    assert lea.nav("start") == "a"
    lea.set(("adl.nav.request", request_))
    lea.terminate(*PASSED)
    assert lea.nav(request_) is None
    assert lea.global_objective("urn:g") is None
    assert lea.status("a") == (None, None) and lea.root()["satisfied"] is None
    assert lea.nav("choice" if request_ == "abandon" else "start", "a") == "a"
    assert lea.attempt.attempt == 2 and lea.get("cmi.entry") == "ab-initio"


def test_13_course_scoped_globals_reset_with_a_new_course_attempt(tmp_path, user):
    writes = primary("pa", map_info("urn:g", "writeSatisfiedStatus"))
    reads = primary("pb", map_info("urn:g", "readSatisfiedStatus"))
    scoped = ' adlseq:objectivesGlobalToSystem="false"'
    lea = course(tmp_path, user, item("a", writes) + item("b", reads), org_attrs=scoped)
    assert lea.nav("start") == "a"
    lea.terminate(*PASSED)
    assert lea.status("b") == (None, True)
    assert lea.nav("exitAll") is None
    assert lea.sequencer().state["globals"]["urn:g"]["satisfied"] is True  # kept till then
    assert lea.nav("start") == "a"
    assert lea.status("b") == (None, None)
    assert lea.global_objective("urn:g") is None  # never the learner's system-wide one


def test_14_objective_ids_compare_after_whitespace_collapse(tmp_path, user):
    writes = primary("pa", map_info("urn:lotse:\n    ziel  eins ", "writeSatisfiedStatus"))
    reads = primary(
        " pb ",
        others=f'<imsss:objective objectiveID="\tgelesen ">'
        f"{map_info('urn:lotse: ziel eins', 'readSatisfiedStatus')}</imsss:objective>",
    )
    skip = (
        "<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>"
        '<imsss:ruleCondition referencedObjective=" gelesen" condition="satisfied"/>'
        '</imsss:ruleConditions><imsss:ruleAction action="skip"/></imsss:preConditionRule>'
        "</imsss:sequencingRules>"
    )
    lea = course(tmp_path, user, item("a", writes) + item("b", skip + reads) + item("c"))
    assert lea.nav("start") == "a"
    lea.terminate(*PASSED)
    assert lea.nav("continue") == "c"  # b's objective read the global: b skipped
    statuses = lea.sequencer().objective_status("b")
    assert [s["id"] for s in statuses] == ["pb", "gelesen"]


@pytest.mark.parametrize("use_current, kept", [("true", None), ("false", True)])
def test_15_a_new_cluster_attempt_and_earlier_child_data(tmp_path, user, use_current, kept):
    control = (
        '<imsss:controlMode choice="true" flow="true" '
        f'useCurrentAttemptObjectiveInfo="{use_current}" '
        f'useCurrentAttemptProgressInfo="{use_current}"/>'
    )
    retry = (
        "<imsss:sequencingRules><imsss:postConditionRule><imsss:ruleConditions>"
        '<imsss:ruleCondition condition="always"/></imsss:ruleConditions>'
        '<imsss:ruleAction action="retry"/></imsss:postConditionRule></imsss:sequencingRules>'
    )
    body = item("C", control, item("c1") + item("c2", retry))
    lea = course(tmp_path, user, body)
    assert lea.nav("start") == "c1"
    lea.terminate(*PASSED)
    assert lea.nav("continue") == "c2"
    lea.terminate(*PASSED)
    # c2's retry is a new attempt of c2 only: C and c1 keep theirs
    assert lea.nav("continue") == "c2"
    assert lea.sequencer().attempts("C") == 1 and lea.status("c1") == (True, True)
    lea.terminate(*PASSED)
    assert lea.nav("exitAll") is None
    # a new attempt of C: c1's data of C's earlier attempt counts only with "false"
    assert lea.nav("start") == "c1"
    assert lea.sequencer().attempts("C") == 2
    assert lea.status("c2") == (kept, kept)


@pytest.mark.parametrize(
    "use_current, kept", [("true", (None, None)), ("false", (True, False))], ids=["true", "false"]
)
def test_15_a_cluster_retry_is_a_new_cluster_attempt(tmp_path, user, use_current, kept):
    """A retry of a cluster (its post-condition, reached by c2's exitParent) begins a new
    attempt of the cluster: its children's earlier information counts only with
    useCurrentAttempt*Info="false"."""
    control = (
        '<imsss:controlMode choice="true" flow="true" '
        f'useCurrentAttemptObjectiveInfo="{use_current}" '
        f'useCurrentAttemptProgressInfo="{use_current}"/>'
    )
    retry_unsatisfied = (
        "<imsss:sequencingRules><imsss:postConditionRule><imsss:ruleConditions>"
        '<imsss:ruleCondition operator="not" condition="satisfied"/></imsss:ruleConditions>'
        '<imsss:ruleAction action="retry"/></imsss:postConditionRule></imsss:sequencingRules>'
    )
    exit_parent = (
        "<imsss:sequencingRules><imsss:postConditionRule><imsss:ruleConditions>"
        '<imsss:ruleCondition condition="always"/></imsss:ruleConditions>'
        '<imsss:ruleAction action="exitParent"/></imsss:postConditionRule>'
        "</imsss:sequencingRules>"
    )
    body = item("C", control + retry_unsatisfied, item("c1") + item("c2", exit_parent))
    lea = course(tmp_path, user, body)
    assert lea.nav("start") == "c1"
    lea.terminate(*FAILED)
    assert lea.nav("continue") == "c2"
    lea.terminate(*FAILED)
    assert lea.nav("continue") == "c1"  # c2 exits C, C is not satisfied: C is retried
    seq = lea.sequencer()
    assert seq.attempts("C") == 2 and seq.attempts("c1") == 2 and seq.attempts("c2") == 1
    assert lea.status("c2") == kept
