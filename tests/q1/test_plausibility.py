"""A pass in far less learning time than the module's estimate is flagged to trainers and
the foundation, never refused (SCORM data come from the learner's browser)."""

import csv
import io
from pathlib import Path

from q1_helpers import payload

from lotse_lms.modules.q1 import DEFAULTS, progress
from lotse_lms.qualification.state import path_of
from lotse_lms.scorm.build import load_q1

G12 = "RuntimeBasicCalls_SCORM12"


def _pass(content, launch, learner, version, session_time):
    """The learner passes the package's SCO with this session time."""
    attempt, token = launch(learner, version)
    calls = [
        ("cmi.core.score.raw", "100"),
        ("cmi.core.lesson_status", "passed"),
        ("cmi.core.session_time", session_time),
    ]
    body = payload(attempt, calls, terminated=True)
    assert content.post(f"/scorm-content/commit/{token}", json=body).status_code == 200


def test_fast_pass_is_flagged_not_refused(
    client, content, login_as, make_user, launch, import_fixture
):
    version = import_fixture(G12, module_key="technik")  # estimate 240 minutes
    fast = make_user("participant", name="Flora Flink")
    steady = make_user("participant", name="Stefan Stetig")
    _pass(content, launch, fast, version, "00:05:00")
    _pass(content, launch, steady, version, "02:00:00")

    technik = {m["module_key"]: m for m in progress.q1_progress(fast)}["technik"]
    assert technik["passed"] is True and technik["completed"] is True  # counted as passed
    assert technik["implausible"] is True and technik["estimated_minutes"] == 240
    assert {m["module_key"]: m for m in progress.q1_progress(steady)}["technik"][
        "implausible"
    ] is False

    def q1_source(user):
        return {step.key: step for step in path_of(user)}["q1"].source

    assert "auffällig schnell: 5 von geschätzten 240 Minuten Lernzeit" in q1_source(fast)
    assert "auffällig schnell" not in q1_source(steady)

    login_as("trainer")
    html = client.get(f"/q1/packages/{version.package_id}/report").get_data(as_text=True)
    rows = {name: html.split(name, 1)[1].split("</tr>", 1)[0] for name in ("Flora", "Stefan")}
    assert "auffällig schnell" in rows["Flora"] and "auffällig schnell" not in rows["Stefan"]


def test_estimates_match_the_content():
    content = Path(__file__).resolve().parents[2] / "content" / "q1"
    estimates = {module.id: module.estimated_minutes for module in load_q1(content)}
    assert DEFAULTS["Q1_MODULE_MINUTES"] == estimates


def test_the_csv_names_a_fast_pass(client, content, login_as, make_user, launch, import_fixture):
    version = import_fixture(G12, module_key="technik")  # estimate 240 minutes
    _pass(content, launch, make_user("participant", name="Flora Flink"), version, "00:05:00")
    _pass(content, launch, make_user("participant", name="Stefan Stetig"), version, "02:00:00")
    login_as("trainer")
    text = client.get(f"/q1/packages/{version.package_id}/report.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    by_name = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_name["Flora Flink"]["Plausibilität"] == "auffällig schnell"
    assert by_name["Stefan Stetig"]["Plausibilität"] == ""
