"""Speed of the job queue: mails sent through queued jobs against sending them in-process.

Queues N mails (no SMTP: each is logged and marked sent), then either calls
``mail.send_pending`` directly (the baseline, measured in the same run) or enqueues one
``mail.send`` job per mail on the embedded SQLite queue and on Redis and drains the queue
with ``jobs.run_pending`` (what a worker does, without its polling delay).

    python bench/bench_jobs.py [-n 200] [--redis redis://127.0.0.1:6379/7]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lotse_lms import create_app  # noqa: E402
from lotse_lms.core import jobs, mail  # noqa: E402
from lotse_lms.extensions import db  # noqa: E402


def _app(tmp, queue_url):
    """An app on a fresh SQLite schema with the given queue."""
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
            "SECRET_KEY": "bench",
            "DATA_DIR": str(tmp / "data"),
            "QUEUE_URL": queue_url,
            "QUEUE_NAME": "lotse-bench",
        },
        instance_path=tmp / "instance",
        environ={},
    )
    app.logger.setLevel(logging.WARNING)  # the no-SMTP log line per mail is not measured
    with app.app_context():
        db.create_all()
    return app


def _queue_mails(n):
    """Put ``n`` mails in the outbox."""
    for i in range(n):
        mail.queue(f"person{i}@example.org", "Bench", "Text")
    db.session.commit()


def run(n, queue_url, via_jobs):
    """Seconds to send ``n`` mails, directly or one job per mail."""
    with tempfile.TemporaryDirectory() as tmp:
        app = _app(Path(tmp), queue_url)
        with app.app_context():
            jobs.queue(app).flush()
            _queue_mails(n)
            start = time.perf_counter()
            if via_jobs:
                for _ in range(n):
                    jobs.enqueue("mail.send")
                jobs.run_pending(app, limit=n + 10)
            else:
                mail.send_pending(limit=n)
            elapsed = time.perf_counter() - start
            assert not mail.pending(), "mails left unsent"
            jobs.queue(app).flush()
            db.engine.dispose()
    return elapsed


def main():
    """Print mails per second for each way and the ratio to the in-process baseline."""
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    args = parser.parse_args()
    base = run(args.n, "", via_jobs=False)
    print(f"in-process send_pending: {args.n / base:8.1f} mails/s (baseline)")
    for label, url in (("SQLite queue", ""), ("Redis queue", args.redis)):
        took = run(args.n, url, via_jobs=True)
        print(f"{label:>23}: {args.n / took:8.1f} mails/s  ({took / base:.2f}x the baseline time)")


if __name__ == "__main__":
    main()
