"""Page times at national scale: every role's pages on the demo and on a 10,000-learner database.

For each database (SQLite, PostgreSQL) it builds the demo database and the national one
(bench/national.py; ``--reuse`` keeps databases built by an earlier run with the same size),
serves each with gunicorn (2 sync workers) in turn and fetches every page of the list below
as its role, ``--requests`` times after one warm-up. Per page it prints p50/p95 (ms, to the
last byte), time to the first byte for CSV exports, the answer's size, SQL statements per
request (counted by an SQLAlchemy event in the bench's WSGI module, up to the end of the
streamed answer) and the worker's peak memory, and for the national database the ratio of
p95 to the demo's. Marks a national figure over the aims of issue 17 (HTML p95 300 ms and
200 KB; CSV first byte 500 ms and total 3 s) with "!".

    python bench/bench_pages.py [--db sqlite,postgresql] [--learners 10000] [--requests 10]
        [--reuse] [--only SUBSTRING]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench.bench_scorm_commit import free_port  # noqa: E402
from bench.national import build  # noqa: E402

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/lotse_bench_pages"
PASSWORD = "demo-passwort"  # noqa: S105 - the demo password, printed by make run
WSGI = """
import json, os, resource
from flask import g, request
from sqlalchemy import event
from lotse_lms import create_app
from lotse_lms.extensions import db

app = create_app(json.loads(os.environ["BENCH_CONFIG"]), instance_path=os.environ["BENCH_INSTANCE"], environ={})
LOG = os.environ["BENCH_LOG"]
COUNT = {"n": 0}

with app.app_context():
    @event.listens_for(db.engine, "before_cursor_execute")
    def _count(*_args):
        COUNT["n"] += 1

@app.before_request
def _start():
    COUNT["n"] = 0

@app.after_request
def _note(response):
    ident = request.headers.get("X-Bench-Id")
    if ident:
        def _write():
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            with open(LOG, "a") as out:
                out.write(f"{ident} {COUNT['n']} {rss}\\n")
        response.call_on_close(_write)
    return response
"""

#: (label, account, path); {name} parts are filled from ids() of the database.
PAGES = [
    ("participant: dashboard", "teilnehmerin", "/"),
    ("participant: Q1 catalogue", "teilnehmerin", "/q1/"),
    ("participant: Q2 catalogue", "teilnehmerin", "/q2/"),
    ("participant: my mentoring", "teilnehmerin", "/mentoring/me"),
    ("trainer: dashboard", "trainer", "/"),
    ("trainer: Q1 package report", "trainer", "/q1/packages/{package}/report"),
    ("trainer: Q1 report CSV", "trainer", "/q1/packages/{package}/report.csv"),
    ("trainer: Q1 learner detail", "trainer", "/q1/packages/{package}/report/{learner}"),
    ("trainer: Q2 manage", "trainer", "/q2/manage"),
    ("trainer: Q2 session", "trainer", "/q2/manage/{q2_session}"),
    ("trainer: Q2 participants CSV", "trainer", "/q2/manage/{q2_session}/participants.csv"),
    ("trainer: Q2 export all CSV", "trainer", "/q2/manage/export.csv"),
    ("trainer: RT index", "trainer", "/reflecting-team/"),
    ("trainer: RT new session form", "trainer", "/reflecting-team/sessions/new"),
    ("trainer: person search", "trainer", "/people/search?pool=rt_member&q=er"),
    ("mentor: dashboard", "mentorin", "/"),
    ("mentor: mentee list", "mentorin", "/mentoring/mentees"),
    ("mentor: one mentee", "mentorin", "/mentoring/mentees/{mentee}"),
    ("reflecting: dashboard", "reflecting", "/"),
    ("reflecting: RT index", "reflecting", "/reflecting-team/"),
    ("foundation: dashboard", "stiftung", "/"),
    ("foundation: verification queue", "stiftung", "/foundation/verification"),
    ("foundation: mentoring assignments", "stiftung", "/mentoring/assignments"),
    ("foundation: assign a mentor", "stiftung", "/mentoring/assignments/{learner}"),
    ("foundation: RT index", "stiftung", "/reflecting-team/"),
    ("foundation: RT participation", "stiftung", "/reflecting-team/participation"),
    ("foundation: certificate overview", "stiftung", "/certificates/"),
    ("foundation: overview, page 50", "stiftung", "/certificates/?page=50"),
    ("foundation: overview, eligible", "stiftung", "/certificates/?filter=certificate:pending"),
    ("foundation: overview, Q2 begun", "stiftung", "/certificates/?filter=q2:started"),
    ("foundation: overview, Q1 begun", "stiftung", "/certificates/?filter=q1:started"),
    ("foundation: overview, mentor open", "stiftung", "/certificates/?filter=mentor:open"),
    ("foundation: certificate of a person", "stiftung", "/certificates/people/{learner}"),
    ("admin: dashboard", "admin", "/"),
    ("admin: user list", "admin", "/users"),
    ("admin: edit user", "admin", "/users/{learner}"),
    ("admin: audit log", "admin", "/audit"),
    ("admin: audit log, one area", "admin", "/audit?area=q2"),
    ("admin: audit log, search", "admin", "/audit?q=erika"),
    ("admin: outbox", "admin", "/outbox"),
    ("admin: outbox, parked", "admin", "/outbox?state=parked"),
]
#: A page whose warm-up takes longer (seconds) is measured by that one request only.
SLOW = 3.0
#: Seconds the client waits for an answer (gunicorn's worker timeout is longer).
TIMEOUT = 280
#: Foundation: the bulk-issue list (POST /certificates/bulk, then its page).
BULK = ("foundation: bulk-issue list", "stiftung")


def ids(url):
    """Ids the page paths need; the demo's own rows, so equal in both databases."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:

        def one(sql):
            return conn.execute(sa.text(sql)).scalar()

        found = {
            "package": one("SELECT id FROM q1_packages WHERE module_key = 'tools-methoden'"),
            "learner": one("SELECT id FROM users WHERE email = 'erika.bereit@lotse.example'"),
            "mentee": one(
                "SELECT a.mentee_id FROM mentor_assignments a JOIN users u ON u.id = a.mentor_id"
                " WHERE u.email = 'mentorin@lotse.example' AND a.ended_at IS NULL"
                " ORDER BY a.id LIMIT 1"
            ),
            "q2_session": one(
                "SELECT s.id FROM q2_sessions s JOIN q2_session_trainers t ON t.session_id = s.id"
                " JOIN users u ON u.id = t.user_id WHERE u.email = 'trainer@lotse.example'"
                " ORDER BY s.id LIMIT 1"
            ),
        }
    engine.dispose()
    return found


class Client:
    """A cookie-keeping HTTP client on one keep-alive connection to the bench server."""

    def __init__(self, port):
        """Connect to 127.0.0.1:``port``."""
        self.port, self.cookies, self.n = port, {}, 0
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)

    def reconnect(self):
        """A new connection (after a timeout or a closing answer)."""
        self.conn.close()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)

    def request(self, method, path, body=None):
        """One request; returns (status, headers, body, seconds to first byte, to last, id)."""
        self.n += 1
        ident = f"{os.getpid()}-{id(self)}-{self.n}"
        headers = {"X-Bench-Id": ident, "Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            body = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        answer = self.conn.getresponse()
        first = answer.read(1)
        ttfb = time.perf_counter() - start
        data = first + answer.read()
        total = time.perf_counter() - start
        for value in answer.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = value.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        if answer.getheader("Connection", "").lower() == "close":
            self.reconnect()
        return answer.status, answer.headers, data, ttfb, total, ident

    def login(self, account):
        """Sign in as ``account``@lotse.example."""
        _s, _h, page, *_ = self.request("GET", "/login")
        token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page)
        token = token or re.search(rb'id="csrf_token" name="csrf_token"[^>]*value="([^"]+)"', page)
        status, headers, *_ = self.request(
            "POST",
            "/login",
            {
                "csrf_token": token.group(1).decode(),
                "email": f"{account}@lotse.example",
                "password": PASSWORD,
            },
        )
        if status != 302:
            raise SystemExit(f"sign-in of {account} failed: {status}")
        return page

    def csrf(self, path):
        """The CSRF token of the form on ``path``."""
        _s, _h, page, *_ = self.request("GET", path)
        match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
            rb'value="([^"]+)"[^>]*name="csrf_token"', page
        )
        return match.group(1).decode() if match else ""


class InProcess(Client):
    """The same client on the app in this process (Flask's test client): no gunicorn, for a
    quick look on a busy machine; counts statements with the same event."""

    def __init__(self, app, log):
        """A test client of ``app``; statement counts go to ``log`` like the server's."""
        self.app, self.log, self.n, self.port = app, log, 0, 0
        self.client = app.test_client()
        self.cookies = {"in-process": "1"}

    def reconnect(self):
        """Nothing to reconnect."""

    def request(self, method, path, body=None):
        """One request through the test client, timed to the last byte."""
        self.n += 1
        ident = f"inproc-{id(self)}-{self.n}"
        COUNT["n"] = 0
        start = time.perf_counter()
        answer = self.client.open(
            path, method=method, data=body, buffered=False, base_url=self.app.config["BASE_URL"]
        )
        chunks = iter(answer.response)
        first = next(chunks, b"")
        ttfb = time.perf_counter() - start
        data = (first if isinstance(first, bytes) else first.encode()) + b"".join(
            c if isinstance(c, bytes) else c.encode() for c in chunks
        )
        answer.close()
        total = time.perf_counter() - start
        with open(self.log, "a") as out:
            out.write(f"{ident} {COUNT['n']} 0\n")
        return answer.status_code, answer.headers, data, ttfb, total, ident


#: Statements of the in-process app since the last request began.
COUNT = {"n": 0}


def start_server(workdir, config, port, log, workers=2):
    """gunicorn with ``workers`` sync workers on ``config``; returns the process once it
    answers."""
    (workdir / "bench_pages_wsgi.py").write_text(WSGI)
    env = dict(
        os.environ,
        BENCH_CONFIG=json.dumps(config),
        BENCH_INSTANCE=str(Path(config["DATA_DIR"]).parent / "instance"),
        BENCH_LOG=str(log),
        PYTHONPATH=f"{ROOT}:{workdir}",
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [str(gunicorn), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", "300"]
        + ["--log-level", "warning", "bench_pages_wsgi:app"],
        cwd=workdir,
        env=env,
    )
    deadline = time.time() + 60 + 30 * workers  # every worker imports the app; on a busy machine
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/login")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("gunicorn did not start")


def read_log(log):
    """{request id: (statements, worker peak RSS in MB)} from the server's notes."""
    found = {}
    if log.exists():
        for line in log.read_text().splitlines():
            ident, count, rss = line.split()
            found[ident] = (int(count), int(rss) / 1024)
    return found


def measure(port, log, pages, values, n, app=None):
    """Fetch every page n times after one warm-up; return {label: figures}."""
    clients, results = {}, {}
    for label, account, path in pages:
        client = clients.get(account)
        if client is None:
            client = clients[account] = InProcess(app, log) if app else Client(port)
            client.login(account)
        path = path.format(**values)
        runs = []
        print(f"    {label} ...", end="", flush=True, file=sys.stderr)
        for i in range(n + 1):
            try:
                status, headers, body, ttfb, total, ident = client.request("GET", path)
            except TimeoutError:
                print(f"    {label}: no answer within {TIMEOUT} s", flush=True)
                client.reconnect()
                break
            if status != 200:
                print(f"    {label}: HTTP {status} for {path}", flush=True)
                break
            if i or total > SLOW:
                runs.append((ttfb, total, len(body), ident, headers.get("Content-Type", "")))
            if total > SLOW:  # one sample of a page that takes seconds is enough
                break
        print(" done", flush=True, file=sys.stderr)
        if runs:
            results[label] = runs
    bulk = bulk_list(port, clients.get("stiftung") or Client(port), n) if not app else None
    if bulk:
        results[BULK[0]] = bulk
    time.sleep(0.5)  # the last call_on_close notes
    notes = read_log(log)
    figures = {}
    for label, runs in results.items():
        totals = sorted(r[1] for r in runs)
        firsts = sorted(r[0] for r in runs)
        counts = [notes.get(r[3], (None, None)) for r in runs]
        queries = sorted({c[0] for c in counts if c[0] is not None})
        figures[label] = {
            "p50": statistics.median(totals) * 1000,
            "p95": totals[max(0, int(len(totals) * 0.95 + 0.5) - 1)] * 1000,
            "ttfb": statistics.median(firsts) * 1000,
            "size": runs[-1][2],
            "queries": queries,
            "rss": max((c[1] for c in counts if c[1]), default=0),
            "csv": "csv" in runs[-1][4],
        }
    return figures


def bulk_list(port, client, n):
    """The bulk-issue list: POST /certificates/bulk (the list as it is today), then its page."""
    if not client.cookies:
        client.login("stiftung")
    runs = []
    token = client.csrf("/certificates/")
    status, headers, *_ = client.request("POST", "/certificates/bulk", {"csrf_token": token})
    if status not in (302, 303):
        print(f"    {BULK[0]}: HTTP {status}", flush=True)
        return runs
    location = urllib.parse.urlsplit(headers["Location"]).path
    for i in range(n + 1):
        status, headers, body, ttfb, total, ident = client.request("GET", location)
        if (i or total > SLOW) and status == 200:
            runs.append((ttfb, total, len(body), ident, headers.get("Content-Type", "")))
        if total > SLOW:
            break
    return runs


def fmt_queries(queries):
    """'7' or '7-9' (a page whose count varies between requests)."""
    if not queries:
        return "?"
    return str(queries[0]) if len(queries) == 1 else f"{queries[0]}-{queries[-1]}"


def load_average():
    """The machine's load average (1, 5, 15 minutes) as text: figures depend on it."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def report(name, demo, national, learners):
    """Print one line per page: demo and national figures, ratio, aims."""
    print(
        f"\n{name}: p50/p95 ms to the last byte (first byte for CSV), size, SQL statements,"
        f" worker peak RSS; demo | {learners} learners; load average {load_average()}"
    )
    print(
        f"{'page':<38} {'demo p50/p95':>13} {'q':>5} {'size':>8} | {'national p50/p95':>17}"
        f" {'first':>7} {'q':>7} {'size':>9} {'RSS MB':>7} {'p95 x':>6}"
    )
    for label in [p[0] for p in PAGES] + [BULK[0]]:
        d, g = demo.get(label), national.get(label)
        if not g:
            print(f"{label:<38} (no figures)")
            continue
        flag = ""
        if g["csv"]:
            flag = " !" if g["ttfb"] > 500 or g["p95"] > 3000 else ""
        elif g["p95"] > 300 or g["size"] > 200_000:
            flag = " !"
        demo_part = (
            f"{d['p50']:6.0f}/{d['p95']:<6.0f} {fmt_queries(d['queries']):>5} {d['size'] / 1024:7.0f}K"
            if d
            else f"{'-':>13} {'-':>5} {'-':>8}"
        )
        ratio = f"{g['p95'] / d['p95']:6.1f}" if d else "     -"
        print(
            f"{label:<38} {demo_part} | {g['p50']:8.0f}/{g['p95']:<8.0f}"
            f" {g['ttfb'] if g['csv'] else 0:7.0f} {fmt_queries(g['queries']):>7}"
            f" {g['size'] / 1024:8.0f}K {g['rss']:7.0f} {ratio}{flag}",
            flush=True,
        )


def measure_in_process(workdir, config, log, pages, n):
    """measure() on the app in this process."""
    # Imported here: only the in-process mode builds the app in this process.
    from lotse_lms import create_app
    from lotse_lms.extensions import db

    instance = str(Path(config["DATA_DIR"]).parent / "instance")
    app = create_app(dict(config, SERVER_NAME=None), instance_path=instance, environ={})
    with app.app_context():
        engine = db.engine
    # No app context around the requests: each request gets its own (and its own g).
    sa.event.listen(engine, "before_cursor_execute", _count)
    try:
        return measure(0, log, pages, ids(config["DATABASE_URL"]), n, app=app)
    finally:
        sa.event.remove(engine, "before_cursor_execute", _count)
        engine.dispose()


def _count(*_args):
    """Count a statement of the in-process app."""
    COUNT["n"] += 1


def database(name, pg_url, learners, base, reuse):
    """Build (or reuse) the demo and the national database of one kind; their configs."""
    configs = {}
    for kind, size in (("demo", 0), ("national", learners)):
        workdir = base / f"{name}-{kind}-{size}"
        url = None if name == "sqlite" else f"{pg_url}_{kind}_{size}"
        marker = workdir / "built"
        if reuse and marker.exists():
            configs[kind] = json.loads(marker.read_text())
            continue
        print(f"building {name} {kind} ({size} learners) ...", flush=True)
        started = time.perf_counter()
        config = build(url, workdir, size, echo=lambda _t: None)
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
        marker.write_text(json.dumps(config))
        configs[kind] = config
    return configs


def main():
    """Parse the options, build, serve and measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("LOTSE_BENCH_PG_URL", PG_DEFAULT))
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=10, help="per page, after a warm-up")
    parser.add_argument("--dir", default=str(ROOT / "instance" / "bench-pages"))
    parser.add_argument("--reuse", action="store_true", help="keep databases already built")
    parser.add_argument(
        "--only", default="", help="only pages whose label contains one of these (comma-separated)"
    )
    parser.add_argument(
        "--in-process", action="store_true", help="Flask's test client instead of gunicorn"
    )
    args = parser.parse_args()
    base = Path(args.dir)
    base.mkdir(parents=True, exist_ok=True)
    wanted = args.only.split(",")
    pages = [p for p in PAGES if any(part in p[0] for part in wanted)]
    server = "in-process (Flask test client)" if args.in_process else "gunicorn (2 sync workers)"
    print(
        f"Pages {server}, {os.cpu_count()} CPUs, {args.requests} requests per page after a warm-up"
    )
    for name in args.db.split(","):
        configs = database(name, args.pg_url, args.learners, base, args.reuse)
        figures = {}
        for kind, config in configs.items():
            workdir = Path(tempfile.mkdtemp(prefix=f"lotse-pages-{name}-{kind}-"))
            port = free_port()
            config = dict(config, BASE_URL=f"http://127.0.0.1:{port}")
            config["CONTENT_BASE_URL"] = f"http://localhost:{port}"
            log = workdir / "queries.log"
            print(f"  measuring {name} {kind}, load average {load_average()}", flush=True)
            if args.in_process:
                figures[kind] = measure_in_process(workdir, config, log, pages, args.requests)
                continue
            proc = start_server(workdir, config, port, log)
            try:
                values = ids(config["DATABASE_URL"])
                figures[kind] = measure(port, log, pages, values, args.requests)
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        report(name, figures["demo"], figures["national"], args.learners)


if __name__ == "__main__":
    main()
