"""Profile one community reply in-process: statements (listed), ms per reply, cProfile.

Builds a small database like bench_community (a Klassenzimmer, a thread followed by
``--followers`` members, a fifth of them mailed at once), signs the author in with Flask's
test client and posts ``--replies`` replies through the real view, then prints the median
statements and ms per reply, the statements of the last reply and, with ``--profile``, the
top of a cProfile of all replies.

    python bench/profile_reply.py [--db sqlite|postgresql://…] [--replies 50]
        [--followers 30] [--profile] [--quiet-thread]
"""

import argparse
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench.bench_community import build  # noqa: E402
from bench.bench_pages import PASSWORD  # noqa: E402
from lotse_lms import create_app  # noqa: E402
from lotse_lms.extensions import db  # noqa: E402


def main():
    """Build, post, print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite")
    parser.add_argument("--replies", type=int, default=50)
    parser.add_argument("--followers", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="cumulative", help="cProfile order (e.g. tottime)")
    parser.add_argument("--quiet-thread", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="profile-reply-"))
    url = f"sqlite:///{tmp / 'bench.db'}" if args.db == "sqlite" else args.db
    config = {
        "DATABASE_URL": url,
        "SECRET_KEY": "bench",
        "DATA_DIR": str(tmp / "data"),
        "BASE_URL": "http://127.0.0.1",
        "COMMUNITY_PREMODERATE_POSTS": 0,
        "WTF_CSRF_ENABLED": False,
    }
    app = create_app(config, instance_path=tmp / "instance", environ={})
    build_args = argparse.Namespace(
        threads=20, posts=10, search_posts=100, followers=args.followers
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        ids = build(build_args)
        statements = []
        sa.event.listen(
            db.engine,
            "before_cursor_execute",
            lambda _c, _cur, statement, *_r: statements.append(statement),
        )
    client = app.test_client()
    client.post("/login", data={"email": "autorin@lotse.example", "password": PASSWORD})
    path = f"/community/thema/{ids['quiet' if args.quiet_thread else 'busy']}"
    counts, times = [], []
    profiler = cProfile.Profile()
    for n in range(args.replies):
        statements.clear()
        started = time.perf_counter()
        if args.profile:
            profiler.enable()
        answer = client.post(path, data={"body": f"Antwort {n}: @folgt1 danke"})
        if args.profile:
            profiler.disable()
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 302, answer.status_code
        counts.append(len(statements))
    print(
        f"{db.engine.dialect.name if False else url.split(':')[0]}: {args.replies} replies, "
        f"median {statistics.median(counts)} statements, {statistics.median(times):.1f} ms "
        f"per reply (min {min(times):.1f})"
    )
    for statement in statements:
        print("   ", " ".join(statement.split())[:150])
    if args.profile:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(40)


if __name__ == "__main__":
    main()
