"""Profile one community reply in-process: statements (listed), ms per reply, cProfile.

Builds a small database like bench_community (a Klassenzimmer, a thread followed by
``--followers`` members, a fifth of them mailed at once), signs the author in with Flask's
test client and posts ``--replies`` replies through the real view, then prints the median
statements and ms per reply, the statements of the last reply and, with ``--profile``, the
top of a cProfile of all replies. Beside the wall-clock time it prints the CPU time per reply
of this process and, on PostgreSQL, of the database's server processes (and of Redis with
``--queue-url redis://…``, which may be shared): figures that depend little on what else runs
on the machine (read from /proc, so on Linux only; 10 ms ticks, summed over all replies).

    python bench/profile_reply.py [--db sqlite|postgresql://…] [--replies 50]
        [--followers 30] [--profile [--cpu] [--sort tottime]] [--quiet-thread]
        [--queue-url redis://…]
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench.bench_community import built  # noqa: E402
from bench.bench_pages import PASSWORD  # noqa: E402
from lotse_lms.core import jobs  # noqa: E402
from lotse_lms.extensions import db  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids):
    """User + system CPU seconds used so far by the processes ``pids`` (from /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICK


def server_pids(app):
    """The PostgreSQL backends of the app's database and the Redis server of its queue."""
    pids = {}
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            pids["postgresql"] = db.session.scalars(
                sa.text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
            ).all()
            db.session.rollback()
        if app.config["QUEUE_URL"].startswith("redis"):
            info = jobs.queue(app).storage.conn.info("server")
            pids["redis (shared)"] = [info["process_id"]]
    return pids


def main():
    """Build, post, print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite")
    parser.add_argument("--replies", type=int, default=50)
    parser.add_argument("--followers", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="cumulative", help="cProfile order (e.g. tottime)")
    parser.add_argument(
        "--cpu", action="store_true", help="profile CPU time (waits for the database left out)"
    )
    parser.add_argument("--lines", type=int, default=40, help="profile lines printed")
    parser.add_argument("--quiet-thread", action="store_true")
    parser.add_argument("--queue-url", default="", help="empty: the embedded SQLite queue")
    args = parser.parse_args()
    sizes = argparse.Namespace(threads=20, posts=10, search_posts=100, followers=args.followers)
    app, _tmp, config, ids = built(
        args.db, "profile-reply", sizes, WTF_CSRF_ENABLED=False, QUEUE_URL=args.queue_url
    )
    with app.app_context():
        statements = []
        sa.event.listen(
            db.engine,
            "before_cursor_execute",
            lambda _c, _cur, statement, *_r: statements.append(statement),
        )
    client = app.test_client()
    client.post("/login", data={"email": "autorin@lotse.example", "password": PASSWORD})
    signed_in = client.get_cookie("session").value
    path = f"/community/thema/{ids['quiet' if args.quiet_thread else 'busy']}"
    client.post(path, data={"body": "Warm-up"})
    pids = server_pids(app)
    servers_before = {name: cpu_seconds(each) for name, each in pids.items()}
    counts, times, cpu = [], [], 0.0
    profiler = cProfile.Profile(time.process_time) if args.cpu else cProfile.Profile()
    for n in range(args.replies):
        # As bench_community: a browser's next page shows the flash; this client does not
        # fetch it, so it keeps the signed-in cookie instead of piling up unread flashes.
        client.set_cookie("session", signed_in)
        statements.clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        if args.profile:
            profiler.enable()
        answer = client.post(path, data={"body": f"Antwort {n}: @folgt1 danke"})
        if args.profile:
            profiler.disable()
        times.append((time.perf_counter() - started) * 1000)
        cpu += time.process_time() - started_cpu
        assert answer.status_code == 302, answer.status_code
        counts.append(len(statements))
    servers = {name: cpu_seconds(each) - servers_before[name] for name, each in pids.items()}
    per_reply = 1000 / args.replies
    print(
        f"{config['DATABASE_URL'].split(':')[0]}: {args.replies} replies, "
        f"median {statistics.median(counts)} statements, {statistics.median(times):.1f} ms "
        f"per reply (min {min(times):.1f}); CPU ms per reply: app {cpu * per_reply:.1f}"
        + "".join(f", {name} {used * per_reply:.1f}" for name, used in servers.items())
    )
    for statement in statements:
        print("   ", " ".join(statement.split())[:150])
    if args.profile:
        stats = pstats.Stats(profiler)
        # Python function calls per reply: a measure of the app's work that load cannot blur.
        print(f"{stats.total_calls / args.replies:.0f} Python function calls per reply")
        stats.sort_stats(args.sort).print_stats(args.lines)
    if args.queue_url:
        with app.app_context():
            jobs.queue(app).flush()  # a shared Redis keeps nothing of the run


if __name__ == "__main__":
    main()
