"""Control modes, sequencing rules, limit conditions and constrained choice."""

from __future__ import annotations

import pytest

from tests.scorm.sequencing_fixtures import harness as h


def learner(name: str):
    """A fresh learner on a hand-written fixture manifest."""
    return h.Learner(h.fixture_tree(name))


def test_flow_off_refuses_continue_and_previous_but_allows_choice():
    """With flow off (the default) only choice navigates; continue and previous are refused."""
    lea = learner("choice_only")
    assert lea.nav("start").error == "SB.2.2-1"
    assert lea.selectable() == ["a", "b", "c"]
    assert lea.nav("choice", "b").deliver == "b"
    assert lea.nav("continue").error == "NB.2.1-4"
    assert lea.nav("previous").error == "NB.2.1-5"
    available = lea.available()
    assert not available["continue"] and not available["previous"]
    assert available["exit"] and available["exitAll"] and available["suspendAll"]
    assert lea.nav("choice", "c").deliver == "c"
    assert lea.activity("b")["active"] is False and lea.activity("b")["attempts"] == 1
    assert lea.nav("choice", "nowhere").error == "NB.2.1-11"
    assert lea.nav("fly").error == "NB.2.1-13"


def test_choice_off_in_a_cluster():
    """A cluster with choice off refuses choice of its children but flows through them."""
    lea = learner("cluster_no_choice")
    assert lea.selectable() == ["intro", "m", "outro"]
    assert lea.nav("choice", "m2").error == "NB.2.1-10"
    assert lea.nav("choice", "m").deliver == "m1"
    assert lea.toc()["m2"]["selectable"] is False
    assert lea.nav("continue").deliver == "m2"
    assert lea.nav("previous").deliver == "m1"
    # jump ignores control modes, delivery checks still apply
    assert lea.available()["jump"]["m2"] is True
    assert lea.nav("jump", "m2").deliver == "m2"
    assert lea.nav("jump", "m").error == "DB.1.1-1"
    assert lea.nav("continue").deliver == "outro"


def test_forward_only_refuses_previous():
    """forwardOnly refuses previous and backward choice."""
    lea = learner("forward_only")
    assert lea.nav("start").deliver == "a"
    assert lea.nav("continue").deliver == "b"
    assert lea.nav("previous").error == "NB.2.1-5"
    assert lea.nav("choice", "a").error == "SB.2.4-2"
    assert lea.nav("choice", "c").deliver == "c"
    assert lea.available()["previous"] is False


def test_skip_precondition_during_flow():
    """A skip precondition reading a global objective skips the lesson in flow only."""
    skipped = learner("skip")
    assert skipped.nav("start").deliver == "pretest"
    skipped.finish("pretest", h.PASSED)
    assert skipped.nav("continue").deliver == "summary"
    assert skipped.nav("previous").deliver == "pretest"
    # choice is not flow: the skipped lesson can still be chosen
    assert skipped.nav("choice", "lesson").deliver == "lesson"

    taught = learner("skip")
    taught.nav("start")
    taught.finish("pretest", h.FAILED)
    assert taught.nav("continue").deliver == "lesson"


def test_hidden_from_choice_and_invisible_items():
    """hiddenFromChoice refuses choice; isvisible=false only hides from the TOC; flow reaches both."""
    lea = learner("hidden")
    toc = lea.toc()
    assert (toc["a"]["hidden"], toc["b"]["hidden"], toc["c"]["hidden"]) == (False, True, True)
    assert toc["c"]["selectable"] is True  # isvisible only hides it from the TOC
    assert lea.nav("choice", "b").error == "SB.2.9-3"
    assert lea.nav("start").deliver == "a"
    assert lea.nav("continue").deliver == "b"
    assert lea.nav("continue").deliver == "c"
    assert lea.nav("continue").ended


def test_attempt_limit_refuses_a_second_attempt():
    """attemptLimit=1 disables the activity once its attempt ended."""
    lea = learner("attempt_limit")
    assert lea.nav("start").deliver == "exam"
    assert lea.toc()["exam"]["disabled"] is False  # the first attempt is under way
    lea.finish("exam", h.FAILED)
    assert lea.toc()["exam"] == {
        "hidden": False,
        "disabled": True,
        "selectable": False,
        "completed": True,
        "satisfied": False,
    }
    assert lea.nav("continue").deliver == "after"
    assert lea.nav("choice", "exam").error == "DB.1.1-3"
    assert lea.nav("previous").error == "SB.2.2-2"
    assert lea.activity("exam")["attempts"] == 1


def test_post_condition_retry_and_exit_all():
    """Post condition rules: retry until passed, exitAll after the final item."""
    lea = learner("post_rules")
    assert lea.nav("start").deliver == "quiz"
    lea.finish("quiz", h.FAILED)
    # continue is replaced by the post condition's retry: a new attempt on the quiz
    assert lea.nav("continue").deliver == "quiz"
    assert lea.activity("quiz")["attempts"] == 2
    assert lea.activity("org")["attempts"] == 1  # the course attempt goes on
    assert lea.toc()["quiz"]["satisfied"] is None
    lea.finish("quiz", h.PASSED)
    assert lea.nav("continue").deliver == "final"
    lea.finish("final", h.PASSED)
    # the bonus item is never reached: exitAll ends the session
    result = lea.nav("continue")
    assert (result.ok, result.ended, result.deliver) == (True, True, None)
    assert lea.activity("bonus")["attempts"] == 0
    assert lea.root()["completed"] is None  # bonus never attempted


def test_exit_without_post_rules_keeps_the_session():
    """exit ends the attempt of a leaf without ending the session."""
    lea = learner("choice_only")
    lea.nav("choice", "a")
    result = lea.nav("exit")
    assert (result.ok, result.ended, result.deliver) == (True, False, None)
    assert lea.current == "a" and lea.activity("a")["active"] is False
    assert lea.nav("exit").error == "NB.2.1-12"
    assert lea.nav("choice", "b").deliver == "b"


def test_abandon_and_abandon_all():
    """abandon deactivates without LMS defaults; abandonAll ends the session."""
    lea = learner("forward_only")
    lea.nav("start")
    assert lea.nav("abandon").ok
    # abandon does not end the attempt: no completion is set by the LMS
    assert lea.toc()["a"]["completed"] is None
    assert lea.nav("continue").deliver == "b"
    result = lea.nav("abandonAll")
    assert (result.ok, result.ended) == (True, True)
    assert lea.current is None


def test_stop_forward_traversal():
    """stopForwardTraversal refuses forward choice until the gate is satisfied."""
    lea = learner("stop_forward")
    assert lea.nav("start").deliver == "gate"
    assert lea.nav("choice", "c").error == "SB.2.4-1"
    assert lea.nav("choice", "b").error == "SB.2.4-1"
    assert lea.selectable() == ["gate"]
    # flow is not affected by stopForwardTraversal
    assert lea.available()["continue"] is True
    lea.finish("gate", h.PASSED)
    assert lea.selectable() == ["gate", "b", "c"]
    assert lea.nav("choice", "c").deliver == "c"


def test_constrained_choice_and_prevent_activation():
    """constrainChoice, preventActivation and choiceExit on clusters."""
    lea = learner("constrained")
    assert lea.nav("start").deliver == "m1a"
    # m1 constrains choice to the next module; m3 refuses to be activated by choice
    assert lea.available()["choice"] == {
        "m1": True,
        "m1a": True,
        "m1b": True,
        "m2": True,
        "m2a": True,
        "m3": False,
        "m3a": False,
        "end": False,
    }
    assert lea.nav("choice", "end").error == "SB.2.9-8"
    assert lea.nav("choice", "m3a").error == "SB.2.9-8"
    assert lea.nav("choice", "m2a").deliver == "m2a"
    assert lea.nav("choice", "m3a").error == "SB.2.9-6"
    assert lea.nav("continue").deliver == "m3a"
    # m3 does not let choice leave it; flow still does
    assert lea.nav("choice", "m1a").error == "NB.2.1-8"
    lea.finish("m3a", h.PASSED)
    assert lea.nav("choice", "m1a").error == "NB.2.1-8"  # m3 itself is still active
    assert lea.nav("continue").deliver == "end"
    assert lea.nav("choice", "m1a").deliver == "m1a"


@pytest.mark.parametrize("name", ["choice_only", "constrained", "post_rules"])
def test_available_matches_navigate(name):
    """available() says exactly what navigate() then accepts."""
    lea = learner(name)
    lea.nav(
        "choice", "a" if name == "choice_only" else ("m1a" if name == "constrained" else "quiz")
    )
    available = lea.available()
    for request in ("continue", "previous", "exit", "suspendAll"):
        probe = h.Learner(lea.tree)
        probe.state = h.roundtrip(lea.state)
        assert probe.nav(request).ok is available[request], request
    for item, allowed in available["choice"].items():
        probe = h.Learner(lea.tree)
        probe.state = h.roundtrip(lea.state)
        assert probe.nav("choice", item).ok is allowed, item


def test_exit_parent_post_condition():
    """An exitParent post condition leaves the module; continue goes on after it."""
    lea = learner("exit_rules")
    assert lea.nav("start").deliver == "m1"
    lea.finish("m1", h.PASSED)
    # exitParent ends module m, and the continue goes on after it
    assert lea.nav("continue").deliver == "n1"
    assert lea.activity("m")["active"] is False
    assert lea.activity("m2")["attempts"] == 0

    failed = learner("exit_rules")
    failed.nav("start")
    failed.finish("m1", h.FAILED)
    assert failed.nav("continue").deliver == "m2"


def test_exit_action_rule_leaves_the_cluster():
    """An exit action rule on a cluster ends it once it is satisfied."""
    lea = learner("exit_rules")
    assert lea.nav("choice", "n1").deliver == "n1"
    lea.finish("n1", h.PASSED)
    assert lea.toc()["n"]["satisfied"] is True
    assert lea.nav("continue").deliver == "x"
    assert lea.activity("n")["active"] is False
    assert lea.activity("n2")["attempts"] == 0


def test_retry_all_post_condition_restarts_the_course():
    """retryAll ends every attempt and starts a new attempt of the course."""
    lea = learner("exit_rules")
    assert lea.nav("choice", "x").deliver == "x"
    lea.finish("x", h.FAILED)
    result = lea.nav("continue")
    assert (result.ok, result.deliver, result.ended) == (True, "m1", False)
    assert lea.activity("org")["attempts"] == 2
    assert lea.toc()["x"]["satisfied"] is None  # the course's new attempt forgot it


def test_hide_lms_ui():
    """hidden_ui() lists the item's adlnav:hideLMSUI values."""
    seq = learner("post_rules").sequencer()
    assert seq.hidden_ui("quiz") == ["continue", "previous"]
    assert seq.hidden_ui("final") == []
    assert seq.hidden_ui("nowhere") == []
