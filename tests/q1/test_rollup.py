"""Roll-up per package, Q1 progress for certification, dashboard step and demo seeding."""

import pytest
from q1_helpers import payload

from lotse_lms.extensions import db
from lotse_lms.modules.q1.models import ScormPackage
from lotse_lms.modules.q1.progress import compute, q1_module_passed, q1_progress


class A:
    """A stand-in attempt row for compute()."""

    def __init__(
        self, item, completion="completed", success="unknown", score=None, attempt=1, time=0
    ):
        """Hold the fields compute() reads."""
        self.item_id, self.completion, self.success = item, completion, success
        self.score_percent, self.attempt, self.total_time_seconds = score, attempt, time


class V:
    """A stand-in package version with a TOC."""

    def __init__(self, *entries):
        """Hold the fields compute() reads."""
        self.toc = [{"id": i, "launch": f"{i}.html", "settings": s} for i, s in entries]

    def entries(self):
        """Launchable entries."""
        return self.toc


CHECK = {"scaled_passing_score": 0.8}


@pytest.mark.parametrize(
    ("version", "attempts", "expected"),
    [
        (V(("a", {}), ("b", {})), [A("a")], (False, None, None)),
        (V(("a", {}), ("b", {})), [A("a"), A("b")], (True, None, None)),
        (
            V(("a", {}), ("q", CHECK)),
            [A("a"), A("q", success="passed", score=90)],
            (True, True, 90),
        ),
        (
            V(("a", {}), ("q", CHECK)),
            [A("a"), A("q", success="failed", score=50)],
            (True, False, 50),
        ),
        (
            V(("a", {}), ("q", CHECK)),
            [A("a", success="failed", score=10), A("q", success="passed", score=90)],
            (True, True, 50),
        ),  # criterion items decide; the score averages the scored SCOs
        (V(("a", {}), ("q", {})), [A("a"), A("q", success="passed", score=80)], (True, True, 80)),
        (
            V(
                ("q", CHECK),
            ),
            [A("q", success="failed", score=40), A("q", "incomplete", attempt=2)],
            (True, False, 40),
        ),
        (
            V(
                ("q", CHECK),
            ),
            [A("q", success="failed", score=40), A("q", success="passed", score=85, attempt=2)],
            (True, True, 85),
        ),
        (
            V(
                ("q", CHECK),
            ),
            [A("q", completion="incomplete")],
            (False, None, None),
        ),
    ],
)
def test_compute(version, attempts, expected):
    result = compute(version, attempts)
    assert (result["completed"], result["passed"], result["score"]) == expected


def test_multi_sco_rollup_through_commits(content, make_user, import_fixture, launch):
    learner = make_user("participant")
    version = import_fixture(
        "SequencingForcedSequential_SCORM20043rdEdition", module_key="megatrends"
    )
    entries = version.entries()
    for index, entry in enumerate(entries):
        attempt, token = launch(learner, version, entry["id"])
        calls = [("cmi.completion_status", "completed"), ("cmi.exit", "normal")]
        if index == len(entries) - 1:
            calls += [("cmi.score.scaled", "0.75"), ("cmi.success_status", "passed")]
        body = payload(attempt, calls, terminated=True)
        assert content.post(f"/scorm-content/commit/{token}", json=body).status_code == 200
        progress = q1_progress(learner)[2]
        assert progress["completed"] is (index == len(entries) - 1)
    module = q1_progress(learner)[2]
    assert module == {
        "module_key": "megatrends",
        "title": version.package.title,
        "package_id": version.package_id,
        "completed": True,
        "passed": True,
        "score": 75.0,
        "completed_at": module["completed_at"],
        "learning_seconds": 0.0,
        "estimated_minutes": 240,
        "implausible": True,  # passed without any learning time the SCOs reported
    }
    assert module["completed_at"] is not None
    assert q1_module_passed(learner, "megatrends")
    assert not q1_module_passed(learner, "technik")
    assert not q1_module_passed(learner, "unbekannt")


def test_assets_complete_when_launched(make_user, import_fixture, launch):
    learner = make_user("participant")
    version = import_fixture(
        "ContentPackagingOneFilePerSCO_SCORM20043rdEdition", module_key="technik"
    )
    for entry in version.entries():
        attempt, _token = launch(learner, version, entry["id"])
        assert attempt.is_asset and attempt.state is None
    progress = {m["module_key"]: m for m in q1_progress(learner)}
    assert progress["technik"]["completed"] and progress["technik"]["passed"] is None
    assert q1_module_passed(learner, "technik")


def test_progress_survives_a_new_version(make_user, import_fixture, launch, content):
    learner = make_user("participant")
    first = import_fixture("RuntimeBasicCalls_SCORM20043rdEdition", module_key="tools-methoden")
    attempt, token = launch(learner, first)
    calls = [("cmi.completion_status", "completed"), ("cmi.success_status", "passed")]
    assert (
        content.post(
            f"/scorm-content/commit/{token}", json=payload(attempt, calls, terminated=True)
        ).status_code
        == 200
    )
    package = db.session.get(ScormPackage, first.package_id)
    second = import_fixture("RuntimeBasicCalls_SCORM20043rdEdition", package=package)
    assert second.number == 2
    launch(learner, second)  # starts the new version, not finished
    assert q1_module_passed(learner, "tools-methoden")


def test_dashboard_step_and_panel(client, login_as, import_fixture):
    login_as("participant")
    import_fixture("RuntimeBasicCalls_SCORM12", module_key="technik", title="Technik (Golf)")
    html = client.get("/").get_data(as_text=True)
    assert "Q1-Selbstlernmodule abgeschlossen und bestanden" in html
    assert "Noch kein Q1-Modul begonnen." in html
    assert "Selbstlernmodule" in client.get("/q1/").get_data(as_text=True)


def test_q1_step_of_the_path(make_user, app):
    from lotse_lms.qualification.state import path_of

    with app.test_request_context():
        (step,) = [s for s in path_of(make_user("participant")) if s.key == "q1"]
    assert (step.state, step.missing) == ("open", "Noch kein Q1-Modul begonnen.")


def test_seed_demo_imports_q1_modules_once(runner, app):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    keys = db.session.scalars(db.select(ScormPackage.module_key).order_by(ScormPackage.id)).all()
    assert sorted(keys) == sorted(app.config["Q1_MODULES"])
    for package in db.session.scalars(db.select(ScormPackage)):
        assert (
            package.current_version.standard == "2004"
            and len(package.current_version.entries()) >= 3
        )
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "unverändert" in again.output
    assert db.session.scalar(db.select(db.func.count(ScormPackage.id))) == 3
