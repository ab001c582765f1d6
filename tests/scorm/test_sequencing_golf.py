"""The sequencing engine on Rustici's golf sample packages and on the manifest parser."""

from __future__ import annotations

import json

import pytest

from lotse_lms.scorm.sequencing import NAV_REQUESTS
from tests.scorm.sequencing_fixtures import harness as h

FORCED = "SequencingForcedSequential_SCORM20043rdEdition"
ONE_FILE = "ContentPackagingOneFilePerSCO_SCORM20043rdEdition"
GOLF_ITEMS = ["playing_item", "etuqiette_item", "handicapping_item", "havingfun_item"]
QUIZ = "assessment_item"


@pytest.fixture
def forced():
    """A learner on the forced sequential golf course."""
    return h.Learner(h.package_tree(FORCED))


def test_tree_merges_the_collection_and_fills_defaults():
    """build_tree merges the sequencingCollection entry and fills SCORM defaults."""
    tree = h.package_tree(FORCED)
    assert tree["objectives_global_to_system"] is False
    assert json.loads(json.dumps(tree)) == tree
    root = tree["root"]
    assert root["seq"]["controlMode"]["choice"] and root["seq"]["controlMode"]["flow"]
    assert [c["item"] for c in root["children"]] == [*GOLF_ITEMS, QUIZ]
    etiquette = root["children"][1]["seq"]
    # from the collection entry: weight 0 and delivery controls set by content
    assert etiquette["rollupRules"]["objectiveMeasureWeight"] == 0
    assert etiquette["deliveryControls"] == {
        "tracked": True,
        "completionSetByContent": True,
        "objectiveSetByContent": True,
    }
    # the item's own elements: a disabled precondition and two objectives with maps
    (rule,) = etiquette["sequencingRules"]["pre"]
    assert rule["action"] == "disabled" and rule["combination"] == "any"
    assert [c["operator"] for c in rule["conditions"]] == ["not", "not"]
    assert [o["id"] for o in etiquette["objectives"]] == [
        "etiquette_satisfied",
        "previous_sco_satisfied",
    ]
    (read,) = etiquette["objectives"][1]["maps"]
    assert read["readSatisfiedStatus"] and not read["writeSatisfiedStatus"]
    assert etiquette["controlMode"]["choiceExit"] is True  # default
    assert etiquette["limitConditions"]["attemptLimit"] is None


def test_scorm_12_has_no_tree():
    """SCORM 1.2 packages have no activity tree."""
    assert h.package_tree("RuntimeBasicCalls_SCORM12") is None
    assert h.package_tree("ContentPackagingSingleSCO_SCORM12") is None


def test_forced_sequential_start(forced):
    """At the start only the first SCO is selectable; a disabled one is refused."""
    assert forced.selectable() == ["playing_item"]
    toc = forced.toc()
    assert toc["handicapping_item"] == {
        "hidden": False,
        "disabled": True,
        "selectable": False,
        "completed": None,
        "satisfied": None,
    }
    refused = forced.nav("choice", "handicapping_item")
    assert (refused.ok, refused.error, refused.deliver) == (False, "DB.1.1-3", None)
    assert forced.state is None or forced.state["current"] is None
    available = forced.available()
    assert set(available) == set(NAV_REQUESTS)
    assert available["start"] and not available["resumeAll"] and not available["continue"]
    assert forced.nav("continue").error == "NB.2.1-2"
    assert forced.nav("resumeAll").error == "NB.2.1-3"


def test_forced_sequential_global_objective_unlocks_the_next(forced):
    """A passed SCO writes its global objective and unlocks the next through mapInfo."""
    assert forced.nav("choice", "playing_item").deliver == "playing_item"
    assert forced.current == "playing_item"
    assert forced.selectable() == ["playing_item"]
    forced.finish("playing_item", h.PASSED)
    # the primary objective wrote the global, the etiquette item reads it through mapInfo
    (written,) = forced.state["globals"].values()
    assert written["satisfied"] is True
    assert forced.selectable() == ["playing_item", "etuqiette_item"]
    assert forced.toc()["etuqiette_item"]["disabled"] is False
    assert forced.toc()["playing_item"]["satisfied"] is True


def test_forced_sequential_flows_and_rolls_up(forced):
    """continue flows in order; the course rolls up only when all five are done."""
    assert forced.nav("start").deliver == "playing_item"
    for item, following in zip(GOLF_ITEMS, [*GOLF_ITEMS[1:], QUIZ], strict=True):
        forced.finish(item, h.PASSED)
        assert forced.root() == {"completed": None, "satisfied": None, "measure": None}
        result = forced.nav("continue")
        assert (result.ok, result.deliver) == (True, following)
    assert forced.available()["previous"]
    forced.finish(QUIZ, h.PASSED, score_scaled=0.9)
    assert forced.root() == {"completed": True, "satisfied": True, "measure": None}
    end = forced.nav("continue")
    assert (end.ok, end.ended, end.deliver) == (True, True, None)
    assert forced.current is None
    assert forced.root()["satisfied"] is True


def test_forced_sequential_failed_quiz_is_not_satisfied(forced):
    """A failed quiz leaves the course completed but not satisfied."""
    forced.nav("start")
    for item in GOLF_ITEMS:
        forced.finish(item, h.PASSED)
        forced.nav("continue")
    forced.finish(QUIZ, h.FAILED)
    assert forced.root() == {"completed": True, "satisfied": False, "measure": None}


def test_forced_sequential_suspend_and_resume(forced):
    """suspendAll then resumeAll delivers the suspended SCO in the same attempt."""
    forced.nav("start")
    forced.finish("playing_item", h.PASSED)
    forced.nav("continue")
    forced.report("etuqiette_item", completion_status="incomplete")
    suspended = forced.nav("suspendAll")
    assert (suspended.ok, suspended.ended) == (True, True)
    seq = forced.sequencer()
    assert (seq.current, seq.suspended) == (None, "etuqiette_item")
    assert forced.available()["resumeAll"]
    resumed = forced.nav("resumeAll")
    assert resumed.deliver == "etuqiette_item"
    # resuming continues the same attempt
    assert forced.activity("etuqiette_item")["attempts"] == 1
    assert forced.sequencer().suspended is None


def test_a_fresh_start_clears_the_suspended_activity(forced):
    """start is allowed after suspendAll and forgets the suspended activity."""
    forced.nav("start")
    forced.nav("suspendAll")
    assert forced.available()["start"] is True
    assert forced.nav("start").deliver == "playing_item"
    assert forced.sequencer().suspended is None


def test_sco_suspending_itself_resumes_its_attempt(forced):
    """cmi.exit=suspend keeps the attempt open; a normal exit starts a new one."""
    forced.nav("start")
    forced.finish("playing_item", {"completion_status": "incomplete"}, exit="suspend")
    assert forced.activity("playing_item")["suspended"] is True
    assert forced.nav("choice", "playing_item").deliver == "playing_item"
    assert forced.activity("playing_item")["attempts"] == 1
    forced.finish("playing_item", h.PASSED)
    assert forced.nav("choice", "playing_item").deliver == "playing_item"
    assert forced.activity("playing_item")["attempts"] == 2


def test_exit_all_ends_the_session(forced):
    """exitAll ends every attempt and the session."""
    forced.nav("start")
    result = forced.nav("exitAll")
    assert (result.ok, result.ended) == (True, True)
    assert forced.current is None
    assert not any(a["active"] for a in forced.state["activities"].values())
    assert forced.nav("exitAll").error == "NB.2.1-2"


ONE_FILE_LEAVES = [
    "playing_playing_item",
    "playing_par_item",
    "playing_scoring_item",
    "playing_otherscoring_item",
    "playing_rules_item",
    "playing_quiz_item",
]


def test_one_file_per_sco_choice_and_flow():
    """Without sequencing, choice works, flow does not, assets complete when left."""
    learner = h.Learner(h.package_tree(ONE_FILE))
    # no sequencing in the manifest: choice is on, flow is off (SCORM defaults)
    assert learner.nav("start").error == "SB.2.2-1"
    # the 18 leaves can be chosen; a cluster cannot, as flow into it is off
    assert len(learner.selectable()) == 18
    assert learner.nav("choice", "playing_item").error == "SB.2.9-9"
    assert learner.nav("choice", "playing_par_item").deliver == "playing_par_item"
    assert learner.nav("continue").error == "NB.2.1-4"
    assert learner.nav("previous").error == "NB.2.1-5"
    assert learner.nav("choice", "etiquette_course_item").deliver == "etiquette_course_item"
    # the assets never report; the LMS completes them when their attempts end
    assert learner.toc()["playing_par_item"]["completed"] is True
    assert learner.toc()["playing_item"]["completed"] is None


def test_one_file_per_sco_root_completes_after_everything():
    """The course completes once every asset was visited."""
    tree = h.package_tree(ONE_FILE)
    learner = h.Learner(tree)
    leaves = [c["item"] for top in tree["root"]["children"] for c in top["children"]]
    assert len(leaves) == 18
    for item in leaves:
        assert learner.nav("choice", item).deliver == item
        assert learner.root()["completed"] is not True
    assert learner.nav("exitAll").ended
    assert learner.root() == {"completed": True, "satisfied": True, "measure": None}
    assert all(entry["completed"] for entry in learner.toc().values())


def test_second_edition_single_sco():
    """A 2nd edition single SCO package is sequenced with the defaults."""
    tree = h.package_tree("ContentPackagingSingleSCO_SCORM20042ndEdition")
    assert tree["edition"] == "2004 2nd Edition"
    learner = h.Learner(tree)
    # no sequencing at all: flow is off, so start finds nothing; choice works
    assert learner.nav("start").error == "SB.2.2-1"
    assert learner.selectable() == ["item_1"]
    assert learner.nav("choice", "item_1").deliver == "item_1"
    learner.finish("item_1", {"completion_status": "completed"})
    assert learner.nav("exitAll").ended
    assert learner.root() == {"completed": True, "satisfied": True, "measure": None}
