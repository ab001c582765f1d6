"""Background jobs on the embedded SQLite queue and on real Redis (db 7): no mocks."""

import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from lotse_lms.core import jobs, mail
from lotse_lms.core.errors import Refusal
from lotse_lms.core.models import Job, OutboxMail
from lotse_lms.core.timeutil import utcnow
from lotse_lms.extensions import db

from ..conftest import login
from .test_mail_i18n import smtp_server  # noqa: F401 - the real SMTP server fixture

REDIS_URL = "redis://127.0.0.1:6379/7"
QUEUE_NAME = f"lotse-test-{os.getpid()}"

#: Every test marked with it runs once per queue storage.
BACKENDS = pytest.mark.parametrize(
    "backend",
    [
        pytest.param("sqlite", marks=pytest.mark.config(QUEUE_URL="", QUEUE_NAME=QUEUE_NAME)),
        pytest.param("redis", marks=pytest.mark.config(QUEUE_URL=REDIS_URL, QUEUE_NAME=QUEUE_NAME)),
    ],
)


@pytest.fixture(autouse=True)
def empty_queue(app):
    """Each test starts and ends with an empty queue (Redis db 7 outlives the test)."""
    jobs.queue(app).flush()
    yield
    jobs.queue(app).flush()


def _job(job_id):
    """The job row as committed now."""
    db.session.expire_all()
    return db.session.get(Job, job_id)


@BACKENDS
def test_a_tracked_job_shows_its_progress_to_its_starter_until_done(
    backend, app, client, make_user
):
    seen = []

    def count_to(n):
        """Count, reporting each step."""
        jobs.progress(total=n, message="Zählt")
        for i in range(1, n + 1):
            seen.append(i)
            jobs.progress(done=i)
        return "/q1/"

    jobs.register(app, "test.count_to", count_to)
    trainer = make_user("trainer")
    job = jobs.start("test.count_to", 3, actor=trainer)
    login(client, trainer.email)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert 'data-state="queued"' in page and 'http-equiv="refresh"' in page

    assert jobs.run_pending(app) == 1
    assert seen == [1, 2, 3]
    done = _job(job.id)
    assert (done.state, done.done, done.total, done.result_url) == ("done", 3, 3, "/q1/")
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert 'data-state="done"' in page and 'href="/q1/"' in page
    assert "http-equiv" not in page


def test_only_the_starter_and_admins_see_a_job(app, client, make_user):
    jobs.register(app, "test.noop", lambda: None)
    job = jobs.start("test.noop", actor=make_user("trainer"))
    login(client, make_user("trainer").email)
    assert client.get(f"/jobs/{job.id}").status_code == 403
    assert client.get("/jobs/unknown").status_code == 404
    admin_client = app.test_client()
    login(admin_client, make_user("admin").email)
    assert admin_client.get(f"/jobs/{job.id}").status_code == 200


@BACKENDS
def test_a_refusal_fails_the_job_with_its_message_and_rolls_back_its_work(backend, app, make_user):
    def refuse(email):
        """Write something, then refuse."""
        mail.queue(email, "Nie", "Nie")
        db.session.flush()
        raise Refusal("Das Paket ist kaputt.")

    jobs.register(app, "test.refuse", refuse, retries=3)
    job = jobs.start("test.refuse", "x@example.org")
    assert jobs.run_pending(app) == 1  # a refusal is an answer: no retry
    failed = _job(job.id)
    assert (failed.state, failed.message) == ("failed", "Das Paket ist kaputt.")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 0


@BACKENDS
def test_an_unexpected_error_is_retried_then_the_job_fails(backend, app):
    calls = []

    def flaky():
        """Fail every time."""
        calls.append(1)
        raise RuntimeError("disk full")

    jobs.register(app, "test.flaky", flaky, retries=2)
    job = jobs.start("test.flaky")
    assert jobs.run_pending(app) == 3
    assert len(calls) == 3
    failed = _job(job.id)
    assert failed.state == "failed" and "Protokoll" in failed.message


@BACKENDS
def test_a_request_that_queues_mail_hands_it_to_the_worker(backend, app, post_form, make_user):
    user = make_user(email="vergesslich@example.org")
    assert post_form("/password/forgot", {"email": user.email}).status_code == 302
    queued = db.session.scalars(sa.select(OutboxMail)).one()
    assert queued.sent_at is None  # the request did not wait for the mail
    assert jobs.queue(app).pending_count() == 1
    jobs.run_pending(app)
    db.session.expire_all()
    assert db.session.get(OutboxMail, queued.id).sent_at is not None


@pytest.mark.config(MAIL_MAX_ATTEMPTS=2)
def test_a_mail_with_a_bad_header_never_blocks_the_others_and_is_parked(
    app,
    client,
    make_user,
    smtp_server,  # noqa: F811
):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.server_address[1])
    bad = mail.queue("eve@example.org", "Hallo Eve\r\nBcc: opfer@example.org", "Text")
    good = mail.queue("lena@example.org", "Ihr Termin", "Text")
    db.session.commit()

    assert mail.send_pending() == 1
    db.session.expire_all()
    bad, good = db.session.get(OutboxMail, bad.id), db.session.get(OutboxMail, good.id)
    assert good.sent_at is not None and len(smtp_server.messages) == 1
    assert "Bcc" not in smtp_server.messages[0]
    assert bad.sent_at is None and bad.attempts == 1 and "ValueError" in bad.last_error
    assert bad.next_attempt_at > utcnow()  # waits before its next try
    assert mail.send_pending() == 0 and db.session.get(OutboxMail, bad.id).attempts == 1

    bad.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert mail.send_pending() == 0
    db.session.expire_all()
    bad = db.session.get(OutboxMail, bad.id)
    assert bad.attempts == 2 and bad.parked_at is not None
    assert mail.pending() == []

    login(client, make_user("admin").email)
    page = client.get("/outbox").get_data(as_text=True)
    assert "zurückgestellt nach 2 Versuchen" in page and 'id="parked-count"' in page
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post(f"/outbox/{bad.id}/retry", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert mail.pending() == [bad.id]


def test_the_retry_delay_doubles_and_is_capped(app):
    delays = [mail.retry_delay(app.config, n) for n in (1, 2, 3, 20)]
    assert delays == [60, 120, 240, 6 * 3600]


def test_without_smtp_the_outbox_says_only_logged(app, client, make_user):
    mail.queue("lena@example.org", "Betreff", "Text")
    db.session.commit()
    mail.send_pending()
    login(client, make_user("admin").email)
    assert "nur protokolliert" in client.get("/outbox").get_data(as_text=True)


def test_two_senders_never_send_the_same_mail_twice(app):
    first = mail.queue("a@example.org", "A", "Text")
    db.session.commit()
    assert mail.send_one(first.id) is True
    assert mail.send_one(first.id) is False  # already sent: the claim finds nothing due
    db.session.expire_all()
    assert db.session.get(OutboxMail, first.id).attempts == 1


@BACKENDS
def test_reminders_and_mail_are_periodic_jobs(backend, app):
    quarter_hour = datetime(2026, 12, 7, 9, 15)
    names = {task.name for task in jobs.queue(app).read_periodic(quarter_hour)}
    assert {"q2.send_reminders", "mail.send_due"} <= names
    names = {task.name for task in jobs.queue(app).read_periodic(quarter_hour.replace(minute=16))}
    assert "q2.send_reminders" not in names and "mail.send_due" in names


@BACKENDS
def test_the_worker_command_sends_what_the_app_queued(backend, app, database_url, tmp_path):
    queue_url = app.config["QUEUE_URL"] or f"sqlite:///{app.instance_path}/jobs.db"
    env = dict(
        os.environ,
        LOTSE_DATABASE_URL=database_url,
        LOTSE_DATA_DIR=str(tmp_path / "data"),
        LOTSE_SECRET_KEY="test-secret-key",
        LOTSE_QUEUE_URL=queue_url,
        LOTSE_QUEUE_NAME=QUEUE_NAME,
    )
    env.pop("LOTSE_TEST_DATABASE_URL", None)
    queued = mail.queue("lena@example.org", "Vom Worker", "Text")
    db.session.commit()
    jobs.enqueue("mail.send")
    log_path = tmp_path / "worker.log"
    log = log_path.open("w")
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "lotse-lms"), "worker", "--threads", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        # Generous: starting a second Python with the whole app is slow on a loaded machine.
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and worker.poll() is None:
            db.session.expire_all()
            if db.session.get(OutboxMail, queued.id).sent_at is not None:
                break
            time.sleep(0.1)  # polling another process, bounded by the deadline
        assert db.session.get(OutboxMail, queued.id).sent_at is not None, log_path.read_text()
    finally:
        worker.terminate()
        worker.wait(10)
        log.close()
