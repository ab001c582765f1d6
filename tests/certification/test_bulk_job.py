"""Bulk issuing runs on the worker: confirming the list starts a tracked job whose page shows
n of m and everyone skipped with the reason; the PDF of every certificate is rendered by the
worker after issuing (the certificate page says "wird erstellt" until then). Jobs run on the
real embedded SQLite queue and on real Redis (db 7)."""

import os
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from lotse_lms.accounts import verification
from lotse_lms.certification import bulk, operations
from lotse_lms.certification.models import BulkJob, Certificate
from lotse_lms.core import job_care, jobs
from lotse_lms.core.models import Job
from lotse_lms.core.timeutil import utcnow
from lotse_lms.extensions import db

from ..conftest import login
from .conftest import BASIC_RULES

REDIS_URL = "redis://127.0.0.1:6379/7"
QUEUE_NAME = f"lotse-test-bulk-{os.getpid()}"
CONFIG = {"CERT_RULES": BASIC_RULES, "CERT_BULK_CHUNK": 3, "QUEUE_NAME": QUEUE_NAME}
#: Every test marked with it runs once per queue storage (a closer config mark wins: repeat all).
BACKENDS = pytest.mark.parametrize(
    "backend",
    [
        pytest.param("sqlite", marks=pytest.mark.config(QUEUE_URL="", **CONFIG)),
        pytest.param("redis", marks=pytest.mark.config(QUEUE_URL=REDIS_URL, **CONFIG)),
    ],
)
pytestmark = pytest.mark.config(**CONFIG)


@pytest.fixture(autouse=True)
def empty_queue(app):
    """Each test starts and ends with an empty queue (Redis db 7 outlives the test)."""
    if not jobs.reachable(app):  # the test of a queue that is down
        yield
        return
    jobs.queue(app).flush()
    yield
    jobs.queue(app).flush()


@pytest.fixture
def cohort(lotse):
    """Seven eligible Lotsen."""
    return [lotse(name=f"Lotse {i:02d}") for i in range(7)]


def _certs():
    """Every certificate as committed now."""
    db.session.expire_all()
    return db.session.scalars(db.select(Certificate)).all()


def _confirm(client, post_form):
    """Prepare the list as the signed-in staff member and confirm it; returns the job page."""
    start = post_form("/certificates/bulk", page="/certificates/")
    page = start.headers["Location"]
    html = client.get(page).get_data(as_text=True)
    ids = re.search(r'name="user_ids" type="hidden" value="([^"]+)"', html).group(1)
    job_id = int(re.search(r"/bulk/(\d+)", page).group(1))
    confirmed = post_form(
        f"/certificates/bulk/{job_id}/confirm", {"user_ids": ids, "checked": "y"}, page=page
    )
    assert confirmed.status_code == 302
    return confirmed.headers["Location"]


@BACKENDS
def test_confirming_starts_a_job_whose_page_shows_progress_and_who_was_skipped(
    backend, app, client, login_as, post_form, cohort, make_user
):
    login_as("foundation")
    job_page = _confirm(client, post_form)
    assert job_page.startswith("/jobs/") and _certs() == []  # nothing issued in the request
    html = client.get(job_page).get_data(as_text=True)
    assert 'data-state="queued"' in html and "0 von 7 bearbeitet" in html
    assert 'http-equiv="refresh"' in html

    # Between confirmation and the worker, one person's workshop record needs a new review.
    loser = cohort[4]
    verification.submit_workshop(loser, date(2025, 5, 6), "Bonn")
    db.session.commit()

    jobs.run_pending(app)
    tracked = db.session.get(Job, job_page.rsplit("/", 1)[1])
    assert (tracked.state, tracked.done, tracked.total) == ("done", 7, 7)
    certs = _certs()
    assert {c.user_id for c in certs} == {u.id for u in cohort} - {loser.id}
    assert all(c.pdf_ready for c in certs)  # the worker rendered every PDF
    assert all(
        (Path(app.config["DATA_DIR"]) / c.pdf_path).read_bytes().startswith(b"%PDF-") for c in certs
    )

    # A colleague of the foundation follows the same page; a participant may not.
    colleague = app.test_client()
    login(colleague, make_user("foundation").email)
    html = colleague.get(job_page).get_data(as_text=True)
    assert (
        'data-state="done"' in html and "7 von 7 bearbeitet: 6 ausgestellt, 1 übersprungen" in html
    )
    skipped = html.split('id="bulk-messages"', 1)[1].split("</ul>", 1)[0]
    assert loser.name in skipped and "Workshop" in skipped
    participant = app.test_client()
    login(participant, cohort[0].email)
    assert participant.get(job_page).status_code == 403

    # The foundation's overview links to the job; the old bulk page leads there too.
    overview = colleague.get("/certificates/").get_data(as_text=True)
    assert f'href="{job_page}"' in overview
    bulk_id = db.session.scalar(db.select(BulkJob.id))
    assert colleague.get(f"/certificates/bulk/{bulk_id}").headers["Location"] == job_page


def test_the_certificate_page_says_the_pdf_is_being_made_until_the_worker_did_it(
    app, client, lotse, staff
):
    holder = lotse()
    cert = operations.issue(holder, staff)
    db.session.commit()
    number = cert.number
    assert not cert.pdf_ready
    login(client, holder.email)
    html = client.get(f"/certificates/{number}").get_data(as_text=True)
    assert "PDF wird erstellt" in html and 'http-equiv="refresh"' in html
    assert 'id="download-pdf"' not in html

    assert jobs.run_pending(app) >= 1
    html = client.get(f"/certificates/{number}").get_data(as_text=True)
    assert 'id="download-pdf"' in html and "http-equiv" not in html
    pdf = client.get(f"/certificates/{number}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")


def test_a_rolled_back_issue_queues_no_pdf(app, lotse, staff):
    operations.issue(lotse(), staff)
    db.session.rollback()
    db.session.commit()
    assert jobs.queue(app).pending_count() == 0


def test_the_command_line_still_issues_and_leaves_the_pdfs_to_the_worker(app, runner, cohort):
    result = runner.invoke(args=["issue-certificates", "--all-eligible", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Fertig: 7 Zertifikat(e) ausgestellt" in result.output and "Worker" in result.output
    assert len(_certs()) == 7 and not any(c.pdf_ready for c in _certs())
    jobs.run_pending(app)
    assert all(c.pdf_ready for c in _certs())


@BACKENDS
def test_a_job_left_running_by_a_killed_worker_is_swept_and_can_continue(
    backend, app, client, login_as, post_form, cohort
):
    staff = login_as("foundation")
    job_page = _confirm(client, post_form)
    job_id = job_page.rsplit("/", 1)[1]
    bulk_job = db.session.scalar(db.select(BulkJob))
    # The worker took the task, issued the first chunk and was killed: the task has left the
    # queue and the row says "running" with an old heartbeat.
    jobs.queue(app).flush()
    bulk.run_bulk_step(bulk_job, staff)
    db.session.commit()
    long_ago = utcnow() - timedelta(minutes=app.config["JOB_STALE_MINUTES"] + 1)
    tracked = db.session.get(Job, job_id)
    tracked.state, tracked.started_at, tracked.heartbeat_at = "running", long_ago, long_ago
    db.session.commit()

    assert job_care.sweep() == [tracked]
    db.session.commit()
    html = client.get(job_page).get_data(as_text=True)
    assert 'data-state="failed"' in html and "nicht gemeldet" in html
    assert 'id="restart-job"' in html and "3 von 7 bearbeitet" in html

    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert client.post(f"{job_page}/restart", data={"csrf_token": token}).status_code == 302
    jobs.run_pending(app)
    db.session.expire_all()
    tracked = db.session.get(Job, job_id)
    assert (tracked.state, tracked.done, tracked.total) == ("done", 7, 7)
    assert sorted(c.user_id for c in _certs()) == sorted(u.id for u in cohort)  # nobody twice


def test_the_sweeper_leaves_live_jobs_alone_and_runs_on_the_worker(app, make_user):
    jobs.register(app, "test.quiet", lambda: None)
    fresh = jobs.start("test.quiet", actor=make_user("trainer"))
    fresh.state, fresh.heartbeat_at = "running", utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert job_care.sweep() == []
    assert "jobs.sweep" in app.extensions[jobs.TASKS_KEY]
    fresh.heartbeat_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    (swept,) = job_care.sweep()
    db.session.commit()
    assert swept.state == "failed" and not job_care.can_restart(swept)  # not a resumable kind


@pytest.mark.config(QUEUE_URL="redis://127.0.0.1:1/0", **CONFIG)
def test_a_queue_that_is_down_fails_the_job_visibly_and_it_can_be_restarted(
    app, client, login_as, post_form, cohort
):
    login_as("foundation")
    job_page = _confirm(client, post_form)  # nothing listens on port 1: the queue is down
    html = client.get(job_page).get_data(as_text=True)
    assert 'data-state="failed"' in html and "Warteschlange ist nicht erreichbar" in html
    assert 'id="restart-job"' in html and _certs() == []
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    client.post(f"{job_page}/restart", data={"csrf_token": token})  # still down: says so again
    again = client.get(job_page).get_data(as_text=True)
    assert 'data-state="failed"' in again and "Warteschlange ist nicht erreichbar" in again
