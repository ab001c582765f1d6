"""SCORM 2004 4th Edition run-time conformance in Q1 (issue 18, points 1-5): cmi.objectives
at launch, the primary objective's two paths, learner attempts that follow the sequencer,
suspendAll, value-equal read-back. Each test builds a small package and drives it like a
learner through navigation, the SCO's API calls and the commit path."""

import pytest
from conformance import Learner, build, item

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
