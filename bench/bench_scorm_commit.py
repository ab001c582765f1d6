"""Speed of the SCORM commit endpoint under gunicorn (2 workers), beside an empty baseline.

For SQLite and PostgreSQL, with 1, 8 and 32 concurrent simulated learners (each its own
SCO attempt and run-time token, committing location, 1 KB suspend data and session time in
a loop, as runtime-api.js does), it prints commits per second, p50/p95 latency and the
ratio to a baseline measured in the same run: the same server answering an empty JSON
POST, in rounds alternating with the commits. Rates count answers with status 200 per
second of wall time; after each round the bench checks that the database holds every
commit answered 200. Loopback only; every run stops by itself.

    python bench/bench_scorm_commit.py [--db sqlite,postgresql] [--seconds 6] [--rounds 3]
        [--levels 1,8,32] [--set KEY=VALUE]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/lotse_bench"
MANIFEST = b"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="bench" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Bench</title>
    <item identifier="item" identifierref="res"><title>Bench-SCO</title></item>
  </organization></organizations>
  <resources><resource identifier="res" type="webcontent" adlcp:scormType="sco" href="sco.html">
    <file href="sco.html"/></resource></resources>
</manifest>"""
WSGI = '''
import json, os
from lotse_lms import create_app
from lotse_lms.extensions import csrf
app = create_app(json.loads(os.environ["BENCH_CONFIG"]), instance_path=os.environ["BENCH_INSTANCE"], environ={})

@app.post("/bench/empty")
@csrf.exempt
def bench_empty():
    """Baseline: the same app answering an empty JSON request."""
    return {}
'''


def free_port():
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(config, instance, learners):
    """Create the schema, learners, a package and one launched attempt per learner."""
    from lotse_lms import create_app
    from lotse_lms.accounts.operations import create_user
    from lotse_lms.extensions import db
    from lotse_lms.modules.q1.commits import base_for
    from lotse_lms.modules.q1.packages import import_package
    from lotse_lms.modules.q1.tokens import runtime_token
    from lotse_lms.modules.q1.tracking import launch_item

    if config["DATABASE_URL"].startswith("postgresql"):
        ensure_pg_database(config["DATABASE_URL"])
    app = create_app(config, instance_path=instance, environ={})
    with app.app_context():
        db.drop_all()
        db.create_all()
        package = Path(config["DATA_DIR"]).parent / "bench.zip"
        with zipfile.ZipFile(package, "w") as zf:
            zf.writestr("imsmanifest.xml", MANIFEST)
            zf.writestr("sco.html", b"<!doctype html><title>SCO</title>")
        version = import_package(package)
        # the package version's own content origin (what links.content_origin hands out)
        CONTENT_HOST[0] = f"{version.folder}.{urlsplit(config['CONTENT_BASE_URL']).netloc}"
        attempts = []
        for index in range(learners):
            user = create_user(
                f"learner{index}@bench.example", f"Learner {index}", roles=["participant"]
            )
            started = launch_item(user, version, "item")
            db.session.commit()
            state = started.attempt.state
            token = runtime_token(started.attempt)
            ATTEMPT_IDS[token] = started.attempt.id
            base = base_for(json.dumps(state))
            attempts.append((token, state["attempt"], state["session"], state["sequence"], base))
        db.engine.dispose()
    return attempts


#: Run-time token -> attempt row id, to check afterwards what the server stored.
ATTEMPT_IDS = {}
#: Host of the bench package's content origin (set by prepare, inherited by the forks).
CONTENT_HOST = [""]


def check_stored(url, stored):
    """Fail loudly unless every learner's last accepted commit is what the row holds."""
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        for token, sequence in stored.items():
            row = conn.execute(
                sa.text("SELECT sequence, state FROM q1_sco_attempts WHERE id = :id"),
                {"id": ATTEMPT_IDS[token]},
            ).one()
            state = row.state if isinstance(row.state, dict) else json.loads(row.state)
            if sequence is not None and (row.sequence, state["sequence"]) != (sequence, sequence):
                raise SystemExit(f"commit {sequence} was answered 200 but not stored: {row}")
    engine.dispose()


def ensure_pg_database(url):
    """Create the bench database if it does not exist."""
    import sqlalchemy as sa

    server, _sep, name = url.rpartition("/")
    engine = sa.create_engine(
        server.replace("postgresql://", "postgresql+psycopg://", 1) + "/postgres",
        isolation_level="AUTOCOMMIT",
    )
    with engine.connect() as conn:
        if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def request_bytes(host, path, body):
    """A complete HTTP/1.1 POST with Connection: close."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def send(port, data):
    """Send one request on a new connection; return the status code and the body."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    answer = b"".join(chunks)
    return int(answer[9:12] or 0), answer.partition(b"\r\n\r\n")[2]


def learner_loop(port, kind, learner, until, out):
    """One simulated learner: commit (or hit the baseline) until the deadline. Like
    runtime-api.js it sends the base of the last answer back with each commit.
    Appends (latencies, errors, first start, last end, learner as it is now) to ``out``."""
    token, attempt, session, sequence, base = learner
    latencies, errors, n = [], 0, 0
    suspend = "s" * 1000
    first = time.perf_counter()
    while time.perf_counter() < until:
        n += 1
        if kind == "commit":
            sequence += 1
            body = json.dumps(
                {
                    "protocol": 1,
                    "version": "2004",
                    "attempt": attempt,
                    "session": session,
                    "sequence": sequence,
                    "terminated": False,
                    "unload": False,
                    "calls": [
                        ["cmi.location", f"seite-{n}"],
                        ["cmi.suspend_data", suspend + str(n)],
                        ["cmi.session_time", f"PT{n}S"],
                    ],
                    **({"base": base} if base else {}),
                }
            ).encode()
            data = request_bytes(CONTENT_HOST[0], f"/scorm-content/commit/{token}", body)
        else:
            data = request_bytes(f"127.0.0.1:{port}", "/bench/empty", b"{}")
        start = time.perf_counter()
        try:
            status, body = send(port, data)
        except OSError:
            status = 0
        latencies.append(time.perf_counter() - start)
        if status != 200:
            errors += 1
        elif kind == "commit":
            STORED[token] = sequence
            base = json.loads(body).get("base")
    out.append(
        (latencies, errors, first, time.perf_counter(), (token, attempt, session, sequence, base))
    )


#: Run-time token -> sequence number of the learner's last commit answered 200.
STORED = {}


def client_process(args):
    """A client process running its share of learners as threads."""
    port, kind, learners, until = args
    out, threads = [], []
    STORED.clear()
    for learner in learners:
        thread = threading.Thread(target=learner_loop, args=(port, kind, learner, until, out))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    return out, dict(STORED)


def measure(port, kind, learners, seconds):
    """Run len(learners) concurrent clients for ``seconds``: their latencies, errors, the
    wall time they ran, the learners as they are afterwards and what was answered 200."""
    processes = min(len(learners), 2)
    until = time.perf_counter() + seconds + 0.3  # deadline in this process's clock ...
    shares = [learners[i::processes] for i in range(processes)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        results = pool.map(client_process, [(port, kind, share, until) for share in shares])
    loops = [loop for out, _stored in results for loop in out]
    return {
        "latencies": [lat for loop in loops for lat in loop[0]],
        "errors": sum(loop[1] for loop in loops),
        "seconds": max(loop[3] for loop in loops) - min(loop[2] for loop in loops),
        "learners": [loop[4] for loop in loops],
        "stored": {token: seq for _out, stored in results for token, seq in stored.items()},
    }


def summary(runs):
    """Rate (answered 200 per second of wall time), p50, p95 and errors over some runs."""
    latencies = sorted(lat for run in runs for lat in run["latencies"])
    errors = sum(run["errors"] for run in runs)
    return {
        "rate": (len(latencies) - errors) / sum(run["seconds"] for run in runs),
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "errors": errors,
    }


def start_server(workdir, config, instance, port):
    """Start gunicorn with 2 sync workers and wait until it answers."""
    (workdir / "bench_wsgi.py").write_text(WSGI)
    env = dict(
        os.environ,
        BENCH_CONFIG=json.dumps(config),
        BENCH_INSTANCE=str(instance),
        PYTHONPATH=f"{ROOT}:{workdir}",
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [
            str(gunicorn),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
            "bench_wsgi:app",
        ],
        cwd=workdir,
        env=env,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if send(port, request_bytes(f"127.0.0.1:{port}", "/bench/empty", b"{}"))[0] == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not start")


def bench_database(name, url, levels, seconds, rounds, overrides=None):
    """Prepare, serve and measure one database; print one line per level.

    Baseline and commit runs alternate ``rounds`` times, so a change in the machine's
    speed during the run (a shared host) hits both sides of the ratio alike."""
    workdir = Path(tempfile.mkdtemp(prefix=f"lotse-bench-{name}-"))
    port = free_port()
    config = {
        "DATABASE_URL": url or f"sqlite:///{workdir / 'bench.db'}",
        "DATA_DIR": str(workdir / "data"),
        "SECRET_KEY": "bench-secret",
        "BASE_URL": f"http://127.0.0.1:{port}",
        "CONTENT_BASE_URL": f"http://localhost:{port}",
        **(overrides or {}),
    }
    instance = workdir / "instance"
    all_learners = prepare(config, instance, sum(levels))
    proc = start_server(workdir, config, instance, port)
    try:
        offset = 0
        for level in levels:
            learners = all_learners[offset : offset + level]
            offset += level
            base_runs, commit_runs, ratios = [], [], []
            for _round in range(rounds):
                base_runs.append(measure(port, "baseline", learners, seconds / rounds))
                commit_runs.append(measure(port, "commit", learners, seconds / rounds))
                learners = commit_runs[-1]["learners"]
                check_stored(config["DATABASE_URL"], commit_runs[-1]["stored"])
                ratios.append(summary(commit_runs[-1:])["rate"] / summary(base_runs[-1:])["rate"])
            base, commit = summary(base_runs), summary(commit_runs)
            print(
                f"{name:<10} {level:>3} learners | commits {commit['rate']:7.0f}/s  p50 {commit['p50']:6.2f} ms"
                f"  p95 {commit['p95']:6.2f} ms  errors {commit['errors']:>3} | baseline {base['rate']:7.0f}/s"
                f"  p50 {base['p50']:6.2f} ms  p95 {base['p95']:6.2f} ms | ratio {commit['rate'] / base['rate']:.2f}"
                f" (rounds {min(ratios):.2f} - {max(ratios):.2f})",
                flush=True,
            )
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def _setting(text):
    """KEY=VALUE as a config pair (the value read as JSON if it is JSON)."""
    key, _sep, value = text.partition("=")
    try:
        return key, json.loads(value)
    except ValueError:
        return key, value


def main():
    """Parse the options and run the benchmark for each database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("LOTSE_BENCH_PG_URL", PG_DEFAULT))
    parser.add_argument("--levels", default="1,8,32")
    parser.add_argument("--seconds", type=float, default=6.0, help="per level and side")
    parser.add_argument("--rounds", type=int, default=3, help="alternations per level")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a configuration value for the server, e.g. SCORM_COMMIT_BASE_MAX_BYTES=0",
    )
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    print(
        f"SCORM commit endpoint, gunicorn 2 sync workers, {os.cpu_count()} CPUs,"
        f" {args.seconds:.0f} s per level and side in {args.rounds} alternating rounds"
    )
    for name in args.db.split(","):
        url = None if name == "sqlite" else args.pg_url
        bench_database(
            name, url, levels, args.seconds, args.rounds, dict(_setting(s) for s in args.set)
        )


if __name__ == "__main__":
    main()
