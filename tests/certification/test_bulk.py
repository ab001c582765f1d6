"""Bulk issuing: a job processed chunk by chunk, from the CLI and from the browser's progress page."""

import re

import pytest

from lotse_lms.certification import operations
from lotse_lms.certification.models import BulkJob, Certificate
from lotse_lms.core.audit import entries
from lotse_lms.extensions import db

from .conftest import BASIC_RULES

pytestmark = pytest.mark.config(CERT_RULES=BASIC_RULES, CERT_BULK_CHUNK=3)


@pytest.fixture
def cohort(lotse):
    """Seven eligible Lotsen, two who are not, and one already certified."""
    eligible = [lotse(name=f"Lotse {i:02d}") for i in range(7)]
    blocked = [lotse(name="Ohne Workshop", workshop=False), lotse(name="Ungeprüft", verify=False)]
    return eligible, blocked


def _count():
    """Certificates in the database."""
    return db.session.scalar(db.select(db.func.count(Certificate.id)))


def test_bulk_issues_for_every_eligible_lotse_in_chunks(cohort, staff):
    eligible, blocked = cohort
    seen = []
    job = operations.issue_bulk(
        staff, progress=lambda j: seen.append((j.processed, j.issued)), via="test"
    )
    assert job.status == "done" and job.issued == 7 and job.refused == 0
    assert seen == [(3, 3), (6, 6), (7, 7)]
    assert _count() == 7
    assert {c.user_id for c in db.session.scalars(db.select(Certificate))} == {
        u.id for u in eligible
    }
    assert len(entries(action_prefix="certification.issued")) == 7
    assert all(e.actor_id == staff.id for e in entries(action_prefix="certification.issued"))
    assert len({c.number for c in db.session.scalars(db.select(Certificate))}) == 7
    with pytest.raises(operations.CertificationError, match="erfüllt niemand"):
        operations.issue_bulk(staff)


def test_a_named_list_issues_some_and_refuses_others_with_the_reason(cohort, staff):
    eligible, blocked = cohort
    job = operations.issue_bulk(
        staff, [eligible[0].id, blocked[0].id, blocked[1].id, eligible[0].id]
    )
    assert job.total == 3 and job.issued == 1 and job.refused == 2
    reasons = {m["name"]: m["message"] for m in job.messages}
    assert "Gemeinsames Beratungsverständnis" in reasons["Ohne Workshop"]
    assert "Autorisierung als OM-Beraterin / OM-Berater" in reasons["Ungeprüft"]
    assert _count() == 1


def test_cli_prints_progress(cohort, runner, staff):
    result = runner.invoke(args=["issue-certificates", "--all-eligible", "--actor", staff.email])
    assert result.exit_code == 0, result.output
    assert "3/7 bearbeitet (42 %)" in result.output and "7/7 bearbeitet (100 %)" in result.output
    assert "Fertig: 7 Zertifikat(e) ausgestellt, 0 abgelehnt." in result.output
    assert _count() == 7
    again = runner.invoke(args=["issue-certificates", "--all-eligible"])
    assert again.exit_code != 0 and "erfüllt niemand" in again.output


def test_cli_refuses_unclear_requests(runner, cohort):
    assert runner.invoke(args=["issue-certificates"]).exit_code != 0
    assert (
        "no account" in runner.invoke(args=["issue-certificates", "--email", "nobody@x.org"]).output
    )
    assert (
        "not a foundation"
        in runner.invoke(
            args=["issue-certificates", "--all-eligible", "--actor", cohort[0][0].email]
        ).output
    )
    result = runner.invoke(args=["issue-certificates", "--email", cohort[1][0].email])
    assert "abgelehnt: Ohne Workshop" in result.output and _count() == 0


def test_cli_revoke(runner, cohort, staff):
    cert = operations.issue(cohort[0][0], staff)
    db.session.commit()
    result = runner.invoke(args=["revoke-certificate", cert.number, "--reason", "Irrtum"])
    assert result.exit_code == 0
    db.session.refresh(cert)
    assert cert.revocation_reason == "Irrtum"
    (entry,) = entries(action_prefix="certification.revoked")
    assert entry.details["via"].startswith("cli:")


def test_browser_flow_polls_steps_until_done(client, login_as, post_form, cohort):
    login_as("foundation")
    start = post_form("/certificates/bulk", page="/certificates/")
    assert start.status_code == 302
    page = start.headers["Location"]
    job_id = int(re.search(r"/bulk/(\d+)", page).group(1))
    html = client.get(page).get_data(as_text=True)
    assert "<progress" in html and "0 von 7 bearbeitet" in html
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    states = []
    for _ in range(10):
        data = client.post(
            f"/certificates/bulk/{job_id}/step",
            data={"csrf_token": token},
            headers={"Accept": "application/json"},
        ).get_json()
        states.append((data["processed"], data["percent"]))
        if data["status"] == "done":
            break
    assert states == [(3, 42), (6, 85), (7, 100)]
    assert _count() == 7
    # Steps after the end change nothing; a non-script browser is sent back to the page.
    response = client.post(f"/certificates/bulk/{job_id}/step", data={"csrf_token": token})
    assert response.status_code == 302 and _count() == 7
    assert db.session.get(BulkJob, job_id).status == "done"
