"""Speed of Q2 enrolment under contention: N Lotsen enrol at once in one session.

Each thread has its own app context and connection and starts behind a barrier, as in
the concurrency test. Prints enrolments per second and, as a baseline measured in the
same run, the same number of bare INSERTs of registration rows without locks or rules.

    python bench/bench_q2_enrol.py [-n 50] [--capacity 10] [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from lotse_lms import create_app  # noqa: E402
from lotse_lms.accounts.models import User  # noqa: E402
from lotse_lms.accounts.operations import create_user  # noqa: E402
from lotse_lms.extensions import db  # noqa: E402
from lotse_lms.modules.q2 import operations, registrations  # noqa: E402
from lotse_lms.modules.q2.models import SessionRegistration  # noqa: E402


def _app(url, tmp):
    """An app on a fresh schema with a connection per thread."""
    app = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "bench", "DATA_DIR": str(tmp / "data")},
        instance_path=tmp / "instance",
        environ={},
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def _race(app, n, work):
    """Run work(i) in n threads released together; return elapsed seconds."""
    barrier = threading.Barrier(n + 1)

    def run(i):
        """One simulated request."""
        with app.app_context():
            db.session.connection()
            barrier.wait()
            work(i)
            db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - start


def main():
    """Set up, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50)
    parser.add_argument("--capacity", type=int, default=10)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-q2-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
    app = _app(url, tmp)
    with app.app_context():
        engines = db._app_engines[app]
        engines[None] = sa.create_engine(engines[None].url, pool_size=args.n + 5, max_overflow=0)
        trainer = create_user("t@bench.example", "Trainer", roles=["trainer"])
        day = datetime.now() + timedelta(days=30)
        start = day.replace(hour=9, minute=0, second=0, microsecond=0)
        data = {
            "title": "Bench",
            "topic": "moderating",
            "format": "virtual",
            "meeting_url": "https://meet.example.org/x",
            "capacity": args.capacity,
            "dates": [(start, start + timedelta(hours=3))],
            "trainer_ids": [trainer.id],
        }
        session = operations.create_session(trainer, data)
        baseline_session = operations.create_session(
            trainer,
            dict(
                data,
                title="Baseline",
                dates=[(start + timedelta(days=1), start + timedelta(days=1, hours=3))],
            ),
        )
        ids = [
            create_user(f"l{i}@bench.example", f"Lotse {i}", roles=["participant"]).id
            for i in range(args.n)
        ]
        db.session.commit()
        sid, bid = session.id, baseline_session.id

    enrol = _race(app, args.n, lambda i: registrations.enrol(db.session.get(User, ids[i]), sid))
    bare = _race(
        app,
        args.n,
        lambda i: db.session.add(SessionRegistration(session_id=bid, user_id=ids[i], queue_no=i)),
    )
    with app.app_context():
        enrolled = db.session.scalar(
            sa.select(sa.func.count()).where(
                SessionRegistration.session_id == sid, SessionRegistration.status == "enrolled"
            )
        )
    print(
        f"database: {url.split(':')[0]}, {args.n} simultaneous enrolments, capacity {args.capacity}"
    )
    print(
        f"enrol (lock, rules, audit, mail): {enrol:.3f} s  = {args.n / enrol:.0f}/s, enrolled {enrolled}"
    )
    print(f"baseline (bare INSERT):           {bare:.3f} s  = {args.n / bare:.0f}/s")
    print(f"ratio: {enrol / bare:.1f}x")


if __name__ == "__main__":
    main()
