"""Community speed (issue 21): pages, full-text search and posting, large against small.

Builds one database with
- a small Klassenzimmer (10 threads, a 10-post thread) and a large one (``--threads`` threads,
  one thread of ``--posts`` posts) for the space index and the thread page;
- ``--search-posts`` posts of German text (words of content/) spread over the large space's
  threads, indexed for the full-text search;
- a thread followed by ``--followers`` members (a fifth of them mailed at once) to post into,
  and an unfollowed thread beside it.
Then serves the app with gunicorn as deployed (``deploy/gunicorn.conf.py``: 2 × cores + 1 sync
workers; ``--workers N`` to choose; ``--in-process`` uses Flask's test client instead) and
prints, each beside its baseline from the same run, with the load average of the machine:
- p50/p95 (ms, to the last byte) and SQL statements per request of the space index and the
  thread page, small against large;
- p95 of each search query by a member of the small Klassenzimmer only (baseline: sees a few
  posts) against a member of the large one (sees all ``--search-posts``);
- posts per second of ``--replies`` replies sent over HTTP by ``--clients`` (2) clients at once, into the
  unfollowed thread and into the followed one, beside GET /healthz (no database) per second
  as the baseline, and their ratio (the aim, 200 posts/s against the 634 req/s of /healthz
  measured on a quiet machine, is a ratio of about 0.32). The request writes the post and
  the thread's counters and enqueues one fan-out job; the bench then runs those jobs here
  (read markers, notifications, mails queued, nothing sent) and prints their rate.
Aims: pages p95 < 200 ms, search p95 < 300 ms, posting >= 200 posts/s (on PostgreSQL).

    python bench/bench_community.py [--db sqlite|postgresql://…] [--threads 10000]
        [--posts 500] [--search-posts 100000] [--requests 20] [--replies 400]
        [--followers 30] [--workers N] [--queue-url redis://…] [--in-process]
"""

import argparse
import os
import random
import re
import runpy
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench.bench_pages import PASSWORD, Client, InProcess, read_log, start_server  # noqa: E402
from bench.bench_scorm_commit import free_port  # noqa: E402
from lotse_lms import create_app  # noqa: E402
from lotse_lms.accounts.operations import create_user  # noqa: E402
from lotse_lms.cohorts.models import Cohort, CohortMember  # noqa: E402
from lotse_lms.community import notify, operations, search  # noqa: E402
from lotse_lms.community.models import Post, Thread  # noqa: E402
from lotse_lms.community.notify_models import FOLLOW, Notification, ThreadWatch  # noqa: E402
from lotse_lms.core import jobs  # noqa: E402
from lotse_lms.core.mail import OutboxMail  # noqa: E402
from lotse_lms.core.timeutil import utcnow  # noqa: E402
from lotse_lms.extensions import db  # noqa: E402

#: (label, query); searched by both readers.
QUERIES = [
    ("one word (moderieren)", "moderieren"),
    ("two words", "Moderation Gruppe"),
    ("phrase", '"die Teilnehmenden"'),
    ("word -excluded", "Methode -Moderation"),
    ("alternatives", "Prüfung oder Zertifikat"),
    ("rare word", "Zeitreise"),
    ("hostile, 1,000 chars", ('"a" & b | !c:* ' * 70)[:1000]),
]
AIMS = {"page": 200, "search": 300, "posting": 200}
#: The posting aim against the /healthz baseline measured beside it on a quiet machine.
AIM_RATIO = 200 / 634


def deployed_workers():
    """The number of sync workers ``deploy/gunicorn.conf.py`` starts on this machine."""
    return runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))["workers"]


def load():
    """The machine's load average (1, 5, 15 minutes) as text."""
    return "load average {:.2f} {:.2f} {:.2f} on {} cores".format(*os.getloadavg(), os.cpu_count())


def vocabulary():
    """German words of the course content, most frequent first (the bench's language)."""
    counts = {}
    for path in sorted((ROOT / "content").rglob("*.md")):
        for word in re.findall(r"[A-Za-zÄÖÜäöüß]{3,}", path.read_text(encoding="utf-8")):
            counts[word] = counts.get(word, 0) + 1
    words = sorted(counts, key=counts.get, reverse=True)
    return words or ["Moderation", "Gruppe", "Methode", "Prüfung"]


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


def fill_text(space, author, count, seed=21):
    """``count`` posts of German text over the threads of ``space`` (bulk), then indexed."""
    words = vocabulary()
    weights = [1 / (rank + 1) for rank in range(len(words))]
    rng = random.Random(seed)
    thread_ids = db.session.scalars(sa.select(Thread.id).where(Thread.space_id == space.id)).all()
    batch = 5000
    for start in range(0, count, batch):
        rows = []
        for n in range(start, min(count, start + batch)):
            text = " ".join(rng.choices(words, weights, k=rng.randint(15, 60)))
            rows.append(
                {"thread_id": thread_ids[n % len(thread_ids)], "author_id": author.id, "body": text}
            )
        db.session.execute(sa.insert(Post), rows)
    db.session.commit()
    indexed = search.reindex()
    db.session.commit()
    if db.engine.dialect.name == "postgresql":  # statistics after the bulk load, as autovacuum
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("ANALYZE"))
    return indexed


def space_with(name, members):
    """A cohort with ``members`` and its Klassenzimmer."""
    cohort = Cohort(name=name, starts_on=date.today(), ends_on=date.today() + timedelta(days=90))
    db.session.add(cohort)
    db.session.flush()
    for user in members:
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=user.id, role="participant"))
    return operations.classroom_of(cohort)


def build(args):
    """The bench database; returns the ids the requests need."""
    account = "{}@lotse.example".format
    reader = create_user(account("leser"), "Leser", roles=["participant"], password=PASSWORD)
    small_reader = create_user(account("klein"), "Klein", roles=["participant"], password=PASSWORD)
    author = create_user(account("autorin"), "Autorin", roles=["trainer"], password=PASSWORD)
    followers = [
        create_user(account(f"folgt{n}"), f"Folgt {n}", roles=["participant"])
        for n in range(args.followers)
    ]
    small = space_with("Klein", [reader, small_reader, author])
    large = space_with("Groß", [reader, author, *followers])
    db.session.commit()
    started = time.perf_counter()
    ids = {"small": small.id, "large": large.id}
    ids["small_thread"] = fill(small, author, 10, 10)
    ids["large_thread"] = fill(large, author, args.threads, args.posts)
    built = time.perf_counter() - started
    started = time.perf_counter()
    indexed = fill_text(large, author, args.search_posts)
    print(
        f"built {args.threads} threads and a {args.posts}-post thread in {built:.1f} s; "
        f"{args.search_posts} text posts, {indexed} posts indexed in "
        f"{time.perf_counter() - started:.1f} s on {db.engine.dialect.name}",
        flush=True,
    )
    quiet = operations.create_thread(large, author, "Ohne Folgende", "Start")
    busy = operations.create_thread(large, author, "Mit Folgenden", "Start")
    for n, user in enumerate(followers):
        db.session.add(ThreadWatch(user_id=user.id, thread_id=busy.id, mode=FOLLOW))
        if n % 5 == 0:
            notify.set_delivery(user, notify.NOW)
    db.session.commit()
    ids["quiet"], ids["busy"] = quiet.id, busy.id
    return ids


def percentiles(times):
    """(p50, p95) of ``times`` in ms."""
    times = sorted(times)
    return statistics.median(times) * 1000, times[
        min(len(times) - 1, int(len(times) * 0.95))
    ] * 1000


def timed_get(client, path, n):
    """(p50 ms, p95 ms, request ids) of ``n`` GETs of ``path`` after one warm-up."""
    client.request("GET", path)
    times, idents = [], []
    for _ in range(n):
        status, _h, _body, _ttfb, total, ident = client.request("GET", path)
        assert status == 200, (path, status)
        times.append(total)
        idents.append(ident)
    return (*percentiles(times), idents)


def statements(log, idents):
    """SQL statements per request (from the server's notes)."""
    time.sleep(0.3)  # the last call_on_close notes
    notes = read_log(log)
    counts = [notes[i][0] for i in idents if i in notes]
    return statistics.median(counts) if counts else float("nan")


def post_replies(make_client, thread_id, replies, parallel=2):
    """Send ``replies`` replies to ``thread_id`` from ``parallel`` clients at once; posts/s."""
    path = f"/community/thema/{thread_id}"
    clients = [make_client() for _ in range(parallel)]
    tokens = [client.csrf(path) for client in clients]
    failures = []

    def run(client, token, count):
        signed_in = dict(client.cookies)
        for n in range(count):
            status, *_ = client.request(
                "POST", path, {"csrf_token": token, "body": f"Antwort {n}: @folgt1 danke"}
            )
            if status != 302:
                failures.append(status)
            # A browser follows the redirect and the thread page shows (and so removes) the
            # "Antwort gespeichert" message; this client does not fetch the page, so it keeps
            # its cookie as after sign-in instead of piling up hundreds of unread messages in
            # the session cookie (far beyond a browser's 4 KB), which each request would then
            # decode and sign again.
            client.cookies = dict(signed_in)

    workers = [
        threading.Thread(target=run, args=(client, token, replies // parallel))
        for client, token in zip(clients, tokens, strict=True)
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    if failures:
        print(f"    {len(failures)} replies failed: {sorted(set(failures))}")
    return (replies // parallel) * parallel / elapsed


def requests_per_second(make_client, path, count, parallel=2):
    """GETs of ``path`` per second from ``parallel`` clients at once (the machine's floor)."""
    clients = [make_client() for _ in range(parallel)]

    def run(client):
        for _ in range(count // parallel):
            client.request("GET", path)

    workers = [threading.Thread(target=run, args=(client,)) for client in clients]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return (count // parallel) * parallel / (time.perf_counter() - started)


def mark(value, aim, higher=False):
    """'!' beside a figure that misses its aim."""
    ok = value >= aim if higher else value < aim
    return " " if ok else "!"


def built(db_url, name, sizes, **settings):
    """The app on a fresh database (``db_url``, or "sqlite" for a file in a new folder) filled
    by :func:`build` with ``sizes`` (threads, posts, search_posts, followers); ``settings`` add
    to the config. Returns (app, folder, config, ids)."""
    tmp = Path(tempfile.mkdtemp(prefix=f"{name}-"))
    config = {
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}" if db_url == "sqlite" else db_url,
        "SECRET_KEY": "bench",
        "DATA_DIR": str(tmp / "data"),
        "BASE_URL": "http://127.0.0.1",
        # Measured: published posts; the new author's first posts would wait for a moderator.
        "COMMUNITY_PREMODERATE_POSTS": 0,
        # QUEUE_URL empty: the embedded SQLite queue in the instance folder (production: Redis).
        "QUEUE_NAME": f"{name}-{os.getpid()}",
        **settings,
    }
    app = create_app(config, instance_path=tmp / "instance", environ={})
    with app.app_context():
        db.drop_all()
        db.create_all()
        ids = build(sizes)
        db.engine.dispose()
    return app, tmp, config, ids


def main():
    """Build the database, serve it, print one line per figure."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite")
    parser.add_argument("--threads", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=500)
    parser.add_argument("--search-posts", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--replies", type=int, default=400)
    parser.add_argument("--followers", type=int, default=30)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--queue-url", default="")
    parser.add_argument(
        "--clients", type=int, default=2, help="clients posting at once (and fetching /healthz)"
    )
    parser.add_argument("--in-process", action="store_true")
    args = parser.parse_args()
    workers = args.workers or deployed_workers()
    app, tmp, config, ids = built(args.db, "bench-community", args, QUEUE_URL=args.queue_url)
    log = tmp / "statements.log"
    server = None
    if args.in_process:
        from bench import bench_pages

        with app.app_context():
            sa.event.listen(
                db.engine,
                "before_cursor_execute",
                lambda *_a: bench_pages.COUNT.__setitem__("n", bench_pages.COUNT["n"] + 1),
            )

        def make_client():
            return InProcess(app, log)

        how = "in-process (Flask test client)"
    else:
        port = free_port()
        server = start_server(tmp, config, port, log, workers=workers)

        def make_client():
            return Client(port)

        how = f"gunicorn, {workers} sync workers" + (
            " (as deploy/gunicorn.conf.py: 2 x cores + 1)" if workers == deployed_workers() else ""
        )
    queue = args.queue_url or "the embedded SQLite queue"
    print(f"serving: {how}; jobs on {queue}; {load()} (shared with other developers' work)")
    try:
        if args.in_process:
            ctx = app.app_context()
            ctx.push()
        report(args, ids, make_client, log)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    with app.app_context():
        waiting = jobs.queue(app).pending_count()
        started = time.perf_counter()
        ran = jobs.run_pending(app, limit=waiting + 10_000)
        took = time.perf_counter() - started
        fanned = db.session.scalar(
            sa.select(sa.func.count(Post.id)).where(Post.notified_at.is_not(None))
        )
        print(
            f"fan-out afterwards, in this process as a worker would: {ran} jobs "
            f"({waiting} waiting) in {took:.1f} s, {ran / took if took else 0:.0f} jobs/s; "
            f"{fanned} posts told; {load()}"
        )
        if args.queue_url:
            jobs.queue(app).flush()  # a shared Redis keeps nothing of the bench
        notes = db.session.scalar(sa.select(sa.func.count(Notification.id)))
        mails = db.session.execute(
            sa.select(OutboxMail.sent_at.is_(None), sa.func.count()).group_by(
                OutboxMail.sent_at.is_(None)
            )
        ).all()
        print(f"notifications enqueued: {notes}; outbox (unsent?, count): {mails}")


def report(args, ids, make_client, log):
    """Measure and print every figure."""
    reader = make_client()
    reader.login("leser")
    small_reader = make_client()
    small_reader.login("klein")
    pages = [
        ("space index", "/community/bereich/{space}"),
        ("space index, last page", "/community/bereich/{space}?page=999999"),
        ("thread, first page", "/community/thema/{thread}"),
        ("thread, last page", "/community/thema/{thread}?page=999999"),
        ("new since last visit", "/community/neu"),
    ]
    print(f"pages (aim p95 < {AIMS['page']} ms), small | large:")
    for label, pattern in pages:
        small = timed_get(
            reader,
            pattern.format(space=ids["small"], thread=ids["small_thread"]),
            args.requests,
        )
        large = timed_get(
            reader,
            pattern.format(space=ids["large"], thread=ids["large_thread"]),
            args.requests,
        )
        print(
            f"  {label:24} small p50 {small[0]:6.1f} p95 {small[1]:6.1f} ms "
            f"({statements(log, small[2]):.0f} SQL) | large p50 {large[0]:6.1f} "
            f"p95 {large[1]:6.1f} ms ({statements(log, large[2]):.0f} SQL)"
            f"{mark(large[1], AIMS['page'])} | ratio {large[1] / small[1]:.2f}",
            flush=True,
        )
    print(
        f"search (aim p95 < {AIMS['search']} ms), a reader of a few posts | of {args.search_posts}:"
    )
    for label, query in QUERIES:
        path = "/community/suche?" + urllib.parse.urlencode({"q": query})
        small = timed_get(small_reader, path, args.requests)
        large = timed_get(reader, path, args.requests)
        print(
            f"  {label:24} small p50 {small[0]:6.1f} p95 {small[1]:6.1f} ms | "
            f"large p50 {large[0]:6.1f} p95 {large[1]:6.1f} ms "
            f"({statements(log, large[2]):.0f} SQL){mark(large[1], AIMS['search'])}",
            flush=True,
        )

    signed_in = make_client()
    signed_in.login("autorin")

    def author():
        """A client of the author's (one sign-in shared: the sign-in limit would refuse many)."""
        client = make_client()
        client.cookies = dict(signed_in.cookies)
        return client

    clients = args.clients
    floor = requests_per_second(make_client, "/healthz", args.replies, clients)
    quiet = post_replies(author, ids["quiet"], args.replies, clients)
    busy = post_replies(author, ids["busy"], args.replies, clients)
    print(
        f"posting (aim >= {AIMS['posting']} posts/s, about {AIM_RATIO:.2f} of /healthz), "
        f"{clients} clients at once; {load()}:\n"
        f"  baseline GET /healthz (no database) {floor:6.0f} req/s\n"
        f"  unfollowed thread {quiet:6.0f} posts/s (ratio {quiet / floor:.2f})"
        f"{mark(quiet / floor, AIM_RATIO, higher=True)}\n"
        f"  followed by {args.followers} (fan-out job enqueued: notifications, a fifth mailed "
        f"at once) {busy:6.0f} posts/s (ratio {busy / floor:.2f})"
        f"{mark(busy, AIMS['posting'], higher=True)}{mark(busy / floor, AIM_RATIO, higher=True)}",
        flush=True,
    )


if __name__ == "__main__":
    main()
