"""Speed of the qualification state at scale, on an existing database (e.g. the national one).

Prints, each with its SQL statement count:
- eligibility of every participant (all steps, set-based), beside a baseline measured in the
  same run: reading the ids of all participants (the least any eligibility check must do);
- the foundation's pages in-process (test client, no server): dashboard ``/``, certificate
  overview (first page, filtered to "eligible, no certificate", filtered by a step's state,
  searched), and the bulk-issue list (preparing it, and its confirmation page), p50 / p95;
- optionally issuing N certificates (``--issue N``; writes to the database: PDFs, credentials).

    python bench/bench_qualification.py --db postgresql://postgres@127.0.0.1/lotse_national [-n 10]

The database is read, except for ``--issue`` and a draft bulk job that the bench creates to time
its confirmation page and deletes again.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from lotse_lms import create_app  # noqa: E402
from lotse_lms.accounts import devices  # noqa: E402
from lotse_lms.accounts.models import User, UserRole  # noqa: E402
from lotse_lms.certification import bulk  # noqa: E402
from lotse_lms.certification.models import BulkJob  # noqa: E402
from lotse_lms.core.models import AuditEntry  # noqa: E402
from lotse_lms.extensions import db  # noqa: E402
from lotse_lms.qualification import overview  # noqa: E402
from lotse_lms.qualification.state import states  # noqa: E402


@contextmanager
def counted():
    """Count SQL statements run inside the block."""
    seen = []

    def before(*_args):
        """Remember one statement."""
        seen.append(1)

    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)


def timed(func, runs):
    """(seconds of each run, statements of the last run)."""
    times, queries = [], 0
    for _ in range(runs):
        db.session.expire_all()
        with counted() as seen:
            start = time.perf_counter()
            result = func()
            times.append(time.perf_counter() - start)
        status = getattr(result, "status_code", 200)
        if status != 200:
            raise SystemExit(f"{func.__name__}: HTTP {status}")
        queries = len(seen)
        db.session.rollback()
    return times, queries


def p95(times):
    """The 95th percentile (the largest of few runs)."""
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def line(name, times, queries):
    """One printed result."""
    print(
        f"{name:<52} p50 {statistics.median(times) * 1000:8.1f} ms  "
        f"p95 {p95(times) * 1000:8.1f} ms  {queries:5d} queries"
    )


def staff_client(app):
    """A test client signed in as the first active foundation member."""
    staff = db.session.scalar(
        sa.select(User)
        .join(UserRole)
        .where(UserRole.role == "foundation", User.active.is_(True))
        .order_by(User.id)
        .limit(1)
    )
    if staff is None:
        raise SystemExit("no foundation account in this database")
    # A device session as at sign-in (the user loader accepts only a live one).
    devices.start(staff, "bench_qualification")
    db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = staff.get_id()
        session["_fresh"] = True
    return staff, client


def main(argv=None):
    """Run the bench and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database URL of an existing database")
    parser.add_argument("-n", "--runs", type=int, default=10, help="runs per page (default 10)")
    parser.add_argument("--issue", type=int, default=0, help="also issue N certificates")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="lotse-bench-qual-"))
    app = create_app(
        {
            "DATABASE_URL": args.db,
            "DATA_DIR": str(tmp / "data"),
            "SECRET_KEY": "bench",
        },
        instance_path=tmp / "instance",
        environ={},
    )
    with app.app_context(), app.test_request_context():
        people = db.session.scalar(
            sa.select(sa.func.count()).select_from(overview.participants().subquery())
        )
        print(
            f"database: {db.engine.dialect.name}, {people} active participants; "
            f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}"
        )
        base, base_q = timed(lambda: db.session.scalars(overview.participants()).all(), args.runs)
        full, full_q = timed(lambda: states(overview.participants()), max(3, args.runs // 3))
        found = states(overview.participants())
        waiting = sum(
            1
            for steps in found.values()
            if any(s.key == "certificate" and s.state == "pending" for s in steps)
        )
        assert waiting == len(overview.matching("certificate", "pending"))
        db.session.rollback()
        line("baseline: ids of all participants", base, base_q)
        line(f"state of every step of all {people}", full, full_q)
        print(
            f"  -> {waiting} wait for a certificate; "
            f"ratio to baseline {statistics.median(full) / statistics.median(base):.0f}x, "
            f"{statistics.median(full) / max(people, 1) * 1e6:.0f} µs per person"
        )
        decided, decided_q = timed(
            lambda: overview.matching("certificate", "pending"), max(3, args.runs // 3)
        )
        line(f"eligibility of all {people} (SQL narrows, exact rest)", decided, decided_q)
        eligible, eligible_q = timed(lambda: overview.eligible_summary(limit=5), args.runs)
        line("eligible count + first 5 (dashboard panel data)", eligible, eligible_q)
    with app.app_context():
        staff, client = staff_client(app)
        pages = {
            "GET / (foundation dashboard)": "/",
            "GET /certificates/ (overview, page 1)": "/certificates/",
            "GET /certificates/?page=50": "/certificates/?page=50",
            "GET /certificates/?filter=certificate:pending": "/certificates/?filter=certificate:pending",
            "GET /certificates/?filter=q2:started": "/certificates/?filter=q2:started",
            "GET /certificates/?q=mueller": "/certificates/?q=mueller",
        }
        for name, path in pages.items():
            times, queries = timed(lambda path=path: client.get(path), args.runs)
            line(name, times, queries)
        staff = db.session.merge(staff)

        def prepare():
            """The bulk list, not committed."""
            try:
                return bulk.prepare_bulk(staff)
            except bulk.CertificationError:
                return None

        times, queries = timed(prepare, max(3, args.runs // 3))
        line("bulk-issue list (prepare, rolled back)", times, queries)
        job = prepare()
        if job is not None:
            db.session.commit()
            job_id = job.id
            times, queries = timed(lambda: client.get(f"/certificates/bulk/{job_id}"), args.runs)
            line(f"GET /certificates/bulk/<id> (list of {job.total})", times, queries)
            db.session.execute(
                sa.delete(AuditEntry).where(
                    AuditEntry.target_type == "BulkJob", AuditEntry.target_id == str(job_id)
                )
            )
            db.session.execute(sa.delete(BulkJob).where(BulkJob.id == job_id))
            db.session.commit()
        if args.issue:
            issue(staff, args.issue)
    print(f"load average at the end {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


def issue(staff, n):
    """Issue certificates for the first ``n`` people of the bulk list, with progress."""
    start = time.perf_counter()
    job = bulk.prepare_bulk(staff)
    ids = job.user_ids[:n]
    db.session.rollback()
    print(f"bulk list ready after {time.perf_counter() - start:.1f} s; issuing {len(ids)}")
    job = bulk.issue_bulk(
        staff,
        ids,
        chunk=50,
        via="bench",
        progress=lambda j: print(
            f"  {j.processed}/{j.total} after {time.perf_counter() - start:.1f} s", flush=True
        ),
    )
    took = time.perf_counter() - start
    print(
        f"issued {job.issued} (skipped {job.refused}) in {took:.1f} s = "
        f"{took / max(job.total, 1) * 1000:.0f} ms each"
    )


if __name__ == "__main__":
    main()
