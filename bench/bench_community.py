"""Community pages as the rows grow: the space index and a thread page, small against large.

Builds (in-process, Flask test client) a Klassenzimmer with ``--threads`` threads and one
thread with ``--posts`` posts, inserted in bulk, next to a small space (10 threads, 10 posts)
as the baseline in the same process. Prints p50/p95 (ms) and SQL statements per request of
each page, and the ratio of the large p95 to the small one.

    python bench/bench_community.py [--db sqlite|postgresql://…] [--threads 10000]
        [--posts 500] [--requests 20]
"""

import argparse
import re
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from lotse_lms import create_app  # noqa: E402
from lotse_lms.accounts.operations import create_user  # noqa: E402
from lotse_lms.cohorts.models import Cohort, CohortMember  # noqa: E402
from lotse_lms.community import operations  # noqa: E402
from lotse_lms.community.models import Post, Thread  # noqa: E402
from lotse_lms.core.timeutil import utcnow  # noqa: E402
from lotse_lms.extensions import db  # noqa: E402

PASSWORD = "bench-passwort-123"  # noqa: S105 - a throw-away account of the bench database


def fill(space, author, threads, posts):
    """``threads`` threads in ``space`` (bulk), the newest with ``posts`` posts; its id."""
    now = utcnow()
    db.session.execute(
        sa.insert(Thread),
        [
            {
                "space_id": space.id,
                "title": f"Thema {n}",
                "author_id": author.id,
                "created_at": now - timedelta(minutes=threads - n),
                "last_post_at": now - timedelta(minutes=threads - n),
                "post_count": 1,
            }
            for n in range(threads - 1)
        ],
    )
    thread = operations.create_thread(space, author, "Langes Thema", "Erster Beitrag")
    db.session.execute(
        sa.insert(Post),
        [
            {"thread_id": thread.id, "author_id": author.id, "body": f"**Antwort** {n}"}
            for n in range(posts - 1)
        ],
    )
    last = db.session.scalar(sa.select(sa.func.max(Post.id)).where(Post.thread_id == thread.id))
    thread.last_post_id, thread.post_count = last, posts
    db.session.commit()
    return thread.id


def space_with(name, members):
    """A cohort with ``members`` and its Klassenzimmer."""
    cohort = Cohort(name=name, starts_on=date.today(), ends_on=date.today() + timedelta(days=90))
    db.session.add(cohort)
    db.session.flush()
    for user in members:
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=user.id, role="participant"))
    return operations.classroom_of(cohort)


def measure(client, path, requests, engine):
    """(p50 ms, p95 ms, statements per request) of ``requests`` GETs after one warm-up."""
    statements = []

    def note(*_args):
        statements.append(1)

    sa.event.listen(engine, "before_cursor_execute", note)
    client.get(path)
    times = []
    statements.clear()
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(path)
        response.get_data()
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    sa.event.remove(engine, "before_cursor_execute", note)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return statistics.median(times), p95, len(statements) / requests


def main():
    """Build both spaces and print one line per page."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite")
    parser.add_argument("--threads", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=500)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-community-"))
    url = f"sqlite:///{tmp / 'bench.db'}" if args.db == "sqlite" else args.db
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "DATA_DIR": str(tmp / "data"),
            # Measured: published posts; the new author's first posts would wait for a moderator.
            "COMMUNITY_PREMODERATE_POSTS": 0,
        },
        instance_path=tmp / "instance",
        environ={},
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        reader = create_user("leser@example.org", "Leser", roles=["participant"], password=PASSWORD)
        author = create_user("autorin@example.org", "Autorin", roles=["trainer"])
        small = space_with("Klein", [reader, author])
        large = space_with("Groß", [reader, author])
        db.session.commit()
        started = time.perf_counter()
        small_thread = fill(small, author, 10, 10)
        large_thread = fill(large, author, args.threads, args.posts)
        print(
            f"built {args.threads} threads and {args.posts} posts in "
            f"{time.perf_counter() - started:.1f} s on {db.engine.dialect.name}"
        )
        small_id, large_id, engine = small.id, large.id, db.engine
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    answer = client.post(
        "/login", data={"email": "leser@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert answer.status_code == 302, "sign-in failed"
    pages = [
        ("space index", "/community/bereich/{space}"),
        ("space index, last page", "/community/bereich/{space}?page=999999"),
        ("thread, first page", "/community/thema/{thread}"),
        ("thread, last page", "/community/thema/{thread}?page=999999"),
        ("new since last visit", "/community/neu"),
    ]
    with app.app_context():
        for label, pattern in pages:
            base = measure(
                client, pattern.format(space=small_id, thread=small_thread), args.requests, engine
            )
            big = measure(
                client, pattern.format(space=large_id, thread=large_thread), args.requests, engine
            )
            print(
                f"{label:24} small p50 {base[0]:6.1f} p95 {base[1]:6.1f} ms ({base[2]:.0f} SQL) | "
                f"large p50 {big[0]:6.1f} p95 {big[1]:6.1f} ms ({big[2]:.0f} SQL) | "
                f"p95 ratio {big[1] / base[1]:.2f}"
            )


if __name__ == "__main__":
    main()
