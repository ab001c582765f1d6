"""Background jobs on a task queue (Huey): embedded SQLite by default, Redis in production.

Areas register their jobs in ``init_app`` with :func:`register` or :func:`register_periodic`.
Anything may then hand work to the queue with :func:`enqueue`, or with :func:`start` when
people should follow it: the ``jobs`` table keeps state and progress, so any page on any app
server can show them (``/jobs/<id>``). ``lotse-lms worker`` runs the consumer.

A job runs in its own app context and database session; the session is committed when the job
returns and rolled back when it raises. A :class:`~lotse_lms.core.errors.Refusal` ends a job as
"failed" with its German message and is never retried; other errors are retried as registered.

A worker killed mid-job leaves its job "running": the sweeper in ``job_care`` fails it once
its heartbeat (its start and each :func:`progress` report) is too old.
"""

import logging
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, g
from flask_babel import gettext as _
from huey import RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer
from redis.exceptions import RedisError

from ..extensions import db
from .errors import Refusal
from .models import Job
from .timeutil import utcnow

log = logging.getLogger(__name__)

#: Keys in ``app.extensions``.
QUEUE_KEY = "lotse_jobs_queue"
TASKS_KEY = "lotse_jobs_tasks"
KINDS_KEY = "lotse_jobs_kinds"
#: Session info key of the jobs to hand to the queue once the transaction is committed.
AFTER_COMMIT = "lotse_jobs_after_commit"
#: What the queue's storage raises when it is down or unusable.
STORAGE_ERRORS = (RedisError, sqlite3.Error, OSError)


@dataclass(frozen=True)
class Kind:
    """What a registered job offers beyond running: who follows it, a restart, its own details."""

    #: Roles that see every job of this kind (besides its starter and admins).
    viewers: tuple = ()
    #: True if starting the job again with its parameters continues where it stopped.
    resumable: bool = False
    #: ``details(job)`` returns HTML shown on the job's page (e.g. who was skipped and why).
    details: object = None


class QueueConfigError(RuntimeError):
    """``QUEUE_URL`` names no queue storage this app knows."""


def make_queue(app):
    """Build the Huey instance ``QUEUE_URL`` asks for (empty: a SQLite file in the instance folder)."""
    url = app.config["QUEUE_URL"]
    name = app.config["QUEUE_NAME"]
    if not url or url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :] if url else Path(app.instance_path) / "jobs.db"
        return SqliteHuey(name=name, filename=str(path), results=False)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(name=name, url=url, results=False)
    raise QueueConfigError(
        "QUEUE_URL must be empty (a SQLite queue in the instance folder), "
        f"sqlite:///PATH or a redis:// URL, not {url!r}"
    )


def init_app(app):
    """Create the app's queue; areas register their jobs on it afterwards."""
    app.extensions[QUEUE_KEY] = make_queue(app)
    app.extensions[TASKS_KEY] = {}
    app.extensions[KINDS_KEY] = {}
    if not sa.event.contains(db.session, "after_commit", _enqueue_committed):
        sa.event.listen(db.session, "after_commit", _enqueue_committed)
        sa.event.listen(db.session, "after_rollback", _forget_uncommitted)


def queue(app=None):
    """The Huey instance of ``app`` (default: the current app)."""
    return (app or current_app).extensions[QUEUE_KEY]


def _wrap(app, name, fn):
    """The callable the consumer runs: ``fn`` inside an app context, with state kept."""

    def run(*args, _job_id=None, task=None, **kwargs):
        with app.app_context():
            return _run(fn, _job_id, task, args, kwargs)

    run.__name__ = run.__qualname__ = name.replace(".", "_")
    run.__doc__ = fn.__doc__
    return run


def register(
    app,
    name,
    fn,
    *,
    retries=0,
    retry_delay=0,
    retry_backoff=0,
    viewers=(),
    resumable=False,
    details=None,
):
    """Make ``fn`` available as job ``name`` (retried ``retries`` times on unexpected errors).

    ``viewers`` are roles that may follow every job of the kind; ``resumable`` offers a restart
    after a failure (``fn`` must continue where it stopped); ``details(job)`` adds HTML to the
    job's page."""
    app.extensions[KINDS_KEY][name] = Kind(tuple(viewers), resumable, details)
    task = queue(app).task(
        name=name,
        retries=retries,
        retry_delay=retry_delay,
        retry_backoff=retry_backoff or 0,
        context=True,
    )(_wrap(app, name, fn))
    app.extensions[TASKS_KEY][name] = task
    return task


def register_periodic(app, name, fn, **schedule):
    """Run ``fn`` on the worker at the times ``schedule`` gives (crontab fields, e.g. minute="*/15")."""
    task = queue(app).periodic_task(crontab(**schedule), name=name, context=True)(
        _wrap(app, name, fn)
    )
    app.extensions[TASKS_KEY][name] = task
    return task


def task_named(name):
    """The registered task wrapper called ``name``."""
    try:
        return current_app.extensions[TASKS_KEY][name]
    except KeyError:
        raise LookupError(f"no job called {name!r} is registered") from None


def enqueue(name, *args, **kwargs):
    """Hand job ``name`` to the queue; returns the task id. Commit what it needs first."""
    task = task_named(name).s(*args, **kwargs)
    queue().enqueue(task)
    return task.id


def kind_of(job):
    """The registered :class:`Kind` of a job row (a plain one for names no longer registered)."""
    return current_app.extensions[KINDS_KEY].get(job.name, Kind())


def after_commit(name, item):
    """Hand ``item`` to job ``name`` once the current transaction is committed.

    Items of one transaction go to one job call, as a list; a rollback forgets them.
    """
    db.session.info.setdefault(AFTER_COMMIT, {}).setdefault(name, []).append(item)


def _enqueue_committed(session):
    """Session hook: enqueue the jobs :func:`after_commit` collected (the queue may be down)."""
    for name, items in session.info.pop(AFTER_COMMIT, {}).items():
        try:
            enqueue(name, items)
        except STORAGE_ERRORS as exc:
            log.warning("Could not queue job %s: %s", name, exc)


def _forget_uncommitted(session):
    """Session hook: a rolled-back transaction hands nothing to the queue."""
    session.info.pop(AFTER_COMMIT, None)


def start(name, *args, actor=None, message="", **kwargs):
    """Record a tracked job, commit, and hand it to the queue; returns the Job row (failed
    when the queue cannot be reached).

    Commits the current session, so the worker sees everything the job needs. A resumable
    kind's arguments are kept (JSON values only) so the job can be started again.
    """
    task_named(name)  # an unknown name fails before anything is written
    resumable = current_app.extensions[KINDS_KEY][name].resumable
    job = Job(
        id=uuid.uuid4().hex,
        name=name,
        state="queued",
        message=message or _("Wartet auf die Verarbeitung."),
        created_by_id=actor.id if actor is not None else None,
        params={"args": list(args), "kwargs": kwargs} if resumable else None,
    )
    db.session.add(job)
    db.session.commit()
    hand_over(job, *args, **kwargs)
    return job


def hand_over(job, *args, **kwargs):
    """Queue the committed tracked ``job``; if the queue is down, the job fails saying so
    (its page shows it; a resumable one can be started again)."""
    try:
        queue().enqueue(task_named(job.name).s(*args, _job_id=job.id, **kwargs))
    except STORAGE_ERRORS as exc:
        log.error("Could not queue job %s (%s): %s", job.id, job.name, exc)
        job.state = "failed"
        job.message = _(
            "Die Warteschlange ist nicht erreichbar; der Auftrag wurde nicht gestartet."
        )
        job.finished_at = utcnow()
        db.session.commit()


def _update(job_id, **values):
    """Write a job's state on a connection of its own (outside the job's transaction)."""
    with db.engine.begin() as conn:
        conn.execute(sa.update(Job).where(Job.id == job_id).values(**values))


def current_job_id():
    """The id of the tracked job running in this context, or None."""
    return g.get("lotse_job_id")


def progress(done=None, total=None, message=None):
    """Report progress of the running tracked job (nothing outside one).

    Call it between commits: on SQLite a write on a second connection waits for an open
    write transaction of the job's own session.
    """
    job_id = current_job_id()
    if job_id is None:
        return
    values = {}
    if done is not None:
        values["done"] = done
    if total is not None:
        values["total"] = total
    if message is not None:
        values["message"] = str(message)[:500]
        g.lotse_job_said = True
    _update(job_id, heartbeat_at=utcnow(), **values)


def _run(fn, job_id, task, args, kwargs):
    """Run ``fn`` as a job: commit on return, roll back and record the failure on error."""
    g.lotse_job_id = job_id
    if job_id:
        now = utcnow()
        _update(job_id, state="running", started_at=now, heartbeat_at=now, message=_("Läuft …"))
    try:
        result = fn(*args, **kwargs)
        db.session.commit()
    except Refusal as exc:
        db.session.rollback()
        log.info("Job %s refused: %s", fn.__name__, exc)
        if job_id:
            _update(job_id, state="failed", message=str(exc.message)[:500], finished_at=utcnow())
        return None
    except Exception:
        db.session.rollback()
        if job_id:
            again = task is not None and task.retries > 0
            _update(
                job_id,
                state="queued" if again else "failed",
                message=_("Fehlgeschlagen; wird erneut versucht.")
                if again
                else _("Unerwarteter Fehler; Einzelheiten stehen im Protokoll des Workers."),
                finished_at=None if again else utcnow(),
            )
        raise
    finally:
        g.pop("lotse_job_id", None)
        said = g.pop("lotse_job_said", False)
    if job_id:
        values = {"state": "done", "finished_at": utcnow()}
        if not said:  # the job's own last word (e.g. "7 von 7 bearbeitet: …") stays
            values["message"] = _("Erledigt.")
        if isinstance(result, str):
            values["result_url"] = result[:500]
        _update(job_id, **values)
    if g.pop("lotse_mail_queued", False):
        enqueue("mail.send")
    return None


def path_for(endpoint, **values):
    """The path of an LMS page, also where no request is around (a job's result link)."""
    return current_app.url_map.bind("").build(endpoint, values)


def job_by_id(job_id):
    """The tracked job ``job_id`` or None."""
    return db.session.get(Job, job_id)


def run_pending(app=None, limit=1000):
    """Run the jobs waiting on the queue in this process, one after another; returns how many.

    For tests and for ``lotse-lms jobs run``; a worker does the same continuously.
    """
    huey = queue(app)
    count = 0
    while count < limit:
        task = huey.dequeue()
        if task is None:
            break
        huey.execute(task)
        count += 1
    return count


def reachable(app=None):
    """True when the queue's storage answers (for /healthz)."""
    try:
        queue(app).pending_count()
    except STORAGE_ERRORS as exc:
        log.warning("Job queue not reachable: %s", exc)
        return False
    return True


def run_worker(app, threads):
    """Run the consumer: ``threads`` workers plus the scheduler of periodic jobs (blocks)."""
    Consumer(queue(app), workers=threads, worker_type="thread", periodic=True).run()
