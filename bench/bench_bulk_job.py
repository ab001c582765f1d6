"""Speed of bulk issuing as a background job: N certificates (rules, signed credential, audit,
mail, and the PDF the worker renders after each chunk) from the confirmed list to the last PDF.

The job runs on the real queue (the embedded SQLite queue, or Redis with --queue-url), taken
by a worker in this process one task after another (``jobs.run_pending``, as one worker
thread). Printed: seconds until the bulk job is done, until every PDF exists, per
certificate, the extrapolation to 1,000, and the baseline of N bare certificate rows written
in the same chunks in the same run (ratio). Eligibility uses the two accounts rules
(CERT_RULES=authorisation,workshop) so the bench does not depend on the other areas' data.

    python bench/bench_bulk_job.py [-n 100] [--chunk 10] [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_certificates import baseline_rows, make_people  # noqa: E402

from lotse_lms import create_app  # noqa: E402
from lotse_lms.extensions import db  # noqa: E402


def watch(app, job_id, start, seen, stop):
    """Read the job's row like its page does, every 0.2 s: (seconds, done) of each new value."""
    from lotse_lms.core.models import Job

    with app.app_context():
        while not stop.is_set():
            row = db.session.get(Job, job_id)
            if row is not None and (not seen or seen[-1][1] != row.done):
                seen.append((time.perf_counter() - start, row.done))
            db.session.rollback()
            stop.wait(0.2)
        db.session.remove()


def run(app, staff, n):
    """Prepare, confirm and let the worker issue; returns the figures of the run."""
    from lotse_lms.certification import bulk
    from lotse_lms.certification.models import Certificate
    from lotse_lms.core import jobs
    from lotse_lms.core.models import Job

    prepared = bulk.prepare_bulk(staff)
    db.session.commit()
    assert prepared.total == n, prepared.total
    start, cpu = time.perf_counter(), time.process_time()
    tracked = bulk.start_bulk(prepared, staff, list(prepared.user_ids))
    seen, stop = [], threading.Event()
    watcher = threading.Thread(target=watch, args=(app, tracked.id, start, seen, stop))
    watcher.start()
    jobs.run_pending(app, limit=1)  # the bulk job: issues and queues a PDF job per chunk
    job_done = time.perf_counter() - start
    jobs.run_pending(app, limit=10 * n)  # the PDF jobs
    pdfs, cpu = time.perf_counter() - start, time.process_time() - cpu
    stop.set()
    watcher.join()
    db.session.expire_all()
    row = db.session.get(Job, tracked.id)
    missing = db.session.scalar(
        db.select(db.func.count(Certificate.id)).where(Certificate.pdf_path == "")
    )
    assert row.state == "done" and missing == 0, (row.state, row.message, missing)
    return {"job": job_done, "pdfs": pdfs, "cpu": cpu, "seen": seen}


def main():
    """Run the bench and print figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100)
    parser.add_argument("--chunk", type=int, default=10)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--queue-url", default="", help="default: the embedded SQLite queue")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="lotse-bench-"))
    app = create_app(
        {
            "DATABASE_URL": args.database_url or f"sqlite:///{tmp / 'bench.db'}",
            "DATA_DIR": str(tmp / "data"),
            "SECRET_KEY": "bench",
            "BASE_URL": "https://lotsen.example.org",
            "CONTENT_BASE_URL": "https://lotse-content.example.org",
            "CERT_RULES": ["authorisation", "workshop"],
            "CERT_BULK_CHUNK": args.chunk,
            "QUEUE_URL": args.queue_url,
            "QUEUE_NAME": f"lotse-bench-{os.getpid()}",
        },
        instance_path=tmp / "instance",
        environ={},
    )
    with app.app_context():
        from lotse_lms.accounts.operations import create_user
        from lotse_lms.certification.signing import init_keys
        from lotse_lms.core import jobs

        jobs.queue(app).flush()
        db.drop_all()
        db.create_all()
        init_keys(app)
        staff = create_user("stiftung@bench.example", "Sabine Stiftung", roles=["foundation"])
        db.session.commit()
        make_people(args.n, staff)
        base = baseline_rows(args.n, args.chunk)
        figures = run(app, staff, args.n)
        job_done, pdfs, cpu, seen = (figures[k] for k in ("job", "pdfs", "cpu", "seen"))
        load = os.getloadavg()[0]
        print(f"database: {db.engine.dialect.name}; queue: {args.queue_url or 'embedded SQLite'}")
        print(f"load average at the end: {load:.1f} on {os.cpu_count()} cores")
        print(
            f"bulk job, {args.n} people in chunks of {args.chunk}: issued in {job_done:.2f} s; "
            f"every PDF rendered after {pdfs:.2f} s = {pdfs / args.n * 1000:.1f} ms each"
        )
        print(
            "progress the job page read (s, done): "
            + ", ".join(f"({t:.1f}, {d})" for t, d in seen[:3])
            + f" … ({seen[-1][0]:.1f}, {seen[-1][1]})"
        )
        print(
            f"CPU time of this process for the run: {cpu:.2f} s = {cpu / args.n * 1000:.1f} ms "
            f"per certificate (the wall time on a quiet machine is about this)"
        )
        print(
            f"extrapolated to 1,000 certificates, one worker thread: {pdfs / args.n * 1000:.0f} s "
            f"wall at this load, {cpu / args.n * 1000:.0f} s by CPU time (target < 60 s)"
        )
        print(
            f"baseline: {args.n} bare certificate rows: {base:.2f} s; "
            f"ratio job/baseline {pdfs / base:.1f}x"
        )
        jobs.queue(app).flush()
        db.session.remove()
        db.drop_all()


if __name__ == "__main__":
    main()
