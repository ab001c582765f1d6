"""SCORM 2004 sequencing in Q1, service level: navigate(), commits, state, globals, locks.

The golf forced-sequential sample is imported through the real import; its items must be
taken in order (each one's precondition reads the previous one's global objective).
"""

import threading
import zipfile

import pytest
from q1_helpers import payload

from lotse_lms.extensions import db
from lotse_lms.modules.q1 import commits, packages, sequencing, tracking
from lotse_lms.modules.q1.models import (
    GlobalObjective,
    PackageVersion,
    ScoAttempt,
    ScormRegistration,
)

FORCED = "SequencingForcedSequential_SCORM20043rdEdition"
ORDER = ["playing_item", "etuqiette_item", "handicapping_item", "havingfun_item"]
LOCKED = (
    "Diese Lerneinheit ist noch gesperrt. Schließen Sie zuerst die vorherigen Lerneinheiten ab."
)
PASSED = [
    ("cmi.completion_status", "completed"),
    ("cmi.success_status", "passed"),
    ("cmi.session_time", "PT1M"),
    ("cmi.exit", "suspend"),
]


@pytest.fixture
def learner(make_user):
    """A participant."""
    return make_user("participant", name="Lena Lotsin")


@pytest.fixture
def forced(import_fixture):
    """The forced-sequential sample, imported."""
    return import_fixture(FORCED)


def registration(user, version):
    """The learner's registration, freshly read (None if there is none)."""
    db.session.expire_all()
    return tracking.registration_for(user, version, create=False)


def go(user, version, request, target=None):
    """Run a navigation request and commit it like the launch endpoint does."""
    outcome = sequencing.navigate(user, version, request, target)
    db.session.commit()
    return outcome


def finish(attempt, calls=PASSED, terminated=True):
    """Commit the SCO's data through the run-time commit path; returns the result."""
    ident = (attempt.id, attempt.user_id, attempt.version_id, attempt.item_id, attempt.attempt)
    result = commits.commit_attempt(ident, payload(attempt, calls, terminated=terminated))
    db.session.expire_all()
    return result


def toc(user, version):
    """The learner's TOC state from the sequencer."""
    db.session.expire_all()
    return sequencing.sequencer_for(user, version).toc()


def test_import_stores_the_activity_tree(forced, import_fixture):
    assert forced.activity_tree["root"]["id"] == "golf_sample_default_org"
    assert [c["item"] for c in forced.activity_tree["root"]["children"]] == [
        *ORDER,
        "assessment_item",
    ]
    assert import_fixture("RuntimeBasicCalls_SCORM12").activity_tree is None


def test_tree_of_an_older_version_is_computed_and_saved(forced):
    forced.activity_tree = None
    db.session.commit()
    assert sequencing.is_sequenced(forced)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(PackageVersion, forced.id).activity_tree["root"]["children"]


def test_choosing_the_quiz_first_is_refused_and_changes_nothing(learner, forced):
    outcome = go(learner, forced, "choice", "assessment_item")
    assert not outcome.ok and outcome.launch is None
    assert outcome.message == LOCKED and outcome.error == "DB.1.1-3"
    assert registration(learner, forced) is None
    assert db.session.scalars(db.select(ScoAttempt)).all() == []


def test_start_delivers_the_first_sco_with_nav_validity(learner, forced):
    outcome = go(learner, forced, "start")
    assert outcome.ok and outcome.launch.entry["id"] == "playing_item"
    reg = registration(learner, forced)
    assert reg.last_item == "playing_item" and reg.sequencing is not None
    values = db.session.get(ScoAttempt, outcome.launch.attempt.id).state["values"]
    assert values["adl.nav.request_valid.choice.{target=playing_item}"] == "true"
    assert values["adl.nav.request_valid.choice.{target=etuqiette_item}"] == "false"
    assert values["adl.nav.request_valid.continue"] == "false"  # the next one is locked
    assert values["adl.nav.request_valid.previous"] == "false"  # nothing before it
    assert toc(learner, forced)["etuqiette_item"]["selectable"] is False


def test_a_passed_commit_unlocks_the_next_item(learner, forced):
    attempt = go(learner, forced, "start").launch.attempt
    result = finish(attempt, PASSED[:2], terminated=False)  # Commit, still running
    assert result["ok"] and result["nav_valid"]["choice.{target=etuqiette_item}"] == "true"
    assert result["nav_valid"]["continue"] == "true"
    state = toc(learner, forced)
    assert state["playing_item"]["satisfied"] is True
    assert state["etuqiette_item"]["selectable"] is True
    assert state["handicapping_item"]["selectable"] is False
    outcome = go(learner, forced, "choice", "etuqiette_item")
    assert outcome.ok and outcome.launch.entry["id"] == "etuqiette_item"


def test_terminate_then_continue_goes_in_order(learner, forced):
    outcome = go(learner, forced, "start")
    for item in ORDER:
        assert outcome.ok and outcome.launch.entry["id"] == item
        finish(outcome.launch.attempt)
        outcome = go(learner, forced, "continue")
    assert outcome.ok and outcome.launch.entry["id"] == "assessment_item"
    quiz = [
        ("cmi.score.scaled", "0.9"),
        ("cmi.score.raw", "90"),
        ("cmi.completion_status", "completed"),
        ("cmi.success_status", "passed"),
    ]
    finish(outcome.launch.attempt, quiz)
    state = sequencing.sequencer_for(learner, forced)
    assert state.root_status()["completed"] is True and state.root_status()["satisfied"] is True
    reg = registration(learner, forced)
    assert (reg.completed, reg.passed, reg.score) == (True, True, 90.0)
    ended = go(learner, forced, "continue")  # past the last item: the course ends
    assert ended.ok and ended.ended and ended.launch is None
    assert ended.message == "Das Modul ist beendet."


def test_previous_and_refused_continue_messages(learner, forced):
    attempt = go(learner, forced, "start").launch.attempt
    refused = go(learner, forced, "continue")
    assert not refused.ok and refused.message == LOCKED
    assert not go(learner, forced, "previous").ok
    finish(attempt)
    second = go(learner, forced, "continue")
    assert second.launch.entry["id"] == "etuqiette_item"
    back = go(learner, forced, "previous")
    assert back.ok and back.launch.entry["id"] == "playing_item"
    assert back.launch.attempt.id == attempt.id  # the suspended attempt continues


def test_suspend_all_and_resume_all(learner, forced):
    attempt = go(learner, forced, "start").launch.attempt
    finish(attempt, [("cmi.location", "3"), ("cmi.exit", "suspend")])
    suspended = go(learner, forced, "suspendAll")
    assert suspended.ok and suspended.launch is None
    assert "gespeichert" in suspended.message
    seq = sequencing.sequencer_for(learner, forced)
    assert seq.suspended == "playing_item" and seq.current is None
    resumed = go(learner, forced, "resumeAll")
    assert resumed.ok and resumed.launch.entry["id"] == "playing_item"
    row = db.session.get(ScoAttempt, resumed.launch.attempt.id)
    assert row.id == attempt.id and row.state["values"]["cmi.entry"] == "resume"
    assert row.state["values"]["cmi.location"] == "3"
    assert sequencing.sequencer_for(learner, forced).suspended is None


def test_a_refused_request_writes_nothing(learner, forced):
    go(learner, forced, "start")
    reg = registration(learner, forced)
    before = (reg.sequencing, reg.last_accessed, reg.last_item)
    rows = [(a.id, a.sequence, a.state) for a in db.session.scalars(db.select(ScoAttempt))]
    assert not go(learner, forced, "choice", "havingfun_item").ok
    assert not go(learner, forced, "jump", "nowhere").ok
    assert not go(learner, forced, "fly").ok
    reg = registration(learner, forced)
    assert (reg.sequencing, reg.last_accessed, reg.last_item) == before
    assert [(a.id, a.sequence, a.state) for a in db.session.scalars(db.select(ScoAttempt))] == rows


def test_learners_do_not_share_a_state(learner, make_user, forced):
    other = make_user("participant")
    finish(go(learner, forced, "start").launch.attempt)
    mine = registration(learner, forced).sequencing
    assert not go(other, forced, "choice", "etuqiette_item").ok  # their own state: locked
    assert not go(other, forced, "continue").ok  # their course has not begun
    assert go(other, forced, "start").launch.entry["id"] == "playing_item"
    assert registration(learner, forced).sequencing == mine
    assert toc(learner, forced)["etuqiette_item"]["selectable"] is True
    assert toc(other, forced)["etuqiette_item"]["selectable"] is False


def test_a_commit_of_an_item_left_behind_is_not_sequenced(learner, forced):
    first = go(learner, forced, "start").launch.attempt
    finish(first, PASSED[:2], terminated=False)
    go(learner, forced, "choice", "etuqiette_item")
    state = registration(learner, forced).sequencing
    result = finish(first, [("cmi.success_status", "failed")])  # a late commit of the old tab
    assert result["ok"] and "nav_valid" not in result
    assert registration(learner, forced).sequencing == state


def test_scorm12_is_not_sequenced(learner, import_fixture, launch):
    version = import_fixture("RuntimeBasicCalls_SCORM12")
    assert not sequencing.is_sequenced(version)
    attempt, _token = launch(learner, version)
    result = finish(attempt, [("cmi.core.lesson_status", "passed")])
    assert result["ok"] and "nav_valid" not in result
    assert registration(learner, version).sequencing is None


def test_two_navigations_at_once_lose_no_update(app, learner, forced, monkeypatch):
    """The second request waits for the first one's lock and builds on its state."""
    go(learner, forced, "start")
    learner_id, version_id = learner.id, forced.id
    entered = threading.Event()
    original = sequencing.save

    def slow_save(reg, seq, session=None):
        """Store, then hold the lock a moment (only the suspendAll request)."""
        original(reg, seq, session)
        if seq.suspended and not entered.is_set():
            entered.set()
            threading.Event().wait(0.5)

    monkeypatch.setattr(sequencing, "save", slow_save)
    results = {}

    def run(request):
        """Navigate in an application context of its own, like a request."""
        from lotse_lms.accounts.models import User

        with app.app_context():
            user = db.session.get(User, learner_id)
            version = db.session.get(PackageVersion, version_id)
            results[request] = sequencing.navigate(user, version, request).ok
            db.session.commit()

    first = threading.Thread(target=run, args=("suspendAll",))
    first.start()
    assert entered.wait(5)
    second = threading.Thread(target=run, args=("resumeAll",))  # needs the suspendAll
    second.start()
    first.join(15)
    second.join(15)
    assert results == {"suspendAll": True, "resumeAll": True}
    seq = sequencing.sequencer_for(learner, forced)
    assert (seq.current, seq.suspended) == ("playing_item", None)


GLOBAL_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{ident}" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>{ident}</title>
    <item identifier="a" identifierref="r"><title>A</title>
      <imsss:sequencing>{limit}<imsss:objectives><imsss:primaryObjective objectiveID="own">
        <imsss:mapInfo targetObjectiveID="{target}" writeSatisfiedStatus="true"/>
      </imsss:primaryObjective></imsss:objectives></imsss:sequencing></item>
    <item identifier="b" identifierref="r"><title>B</title>
      <imsss:sequencing><imsss:sequencingRules><imsss:preConditionRule>
        <imsss:ruleConditions conditionCombination="any">
          <imsss:ruleCondition referencedObjective="needed" operator="not" condition="satisfied"/>
          <imsss:ruleCondition referencedObjective="needed" operator="not" condition="objectiveStatusKnown"/>
        </imsss:ruleConditions><imsss:ruleAction action="disabled"/></imsss:preConditionRule>
      </imsss:sequencingRules><imsss:objectives><imsss:primaryObjective objectiveID="b"/>
        <imsss:objective objectiveID="needed"><imsss:mapInfo targetObjectiveID="{target}"/>
        </imsss:objective></imsss:objectives></imsss:sequencing></item>
    <imsss:sequencing><imsss:controlMode flow="true" forwardOnly="{forward}"/></imsss:sequencing>
  </organization></organizations>
  <resources><resource identifier="r" type="webcontent" adlcp:scormType="sco" href="sco.html">
    <file href="sco.html"/></resource></resources>
</manifest>"""


def package(tmp_path, ident, target="org.example.basics", limit="", forward="false"):
    """Import a two-item package: a writes the global ``target``, b needs it satisfied."""
    path = tmp_path / f"{ident}.zip"
    with zipfile.ZipFile(path, "w") as zf:
        manifest = GLOBAL_MANIFEST.format(ident=ident, target=target, limit=limit, forward=forward)
        zf.writestr("imsmanifest.xml", manifest)
        zf.writestr("sco.html", "<!doctype html><title>SCO</title>")
    return packages.import_package(path)


def test_global_objectives_are_shared_between_packages(learner, tmp_path):
    long_id = "org.example." + "x" * 300
    first, second = package(tmp_path, "eins", long_id), package(tmp_path, "zwei", long_id)
    assert toc(learner, second)["b"]["selectable"] is False
    finish(go(learner, first, "start").launch.attempt, PASSED)
    row = db.session.scalar(db.select(GlobalObjective))
    assert (row.user_id, row.satisfied) == (learner.id, True)
    assert row.objective_id.startswith("sha256:") and len(row.objective_id) == 71
    assert toc(learner, second)["b"]["selectable"] is True  # another package reads it
    assert go(learner, second, "choice", "b").launch.entry["id"] == "b"
    finish(go(learner, first, "choice", "a").launch.attempt, [("cmi.success_status", "failed")])
    assert db.session.scalar(db.select(GlobalObjective)).satisfied is False
    assert db.session.scalar(db.select(db.func.count(GlobalObjective.id))) == 1


def test_exhausted_attempts_and_forward_only_messages(learner, tmp_path):
    limited = package(tmp_path, "limit", limit='<imsss:limitConditions attemptLimit="1"/>')
    finish(go(learner, limited, "start").launch.attempt, [("cmi.exit", "normal")])
    refused = go(learner, limited, "choice", "a")
    assert not refused.ok
    assert refused.message == "Sie haben die erlaubten Versuche dieser Lerneinheit ausgeschöpft."
    forward = package(tmp_path, "forward", forward="true")
    finish(go(learner, forward, "start").launch.attempt, PASSED)
    assert go(learner, forward, "continue").launch.entry["id"] == "b"
    refused = go(learner, forward, "previous")
    assert refused.message == "Zurückblättern ist in diesem Modul nicht vorgesehen."


def test_rows_are_registration_scoped(learner, forced):
    go(learner, forced, "start")
    assert db.session.scalar(db.select(db.func.count(ScormRegistration.id))) == 1
    assert db.session.scalar(db.select(db.func.count(GlobalObjective.id))) == 0


def test_a_failing_sequencer_does_not_lose_the_commit(learner, forced, monkeypatch):
    attempt = go(learner, forced, "start").launch.attempt
    state = registration(learner, forced).sequencing

    def broken(self, item_id, data):
        """A sequencer bug."""
        raise RuntimeError("boom")

    monkeypatch.setattr(sequencing.Sequencer, "report", broken)
    result = finish(attempt)
    assert result["ok"] and "nav_valid" not in result
    row = db.session.get(ScoAttempt, attempt.id)
    assert (row.success, row.state["session_open"]) == ("passed", False)
    assert registration(learner, forced).sequencing == state
