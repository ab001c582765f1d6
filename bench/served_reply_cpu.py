"""CPU time per community reply served by gunicorn: the worker, PostgreSQL, Redis, the client.

The posting aim of issue 21 (>= 200 posts/s on 2 cores) is a CPU budget: about 10 ms per
reply for everything on the machine. This sends ``--replies`` replies one after another over
HTTP (with the CSRF token, as a browser) to one gunicorn sync worker, as bench_community
builds and serves it, and prints the CPU milliseconds per reply of each process, read from
/proc (Linux; 10 ms ticks, summed over all replies): figures that depend little on what else
runs on the machine, unlike posts per second.

    python bench/served_reply_cpu.py --db postgresql://… [--replies 1000]
        [--queue-url redis://127.0.0.1:6379/0]
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench.bench_community import built  # noqa: E402
from bench.bench_pages import Client, start_server  # noqa: E402
from bench.bench_scorm_commit import free_port  # noqa: E402
from bench.profile_reply import cpu_seconds  # noqa: E402
from lotse_lms.core import jobs  # noqa: E402
from lotse_lms.extensions import db  # noqa: E402

WARM_UP = 20


def main():
    """Build, serve, post, print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="postgresql://… (its server is measured)")
    parser.add_argument("--replies", type=int, default=1000)
    parser.add_argument("--queue-url", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    sizes = argparse.Namespace(threads=20, posts=10, search_posts=100, followers=30)
    app, tmp, config, ids = built(args.db, "served-reply", sizes, QUEUE_URL=args.queue_url)
    port = free_port()
    server = start_server(tmp, config, port, tmp / "statements.log", workers=1)
    try:
        measure(app, server, port, ids, args.replies)
    finally:
        server.terminate()
        server.wait(timeout=30)
        with app.app_context():
            jobs.queue(app).flush()  # a shared Redis keeps nothing of the run


def measure(app, server, port, ids, replies):
    """Post ``replies`` replies after a warm-up and print the CPU per reply."""
    client = Client(port)
    client.login("autorin")
    path = f"/community/thema/{ids['busy']}"
    token = client.csrf(path)
    signed_in = dict(client.cookies)

    def reply(n):
        status, *_ = client.request(
            "POST", path, {"csrf_token": token, "body": f"Antwort {n}: @folgt1 danke"}
        )
        assert status == 302, status
        client.cookies = dict(signed_in)  # as bench_community: no unread flashes pile up

    for n in range(WARM_UP):
        reply(n)
    worker = subprocess.run(
        ["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=True
    ).stdout.split()
    with app.app_context():
        backends = db.session.scalars(
            sa.text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        ).all()
        redis = jobs.queue(app).storage.conn.info("server")["process_id"]
        db.session.rollback()
        db.engine.dispose()
    processes = {"worker": worker, "postgresql": backends, "redis (shared)": [redis]}
    before = {name: cpu_seconds(pids) for name, pids in processes.items()}
    started, started_cpu = time.perf_counter(), time.process_time()
    for n in range(replies):
        reply(n)
    wall = time.perf_counter() - started
    used = {name: cpu_seconds(pids) - before[name] for name, pids in processes.items()}
    used["client"] = time.process_time() - started_cpu
    per_reply = {name: seconds * 1000 / replies for name, seconds in used.items()}
    print(
        f"{replies} replies one after another, {replies / wall:.0f}/s; CPU ms per reply: "
        + ", ".join(f"{name} {ms:.2f}" for name, ms in per_reply.items())
        + f"; worker + PostgreSQL {per_reply['worker'] + per_reply['postgresql']:.2f}"
    )


if __name__ == "__main__":
    main()
